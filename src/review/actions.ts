import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type {
  DecidedReview,
  ReviewDecision,
  ReviewItem,
  ReviewOutput
} from '../api/types';
import { decisionBody, reasonProblem, type ReviewModel } from './model';
import { viewerFor } from './viewer';
import { REASON_FIELD_ID, ReasonBody } from './views/ReasonBody';

/**
 * Approve or reject one job: ask for the reason in a dialog, send it, and
 * say how it went. A missing reason or a refusal (the job was decided
 * meanwhile, say) re-opens the dialog with the problem and what was typed.
 * Resolves the decided job, or null when the reviewer cancels.
 */
export async function decideWithDialog(
  model: ReviewModel,
  job: ReviewItem,
  decision: ReviewDecision['decision'],
  trans: TranslationBundle
): Promise<DecidedReview | null> {
  let reason = '';
  let error: string | null = null;
  for (;;) {
    const result = await showDialog<string>({
      title:
        decision === 'approve'
          ? trans.__('Approve job %1', job.job_id)
          : trans.__('Reject job %1', job.job_id),
      body: new ReasonBody({ job, decision, initial: reason, error, trans }),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        decision === 'approve'
          ? Dialog.okButton({ label: trans.__('Approve and release') })
          : Dialog.warnButton({ label: trans.__('Reject') })
      ],
      focusNodeSelector: `#${REASON_FIELD_ID}`
    });
    if (!result.button.accept || result.value === null) {
      return null;
    }
    reason = result.value;
    error = reasonProblem(decision, reason, trans);
    if (error) {
      continue;
    }
    try {
      const decided = await model.decide(
        job.job_id,
        decisionBody(decision, reason, trans)
      );
      Notification.success(
        decided.status === 'approved'
          ? trans.__(
              'Job %1 approved: its results go to the primary researcher with your reason.',
              job.job_id
            )
          : trans.__(
              'Job %1 rejected: the researcher reads your reason.',
              job.job_id
            ),
        { autoClose: 5000 }
      );
      return decided;
    } catch (reason_) {
      error = trans.__(
        'The decision was not taken: %1',
        reason_ instanceof Error ? reason_.message : String(reason_)
      );
      void model.refresh();
    }
  }
}

/** Open a saved file with a document factory; false when the lab could not (no such factory). */
export type OpenInLab = (path: string, factory: string) => boolean;

/**
 * Open one file the review read: the server extension saves it into the
 * workspace (`vce-review/<job_id>/<name>`), then the lab shows it in its
 * viewer (CSV table, image, editor). A failure is kept beside the file in the
 * queue. Resolves the saved path, or null when nothing could be shown.
 */
export async function openOutput(
  model: ReviewModel,
  jobId: string,
  output: ReviewOutput,
  open: OpenInLab,
  trans: TranslationBundle
): Promise<string | null> {
  let path: string;
  try {
    path = (await model.saveOutput(jobId, output.name)).path;
  } catch {
    return null; // the model keeps the reason beside the file
  }
  const factory = viewerFor(output);
  if (factory === null) {
    model.setOpenError(
      jobId,
      output.name,
      trans.__(
        'Saved to %1, but JupyterLab has no viewer for %2 files: open it from the file browser with an extension that reads them.',
        path,
        output.media_type
      )
    );
    return null;
  }
  if (!open(path, factory)) {
    model.setOpenError(
      jobId,
      output.name,
      trans.__(
        'Saved to %1, but the "%2" viewer is not available in this JupyterLab: open the file from the file browser.',
        path,
        factory
      )
    );
    return null;
  }
  return path;
}
