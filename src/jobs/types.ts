/**
 * The jobs' wire types live with the API client (../api/types.ts, from the
 * platform's OpenAPI document); re-exported here with the jobs' status lists.
 */
import type { JobStatus } from '../api/types';

export type {
  IJwks,
  ISavedResults,
  Job,
  JobAttestation,
  JobFile,
  JobPage,
  JobStage,
  JobStatus,
  JobSubmission,
  JobVerdict,
  SubmissionLimits,
  Outbox,
  OutboxMail,
  VerdictFinding
} from '../api/types';

/**
 * Every status, in the order a job goes through them: the contract's
 * `JobStatus` enum, checked below at compile time (none missing, none extra)
 * and by a jest test (the YAML's order).
 */
export const JOB_STATUSES = [
  'submitted',
  'queued',
  'running',
  'reviewing',
  'approved',
  'rejected',
  'failed',
  'cancelled',
  'timed_out'
] as const satisfies readonly JobStatus[];

/** Compiles only while JOB_STATUSES holds every `JobStatus`. */
export const JOB_STATUSES_COMPLETE: [
  Exclude<JobStatus, (typeof JOB_STATUSES)[number]>
] extends [never]
  ? true
  : never = true;

/** Statuses a job never leaves. */
export const FINAL_STATUSES: readonly JobStatus[] = [
  'approved',
  'rejected',
  'failed',
  'cancelled',
  'timed_out'
];

/** Statuses a researcher may cancel from. */
export const CANCELLABLE_STATUSES: readonly JobStatus[] = [
  'submitted',
  'queued',
  'running'
];

export function isFinal(status: string): boolean {
  return (FINAL_STATUSES as readonly string[]).includes(status);
}

export function isJobStatus(value: unknown): value is JobStatus {
  return (
    typeof value === 'string' &&
    (JOB_STATUSES as readonly string[]).includes(value)
  );
}
