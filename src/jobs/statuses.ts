/**
 * The job statuses as lists: every status in order, the final ones, the ones a
 * researcher may cancel from. The `JobStatus` type is the contract's
 * (src/api/types.ts, generated from server-mock/openapi.yaml).
 */
import type { JobStatus } from '../api/types';

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
