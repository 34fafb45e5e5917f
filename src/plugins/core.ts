import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { Dialog, ICommandPalette, showDialog } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { VCEClient } from '../api/client';
import { signInWithDialog } from '../signin/dialog';
import { connectionDetailsWidget } from '../status/StatusItem';
import { PlatformStatusModel } from '../status/model';
import { bridgeEventsToStatus } from '../events/bridge';
import { PlatformEventStream } from '../events/stream';
import {
  CommandIDs,
  IVCEConnection,
  PALETTE_CATEGORY,
  TRANSLATION_DOMAIN
} from '../tokens';

/** The settings of this plugin (schema/plugin.json). */
interface ICoreSettings {
  refreshIntervalSeconds: number;
  promptSignInOnStart: boolean;
}

const DEFAULT_SETTINGS: ICoreSettings = {
  refreshIntervalSeconds: 60,
  promptSignInOnStart: true
};

/**
 * The core: the API client, the connection model and the sign-in commands.
 * The other plugins require its token and stay small.
 */
export const corePlugin: JupyterFrontEndPlugin<IVCEConnection> = {
  id: 'jupyterlab-vce:plugin',
  description: 'Connection to the Virtual Compute Environment: sign-in, status, quota.',
  autoStart: true,
  provides: IVCEConnection,
  optional: [ISettingRegistry, ICommandPalette, ITranslator],
  activate: async (
    app: JupyterFrontEnd,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): Promise<IVCEConnection> => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    const client = new VCEClient(app.serviceManager.serverSettings);
    const settings = await loadSettings(settingRegistry);
    const status = new PlatformStatusModel({
      client,
      refreshIntervalMs: settings.current.refreshIntervalSeconds * 1000
    });
    settings.onChange(values => {
      status.refreshIntervalMs = values.refreshIntervalSeconds * 1000;
    });

    const { commands } = app;
    commands.addCommand(CommandIDs.signIn, {
      label: trans.__('Sign In to the Virtual Compute Environment…'),
      execute: () => signInWithDialog(status, trans)
    });
    commands.addCommand(CommandIDs.signOut, {
      label: trans.__('Sign Out of the Virtual Compute Environment'),
      isEnabled: () => status.status?.signed_in === true,
      execute: async () => {
        await status.signOut();
      }
    });
    commands.addCommand(CommandIDs.refreshStatus, {
      label: trans.__('Refresh Virtual Compute Environment Status'),
      execute: () => status.refresh()
    });
    commands.addCommand(CommandIDs.showConnection, {
      label: trans.__('Show Virtual Compute Environment Connection'),
      execute: async () => {
        // Fresh figures first: the records used may have moved since the last poll.
        await status.refresh();
        const phase = status.phase;
        if (phase === 'signed-out' || phase === 'rejected') {
          return commands.execute(CommandIDs.signIn);
        }
        if (phase === 'unreachable' || phase === 'unavailable') {
          return;
        }
        const result = await showDialog({
          title: trans.__('Virtual Compute Environment'),
          body: connectionDetailsWidget(status, trans),
          buttons: [
            Dialog.warnButton({ label: trans.__('Sign out'), ariaLabel: trans.__('Sign out') }),
            Dialog.okButton({ label: trans.__('Close') })
          ],
          defaultButton: 1
        });
        if (result.button.displayType === 'warn') {
          await status.signOut();
        }
      }
    });
    for (const command of [
      CommandIDs.signIn,
      CommandIDs.signOut,
      CommandIDs.showConnection,
      CommandIDs.refreshStatus
    ]) {
      palette?.addItem({ command, category: PALETTE_CATEGORY });
    }

    if (settings.current.promptSignInOnStart) {
      promptOnceWhenSignedOut(status, () =>
        app.restored.then(() => commands.execute(CommandIDs.signIn))
      );
    }
    const events = new PlatformEventStream();
    bridgeEventsToStatus(events, status);
    void status.start();
    return { client, status, events };
  }
};

/** Run `prompt` the first time the server turns out to hold no credentials. */
function promptOnceWhenSignedOut(
  status: PlatformStatusModel,
  prompt: () => Promise<unknown>
): void {
  const onChange = () => {
    const phase = status.phase;
    if (phase === 'loading' || phase === 'unavailable') {
      return;
    }
    status.changed.disconnect(onChange);
    if (phase === 'signed-out') {
      void prompt();
    }
  };
  status.changed.connect(onChange);
}

/** The plugin's settings, live, falling back to the defaults without a registry. */
async function loadSettings(registry: ISettingRegistry | null): Promise<{
  current: ICoreSettings;
  onChange: (listener: (values: ICoreSettings) => void) => void;
}> {
  if (!registry) {
    return { current: DEFAULT_SETTINGS, onChange: () => undefined };
  }
  const settings = await registry.load(corePlugin.id);
  const read = (): ICoreSettings => ({
    ...DEFAULT_SETTINGS,
    ...(settings.composite as unknown as Partial<ICoreSettings>)
  });
  const state = { current: read() };
  return {
    get current() {
      return state.current;
    },
    onChange: listener => {
      settings.changed.connect(() => {
        state.current = read();
        listener(state.current);
      });
    }
  };
}
