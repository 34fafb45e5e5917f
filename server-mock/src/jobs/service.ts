import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { PublicData } from '../data/schema';
import type { EventBus } from '../events';
import {
  loadOrCreateSigningKey,
  type SigningKey
} from '../release/attestation';
import { DEFAULT_LINK_TTL_SECONDS } from '../release/links';
import { Mailer } from '../release/mail';
import {
  buildDisclosureIndex,
  DEFAULT_REVIEW_CONFIG,
  type ReviewConfig
} from '../review';
import type { Executor, ExecutorContext, JobLimits } from '../runner/executor';
import { hiddenPathsOf, LocalSandboxExecutor } from '../runner/local-executor';
import { DEFAULT_LIMITS } from '../runner/sandbox';
import type { Store } from '../store';
import { JobStore } from './job-store';
import { JobLifecycle } from './lifecycle';
import {
  CANCELLABLE_STATUSES,
  isFinal,
  jobView,
  type JobRecord,
  type JobStage
} from './model';
import { JobPaths } from './paths';
import type { SubmittedContent } from './submission';

/** The execution stage's settings (CLI flags; defaults documented in README.md). */
export interface JobsOptions {
  /** The platform's data dir: jobs, releases, outbox and keys go under it; jobs never see it. */
  dataDir: string;
  /** Jobs run at once (default 2: the machines this runs on have 2 cores). */
  workers?: number;
  limits?: Partial<JobLimits>;
  review?: Partial<ReviewConfig>;
  linkTtlSeconds?: number;
  /** Runs a job gets when the platform stops during them (default 2). */
  maxAttempts?: number;
  /** `smtp://user:pass@host:port`; without it mail goes to the outbox folder. */
  smtpUrl?: string | null;
  /** The platform's public base URL for links; by default the address it listens on. */
  publicUrl?: string;
  /**
   * Builds the executor jobs run on, from what the platform gives every
   * executor (the app its data gateway forwards to, the paths jobs must not
   * see, a callback for the records each job read). By default the local
   * namespace sandbox; a Kubernetes or Slurm executor plugs in here, and the
   * lifecycle sees only the Executor interface (src/runner/executor.ts).
   */
  executor?: (context: ExecutorContext) => Executor;
}

export const DEFAULT_WORKERS = 2;

export function newJobId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:T.Z]/g, '')
    .slice(0, 14);
  return `job_${stamp}${randomBytes(5).toString('hex')}`;
}

/** A job as the API shows it: its files, history, outputs and whether its result can be downloaded. */
export function viewOf(service: JobsService, job: JobRecord, now: Date) {
  return jobView(
    job,
    {
      files: service.store.files(job.jobId),
      history: service.store.history(job.jobId),
      outputs: service.store.outputs(job.jobId),
      resultAvailable:
        job.status === 'approved' && service.store.releaseOf(job.jobId) !== null
    },
    now
  );
}

/**
 * Everything the job routes need, created when the app is ready (the signing
 * key is loaded asynchronously) and stopped when it closes.
 */
export class JobsService {
  readonly store: JobStore;
  readonly paths: JobPaths;
  readonly settings: {
    workers: number;
    limits: JobLimits;
    review: ReviewConfig;
    linkTtlSeconds: number;
    maxAttempts: number;
  };

  constructor(
    private readonly platform: {
      store: Store;
      events: EventBus;
      now: () => Date;
      publicData?: PublicData;
    },
    readonly options: JobsOptions
  ) {
    this.store = new JobStore(platform.store.database);
    this.paths = new JobPaths(options.dataDir);
    this.settings = {
      workers: options.workers ?? DEFAULT_WORKERS,
      limits: { ...DEFAULT_LIMITS, ...options.limits },
      review: { ...DEFAULT_REVIEW_CONFIG, ...options.review },
      linkTtlSeconds: options.linkTtlSeconds ?? DEFAULT_LINK_TTL_SECONDS,
      maxAttempts: options.maxAttempts ?? 2
    };
    this.mailer = new Mailer(this.paths.outboxDir, options.smtpUrl ?? null);
  }

  /** Load the key, account for unfinished jobs, start the workers. */
  async start(app: FastifyInstance): Promise<void> {
    mkdirSync(this.paths.jobsRoot, { recursive: true, mode: 0o700 });
    this.signingKey = await loadOrCreateSigningKey(this.paths.keysDir);
    if (!this.platform.publicData) {
      return; // no data: submissions are refused with 503 data_unavailable
    }
    const publicData = this.platform.publicData;
    const context: ExecutorContext = {
      app,
      hiddenPaths: hiddenPathsOf(this.paths.dataDir, publicData),
      onRecords: (jobId, count) => this.store.addRecordsRead(jobId, count)
    };
    const executor =
      this.options.executor?.(context) ?? new LocalSandboxExecutor(context);
    this.jobLifecycle = new JobLifecycle(
      {
        store: this.platform.store,
        jobs: this.store,
        paths: this.paths,
        events: this.platform.events,
        publicData: this.platform.publicData,
        now: this.platform.now,
        signingKey: this.signingKey,
        mailer: this.mailer,
        executor,
        log: message => app.log.warn(message)
      },
      { ...this.settings, publicUrl: () => this.publicUrl(app) }
    );
    // The review's index of the data's identifiers and texts is built now, in the
    // background (chunked: the platform keeps answering), not at the first review.
    // Read from its file next to the data set, or built once and kept there (review/disclosure/file.ts).
    buildDisclosureIndex(this.platform.publicData).then(
      index => {
        const { source } = index;
        app.log.info(
          `review index ${source.origin === 'file' ? `read from ${source.file}` : 'built'} in ${source.ms} ms (${index.ids.length} ids, ${source.shingles} text shingles)${source.problem ? `; ${source.problem}` : ''}`
        );
        if (source.origin === 'built' && !source.file && source.problem) {
          app.log.warn(`review index: ${source.problem}`);
        }
      },
      error =>
        app.log.warn(`review index not built yet: ${(error as Error).message}`)
    );
    await this.jobLifecycle.start();
  }

  async stop(): Promise<void> {
    await this.jobLifecycle?.stop();
    this.mailer.close();
  }

  get key(): SigningKey | null {
    return this.signingKey;
  }

  get lifecycle(): JobLifecycle | null {
    return this.jobLifecycle;
  }

  get mailMode(): 'smtp' | 'outbox' {
    return this.mailer.mode;
  }

  /** Store a submission's files and queue the job (the lifecycle is told at once). */
  submit(
    clientKey: string,
    entry: string,
    files: SubmittedContent[],
    resubmittedFrom: string | null,
    stage: JobStage = 'execution'
  ): JobRecord {
    const now = this.platform.now();
    const jobId = newJobId(now);
    const dir = this.paths.submittedDir(jobId);
    for (const file of files) {
      const target = join(dir, file.name);
      mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
      writeFileSync(target, file.content, { mode: 0o644 });
    }
    this.store.create(
      {
        jobId,
        clientKey,
        entry,
        resubmittedFrom,
        stage,
        files: files.map(file => ({
          name: file.name,
          bytes: file.content.length,
          sha256: file.sha256
        }))
      },
      now.toISOString()
    );
    // The answer is the job as submitted (status `submitted`);
    // it is queued at once, and the event stream tells the rest.
    const submitted = this.store.get(jobId)!;
    this.platform.events.publish(clientKey, {
      type: 'job',
      job_id: jobId,
      status: 'submitted',
      at: now.toISOString()
    });
    this.store.move(jobId, 'queued', this.platform.now().toISOString());
    this.platform.events.publish(clientKey, {
      type: 'job',
      job_id: jobId,
      status: 'queued',
      at: this.platform.now().toISOString()
    });
    this.jobLifecycle?.notify();
    return submitted;
  }

  /** Submit a job's files again, as a new job of the same client, entry and stage. */
  resubmit(clientKey: string, job: JobRecord): JobRecord {
    const files = this.store.files(job.jobId).map(file => {
      const content = this.submittedContent(job, file.name);
      return { name: file.name, content, sha256: file.sha256 };
    });
    return this.submit(clientKey, job.entry, files, job.jobId, job.stage);
  }

  /** One of a job's submitted files, as it was sent. */
  submittedContent(job: JobRecord, name: string): Buffer {
    return readFileSync(join(this.paths.submittedDir(job.jobId), name));
  }

  /**
   * Cancel a job that has not finished running: a queued one at once, a
   * running one by killing its processes (the lifecycle records the cancel).
   * Returns null when the job cannot be cancelled.
   */
  async cancel(job: JobRecord): Promise<JobRecord | null> {
    if (!CANCELLABLE_STATUSES.includes(job.status)) {
      return null;
    }
    if (
      job.status === 'running' &&
      this.jobLifecycle?.cancelRunning(job.jobId)
    ) {
      return this.waitUntilFinal(job.jobId, 10_000);
    }
    const at = this.platform.now().toISOString();
    if (
      this.store.move(
        job.jobId,
        'cancelled',
        at,
        {
          reason: 'Cancelled before it ran; nothing was run or released.',
          finishedAt: at
        },
        ['submitted', 'queued']
      )
    ) {
      // A read an earlier attempt made as the platform stopped is refunded: nothing ran to keep it.
      this.platform.store.undoJobAttempt(job.jobId);
      this.platform.events.publish(job.clientKey, {
        type: 'job',
        job_id: job.jobId,
        status: 'cancelled',
        at
      });
      await this.jobLifecycle?.attest(job.jobId);
      return this.store.get(job.jobId);
    }
    // It moved meanwhile (a worker took it): try again on its new status.
    const now = this.store.get(job.jobId)!;
    return now.status === job.status ? null : this.cancel(now);
  }

  private async waitUntilFinal(
    jobId: string,
    timeoutMs: number
  ): Promise<JobRecord | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = this.store.get(jobId)!;
      if (isFinal(job.status) || Date.now() > deadline) {
        return job;
      }
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  }

  /** The platform's address as its mails' links name it (`--public-url`, else where it listens). */
  publicUrl(app: FastifyInstance): string {
    if (this.options.publicUrl) {
      return this.options.publicUrl;
    }
    const address = app.server.address();
    if (address && typeof address === 'object') {
      const host =
        address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `http://${host}:${address.port}`;
    }
    return 'http://127.0.0.1';
  }

  private signingKey: SigningKey | null = null;
  private jobLifecycle: JobLifecycle | null = null;
  private readonly mailer: Mailer;
}
