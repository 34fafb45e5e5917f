import { join } from 'node:path';
import type { JobDefinition, ExecutionResult } from '../runner/executor';
import { reviewedErrorReport } from './error-report';
import type { LifecycleDeps, LifecycleSettings } from './lifecycle-deps';
import type { ErrorReport, JobRecord } from './model';
import { jobDefinition } from './paths';
import { recoverJobs } from './recovery';
import { ReleaseStep } from './release-step';
import { StatusMoves } from './status-moves';

/**
 * The execution stage's job lifecycle: a persistent queue (the jobs table)
 * drained by a bounded pool of workers. A run: issue a job-scoped token, let
 * the executor (src/runner/executor.ts) prepare and execute the job, then
 * review every output and release or refuse (src/jobs/release-step.ts), and
 * sign the attestation. Every step is a status move recorded in SQLite, so a
 * restart finds each job where it was (src/jobs/recovery.ts).
 */

/** What a job cancelled, or stopped with the platform, before it executed "did". */
const NOT_RUN: ExecutionResult = {
  outcome: 'cancelled',
  exitCode: null,
  signal: null,
  reason: null,
  failure: null,
  durationMs: 0
};

interface ActiveRun {
  definition: JobDefinition;
  cancelRequested: boolean;
}

export class JobLifecycle {
  constructor(
    private readonly deps: LifecycleDeps,
    readonly settings: LifecycleSettings
  ) {
    this.moves = new StatusMoves(deps, settings);
    this.release = new ReleaseStep(deps, settings, this.moves);
  }

  /** Account for every job a previous process left unfinished, then start draining the queue. */
  async start(): Promise<void> {
    await recoverJobs(this.deps, this.settings, this.moves, this.release);
    await this.release.flushMail();
    this.pump();
  }

  /** A job was queued: start it if a worker is free. */
  notify(): void {
    this.pump();
  }

  /** Cancel a running job (the executor stops it); false if it is not running here. */
  cancelRunning(jobId: string): boolean {
    const run = this.active.get(jobId);
    if (!run) {
      return false;
    }
    run.cancelRequested = true;
    this.deps.executor.terminate(run.definition);
    return true;
  }

  /** Stop taking jobs; running ones are stopped and queued again for the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const run of this.active.values()) {
      this.deps.executor.terminate(run.definition);
    }
    await Promise.allSettled([...this.pending]);
    this.deps.executor.shutdown();
  }

  get runningCount(): number {
    return this.active.size;
  }

  /** A reviewer's decision on a job in manual review. */
  decide(
    jobId: string,
    reviewerKey: string,
    decision: 'approved' | 'rejected',
    reason: string
  ): Promise<JobRecord | null> {
    return this.release.decide(jobId, reviewerKey, decision, reason);
  }

  /** Sign and store the attestation of a job that has just reached a final status. */
  attest(jobId: string): Promise<void> {
    return this.moves.attest(jobId);
  }

  /** Send every queued mail once; a mail that fails stays queued for the next try. */
  flushMail(): Promise<void> {
    return this.release.flushMail();
  }

  private pump(): void {
    while (
      !this.stopping &&
      this.active.size + this.starting < this.settings.workers
    ) {
      const job = this.deps.jobs.claimNext(this.moves.iso());
      if (!job) {
        return;
      }
      this.moves.published(job.jobId, 'running');
      this.starting++;
      const run = this.run(job)
        .catch(error => this.moves.platformFault(job.jobId, error))
        .finally(() => {
          this.pending.delete(run);
          this.pump();
        });
      this.pending.add(run);
    }
  }

  private async run(job: JobRecord): Promise<void> {
    const { store, executor } = this.deps;
    const moves = this.moves;
    const id = job.jobId;
    let result: ExecutionResult;
    let run: ActiveRun | null = null;
    let definition: JobDefinition | null = null;
    try {
      // An earlier attempt cut short read nothing that was kept: its charges are refunded.
      store.undoJobAttempt(id);
      // A test run's queries are the test stage's: a sample, counted toward the daily quota.
      const ttl = this.settings.limits.wallSeconds + 3600;
      const token =
        job.stage === 'test'
          ? store.issueTestRunToken(job.clientKey, this.deps.now(), ttl, id)
          : store.issueJobToken(job.clientKey, this.deps.now(), ttl, id);
      definition = jobDefinition(
        this.deps.paths,
        job,
        this.settings.limits,
        token
      );
      // Active from here: a cancel or a stop while the executor prepares the job is seen.
      run = { definition, cancelRequested: false };
      this.active.set(id, run);
      this.starting--;
      await executor.prepare(definition);
      result =
        run.cancelRequested || this.stopping
          ? NOT_RUN
          : (await executor.execute(definition)).result!;
    } catch (error) {
      if (!run) {
        this.starting--;
      }
      this.deps.log(
        `job ${id}: the platform could not run it: ${(error as Error).stack ?? String(error)}`
      );
      if (definition) {
        await executor.cleanup(definition);
      }
      // The platform's fault: whatever the attempt read is refunded, as the reason says.
      store.undoJobAttempt(id);
      moves.finish(id, 'failed', {
        reason:
          'The platform could not start the job; it was not run. Submit it again, or report it.'
      });
      await moves.attest(id);
      return;
    } finally {
      this.active.delete(id);
      store.revokeJobTokens(id);
    }

    if (result.outcome === 'exited' && result.exitCode === 0) {
      // The review step finalizes the job (collects its outputs) and cleans it up.
      moves.move(id, 'reviewing', {
        finishedAt: this.moves.iso(),
        note: 'The script finished; its outputs are being reviewed.'
      });
      await this.release.review(id);
      return;
    }
    await executor.cleanup(definition);
    if (
      result.outcome === 'cancelled' &&
      !run.cancelRequested &&
      this.stopping
    ) {
      // Nothing this run read is kept: its charges are refunded now, not at the re-run.
      store.undoJobAttempt(id);
      moves.move(id, 'queued', {
        note: 'The platform stopped during the run; the job runs again when it starts.'
      });
      return;
    }
    const finishedAt = moves.iso();
    switch (result.outcome) {
      case 'cancelled':
        moves.finish(id, 'cancelled', {
          reason: 'Cancelled while running; nothing was reviewed or released.',
          finishedAt
        });
        break;
      case 'timed_out':
        moves.finish(id, 'timed_out', {
          reason:
            result.reason ??
            `The job ran longer than ${this.settings.limits.wallSeconds} s and was stopped.`,
          errorReport: await this.errorReport(job, null),
          finishedAt
        });
        break;
      case 'killed':
      case 'exited': {
        const failure = this.ownFailure(job, result.failure);
        moves.finish(id, 'failed', {
          reason:
            result.reason ??
            (result.failure
              ? `The script raised ${result.failure.type}${result.failure.line ? ` at line ${result.failure.line}` : ''}.`
              : `The script exited with code ${result.exitCode}.`),
          failure: failure && {
            type: failure.type,
            line: failure.line,
            file: failure.file
          },
          errorReport: await this.errorReport(job, failure?.message ?? null),
          finishedAt
        });
        break;
      }
    }
    await moves.attest(id);
  }

  /**
   * The exception's message and stderr's last lines, as the output review lets
   * them through (./error-report.ts); null when there is neither, or when the
   * review itself fails (the job's failure stands without them).
   */
  private async errorReport(
    job: JobRecord,
    message: string | null
  ): Promise<ErrorReport | null> {
    const { paths } = this.deps;
    try {
      return await reviewedErrorReport({
        message,
        stderrPath: paths.stderrPath(job.jobId),
        scratchDir: join(paths.jobDir(job.jobId), 'error-review'),
        publicData: this.deps.publicData,
        config: this.settings.review,
        recordsRead: this.deps.jobs.get(job.jobId)?.recordsRead ?? 0
      });
    } catch (error) {
      this.deps.log(
        `job ${job.jobId}: the error report could not be reviewed: ${(error as Error).stack ?? String(error)}`
      );
      return null;
    }
  }

  /** The failure report only names a file of the job (the script could put any text there). */
  private ownFailure(
    job: JobRecord,
    failure: ExecutionResult['failure']
  ): ExecutionResult['failure'] {
    if (!failure) {
      return null;
    }
    const files = new Set(
      this.deps.jobs.files(job.jobId).map(file => file.name)
    );
    const cell = /^(.+) \(cell (\d{1,5})\)$/.exec(failure.file ?? '');
    const file =
      failure.file &&
      (files.has(failure.file) || (cell && cell[1] === job.entry))
        ? failure.file
        : null;
    return { ...failure, file };
  }

  private readonly moves: StatusMoves;
  private readonly release: ReleaseStep;
  private stopping = false;
  private starting = 0;
  private readonly active = new Map<string, ActiveRun>();
  private readonly pending = new Set<Promise<void>>();
}
