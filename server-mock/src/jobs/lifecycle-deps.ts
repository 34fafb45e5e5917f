import type { PublicData } from '../data/schema';
import type { EventBus } from '../events';
import type { SigningKey } from '../release/attestation';
import type { Mailer } from '../release/mail';
import type { ReviewConfig } from '../review';
import type { Executor, JobLimits } from '../runner/executor';
import type { Store } from '../store';
import type { JobStore } from './job-store';
import type { JobPaths } from './paths';

/** The job lifecycle's settings (src/jobs/service.ts fills them from the CLI's; README.md lists the defaults). */
export interface LifecycleSettings {
  workers: number;
  limits: JobLimits;
  review: ReviewConfig;
  linkTtlSeconds: number;
  /** Runs a job may get when the platform stops during them, before it fails. */
  maxAttempts: number;
  /** The platform's public base URL, for the links in mails. */
  publicUrl: () => string;
}

/** What the job lifecycle works with: the stores, the clock, the keys, the mailer and the executor that runs jobs. */
export interface LifecycleDeps {
  store: Store;
  jobs: JobStore;
  paths: JobPaths;
  events: EventBus;
  publicData: PublicData;
  now: () => Date;
  signingKey: SigningKey;
  mailer: Mailer;
  executor: Executor;
  log: (message: string) => void;
}
