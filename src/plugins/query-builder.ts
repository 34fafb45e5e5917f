import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, WidgetTracker } from '@jupyterlab/apputils';
import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher } from '@jupyterlab/launcher';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { VCEClient } from '../api/client';
import { addBuilderCommands } from '../builder/add-commands';
import { BuilderAvailability } from '../builder/availability';
import { BUILDER_DEFAULTS, IBuilderDefaults } from '../builder/defaults';
import type { BuilderMainWidget } from '../builder/main-area';
import { createBuilderPanel } from '../builder/panel';
import type { BuilderSession } from '../builder/session';
import { CommandIDs } from '../commands';
import { loadOnce } from '../common/lazy';
import { PluginSettings } from '../common/settings';
import { IVCEConnection, TRANSLATION_DOMAIN } from '../tokens';

const PLUGIN_ID = 'jupyterlab-vce:query-builder';

/** The settings of this plugin (schema/query-builder.json). */
interface IQueryBuilderSettings {
  defaultLimit: number;
  resultOutput: IBuilderDefaults['output'];
}

const DEFAULT_SETTINGS: IQueryBuilderSettings = {
  defaultLimit: BUILDER_DEFAULTS.limit,
  resultOutput: BUILDER_DEFAULTS.output
};

/**
 * The query builder (left sidebar): build a test-stage query, write it as an
 * SDK cell below the active cell (or into a new notebook), run it, copy it,
 * open an SDK cell back and update it, preview a sample through the platform.
 */
export const queryBuilderPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'The query builder (left sidebar, or the main area): build a query, insert it as an SDK cell.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [
    IVCEConnection,
    ILayoutRestorer,
    ICommandPalette,
    ILauncher,
    IDefaultFileBrowser,
    IEditorLanguageRegistry,
    ISettingRegistry,
    ITranslator,
    ILabShell
  ],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    connection: IVCEConnection | null,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    launcher: ILauncher | null,
    fileBrowser: IDefaultFileBrowser | null,
    languages: IEditorLanguageRegistry | null,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null,
    labShell: ILabShell | null
  ) => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    const client =
      connection?.client ?? new VCEClient(app.serviceManager.serverSettings);
    const { commands, shell } = app;
    let defaults: IBuilderDefaults = { ...BUILDER_DEFAULTS };

    // The model, its views and flows load when the builder first shows or a command needs them.
    const session = loadOnce(async (): Promise<BuilderSession> => {
      const { BuilderSession } = await import('../builder/session');
      return new BuilderSession({
        app,
        tracker,
        client,
        status: connection?.status ?? null,
        languages,
        trans,
        defaults,
        cwd: () => fileBrowser?.model.path ?? '',
        revealBuilder: () => openPanel()
      });
    });

    if (settingRegistry) {
      void PluginSettings.load(settingRegistry, PLUGIN_ID, DEFAULT_SETTINGS, {
        resultOutput: value => value === 'print' || value === 'display'
      })
        .then(settings => {
          const apply = (values: IQueryBuilderSettings) => {
            defaults = {
              ...BUILDER_DEFAULTS,
              limit: values.defaultLimit,
              output: values.resultOutput
            };
            session.current?.applyDefaults(defaults);
          };
          settings.onChange(apply);
          apply(settings.current);
        })
        .catch(reason =>
          console.warn(
            'jupyterlab-vce: query builder settings not loaded',
            reason
          )
        );
    }

    const panel = createBuilderPanel(
      async () => (await session()).createSidebarView(),
      trans,
      translator ?? nullTranslator,
      { commands, id: CommandIDs.openQueryBuilderMain }
    );
    shell.add(panel, 'left', { rank: 600 });
    restorer?.add(panel, panel.id);
    // The same model in the main area, where the sample and the cell have room.
    const mainTracker = new WidgetTracker<BuilderMainWidget>({
      namespace: 'vce-query-builder'
    });
    const openMainArea = async () => {
      const widget = await (await session()).mainArea.widgetToShow();
      if (!widget.isAttached) {
        shell.add(widget, 'main');
        void mainTracker.add(widget);
      }
      // Opened from the sidebar's builder: the main area takes the room it had.
      if (panel.isVisible) {
        labShell?.collapseLeft();
      }
      shell.activateById(widget.id);
    };
    restorer?.restore(mainTracker, {
      command: CommandIDs.openQueryBuilderMain,
      name: () => 'query-builder'
    });
    // The insert button's label follows the open notebooks.
    tracker.currentChanged.connect(() => session.current?.updateViews());

    const openPanel = () => shell.activateById(panel.id);
    // Not for a reviewer (the platform refuses their queries): the jobs panel's decision.
    const availability = new BuilderAvailability({
      status: connection?.status ?? null,
      launcher,
      launcherItem: {
        command: CommandIDs.openQueryBuilder,
        category: trans.__('Virtual Compute Environment'),
        rank: 1
      }
    });
    addBuilderCommands(app, {
      session,
      availability,
      cells: { app, tracker },
      trans,
      palette,
      openPanel,
      openMainArea
    });
  }
};
