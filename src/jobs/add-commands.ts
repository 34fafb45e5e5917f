import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { ICommandPalette } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { CommandIDs, JobCommandIDs, PALETTE_CATEGORY } from '../commands';
import { shieldIcon } from '../icons';
import type { ILoadOnce } from '../common/lazy';
import type { JobActions } from './actions';
import type { JobsModel } from './model';
import { isScriptPath } from './script-path';
import type { PanelState } from './state';
import { CANCELLABLE_STATUSES } from './statuses';

export interface IJobCommandsOptions {
  model: JobsModel;
  state: PanelState;
  /** The panel's actions, loaded with the panel's views at the first command that needs them. */
  actions: ILoadOnce<JobActions>;
  trans: TranslationBundle;
  palette: ICommandPalette | null;
  /** Show the shield panel. */
  openPanel: () => void;
  /** The file selected in the file browser, if any. */
  selectedPath: () => string | null;
  /** False for a reviewer client: the submit and test-run commands hide (the platform takes no jobs from reviewers). */
  canSubmit: () => boolean;
}

/**
 * The Data Clean Room's commands (open, submit, test run, refresh, open,
 * cancel, resubmit, download, verify), in the palette and the context menus.
 */
export function addJobCommands(
  app: JupyterFrontEnd,
  options: IJobCommandsOptions
): void {
  const { actions, model, state, trans, palette, openPanel } = options;
  const { commands } = app;
  const pathArg = (args: { path?: unknown }): string | null =>
    typeof args.path === 'string' ? args.path : options.selectedPath();

  commands.addCommand(CommandIDs.openShield, {
    label: trans.__('Open Data Clean Room'),
    caption: trans.__(
      'Submit scripts to run against all public data and follow their jobs'
    ),
    icon: shieldIcon,
    execute: openPanel
  });
  commands.addCommand(JobCommandIDs.submitActive, {
    label: trans.__('Submit Active Script to Data Clean Room…'),
    icon: shieldIcon,
    isEnabled: () =>
      options.canSubmit() &&
      state.currentPath !== null &&
      isScriptPath(state.currentPath),
    execute: async () => {
      openPanel();
      if (state.currentPath) {
        await (await actions()).submit(state.currentPath);
      }
    }
  });
  commands.addCommand(JobCommandIDs.submitFile, {
    label: trans.__('Submit to Data Clean Room'),
    caption: trans.__('Run this script against all public data, after review'),
    icon: shieldIcon,
    isVisible: args => {
      const path = pathArg(args);
      return options.canSubmit() && path !== null && isScriptPath(path);
    },
    execute: async args => {
      const path = pathArg(args);
      if (path) {
        openPanel();
        await (
          await actions()
        ).submit(path, {
          withCompanions:
            typeof args.withCompanions === 'boolean'
              ? args.withCompanions
              : undefined
        });
      }
    }
  });
  commands.addCommand(JobCommandIDs.testRunFile, {
    label: trans.__('Test Run in Data Clean Room (sample)'),
    caption: trans.__(
      'Run on the test-stage sample and see what the review would say'
    ),
    isVisible: args => {
      const path = pathArg(args);
      return options.canSubmit() && path !== null && isScriptPath(path);
    },
    execute: async args => {
      const path = pathArg(args) ?? state.currentPath;
      if (path) {
        openPanel();
        await (await actions()).submit(path, { testRun: true });
      }
    }
  });
  commands.addCommand(JobCommandIDs.refreshJobs, {
    label: trans.__('Refresh Data Clean Room Jobs'),
    execute: () => model.refresh()
  });
  commands.addCommand(JobCommandIDs.openJob, {
    label: args =>
      args.jobId
        ? trans.__('Open Job %1', String(args.jobId))
        : trans.__('Open Data Clean Room Job'),
    execute: async args => {
      openPanel();
      if (typeof args.jobId === 'string') {
        await (await actions()).open(args.jobId);
      }
    }
  });
  const selectedJob = (args: { jobId?: unknown }): string | null =>
    typeof args.jobId === 'string' ? args.jobId : state.selected;
  commands.addCommand(JobCommandIDs.cancelJob, {
    label: trans.__('Cancel Data Clean Room Job'),
    isEnabled: args => {
      const job = model.job(selectedJob(args) ?? '');
      return job !== undefined && CANCELLABLE_STATUSES.includes(job.status);
    },
    execute: async args => {
      const jobId = selectedJob(args);
      if (jobId) {
        await (await actions()).cancel(jobId);
      }
    }
  });
  commands.addCommand(JobCommandIDs.resubmitJob, {
    label: trans.__('Resubmit Data Clean Room Job'),
    isEnabled: args => selectedJob(args) !== null,
    execute: async args => {
      const jobId = selectedJob(args);
      if (jobId) {
        await (await actions()).resubmit(jobId);
      }
    }
  });
  commands.addCommand(JobCommandIDs.saveResults, {
    label: trans.__('Download Job Results into Workspace'),
    isEnabled: args =>
      model.job(selectedJob(args) ?? '')?.result_available === true,
    execute: async args => {
      const jobId = selectedJob(args);
      if (jobId) {
        await (await actions()).saveToWorkspace(jobId);
      }
    }
  });
  commands.addCommand(JobCommandIDs.verifyJob, {
    label: trans.__('Verify Job Attestation'),
    isEnabled: args => selectedJob(args) !== null,
    execute: async args => {
      const jobId = selectedJob(args);
      if (jobId) {
        await (await actions()).verify(jobId);
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
    app.contextMenu.addItem({
      command: JobCommandIDs.submitActive,
      selector,
      rank: 100
    });
  }
}
