import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { PublicData } from '../data/schema';
import type { EventBus } from '../events';
import { JobStore } from '../jobs/job-store';
import { approvedMail, rejectedMail } from '../jobs/messages';
import { isFinal, type JobRecord, type JobStatus, type JobVerdict, type OutputFile } from '../jobs/model';
import { JobPaths } from '../jobs/paths';
import { writeReleaseArchive } from '../release/archive';
import { signStatement, type AttestationStatement, type SigningKey } from '../release/attestation';
import { linkDigest, linkUrl, newLinkToken } from '../release/links';
import type { Mailer } from '../release/mail';
import { buildDisclosureIndex, LOGS_FOLDER, reviewOutputs, type ReviewConfig } from '../review';
import type { Store } from '../store';
import { collectOutputs } from './collect';
import { DataGateway } from './gateway';
import { describeRuntime, jobCgroups, runSandboxed, type SandboxLimits, type SandboxResult } from './sandbox';

/**
 * The execution stage's runner: a persistent queue (the jobs table) drained
 * by a bounded pool of workers. A run: prepare the job's folder, open its data
 * gateway with a job-scoped token, run the script in the sandbox, review every
 * output, then release (zip, link, mail) or refuse, and sign the attestation.
 * Every step is a status move recorded in SQLite, so a restart finds each job
 * where it was (see `recover`).
 */

export interface RunnerSettings {
  workers: number;
  limits: SandboxLimits;
  review: ReviewConfig;
  linkTtlSeconds: number;
  /** Runs a job may get when the platform stops during them, before it fails. */
  maxAttempts: number;
  /** The platform's public base URL, for the links in mails. */
  publicUrl: () => string;
}

export interface RunnerDeps {
  store: Store;
  jobs: JobStore;
  paths: JobPaths;
  events: EventBus;
  publicData: PublicData;
  app: FastifyInstance;
  now: () => Date;
  signingKey: SigningKey;
  mailer: Mailer;
  log: (message: string) => void;
}

interface ActiveRun {
  controller: AbortController;
  cancelRequested: boolean;
}


/** What a job must not see: the platform's data dir and the public data's own file (read only through the gateway). */
export function hiddenPathsOf(dataDir: string, publicData: PublicData): string[] {
  const file = publicData.db.name;
  const dataFileDir = file && file !== ':memory:' ? dirname(file) : null;
  return dataFileDir && dataFileDir !== dataDir ? [dataDir, dataFileDir] : [dataDir];
}

export class JobRunner {
  constructor(
    private readonly deps: RunnerDeps,
    readonly settings: RunnerSettings
  ) {}

  /** Account for every job a previous process left unfinished, then start draining the queue. */
  async start(): Promise<void> {
    await this.recover();
    await this.flushMail();
    this.pump();
  }

  /** A job was queued: start it if a worker is free. */
  notify(): void {
    this.pump();
  }

  /** Cancel a running job (the sandbox kills its processes); false if it is not running here. */
  cancelRunning(jobId: string): boolean {
    const run = this.active.get(jobId);
    if (!run) {
      return false;
    }
    run.cancelRequested = true;
    run.controller.abort();
    return true;
  }

  /** Stop taking jobs; running ones are stopped and queued again for the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const run of this.active.values()) {
      run.controller.abort();
    }
    await Promise.allSettled([...this.pending]);
    jobCgroups()?.releaseIdle();
  }

  get runningCount(): number {
    return this.active.size;
  }

  /** A reviewer's decision on a job in manual review. */
  async decide(jobId: string, reviewerKey: string, decision: 'approved' | 'rejected', reason: string): Promise<JobRecord | null> {
    const job = this.deps.jobs.get(jobId);
    // One decision per job: a second reviewer deciding at the same moment gets null (409).
    if (!job || job.status !== 'reviewing' || job.verdict?.decision !== 'manual_review' || this.deciding.has(jobId)) {
      return null;
    }
    this.deciding.add(jobId);
    try {
      return await this.decideNow(job, reviewerKey, decision, reason);
    } finally {
      this.deciding.delete(jobId);
    }
  }

  private async decideNow(job: JobRecord, reviewerKey: string, decision: 'approved' | 'rejected', reason: string): Promise<JobRecord | null> {
    const jobId = job.jobId;
    const verdict: JobVerdict = {
      findings: job.verdict?.findings ?? [],
      decision,
      decided_by: 'reviewer',
      reviewer_reason: reason,
      reviewed_at: this.iso()
    };
    try {
      await (decision === 'approved' ? this.approve(job, verdict) : this.reject(job, verdict));
    } catch (error) {
      await this.platformFault(jobId, error);
    }
    const after = this.deps.jobs.get(jobId);
    if (after?.status === decision) {
      this.deps.store.audit(this.deps.now(), reviewerKey, `review_${decision}`, `job=${jobId}`);
    }
    return after;
  }

  /** Sign and store the attestation of a job that has just reached a final status. */
  async attest(jobId: string): Promise<void> {
    const job = this.deps.jobs.get(jobId);
    if (!job) {
      return;
    }
    const jws = await signStatement(this.deps.signingKey, this.statement(job, job.status, job.verdict, this.deps.jobs.outputs(jobId), job.finishedAt));
    this.deps.jobs.saveAttestation(jobId, jws, this.iso());
  }

  // --- the queue --------------------------------------------------------------------------

  private pump(): void {
    while (!this.stopping && this.active.size + this.starting < this.settings.workers) {
      const job = this.deps.jobs.claimNext(this.iso());
      if (!job) {
        return;
      }
      this.published(job.jobId, 'running');
      this.starting++;
      const run = this.run(job)
        .catch(error => this.platformFault(job.jobId, error))
        .finally(() => {
          this.pending.delete(run);
          this.pump();
        });
      this.pending.add(run);
    }
  }

  private async run(job: JobRecord): Promise<void> {
    const { paths, jobs, store } = this.deps;
    const id = job.jobId;
    let result: SandboxResult;
    const run: ActiveRun = { controller: new AbortController(), cancelRequested: false };
    let started = false;
    try {
      // A fresh copy of what was submitted, every attempt.
      rmSync(paths.workDir(id), { recursive: true, force: true });
      rmSync(paths.logsDir(id), { recursive: true, force: true });
      cpSync(paths.submittedDir(id), paths.workDir(id), { recursive: true });
      mkdirSync(paths.outputDir(id), { recursive: true });
      mkdirSync(paths.logsDir(id), { recursive: true, mode: 0o700 });
      jobs.resetRecordsRead(id);
      // A test run's queries are the test stage's: a sample, counted toward the daily quota.
      const ttl = this.settings.limits.wallSeconds + 3600;
      const token = job.stage === 'test' ? store.issueTestRunToken(job.clientKey, this.deps.now(), ttl, id) : store.issueJobToken(job.clientKey, this.deps.now(), ttl, id);
      this.active.set(id, run);
      this.starting--;
      started = true;
      const gateway = await DataGateway.open({
        socketPath: paths.socketPath(id),
        app: this.deps.app,
        accessToken: token,
        onRecords: count => jobs.addRecordsRead(id, count)
      });
      try {
        result = await runSandboxed({
          jobId: id,
          workDir: paths.workDir(id),
          entry: job.entry,
          stdoutPath: paths.stdoutPath(id),
          stderrPath: paths.stderrPath(id),
          dataSocket: paths.socketPath(id),
          accessToken: token,
          hiddenPaths: hiddenPathsOf(paths.dataDir, this.deps.publicData),
          limits: this.settings.limits,
          signal: run.controller.signal
        });
      } finally {
        await gateway.close();
      }
    } catch (error) {
      if (!started) {
        this.starting--;
      }
      this.deps.log(`job ${id}: the platform could not run it: ${(error as Error).stack ?? String(error)}`);
      this.finish(id, 'failed', { reason: 'The platform could not start the job; it was not run. Submit it again, or report it.' });
      await this.attest(id);
      return;
    } finally {
      this.active.delete(id);
      store.revokeJobTokens(id);
    }

    if (result.outcome === 'cancelled' && !run.cancelRequested && this.stopping) {
      this.move(id, 'queued', { note: 'The platform stopped during the run; the job runs again when it starts.' });
      return;
    }
    const finishedAt = this.iso();
    switch (result.outcome) {
      case 'cancelled':
        this.finish(id, 'cancelled', { reason: 'Cancelled while running; nothing was reviewed or released.', finishedAt });
        break;
      case 'timed_out':
        this.finish(id, 'timed_out', { reason: result.reason ?? `The job ran longer than ${this.settings.limits.wallSeconds} s and was stopped.`, finishedAt });
        break;
      case 'killed':
      case 'exited':
        if (result.outcome === 'exited' && result.exitCode === 0) {
          this.move(id, 'reviewing', { finishedAt, note: 'The script finished; its outputs are being reviewed.' });
          await this.review(id);
          return;
        }
        this.finish(id, 'failed', {
          reason: result.reason ?? (result.failure ? `The script raised ${result.failure.type}${result.failure.line ? ` at line ${result.failure.line}` : ''}.` : `The script exited with code ${result.exitCode}.`),
          failure: this.ownFailure(job, result.failure),
          finishedAt
        });
        break;
    }
    await this.attest(id);
  }

  // --- review and release -----------------------------------------------------------------

  private async review(jobId: string): Promise<void> {
    const { paths, jobs } = this.deps;
    const job = jobs.get(jobId)!;
    let verdict: JobVerdict;
    let outputs: OutputFile[];
    try {
      // Review and release only a copy the job never had access to.
      const collected = collectOutputs(paths.outputDir(jobId), paths.collectedDir(jobId));
      const outputDir = paths.collectedDir(jobId);
      const reviewed = await reviewOutputs({
        outputDir,
        logs: [
          { name: 'stdout.txt', path: paths.stdoutPath(jobId) },
          { name: 'stderr.txt', path: paths.stderrPath(jobId) }
        ],
        recordsRead: job.recordsRead,
        index: await buildDisclosureIndex(this.deps.publicData),
        config: this.settings.review
      });
      // The review read the collected copy and the logs: its files are the outputs.
      outputs = reviewed.files.map(file => ({ name: file.name, bytes: file.bytes, sha256: file.sha256, kind: file.kind }));
      const leftBehind = collected.problems.map(message => ({ rule: 'file_type', severity: 'fail' as const, file: 'output/', location: null, message }));
      const findings = [...leftBehind, ...reviewed.findings];
      const decision = leftBehind.length ? 'rejected' : reviewed.decision;
      verdict = { decision, findings, decided_by: 'automatic', reviewer_reason: null, reviewed_at: this.iso() };
    } catch (error) {
      this.deps.log(`job ${jobId}: review failed: ${(error as Error).stack ?? String(error)}`);
      this.finish(jobId, 'failed', { reason: 'The automatic review could not read the outputs; nothing was released. Report it with the job id.' });
      await this.attest(jobId);
      return;
    }
    jobs.setOutputs(jobId, outputs);
    try {
      if (job.stage === 'test') {
        await this.finishTestRun(job, verdict);
      } else if (verdict.decision === 'approved') {
        await this.approve(job, verdict);
      } else if (verdict.decision === 'rejected') {
        await this.reject(job, verdict);
      } else {
        jobs.setVerdict(jobId, verdict, this.iso(), 'Sent to manual review: a reviewer decides.');
        this.published(jobId, 'reviewing');
      }
    } catch (error) {
      await this.platformFault(jobId, error);
    }
  }

  /**
   * Something of the platform's own failed around a job (a release that could
   * not be written, a bug): the job fails with a reason, the platform stays up,
   * and nothing half-made is released.
   */
  private async platformFault(jobId: string, error: unknown): Promise<void> {
    this.deps.log(`job ${jobId}: ${(error as Error)?.stack ?? String(error)}`);
    try {
      const job = this.deps.jobs.get(jobId);
      if (job && !isFinal(job.status)) {
        rmSync(this.deps.paths.archivePath(jobId), { force: true });
        this.finish(jobId, 'failed', { reason: 'The platform could not finish this job (its results could not be packed); nothing was released. Submit it again, or report it with the job id.' });
        await this.attest(jobId);
      }
    } catch (again) {
      this.deps.log(`job ${jobId}: could not record the failure: ${String(again)}`);
    }
  }

  /** The failure report only names a file of the job (the script could put any text there). */
  private ownFailure(job: JobRecord, failure: SandboxResult['failure']): SandboxResult['failure'] {
    if (!failure) {
      return null;
    }
    const files = new Set(this.deps.jobs.files(job.jobId).map(file => file.name));
    const cell = /^(.+) \(cell (\d{1,5})\)$/.exec(failure.file ?? '');
    const file = failure.file && (files.has(failure.file) || (cell && cell[1] === job.entry)) ? failure.file : null;
    return { ...failure, file };
  }

  private async approve(job: JobRecord, verdict: JobVerdict): Promise<void> {
    const { jobs, paths } = this.deps;
    const id = job.jobId;
    const outputs = jobs.outputs(id);
    const finishedAt = this.iso();
    const jws = await signStatement(this.deps.signingKey, this.statement(job, 'approved', verdict, outputs, finishedAt));
    const archive = paths.archivePath(id);
    const written = await writeReleaseArchive(
      archive,
      { outputDir: paths.collectedDir(id), logsDir: paths.logsDir(id), logsFolder: LOGS_FOLDER },
      outputs,
      {
        job_id: id,
        entry: job.entry,
        released_at: finishedAt,
        verdict: verdict.decided_by === 'reviewer' ? 'approved by a reviewer' : 'approved by the automatic review',
        files: outputs.map(output => ({ name: `results/${output.name}`, bytes: output.bytes, sha256: output.sha256 })),
        attestation: 'attestation.jws',
        verify: "Check attestation.jws against the platform's key at /.well-known/jwks.json; it names the SHA-256 of every result."
      },
      jws
    );
    const token = newLinkToken();
    const expiresAt = new Date(this.deps.now().getTime() + this.settings.linkTtlSeconds * 1000).toISOString();
    const recipient = this.deps.store.getClient(job.clientKey)?.email ?? '';
    const mail = approvedMail(job, outputs, linkUrl(this.settings.publicUrl(), token), expiresAt);
    // One transaction: approved, the release, the mail and the attestation together, or none (never released twice).
    const done = this.deps.store.immediate(() => {
      if (!jobs.move(id, 'approved', finishedAt, { verdict, finishedAt, reason: null, note: verdict.decided_by === 'reviewer' ? 'Approved by a reviewer.' : '' }, ['reviewing'])) {
        return false;
      }
      jobs.createRelease({ jobId: id, tokenDigest: linkDigest(token), createdAt: finishedAt, expiresAt, archive, archiveSha256: written.sha256, archiveBytes: written.bytes });
      jobs.queueMail({ jobId: id, kind: 'approved', recipient, subject: mail.subject, body: mail.text, createdAt: finishedAt });
      jobs.saveAttestation(id, jws, finishedAt);
      return true;
    });
    if (done) {
      this.published(id, 'approved');
      await this.flushMail();
    }
  }

  private async reject(job: JobRecord, verdict: JobVerdict): Promise<void> {
    const { jobs } = this.deps;
    const id = job.jobId;
    const finishedAt = this.iso();
    const jws = await signStatement(this.deps.signingKey, this.statement(job, 'rejected', verdict, jobs.outputs(id), finishedAt));
    const recipient = this.deps.store.getClient(job.clientKey)?.email ?? '';
    const mail = rejectedMail(job, verdict);
    const done = this.deps.store.immediate(() => {
      if (!jobs.move(id, 'rejected', finishedAt, { verdict, finishedAt, note: verdict.decided_by === 'reviewer' ? 'Rejected by a reviewer.' : '' }, ['reviewing'])) {
        return false;
      }
      jobs.queueMail({ jobId: id, kind: 'rejected', recipient, subject: mail.subject, body: mail.text, createdAt: finishedAt });
      jobs.saveAttestation(id, jws, finishedAt);
      return true;
    });
    if (done) {
      this.published(id, 'rejected');
      await this.flushMail();
    }
  }

  /**
   * A test run ends with the verdict the review would give, and nothing else:
   * `approved` when no rule failed (the verdict may still say a reviewer would
   * look), `rejected` otherwise; no link, no mail, no reviewer.
   */
  private async finishTestRun(job: JobRecord, verdict: JobVerdict): Promise<void> {
    const { jobs } = this.deps;
    const id = job.jobId;
    const finishedAt = this.iso();
    const status: JobStatus = verdict.decision === 'rejected' ? 'rejected' : 'approved';
    const note =
      verdict.decision === 'approved'
        ? 'Test run: the review would approve these outputs. Nothing is released from a test run; submit the script to run it on all data.'
        : verdict.decision === 'manual_review'
          ? 'Test run: a reviewer would look at these outputs before release. Nothing is released from a test run.'
          : 'Test run: the review would reject these outputs; see the findings. Nothing is released from a test run.';
    const jws = await signStatement(this.deps.signingKey, this.statement(job, status, verdict, [], finishedAt));
    const done = this.deps.store.immediate(() => {
      if (!jobs.move(id, status, finishedAt, { verdict, finishedAt, note }, ['reviewing'])) {
        return false;
      }
      jobs.saveAttestation(id, jws, finishedAt);
      return true;
    });
    if (done) {
      this.published(id, status);
    }
  }

  /** Send every queued mail once; a mail that fails stays queued for the next try. */
  async flushMail(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      do {
        this.flushAgain = false;
        for (const mail of this.deps.jobs.unsentMail()) {
          try {
            const sent = await this.deps.mailer.send({ to: mail.recipient, subject: mail.subject, text: mail.body, key: `${mail.jobId}-${mail.kind}` });
            this.deps.jobs.markMailSent(mail.id, { at: this.iso(), ...sent });
          } catch (error) {
            this.deps.log(`mail for job ${mail.jobId} not sent yet: ${(error as Error).message}`);
          }
        }
      } while (this.flushAgain);
    })();
    try {
      await this.flushing;
    } finally {
      this.flushing = null;
    }
  }

  // --- recovery ---------------------------------------------------------------------------

  /**
   * After a crash or kill -9: submitted jobs are queued; running jobs run
   * again (from their submitted files) until `maxAttempts`, then fail with the
   * reason; reviews that were cut short are done again. Approved and rejected
   * jobs are final: their release and mail are in the same transaction as the
   * status, so none is released twice; unsent mail is sent by `flushMail`.
   */
  async recover(): Promise<void> {
    const { jobs } = this.deps;
    for (const job of jobs.withStatus(['submitted'])) {
      this.move(job.jobId, 'queued', { note: 'Queued after a platform restart.' });
    }
    for (const job of jobs.withStatus(['running'])) {
      this.deps.store.revokeJobTokens(job.jobId);
      if (job.attempts < this.settings.maxAttempts) {
        this.move(job.jobId, 'queued', { note: 'The platform restarted during the run; the job runs again from its submitted files.' });
      } else {
        this.finish(job.jobId, 'failed', {
          reason: `The platform stopped during each of the job's ${job.attempts} runs; it was not run again. Submit it again, or report it.`
        });
        await this.attest(job.jobId);
      }
    }
    for (const job of jobs.withStatus(['reviewing'])) {
      if (!job.verdict) {
        // One job's trouble never keeps the platform from starting.
        await this.review(job.jobId).catch(error => this.platformFault(job.jobId, error));
      }
    }
  }

  // --- helpers ----------------------------------------------------------------------------

  private statement(job: JobRecord, status: JobStatus, verdict: JobVerdict | null, outputs: OutputFile[], finishedAt: string | null): AttestationStatement {
    return {
      iss: 'vce-mock',
      iat: Math.floor(this.deps.now().getTime() / 1000),
      job_id: job.jobId,
      stage: job.stage,
      project_id: this.deps.store.getClient(job.clientKey)?.projectId ?? '',
      entry: job.entry,
      status,
      verdict: verdict?.decision ?? null,
      submitted_files: this.deps.jobs.files(job.jobId).map(file => ({ name: file.name, sha256: file.sha256 })),
      outputs: status === 'approved' ? outputs.map(output => ({ name: output.name, sha256: output.sha256 })) : [],
      runtime: { ...describeRuntime(), limits: this.settings.limits },
      times: { submitted_at: job.createdAt, started_at: job.startedAt, finished_at: finishedAt }
    };
  }

  private move(jobId: string, to: JobStatus, change: { note?: string; finishedAt?: string } = {}): boolean {
    const moved = this.deps.jobs.move(jobId, to, this.iso(), change);
    if (moved) {
      this.published(jobId, to);
    }
    return moved;
  }

  private finish(jobId: string, to: JobStatus, change: { reason: string; failure?: SandboxResult['failure']; finishedAt?: string }): void {
    const at = change.finishedAt ?? this.iso();
    if (this.deps.jobs.move(jobId, to, at, { reason: change.reason, failure: change.failure ?? null, finishedAt: at })) {
      this.published(jobId, to);
    }
  }

  private published(jobId: string, status: JobStatus): void {
    const job = this.deps.jobs.get(jobId);
    if (job) {
      this.deps.events.publish(job.clientKey, { type: 'job', job_id: jobId, status, at: job.updatedAt });
    }
  }

  private iso(): string {
    return this.deps.now().toISOString();
  }

  private stopping = false;
  private starting = 0;
  private flushing: Promise<void> | null = null;
  private flushAgain = false;
  private readonly active = new Map<string, ActiveRun>();
  private readonly deciding = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
}

