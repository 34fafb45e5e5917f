import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, MainAreaWidget, Notification } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { SidePanel } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import { shieldIcon } from '../icons';
import { JobActions } from '../jobs/actions';
import { followActiveDocument } from '../jobs/active-document';
import { JobsApi } from '../jobs/api';
import { JobCommandIDs } from '../jobs/commands';
import { installDropTarget } from '../jobs/drop';
import { jobStatusLabel } from '../jobs/format';
import { JobsModel } from '../jobs/model';
import { PanelState } from '../jobs/state';
import { isScriptPath } from '../jobs/submission';
import { jobsWidget, submitWidget } from '../jobs/widgets';
import { CommandIDs, IVCEConnection, PALETTE_CATEGORY, TRANSLATION_DOMAIN } from '../tokens';

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

export const SHIELD_PANEL_ID = 'jp-vce-shield-panel';

/**
 * The shield sidebar (right): submit a script or notebook to the Data Clean
 * Room (active document, picked, dropped, or from the file browser's context
 * menu), follow every job live, read verdicts, download and verify results.
 */
export const jobsPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'The Data Clean Room sidebar (shield icon, right): submit scripts, follow jobs.',
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
    const settings = { ...DEFAULT_SETTINGS };
    const api = new JobsApi(app.serviceManager.serverSettings);
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
      email: () => connection.status.status?.identity?.primary_researcher_email ?? null,
      openDocument: path => {
        const widget = docManager?.findWidget(path);
        const context = widget ? docManager?.contextForWidget(widget) : undefined;
        if (!context) {
          return null;
        }
        return { dirty: context.model.dirty, save: () => context.save() };
      },
      openPath: path => {
        void commands.execute('filebrowser:go-to-path', { path, dontShowBrowser: true }).catch(() => undefined);
      },
      showScript: (title, content, name) => {
        const body = new Widget();
        body.addClass('jp-vce-SubmittedScript');
        const pre = document.createElement('pre');
        pre.textContent = content;
        pre.setAttribute('aria-label', title);
        pre.tabIndex = 0;
        body.node.appendChild(pre);
        const widget = new MainAreaWidget({ content: body });
        widget.id = `jp-vce-submitted-${Date.now()}`;
        widget.title.label = title;
        widget.title.caption = trans.__('%1, read-only: the file exactly as it was submitted.', name);
        widget.title.icon = shieldIcon;
        widget.title.closable = true;
        app.shell.add(widget, 'main');
        app.shell.activateById(widget.id);
      },
      resultsFolder: () => settings.resultsFolder
    });

    // Signed in or not follows the connection; job events come from the shared stream.
    const syncSignedIn = () => model.setSignedIn(connection.status.status?.signed_in === true);
    connection.status.changed.connect(syncSignedIn);
    syncSignedIn();
    model.follow(connection.events);

    model.finished.connect((_, job) => {
      if (!settings.notifyWhenFinished) {
        return;
      }
      const type =
        job.status === 'approved' ? 'success' : job.status === 'cancelled' ? 'info' : 'error';
      const message =
        job.status === 'approved'
          ? trans.__('Data Clean Room: %1 (%2) was approved. The results can be downloaded.', PathExt.basename(job.entry), job.job_id)
          : trans.__('Data Clean Room: %1 (%2) ended: %3.', PathExt.basename(job.entry), job.job_id, jobStatusLabel(job.status, trans));
      // Toasts sit over the right sidebar: they close by themselves, sooner when the job is on screen.
      const onScreen = panel.isVisible && state.selected === job.job_id;
      const buttons: Notification.IAction[] = [
        {
          label: trans.__('Open'),
          caption: trans.__('Show the job in the Data Clean Room panel'),
          callback: () => void commands.execute(JobCommandIDs.openJob, { jobId: job.job_id })
        }
      ];
      if (job.status === 'approved') {
        buttons.push({
          label: trans.__('Download'),
          caption: trans.__('Download the results into the workspace (%1/)', settings.resultsFolder),
          displayType: 'accent',
          callback: () => {
            openPanel();
            void actions.open(job.job_id).then(() => actions.saveToWorkspace(job.job_id));
          }
        });
      }
      Notification.emit(message, type, { autoClose: onScreen ? 5_000 : 15_000, actions: buttons });
    });

    // The panel.
    const panel = new SidePanel({ translator: translator ?? nullTranslator });
    panel.id = SHIELD_PANEL_ID;
    panel.title.icon = shieldIcon;
    panel.title.caption = trans.__('Data Clean Room');
    panel.addClass('jp-vce-ShieldPanel');
    panel.node.setAttribute('role', 'region');
    panel.node.setAttribute('aria-label', trans.__('Data Clean Room'));
    const heading = new Widget({ node: document.createElement('h2') });
    heading.addClass('jp-vce-PanelTitle');
    heading.node.textContent = trans.__('Data Clean Room');
    panel.header.addWidget(heading);
    const context = {
      actions,
      trans,
      signIn: () => void commands.execute(CommandIDs.signIn),
      streamState: () => connection.events.state
    };
    // Submitting takes a few lines at the top (its natural height); the jobs get the rest.
    panel.header.addWidget(submitWidget(context));
    panel.addWidget(jobsWidget(context, connection.events.stateChanged));
    installDropTarget(panel.node, path => {
      if (isScriptPath(path)) {
        void actions.submit(path);
      } else {
        state.banner = {
          kind: 'error',
          text: trans.__('"%1" is not a script: drop a .py or .ipynb file.', PathExt.basename(path))
        };
      }
    });
    app.shell.add(panel, 'right', { rank: 850 });
    restorer?.add(panel, panel.id);

    // The active document is what "Submit" sends by default, under its current name.
    if (labShell && docManager) {
      app.restored
        .then(() => followActiveDocument(labShell, docManager, path => (state.currentPath = path)))
        .catch(() => undefined);
    }

    // Commands.
    const selectedPath = (): string | null => {
      const browser = browserFactory?.tracker.currentWidget;
      const item = browser ? browser.selectedItems().next() : undefined;
      return item && !item.done ? item.value.path : null;
    };
    const pathArg = (args: { path?: unknown }): string | null =>
      typeof args.path === 'string' ? args.path : selectedPath();
    const openPanel = () => app.shell.activateById(panel.id);

    commands.addCommand(CommandIDs.openShield, {
      label: trans.__('Open Data Clean Room'),
      caption: trans.__('Submit scripts to run against all public data and follow their jobs'),
      icon: shieldIcon,
      execute: openPanel
    });
    commands.addCommand(JobCommandIDs.submitActive, {
      label: trans.__('Submit Active Script to Data Clean Room…'),
      icon: shieldIcon,
      isEnabled: () => state.currentPath !== null && isScriptPath(state.currentPath),
      execute: async () => {
        openPanel();
        if (state.currentPath) {
          await actions.submit(state.currentPath);
        }
      }
    });
    commands.addCommand(JobCommandIDs.submitFile, {
      label: trans.__('Submit to Data Clean Room'),
      caption: trans.__('Run this script against all public data, after review'),
      icon: shieldIcon,
      isVisible: args => {
        const path = pathArg(args);
        return path !== null && isScriptPath(path);
      },
      execute: async args => {
        const path = pathArg(args);
        if (path) {
          openPanel();
          await actions.submit(path, { withCompanions: typeof args.withCompanions === 'boolean' ? args.withCompanions : undefined });
        }
      }
    });
    commands.addCommand(JobCommandIDs.testRunFile, {
      label: trans.__('Test Run in Data Clean Room (sample)'),
      caption: trans.__('Run on the test-stage sample and see what the review would say'),
      isVisible: args => {
        const path = pathArg(args);
        return path !== null && isScriptPath(path);
      },
      execute: async args => {
        const path = pathArg(args) ?? state.currentPath;
        if (path) {
          openPanel();
          await actions.submit(path, { testRun: true });
        }
      }
    });
    commands.addCommand(JobCommandIDs.refreshJobs, {
      label: trans.__('Refresh Data Clean Room Jobs'),
      execute: () => model.refresh()
    });
    commands.addCommand(JobCommandIDs.openJob, {
      label: args => (args.jobId ? trans.__('Open Job %1', String(args.jobId)) : trans.__('Open Data Clean Room Job')),
      execute: async args => {
        openPanel();
        if (typeof args.jobId === 'string') {
          await actions.open(args.jobId);
        }
      }
    });
    const selectedJob = (args: { jobId?: unknown }): string | null =>
      typeof args.jobId === 'string' ? args.jobId : state.selected;
    commands.addCommand(JobCommandIDs.cancelJob, {
      label: trans.__('Cancel Data Clean Room Job'),
      isEnabled: args => {
        const job = model.job(selectedJob(args) ?? '');
        return job !== undefined && actions.canCancel(job);
      },
      execute: async args => {
        const jobId = selectedJob(args);
        if (jobId) {
          await actions.cancel(jobId);
        }
      }
    });
    commands.addCommand(JobCommandIDs.resubmitJob, {
      label: trans.__('Resubmit Data Clean Room Job'),
      isEnabled: args => selectedJob(args) !== null,
      execute: async args => {
        const jobId = selectedJob(args);
        if (jobId) {
          await actions.resubmit(jobId);
        }
      }
    });
    commands.addCommand(JobCommandIDs.saveResults, {
      label: trans.__('Download Job Results into Workspace'),
      isEnabled: args => model.job(selectedJob(args) ?? '')?.result_available === true,
      execute: async args => {
        const jobId = selectedJob(args);
        if (jobId) {
          await actions.saveToWorkspace(jobId);
        }
      }
    });
    commands.addCommand(JobCommandIDs.verifyJob, {
      label: trans.__('Verify Job Attestation'),
      isEnabled: args => selectedJob(args) !== null,
      execute: async args => {
        const jobId = selectedJob(args);
        if (jobId) {
          await actions.verify(jobId);
        }
      }
    });

    for (const command of [
      CommandIDs.openShield,
      JobCommandIDs.submitActive,
      JobCommandIDs.testRunFile,
      JobCommandIDs.refreshJobs,
      JobCommandIDs.cancelJob,
      JobCommandIDs.resubmitJob,
      JobCommandIDs.saveResults,
      JobCommandIDs.verifyJob
    ]) {
      palette?.addItem({ command, category: PALETTE_CATEGORY });
    }
    app.contextMenu.addItem({
      command: JobCommandIDs.submitFile,
      selector: '.jp-DirListing-item[data-isdir="false"]',
      rank: 60
    });
    app.contextMenu.addItem({
      command: JobCommandIDs.testRunFile,
      selector: '.jp-DirListing-item[data-isdir="false"]',
      rank: 61
    });
    for (const selector of ['.jp-Notebook', '.jp-FileEditor']) {
      app.contextMenu.addItem({ command: JobCommandIDs.submitActive, selector, rank: 100 });
    }

    if (settingRegistry) {
      try {
        const loaded = await settingRegistry.load(PLUGIN_ID);
        const read = () => {
          Object.assign(settings, DEFAULT_SETTINGS, loaded.composite as Partial<IJobsSettings>);
          model.pageSize = settings.pageSize;
        };
        read();
        state.withCompanions = settings.includeCompanionFiles;
        loaded.changed.connect(read);
      } catch (error) {
        console.warn('jupyterlab-vce: the jobs settings could not be loaded; using defaults.', error);
      }
    }
  }
};
