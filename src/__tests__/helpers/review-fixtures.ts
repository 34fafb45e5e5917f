import type { IReviewApi } from '../../api/client';
import { VCEApiError } from '../../api/request';
import type {
  DecidedReview,
  ReviewDecision,
  ReviewItem
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

/** The review routes in memory: a queue, the decisions received, failures on demand. */
export class FakeReviewApi implements IReviewApi {
  queue: ReviewItem[] = [];
  decisions: { jobId: string; decision: ReviewDecision }[] = [];
  failQueue: Error | null = null;
  failDecision: Error | null = null;
  queueCalls = 0;

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
