/**
 * Wire types of the jobs API, from the platform's OpenAPI document
 * (server-mock/openapi.yaml → ../api/platform.d.ts): never copied by hand.
 */
import type { components } from '../api/platform';

type Schemas = components['schemas'];

export type Job = Schemas['Job'];
export type JobStatus = Schemas['JobStatus'];
export type JobVerdict = Schemas['JobVerdict'];
export type VerdictFinding = Schemas['VerdictFinding'];
export type JobSubmission = Schemas['JobSubmission'];
export type SubmissionLimits = Schemas['SubmissionLimits'];
export type JobFile = Schemas['JobFileEnvelope']['data'];
export type JobAttestation = Schemas['AttestationEnvelope']['data'];
export type JobPage = Schemas['JobListEnvelope']['data'];
export type Outbox = Schemas['OutboxEnvelope']['data'];
export type OutboxMail = Outbox['messages'][number];

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
export const JOB_STATUSES_COMPLETE: [Exclude<JobStatus, (typeof JOB_STATUSES)[number]>] extends [never]
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
export const CANCELLABLE_STATUSES: readonly JobStatus[] = ['submitted', 'queued', 'running'];

export function isFinal(status: string): boolean {
  return (FINAL_STATUSES as readonly string[]).includes(status);
}

export function isJobStatus(value: unknown): value is JobStatus {
  return typeof value === 'string' && (JOB_STATUSES as readonly string[]).includes(value);
}

/** `POST /vce/api/jobs/{id}/result/save`: what was written into the workspace. */
export interface ISavedResults {
  job_id: string;
  folder: string;
  archive_sha256: string;
  archive_bytes: number;
  files: { name: string; path: string; bytes: number; sha256: string }[];
}

/** The platform's public keys for attestations. */
export interface IJwks {
  keys: Array<Record<string, unknown> & { kid?: string; alg?: string; kty: string }>;
}
