/**
 * A clean-room job's life, as pure data: its statuses, which moves are
 * allowed, and what the API shows of it (docs/contracts.md § Jobs API).
 *
 *   submitted → queued → running → reviewing → approved | rejected
 *                  └──────┴──────→ cancelled | failed | timed_out
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
] as const;

export type JobStatus = (typeof JOB_STATUSES)[number];

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

const MOVES: Record<JobStatus, readonly JobStatus[]> = {
  submitted: ['queued', 'cancelled', 'failed'],
  // queued again after a platform restart interrupted a run (see runner/recovery.ts)
  queued: ['running', 'cancelled', 'failed'],
  running: ['reviewing', 'failed', 'cancelled', 'timed_out', 'queued'],
  reviewing: ['approved', 'rejected', 'failed'],
  approved: [],
  rejected: [],
  failed: [],
  cancelled: [],
  timed_out: []
};

export function isFinal(status: JobStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

export function canMove(from: JobStatus, to: JobStatus): boolean {
  return MOVES[from].includes(to);
}

export function isJobStatus(value: unknown): value is JobStatus {
  return (
    typeof value === 'string' &&
    (JOB_STATUSES as readonly string[]).includes(value)
  );
}

/** One rule the automatic review (or a reviewer) found, as the API shows it. */
export interface VerdictFinding {
  rule: string;
  severity: 'fail' | 'manual';
  file: string;
  location: string | null;
  message: string;
}

export interface JobVerdict {
  decision: 'approved' | 'rejected' | 'manual_review';
  findings: VerdictFinding[];
  /** Who decided last: the automatic review, or a reviewer (with their reason). */
  decided_by: 'automatic' | 'reviewer';
  reviewer_reason: string | null;
  reviewed_at: string;
}

export interface JobFailure {
  type: string;
  line: number | null;
  file: string | null;
}

/**
 * What a failed job or test run shows of its error beyond the exception's
 * type and line: the exception's message and the last lines of stderr, each
 * as the output review let it through, or withheld with the reason
 * (./error-report.ts).
 */
export interface ErrorReport {
  message: string | null;
  message_withheld: string | null;
  stderr_tail: string[];
  stderr_withheld: string | null;
}

export interface SubmittedFile {
  name: string;
  bytes: number;
  sha256: string;
}

export interface OutputFile extends SubmittedFile {
  kind: string;
}

export interface HistoryEntry {
  status: JobStatus;
  at: string;
  note: string;
}

/** A job as stored. */
/** A real submission over all data, or a test run on the test-stage sample (never released). */
export type JobStage = 'execution' | 'test';

export interface JobRecord {
  jobId: string;
  stage: JobStage;
  clientKey: string;
  entry: string;
  status: JobStatus;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  attempts: number;
  recordsRead: number;
  resubmittedFrom: string | null;
  /** Why the job ended where it did, in plain words (a limit, a cancel, a restart). */
  reason: string | null;
  failure: JobFailure | null;
  /** The exception's message and stderr's end, reviewed (a failed or timed-out job). */
  errorReport: ErrorReport | null;
  verdict: JobVerdict | null;
}

/** The job as the API returns it (snake_case, as the platform's other answers). */
export interface JobView {
  job_id: string;
  stage: JobStage;
  entry: string;
  status: JobStatus;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  runtime_seconds: number | null;
  attempts: number;
  records_read: number;
  resubmitted_from: string | null;
  reason: string | null;
  failure: JobFailure | null;
  error_report: ErrorReport | null;
  files: SubmittedFile[];
  history: HistoryEntry[];
  verdict: JobVerdict | null;
  outputs: OutputFile[];
  result_available: boolean;
}

/** Seconds between start and finish (or now, while running). */
export function runtimeSeconds(
  job: Pick<JobRecord, 'startedAt' | 'finishedAt'>,
  now: Date
): number | null {
  if (!job.startedAt) {
    return null;
  }
  const end = job.finishedAt ? Date.parse(job.finishedAt) : now.getTime();
  return Math.max(0, Math.round((end - Date.parse(job.startedAt)) / 100) / 10);
}

export function jobView(
  job: JobRecord,
  parts: {
    files: SubmittedFile[];
    history: HistoryEntry[];
    outputs: OutputFile[];
    resultAvailable: boolean;
  },
  now: Date
): JobView {
  return {
    job_id: job.jobId,
    stage: job.stage,
    entry: job.entry,
    status: job.status,
    created_at: job.createdAt,
    updated_at: job.updatedAt,
    started_at: job.startedAt,
    finished_at: job.finishedAt,
    runtime_seconds: runtimeSeconds(job, now),
    attempts: job.attempts,
    records_read: job.recordsRead,
    resubmitted_from: job.resubmittedFrom,
    reason: job.reason,
    failure: job.failure,
    error_report: job.errorReport,
    files: parts.files,
    history: parts.history,
    verdict: job.verdict,
    // Outputs (names, sizes, hashes) are shown only for approved jobs: the script chose them, and they could carry data.
    outputs: job.status === 'approved' ? parts.outputs : [],
    result_available: parts.resultAvailable
  };
}
