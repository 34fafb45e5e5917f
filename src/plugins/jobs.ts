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
import { PluginSettings } from '../common/settings';
import { JobActions } from '../jobs/actions';
import { followActiveDocument } from '../jobs/active-document';
import { addJobCommands } from '../jobs/add-commands';
import { JobsModel } from '../jobs/model';
import { notifyWhenFinished } from '../jobs/notify';
import { createShieldPanel } from '../jobs/panel';
import { submittedScriptWidget } from '../jobs/script-view';
import { PanelState } from '../jobs/state';
import { ReviewModel, reviewerRole } from '../review/model';
import { ReviewSection } from '../review/panel';
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

    const actions = new JobActions({
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
          .execute('filebrowser:go-to-path', { path, dontShowBrowser: true })
          .catch(() => undefined);
      },
      showScript: (title, content, name) => {
        const widget = submittedScriptWidget(title, content, name, trans);
        app.shell.add(widget, 'main');
        app.shell.activateById(widget.id);
      },
      openMail: jobId => void commands.execute(InboxCommandIDs.open, { jobId }),
      resultsFolder: () => settings.resultsFolder
    });

    // A reviewer client (role of GET /v2/vce/me/) sees the manual-review queue instead.
    const review = new ReviewModel({ api });
    // A file the review read opens in the lab's own viewer (CSV table, image, editor).
    const openInLab = (path: string, factory: string) =>
      docManager?.openOrReveal(path, factory) !== undefined;
    const shield = createShieldPanel({
      actions,
      review: new ReviewSection(review, trans, openInLab),
      events: connection.events,
      trans,
      translator: translator ?? nullTranslator,
      signIn: () => void commands.execute(CommandIDs.signIn)
    });
    const panel = shield.panel;
    // Signed in or not, and the role, follow the connection; job events come from the shared stream.
    let reviewer = false;
    const syncConnection = () => {
      const status = connection.status.status;
      reviewer = reviewerRole(reviewer, status);
      model.setSignedIn(status?.signed_in === true && !reviewer);
      review.setActive(reviewer && connection.status.phase === 'connected');
      shield.showReviewer(reviewer);
    };
    connection.status.changed.connect(syncConnection);
    syncConnection();
    model.follow(connection.events);
    // No review events on the platform: the queue is read again when it shows, and on focus.
    window.addEventListener('focus', () => {
      if (panel.isVisible) {
        void review.refresh();
      }
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
        void actions.open(jobId).then(() => actions.saveToWorkspace(jobId));
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
