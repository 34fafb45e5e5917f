import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { CommandIDs, InboxCommandIDs, JobCommandIDs } from '../commands';
import { LoadOnShow, loadOnce } from '../common/lazy';
import { PluginSettings } from '../common/settings';
import { followActiveDocument } from '../jobs/active-document';
import { addJobCommands } from '../jobs/add-commands';
import { installDropTarget } from '../jobs/drop';
import { JobsModel } from '../jobs/model';
import { notifyWhenFinished } from '../jobs/notify';
import type { JobsSession } from '../jobs/session';
import { createShieldShell } from '../jobs/shell';
import { PanelState } from '../jobs/state';
import { reviewerRole } from '../review/role';
import { IVCEConnection, TRANSLATION_DOMAIN } from '../tokens';

/** The settings of this plugin (schema/jobs.json). */
interface IJobsSettings {
  pageSize: number;
  resultsFolder: string;
  includeCompanionFiles: boolean;
  notifyWhenFinished: boolean;
}

const DEFAULT_SETTINGS: IJobsSettings = {
  pageSize: 20,
  resultsFolder: 'dcr-results',
  includeCompanionFiles: false,
  notifyWhenFinished: true
};

const PLUGIN_ID = 'jupyterlab-vce:jobs';

/**
 * The shield sidebar (right): submit a script or notebook to the Data Clean
 * Room (active document, picked, dropped, or from the file browser's context
 * menu), follow every job live, read verdicts, download and verify results.
 */
export const jobsPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'The Data Clean Room sidebar (shield icon, right): submit scripts, follow jobs.',
  autoStart: true,
  requires: [IVCEConnection],
  optional: [
    ILayoutRestorer,
    ICommandPalette,
    ITranslator,
    IDocumentManager,
    IFileBrowserFactory,
    ISettingRegistry,
    ILabShell
  ],
  activate: async (
    app: JupyterFrontEnd,
    connection: IVCEConnection,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    docManager: IDocumentManager | null,
    browserFactory: IFileBrowserFactory | null,
    settingRegistry: ISettingRegistry | null,
    labShell: ILabShell | null
  ) => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    let settings = DEFAULT_SETTINGS;
    const api = connection.client;
    const model = new JobsModel({ api, pageSize: settings.pageSize });
    const state = new PanelState();
    state.withCompanions = settings.includeCompanionFiles;
    const { commands } = app;

    // The frame is on screen from the start; its sections, the actions and a
    // reviewer's queue load the first time it shows or a command needs them.
    const panel = createShieldShell(trans, translator ?? nullTranslator);
    const placeholder = new LoadOnShow({
      load: async () => void (await session()),
      loadingText: trans.__('Loading the Data Clean Room…'),
      failedText: trans.__(
        'The Data Clean Room could not be loaded. Show the panel again to retry.'
      )
    });
    placeholder.title.label = trans.__('Jobs');
    panel.addWidget(placeholder);
    let reviewer = false;
    const session = loadOnce(async (): Promise<JobsSession> => {
      const { JobsSession } = await import('../jobs/session');
      const loaded = new JobsSession({
        api,
        model,
        state,
        trans,
        contents: app.serviceManager.contents,
        email: () =>
          connection.status.status?.identity?.primary_researcher_email ?? null,
        openDocument: path => {
          const widget = docManager?.findWidget(path);
          const context = widget
            ? docManager?.contextForWidget(widget)
            : undefined;
          if (!context) {
            return null;
          }
          return { dirty: context.model.dirty, save: () => context.save() };
        },
        openPath: path => {
          void commands
            .execute('filebrowser:go-to-path', {
              path,
              dontShowBrowser: true
            })
            .catch(() => undefined);
        },
        showInMainArea: widget => {
          app.shell.add(widget, 'main');
          app.shell.activateById(widget.id);
        },
        openMail: jobId =>
          void commands.execute(InboxCommandIDs.open, { jobId }),
        resultsFolder: () => settings.resultsFolder,
        // A reviewer client (role of GET /v2/vce/me/) sees the manual-review queue instead.
        reviewApi: api,
        // A file the review read opens in the lab's own viewer (CSV table, image, editor).
        openInLab: (path, factory) =>
          docManager?.openOrReveal(path, factory) !== undefined,
        events: connection.events,
        translator: translator ?? nullTranslator,
        signIn: () => void commands.execute(CommandIDs.signIn),
        panel
      });
      // The sections take the placeholder's place (it stays, saying so, if they failed).
      placeholder.dispose();
      syncReviewer(loaded);
      return loaded;
    });
    const actions = loadOnce(async () => (await session()).actions);

    // Signed in or not, and the role, follow the connection; job events come from the shared stream.
    // While the embedded platform starts (signed in already, its calls 503) the list waits, and
    // reads once it answers; the review queue, once connected.
    const syncReviewer = (loaded: JobsSession | null) => {
      if (loaded) {
        loaded.review.setActive(
          reviewer && connection.status.phase === 'connected'
        );
        loaded.shield.showReviewer(reviewer);
      } else {
        placeholder.title.label = reviewer
          ? trans.__('Manual review')
          : trans.__('Jobs');
      }
    };
    const syncConnection = () => {
      const status = connection.status.status;
      reviewer = reviewerRole(reviewer, status);
      model.setSignedIn(
        status?.signed_in === true && !reviewer,
        status?.platform.state !== 'starting'
      );
      syncReviewer(session.current);
    };
    connection.status.changed.connect(syncConnection);
    syncConnection();
    model.follow(connection.events);
    // No review events on the platform: the queue is read again when it shows, and on focus.
    window.addEventListener('focus', () => {
      if (panel.isVisible) {
        void session.current?.review.refresh();
      }
    });
    // A file dropped on the panel is submitted (the sections load first if they were not yet).
    installDropTarget(panel.node, path => {
      void session().then(loaded => loaded.shield.drop(path));
    });

    const openPanel = () => app.shell.activateById(panel.id);
    notifyWhenFinished({
      model,
      trans,
      enabled: () => settings.notifyWhenFinished,
      resultsFolder: () => settings.resultsFolder,
      onScreen: jobId => panel.isVisible && state.selected === jobId,
      openJob: jobId => void commands.execute(JobCommandIDs.openJob, { jobId }),
      download: jobId => {
        openPanel();
        void actions().then(loaded =>
          loaded.open(jobId).then(() => loaded.saveToWorkspace(jobId))
        );
      }
    });
    app.shell.add(panel, 'right', { rank: 850 });
    restorer?.add(panel, panel.id);

    // The active document is what "Submit" sends by default, under its current name.
    if (labShell && docManager) {
      app.restored
        .then(() =>
          followActiveDocument(
            labShell,
            docManager,
            path => (state.currentPath = path)
          )
        )
        .catch(() => undefined);
    }

    addJobCommands(app, {
      model,
      state,
      actions,
      canSubmit: () => !reviewer,
      trans,
      palette,
      openPanel,
      selectedPath: () => {
        const browser = browserFactory?.tracker.currentWidget;
        const item = browser ? browser.selectedItems().next() : undefined;
        return item && !item.done ? item.value.path : null;
      }
    });

    if (settingRegistry) {
      try {
        const loaded = await PluginSettings.load(
          settingRegistry,
          PLUGIN_ID,
          DEFAULT_SETTINGS
        );
        const apply = (values: IJobsSettings) => {
          settings = values;
          model.pageSize = settings.pageSize;
        };
        apply(loaded.current);
        state.withCompanions = settings.includeCompanionFiles;
        loaded.onChange(apply);
      } catch (error) {
        console.warn(
          'jupyterlab-vce: the jobs settings could not be loaded; using defaults.',
          error
        );
      }
    }
  }
};
