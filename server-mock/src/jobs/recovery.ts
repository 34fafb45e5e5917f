import type { LifecycleDeps, LifecycleSettings } from './lifecycle-deps';
import type { ReleaseStep } from './release-step';
import type { StatusMoves } from './status-moves';

/**
 * After a crash or kill -9: submitted jobs are queued; running jobs run
 * again (from their submitted files) until `maxAttempts`, then fail with the
 * reason; reviews that were cut short are done again. Approved and rejected
 * jobs are final: their release and mail are in the same transaction as the
 * status, so none is released twice; unsent mail is sent by `flushMail`.
 * A run cut short kept nothing it read: a test run's charges for it are
 * refunded at once (Store.undoJobAttempt), so the quota is the records
 * delivered and kept whether the job runs again or not.
 */
export async function recoverJobs(
  deps: LifecycleDeps,
  settings: LifecycleSettings,
  moves: StatusMoves,
  release: ReleaseStep
): Promise<void> {
  const { jobs } = deps;
  for (const job of jobs.withStatus(['submitted'])) {
    moves.move(job.jobId, 'queued', {
      note: 'Queued after a platform restart.'
    });
  }
  for (const job of jobs.withStatus(['running'])) {
    deps.store.revokeJobTokens(job.jobId);
    deps.store.undoJobAttempt(job.jobId);
    const refunded =
      job.stage === 'test' ? ' Nothing it read was charged to your quota.' : '';
    if (job.attempts < settings.maxAttempts) {
      moves.move(job.jobId, 'queued', {
        note: `The platform restarted during the run; the job runs again from its submitted files.${refunded}`
      });
    } else {
      moves.finish(job.jobId, 'failed', {
        reason: `The platform stopped during each of the job's ${job.attempts} runs; it was not run again.${refunded} Submit it again, or report it.`
      });
      await moves.attest(job.jobId);
    }
  }
  for (const job of jobs.withStatus(['reviewing'])) {
    if (!job.verdict) {
      // One job's trouble never keeps the platform from starting.
      await release
        .review(job.jobId)
        .catch(error => moves.platformFault(job.jobId, error));
    }
  }
}
