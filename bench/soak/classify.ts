/**
 * What one answer means for the soak: served, refused as the platform should
 * (the expected kinds), or an error (the goal is none). Pure.
 */

export type Outcome =
  | { kind: 'ok' }
  | { kind: 'refused'; name: string }
  | { kind: 'error'; name: string };

export const OK: Outcome = { kind: 'ok' };

/** The platform's refusal of a test-stage query past the day's quota. */
export const QUOTA_CODE = 'daily_quota_limit_exceeded';

/** The error envelope's `code`, if the body is one (`{"error": {"code": ...}}`). */
export function errorCode(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown } };
    const code = parsed?.error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An HTTP answer: 2xx is served; a 429 with the quota's code is the expected
 * refusal (the day's 5,000 records are spent); everything else is an error, since
 * the soak sends only requests the contract accepts.
 */
export function classifyAnswer(status: number, body: string): Outcome {
  if (status >= 200 && status < 300) {
    return OK;
  }
  const code = errorCode(body);
  if (status === 429 && code === QUOTA_CODE) {
    return { kind: 'refused', name: 'quota spent (429)' };
  }
  return { kind: 'error', name: `${status} ${code ?? 'no error code'}` };
}

/** A request that got no answer: the cause's code (ECONNRESET, a timeout) or its message. */
export function classifyFailure(error: unknown): Outcome {
  const named = error as {
    name?: string;
    cause?: { code?: string };
    message?: string;
  };
  if (named?.name === 'TimeoutError') {
    return { kind: 'error', name: 'no answer in time' };
  }
  const code = named?.cause?.code;
  return {
    kind: 'error',
    name: `no answer: ${code ?? named?.message ?? String(error)}`
  };
}

/** The statuses a job never leaves (openapi.yaml JobStatus x-vce-final). */
export const FINAL_STATUSES = [
  'approved',
  'rejected',
  'failed',
  'cancelled',
  'timed_out'
];

export interface JobEnd {
  status: string;
  stage?: string;
  failure?: { type?: string } | null;
}

/**
 * How a job or test run ended. The soak submits scripts the review approves:
 * `approved` is served; a test run that failed with `QuotaExceededError` is the
 * expected refusal once the lab's day is spent; anything else is an error.
 */
export function classifyJobEnd(job: JobEnd): Outcome {
  if (job.status === 'approved') {
    return OK;
  }
  if (job.status === 'failed' && job.failure?.type === 'QuotaExceededError') {
    return {
      kind: 'refused',
      name: 'test run past the quota (QuotaExceededError)'
    };
  }
  const what = job.stage === 'test' ? 'test run' : 'job';
  const cause = job.failure?.type ? ` (${job.failure.type})` : '';
  return { kind: 'error', name: `${what} ended ${job.status}${cause}` };
}
