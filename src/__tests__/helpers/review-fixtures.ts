import type { IReviewApi } from '../../api/client';
import { VCEApiError } from '../../api/request';
import type {
  DecidedReview,
  ISavedReviewOutput,
  ReviewDecision,
  ReviewItem,
  ReviewOutput
} from '../../api/types';

/** A job in manual review as `GET /vce/api/review/jobs` lists it. */
export function makeReviewItem(
  jobId: string,
  overrides: Partial<ReviewItem> = {}
): ReviewItem {
  return {
    job_id: jobId,
    status: 'reviewing',
    client_key: 'alice',
    entry: 'summary.py',
    created_at: '2026-11-25T09:00:00Z',
    records_read: 1200,
    verdict: {
      decision: 'manual_review',
      decided_by: 'automatic',
      reviewer_reason: null,
      reviewed_at: '2026-11-25T09:01:00Z',
      findings: [
        {
          rule: 'extreme_values',
          severity: 'manual',
          file: 'summary.csv',
          location: 'column 3 (max_views)',
          message:
            "summary.csv, column 3 (max_views): minimums and maximums are single records' values; a reviewer checks them."
        }
      ]
    },
    ...overrides
  };
}

/** A file the review read, as `GET /vce/api/review/jobs/{id}/outputs` lists it. */
export function makeReviewOutput(
  name: string,
  overrides: Partial<ReviewOutput> = {}
): ReviewOutput {
  const kind = name.startsWith('logs/') ? 'log' : name.split('.').pop()!;
  return {
    name,
    bytes: 2048,
    sha256: `${name.length.toString(16).padStart(2, '0')}${'a'.repeat(62)}`,
    kind,
    media_type:
      {
        csv: 'text/csv',
        svg: 'image/svg+xml',
        png: 'image/png',
        log: 'text/plain',
        parquet: 'application/octet-stream'
      }[kind] ?? 'text/plain',
    findings: [],
    ...overrides
  };
}

/** The review routes in memory: a queue, the decisions received, failures on demand. */
export class FakeReviewApi implements IReviewApi {
  queue: ReviewItem[] = [];
  decisions: { jobId: string; decision: ReviewDecision }[] = [];
  failQueue: Error | null = null;
  failDecision: Error | null = null;
  queueCalls = 0;
  /** Each job's files. */
  outputs = new Map<string, ReviewOutput[]>();
  failOutputs: Error | null = null;
  failSave: Error | null = null;
  outputCalls: string[] = [];
  saved: { jobId: string; name: string }[] = [];

  async reviewOutputs(jobId: string): Promise<ReviewOutput[]> {
    this.outputCalls.push(jobId);
    if (this.failOutputs) {
      throw this.failOutputs;
    }
    return [...(this.outputs.get(jobId) ?? [])];
  }

  async saveReviewOutput(
    jobId: string,
    name: string
  ): Promise<ISavedReviewOutput> {
    if (this.failSave) {
      throw this.failSave;
    }
    const output = this.outputs.get(jobId)?.find(file => file.name === name);
    if (!output) {
      throw new VCEApiError(
        404,
        'not_found',
        `Job ${jobId} has no output "${name}".`
      );
    }
    this.saved.push({ jobId, name });
    return {
      job_id: jobId,
      name,
      path: `vce-review/${jobId}/${name}`,
      bytes: output.bytes,
      sha256: output.sha256,
      media_type: output.media_type
    };
  }

  async reviewQueue(): Promise<ReviewItem[]> {
    this.queueCalls += 1;
    if (this.failQueue) {
      throw this.failQueue;
    }
    return [...this.queue];
  }

  async decideReview(
    jobId: string,
    decision: ReviewDecision
  ): Promise<DecidedReview> {
    if (this.failDecision) {
      throw this.failDecision;
    }
    const job = this.queue.find(item => item.job_id === jobId);
    if (!job) {
      throw new VCEApiError(404, 'not_found', `There is no job ${jobId}.`);
    }
    this.decisions.push({ jobId, decision });
    this.queue = this.queue.filter(item => item.job_id !== jobId);
    return {
      job_id: jobId,
      status: decision.decision === 'approve' ? 'approved' : 'rejected',
      client_key: job.client_key,
      verdict: {
        ...job.verdict,
        decision: decision.decision === 'approve' ? 'approved' : 'rejected',
        decided_by: 'reviewer',
        reviewer_reason: decision.reason
      }
    };
  }
}
