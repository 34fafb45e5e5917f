import { Notification } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { jobStatusLabel } from './status-label';
import type { JobsModel } from './model';

export interface IFinishedNotificationOptions {
  model: JobsModel;
  trans: TranslationBundle;
  /** Whether to notify at all (the `notifyWhenFinished` setting). */
  enabled: () => boolean;
  /** The workspace folder results are downloaded into (the `resultsFolder` setting). */
  resultsFolder: () => string;
  /** Whether the job is on screen now (its toast then closes sooner). */
  onScreen: (jobId: string) => boolean;
  /** Show the job in the panel. */
  openJob: (jobId: string) => void;
  /** Show the job and download its results into the workspace. */
  download: (jobId: string) => void;
}

/** A toast each time a job ends: approved (with Download; a test run's says nothing is released), or why it ended. */
export function notifyWhenFinished(
  options: IFinishedNotificationOptions
): void {
  const { trans } = options;
  options.model.finished.connect((_, job) => {
    if (!options.enabled()) {
      return;
    }
    const type =
      job.status === 'approved'
        ? 'success'
        : job.status === 'cancelled'
          ? 'info'
          : 'error';
    const testRun = job.stage === 'test';
    const message = testRun
      ? job.status === 'approved'
        ? trans.__(
            'Data Clean Room: the test run of %1 (%2) passed: the review would approve its outputs. Nothing is released from a test run.',
            PathExt.basename(job.entry),
            job.job_id
          )
        : trans.__(
            'Data Clean Room: the test run of %1 (%2) ended: %3.',
            PathExt.basename(job.entry),
            job.job_id,
            jobStatusLabel(job.status, trans)
          )
      : job.status === 'approved'
        ? trans.__(
            'Data Clean Room: %1 (%2) was approved. The results can be downloaded.',
            PathExt.basename(job.entry),
            job.job_id
          )
        : trans.__(
            'Data Clean Room: %1 (%2) ended: %3.',
            PathExt.basename(job.entry),
            job.job_id,
            jobStatusLabel(job.status, trans)
          );
    // Toasts sit over the right sidebar: they close by themselves, sooner when the job is on screen.
    const onScreen = options.onScreen(job.job_id);
    const buttons: Notification.IAction[] = [
      {
        label: trans.__('Open'),
        caption: trans.__('Show the job in the Data Clean Room panel'),
        callback: () => options.openJob(job.job_id)
      }
    ];
    // A test run releases nothing: there is nothing to download.
    if (job.status === 'approved' && !testRun) {
      buttons.push({
        label: trans.__('Download'),
        caption: trans.__(
          'Download the results into the workspace (%1/)',
          options.resultsFolder()
        ),
        displayType: 'accent',
        callback: () => options.download(job.job_id)
      });
    }
    Notification.emit(message, type, {
      autoClose: onScreen ? 5_000 : 15_000,
      actions: buttons
    });
  });
}
