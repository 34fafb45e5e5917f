import { rmSync } from 'node:fs';
import {
  signStatement,
  type AttestationStatement
} from '../release/attestation';
import type { ScriptFailure } from '../runner/executor';
import type { LifecycleDeps, LifecycleSettings } from './lifecycle-deps';
import {
  isFinal,
  type ErrorReport,
  type JobRecord,
  type JobStatus,
  type JobVerdict,
  type OutputFile
} from './model';

/**
 * A job's status moves as the lifecycle makes them: each recorded in SQLite,
 * published on the client's event stream, and a final one signed into the
 * job's attestation.
 */
export class StatusMoves {
  constructor(
    private readonly deps: LifecycleDeps,
    private readonly settings: LifecycleSettings
  ) {}

  /** Sign and store the attestation of a job that has just reached a final status. */
  async attest(jobId: string): Promise<void> {
    const job = this.deps.jobs.get(jobId);
    if (!job) {
      return;
    }
    const jws = await signStatement(
      this.deps.signingKey,
      this.statement(
        job,
        job.status,
        job.verdict,
        this.deps.jobs.outputs(jobId),
        job.finishedAt
      )
    );
    this.deps.jobs.saveAttestation(jobId, jws, this.iso());
  }

  /**
   * Something of the platform's own failed around a job (a release that could
   * not be written, a bug): the job fails with a reason, the platform stays up,
   * and nothing half-made is released.
   */
  async platformFault(jobId: string, error: unknown): Promise<void> {
    this.deps.log(`job ${jobId}: ${(error as Error)?.stack ?? String(error)}`);
    try {
      const job = this.deps.jobs.get(jobId);
      if (job && !isFinal(job.status)) {
        rmSync(this.deps.paths.archivePath(jobId), { force: true });
        this.finish(jobId, 'failed', {
          reason:
            'The platform could not finish this job (its results could not be packed); nothing was released. Submit it again, or report it with the job id.'
        });
        await this.attest(jobId);
      }
    } catch (again) {
      this.deps.log(
        `job ${jobId}: could not record the failure: ${String(again)}`
      );
    }
  }

  statement(
    job: JobRecord,
    status: JobStatus,
    verdict: JobVerdict | null,
    outputs: OutputFile[],
    finishedAt: string | null
  ): AttestationStatement {
    return {
      iss: 'vce-mock',
      iat: Math.floor(this.deps.now().getTime() / 1000),
      job_id: job.jobId,
      stage: job.stage,
      project_id: this.deps.store.getClient(job.clientKey)?.projectId ?? '',
      entry: job.entry,
      status,
      verdict: verdict?.decision ?? null,
      submitted_files: this.deps.jobs
        .files(job.jobId)
        .map(file => ({ name: file.name, sha256: file.sha256 })),
      outputs:
        status === 'approved'
          ? outputs.map(output => ({
              name: output.name,
              sha256: output.sha256
            }))
          : [],
      runtime: {
        ...this.deps.executor.runtime(),
        limits: this.settings.limits
      },
      times: {
        submitted_at: job.createdAt,
        started_at: job.startedAt,
        finished_at: finishedAt
      }
    };
  }

  move(
    jobId: string,
    to: JobStatus,
    change: { note?: string; finishedAt?: string } = {}
  ): boolean {
    const moved = this.deps.jobs.move(jobId, to, this.iso(), change);
    if (moved) {
      this.published(jobId, to);
    }
    return moved;
  }

  finish(
    jobId: string,
    to: JobStatus,
    change: {
      reason: string;
      failure?: ScriptFailure | null;
      errorReport?: ErrorReport | null;
      finishedAt?: string;
    }
  ): void {
    const at = change.finishedAt ?? this.iso();
    if (
      this.deps.jobs.move(jobId, to, at, {
        reason: change.reason,
        failure: change.failure ?? null,
        errorReport: change.errorReport ?? null,
        finishedAt: at
      })
    ) {
      this.published(jobId, to);
    }
  }

  published(jobId: string, status: JobStatus): void {
    const job = this.deps.jobs.get(jobId);
    if (job) {
      this.deps.events.publish(job.clientKey, {
        type: 'job',
        job_id: jobId,
        status,
        at: job.updatedAt
      });
    }
  }

  iso(): string {
    return this.deps.now().toISOString();
  }
}
