import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../context';
import { ApiError } from '../http/errors';
import { requireJobs } from '../http/guards';
import { ok } from '../http/reply';
import type { JobRecord } from '../jobs/model';
import {
  isRegularFileUnder,
  mediaTypeOf,
  reviewerOutputList
} from '../jobs/review-outputs';
import { viewOf, type JobsService } from '../jobs/service';

export const REVIEW_JOBS_PATH = '/v2/vce/review/jobs/';

type JobParams = { Params: { job_id: string } };

/** A job waiting for a reviewer's decision, or 404 (any other job is not the reviewer's to read). */
function jobInManualReview(service: JobsService, jobId: string): JobRecord {
  const job = service.store
    .pendingManualReview()
    .find(pending => pending.jobId === jobId);
  if (!job) {
    throw new ApiError(
      404,
      'not_found',
      `Job ${jobId} is not waiting for a reviewer: the jobs in manual review are listed at GET ${REVIEW_JOBS_PATH}.`
    );
  }
  return job;
}

/** A header-safe file name for Content-Disposition: the last part, ASCII only, quotes dropped. */
function attachmentName(name: string): string {
  const last = name.split('/').pop() ?? 'output';
  return last.replace(/[^\x20-\x7e]|["\\]/g, '_') || 'output';
}

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

  // What the review read (outputs and logs), so that a reviewer can look before deciding.
  app.get<JobParams>(
    `${REVIEW_JOBS_PATH}:job_id/outputs/`,
    { config: { access: 'reviewer' } },
    async request => {
      const service = requireJobs(context);
      const job = jobInManualReview(service, request.params.job_id);
      return ok(
        {
          job_id: job.jobId,
          outputs: reviewerOutputList(
            service.store.outputs(job.jobId),
            job.verdict?.findings ?? []
          )
        },
        request.id
      );
    }
  );

  // One file's bytes. The name must be one of the job's outputs (the review's own list):
  // nothing else under the data dir can be named, `..` included.
  app.get<{ Params: { job_id: string; name: string } }>(
    `${REVIEW_JOBS_PATH}:job_id/outputs/:name`,
    { config: { access: 'reviewer' } },
    async (request, reply) => {
      const service = requireJobs(context);
      const job = jobInManualReview(service, request.params.job_id);
      const name = request.params.name;
      const output = service.store
        .outputs(job.jobId)
        .find(entry => entry.name === name);
      const path = output
        ? service.paths.outputSource(job.jobId, output.name)
        : null;
      if (
        !output ||
        !path ||
        !isRegularFileUnder(service.paths.outputRoot(job.jobId, name), path)
      ) {
        throw new ApiError(
          404,
          'not_found',
          `Job ${job.jobId} has no output "${name}": its outputs are listed at GET ${REVIEW_JOBS_PATH}${job.jobId}/outputs/ (a name with "/" is sent URL-encoded as one path segment).`
        );
      }
      context.store.audit(
        context.now(),
        request.clientKey,
        'review_output_read',
        `job=${job.jobId} file=${output.name}`
      );
      return reply
        .header('content-type', mediaTypeOf(output))
        .header(
          'content-disposition',
          `attachment; filename="${attachmentName(output.name)}"`
        )
        .header('x-content-type-options', 'nosniff')
        .header('x-content-sha256', output.sha256)
        .header('content-length', output.bytes)
        .send(createReadStream(path));
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
