import { ApiError } from '../http/errors';
import {
  isJobStatus,
  type JobRecord,
  type JobStage,
  type JobStatus
} from './model';

/**
 * A job list request's query (`GET /v2/vce/jobs/?status=&stage=&page_size=&cursor=`)
 * read into filters, or a 400 that says what to send; and the opaque cursor
 * of a page: the last job's (created_at, job_id).
 */

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface JobListQuery {
  statuses: JobStatus[] | undefined;
  stage: JobStage | undefined;
  pageSize: number;
  before: { createdAt: string; jobId: string } | undefined;
}

export function parseJobListQuery(
  query: Record<string, string | undefined>
): JobListQuery {
  return {
    statuses: parseStatuses(query.status),
    stage: parseStage(query.stage),
    pageSize: parsePageSize(query.page_size),
    before: query.cursor ? decodeJobCursor(query.cursor) : undefined
  };
}

/** The cursor of a job list page: the last job's (created_at, job_id). */
export function encodeJobCursor(job: JobRecord): string {
  return Buffer.from(JSON.stringify([job.createdAt, job.jobId])).toString(
    'base64url'
  );
}

function decodeJobCursor(cursor: string): { createdAt: string; jobId: string } {
  try {
    const [createdAt, jobId] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8')
    ) as unknown[];
    if (typeof createdAt === 'string' && typeof jobId === 'string') {
      return { createdAt, jobId };
    }
  } catch {
    // fall through
  }
  throw new ApiError(
    400,
    'invalid_params',
    'cursor is not one this platform returned: send the cursor of the previous page, or none to start.'
  );
}

function parseStatuses(value: string | undefined): JobStatus[] | undefined {
  if (!value) {
    return undefined;
  }
  const statuses = value
    .split(',')
    .map(status => status.trim().toLowerCase())
    .filter(Boolean);
  const unknown = statuses.filter(status => !isJobStatus(status));
  if (unknown.length > 0) {
    throw new ApiError(
      400,
      'invalid_params',
      `status "${unknown.join(', ')}" is not a job status: use any of submitted, queued, running, reviewing, approved, rejected, failed, cancelled, timed_out (comma-separated).`
    );
  }
  return statuses as JobStatus[];
}

function parsePageSize(value: string | undefined): number {
  if (value === undefined) {
    return DEFAULT_PAGE_SIZE;
  }
  // Digits only: `page_size=` (empty), " 5" or "1e1" are not the integer openapi.yaml asks for.
  const size = /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new ApiError(
      400,
      'invalid_params',
      `page_size must be a whole number from 1 to ${MAX_PAGE_SIZE}, not "${value}".`
    );
  }
  return size;
}

function parseStage(value: string | undefined): JobStage | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (value !== 'execution' && value !== 'test') {
    throw new ApiError(
      400,
      'invalid_params',
      `stage must be "execution" (real submissions) or "test" (test runs), not "${value}".`
    );
  }
  return value;
}
