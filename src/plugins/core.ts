import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { VCEClient } from '../api/client';
import { CommandIDs, PALETTE_CATEGORY } from '../commands';
import { PluginSettings } from '../common/settings';
import { notifyLoadFailure } from '../common/load-failure';
import { promptOnceWhenSignedOut } from '../signin/prompt';
import { hubLogoutUrl, signInMode, signOutOfHub } from '../signin/mode';
import { PlatformStatusModel } from '../status/model';
import { bridgeEventsToStatus } from '../events/bridge';
import { platformEvents, type IPlatformEvents } from '../events/shared';
import { PlatformEventStream } from '../events/stream';
import { IVCEConnection, TRANSLATION_DOMAIN } from '../tokens';

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
  description:
    'Connection to the Virtual Compute Environment: sign-in, status, quota.',
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
    const settings = await PluginSettings.load(
      settingRegistry,
      corePlugin.id,
      DEFAULT_SETTINGS
    );
    const status = new PlatformStatusModel({
      client,
      refreshIntervalMs: settings.current.refreshIntervalSeconds * 1000
    });
    settings.onChange(values => {
      status.refreshIntervalMs = values.refreshIntervalSeconds * 1000;
    });

    const { commands } = app;
    // The embedded stand-in's own secret, only when the researcher asks (Reveal, Copy, Use).
    const revealLocalSecret = () => client.localClientSecret();
    // Under JupyterHub the hub's login page signs in and out (docs/architecture.md).
    const option = (name: string) => PageConfig.getOption(name);
    const mode = signInMode(option);
    const hubSignOut = () =>
      signOutOfHub({
        hasCommand: id => commands.hasCommand(id),
        execute: id => commands.execute(id),
        navigate: url => window.location.assign(url),
        logoutUrl: hubLogoutUrl(option) ?? ''
      });
    commands.addCommand(CommandIDs.signIn, {
      label:
        mode === 'hub'
          ? trans.__('Sign In Again on the Login Page')
          : trans.__('Sign In to the Virtual Compute Environment…'),
      // A lab the hub gave no credentials can only sign in with the dialog.
      execute: async () => {
        if (mode === 'hub' && status.phase !== 'signed-out') {
          return hubSignOut();
        }
        // The dialog (and the local client's view) load when first asked for.
        let dialog;
        try {
          dialog = await import('../signin/dialog');
        } catch (error) {
          notifyLoadFailure(trans, trans.__('the sign-in dialog'), error);
          return;
        }
        const { signInWithDialog } = dialog;
        return signInWithDialog(status, trans, revealLocalSecret);
      }
    });
    commands.addCommand(CommandIDs.signOut, {
      label:
        mode === 'hub'
          ? trans.__('Sign Out (Log Out of the Hub)')
          : trans.__('Sign Out of the Virtual Compute Environment'),
      isEnabled: () => mode === 'hub' || status.status?.signed_in === true,
      execute: async () => {
        if (mode === 'hub') {
          await hubSignOut();
        } else {
          await status.signOut();
        }
      }
    });
    commands.addCommand(CommandIDs.refreshStatus, {
      label: trans.__('Refresh Virtual Compute Environment Status'),
      execute: () => status.refresh()
    });
    commands.addCommand(CommandIDs.showConnection, {
      label: trans.__('Show Virtual Compute Environment Connection'),
      // The details (and the local client's view) load when first asked for.
      execute: async () => {
        let connection;
        try {
          connection = await import('../signin/connection');
        } catch (error) {
          notifyLoadFailure(trans, trans.__('the connection details'), error);
          return;
        }
        const { showConnection } = connection;
        return showConnection(status, trans, {
          mode,
          signIn: () => commands.execute(CommandIDs.signIn),
          signOut: () => commands.execute(CommandIDs.signOut),
          revealLocalSecret
        });
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

    if (mode === 'in-lab' && settings.current.promptSignInOnStart) {
      promptOnceWhenSignedOut(status, () =>
        app.restored.then(() => commands.execute(CommandIDs.signIn))
      );
    }
    // One stream for all of this lab's tabs (a browser keeps six connections to a host).
    const events = platformEvents(
      `jupyterlab-vce-events:${app.serviceManager.serverSettings.baseUrl}`,
      (): IPlatformEvents =>
        new PlatformEventStream({
          open: (signal, lastEventId) => client.openEvents(signal, lastEventId)
        })
    );
    bridgeEventsToStatus(events, status);
    void status.start();
    return { client, status, events };
  }
};
