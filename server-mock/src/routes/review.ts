import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../context';
import { ApiError } from '../http/errors';
import { requireJobs } from '../http/guards';
import { ok } from '../http/reply';
import { viewOf } from '../jobs/service';

export const REVIEW_JOBS_PATH = '/v2/vce/review/jobs/';

interface DecisionBody {
  decision?: unknown;
  reason?: unknown;
}

/** The reviewer's routes (`--reviewer KEY:SECRET`): jobs waiting for a person, and the decision on one. */
export function registerReviewRoutes(
  app: FastifyInstance,
  context: PlatformContext
): void {
  app.get(
    REVIEW_JOBS_PATH,
    { config: { access: 'reviewer' } },
    async request => {
      const service = requireJobs(context);
      const now = context.now();
      return ok(
        {
          jobs: service.store.pendingManualReview().map(job => ({
            ...viewOf(service, job, now),
            client_key: job.clientKey
          }))
        },
        request.id
      );
    }
  );

  app.post<{ Params: { job_id: string }; Body: DecisionBody }>(
    `${REVIEW_JOBS_PATH}:job_id/decision/`,
    { config: { access: 'reviewer' } },
    async request => {
      const service = requireJobs(context);
      const body = (request.body ?? {}) as DecisionBody;
      const decision =
        typeof body.decision === 'string' ? body.decision.toLowerCase() : '';
      if (decision !== 'approve' && decision !== 'reject') {
        throw new ApiError(
          400,
          'invalid_params',
          'decision must be "approve" or "reject".'
        );
      }
      const reason = typeof body.reason === 'string' ? body.reason.trim() : '';
      if (reason.length === 0 || reason.length > 2000) {
        throw new ApiError(
          400,
          'invalid_params',
          'reason must say, in up to 2,000 characters, why: the researcher reads it.'
        );
      }
      const job = service.store.get(request.params.job_id);
      if (!job) {
        throw new ApiError(
          404,
          'not_found',
          `There is no job ${request.params.job_id}.`
        );
      }
      const runner = service.lifecycle;
      const decided = runner
        ? await runner.decide(
            job.jobId,
            request.clientKey,
            decision === 'approve' ? 'approved' : 'rejected',
            reason
          )
        : null;
      if (!decided) {
        throw new ApiError(
          409,
          'review_not_pending',
          `Job ${job.jobId} is ${job.status} and not waiting for a reviewer's decision.`
        );
      }
      return ok(
        {
          ...viewOf(service, decided, context.now()),
          client_key: decided.clientKey
        },
        request.id
      );
    }
  );
}
