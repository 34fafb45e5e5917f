import { createReadStream, existsSync } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformContext } from '../context';
import { ApiError } from '../http/errors';
import { requireData, requireJobs } from '../http/guards';
import { ok, sendSubmissionProblems } from '../http/reply';
import { isFinal, type JobRecord, type JobStage } from '../jobs/model';
import { encodeJobCursor, parseJobListQuery } from '../jobs/list-query';
import { viewOf, type JobsService } from '../jobs/service';
import {
  checkSubmission,
  looksLikeText,
  MAX_TOTAL_BYTES
} from '../jobs/submission';

export const JOBS_PATH = '/v2/vce/jobs/';
export const JOB_PATH = '/v2/vce/jobs/:job_id/';

/** Largest submission body: the files' limit, base64-encoded, plus room for the JSON around them. */
export const JOBS_BODY_LIMIT =
  Math.ceil((MAX_TOTAL_BYTES * 4) / 3) + 1024 * 1024;

type JobParams = { Params: { job_id: string } };

/** A client's job, or 404 (another client's job is as good as absent). */
function ownJob(
  context: PlatformContext,
  request: FastifyRequest<JobParams>
): { service: JobsService; job: JobRecord } {
  const service = requireJobs(context);
  const job = service.store.get(request.params.job_id, request.clientKey);
  if (!job) {
    throw new ApiError(
      404,
      'not_found',
      `There is no job ${request.params.job_id} of this client: list your jobs with GET ${JOBS_PATH}.`
    );
  }
  return { service, job };
}

export const TEST_RUNS_PATH = '/v2/vce/test-runs/';

/** The execution stage's researcher routes: submit, list, detail, cancel, resubmit, files, attestation, result. */
export function registerJobRoutes(
  app: FastifyInstance,
  context: PlatformContext
): void {
  const submitRoute = (path: string, stage: JobStage) =>
    app.post(path, { bodyLimit: JOBS_BODY_LIMIT }, async (request, reply) => {
      const service = requireJobs(context);
      requireData(context);
      const checked = checkSubmission(request.body);
      if (!checked.ok) {
        return sendSubmissionProblems(request, reply, checked.problems);
      }
      const job = service.submit(
        request.clientKey,
        checked.entry,
        checked.files,
        null,
        stage
      );
      context.store.audit(
        context.now(),
        request.clientKey,
        stage === 'test' ? 'test_run_submitted' : 'job_submitted',
        `job=${job.jobId} entry=${job.entry} files=${checked.files.length}`
      );
      return reply
        .status(201)
        .send(ok(viewOf(service, job, context.now()), request.id));
    });
  submitRoute(JOBS_PATH, 'execution');
  // A rehearsal on the test-stage sample: reviewed, never released.
  submitRoute(TEST_RUNS_PATH, 'test');

  app.get<{ Querystring: Record<string, string | undefined> }>(
    JOBS_PATH,
    async request => {
      const service = requireJobs(context);
      const query = parseJobListQuery(request.query);
      const found = service.store.list(request.clientKey, {
        statuses: query.statuses,
        stage: query.stage,
        before: query.before,
        limit: query.pageSize + 1
      });
      const page = found.slice(0, query.pageSize);
      const now = context.now();
      return ok(
        {
          jobs: page.map(job => viewOf(service, job, now)),
          cursor:
            found.length > query.pageSize
              ? encodeJobCursor(page[page.length - 1])
              : null,
          has_more: found.length > query.pageSize
        },
        request.id
      );
    }
  );

  app.get<JobParams>(JOB_PATH, async request => {
    const { service, job } = ownJob(context, request);
    return ok(viewOf(service, job, context.now()), request.id);
  });

  app.post<JobParams>(`${JOB_PATH}cancel/`, async request => {
    const { service, job } = ownJob(context, request);
    const cancelled = await service.cancel(job);
    if (!cancelled) {
      throw new ApiError(
        409,
        'job_not_cancellable',
        `Job ${job.jobId} is ${job.status}: only submitted, queued or running jobs can be cancelled.`
      );
    }
    context.store.audit(
      context.now(),
      request.clientKey,
      'job_cancelled',
      `job=${job.jobId}`
    );
    return ok(viewOf(service, cancelled, context.now()), request.id);
  });

  app.post<JobParams>(`${JOB_PATH}resubmit/`, async (request, reply) => {
    const { service, job } = ownJob(context, request);
    requireData(context);
    const again = service.resubmit(request.clientKey, job);
    context.store.audit(
      context.now(),
      request.clientKey,
      'job_resubmitted',
      `job=${again.jobId} from=${job.jobId}`
    );
    return reply
      .status(201)
      .send(ok(viewOf(service, again, context.now()), request.id));
  });

  app.get<JobParams & { Querystring: { name?: string } }>(
    `${JOB_PATH}files/`,
    async request => {
      const { service, job } = ownJob(context, request);
      const name = request.query.name ?? job.entry;
      const file = service.store
        .files(job.jobId)
        .find(entry => entry.name === name);
      if (!file) {
        throw new ApiError(
          404,
          'not_found',
          `Job ${job.jobId} has no submitted file "${name}": its files are listed in the job's detail.`
        );
      }
      const content = service.submittedContent(job, file.name);
      const text = looksLikeText(content);
      return ok(
        {
          name: file.name,
          bytes: file.bytes,
          sha256: file.sha256,
          encoding: text ? 'utf-8' : 'base64',
          content: content.toString(text ? 'utf8' : 'base64')
        },
        request.id
      );
    }
  );

  app.get<JobParams>(`${JOB_PATH}attestation/`, async request => {
    const { service, job } = ownJob(context, request);
    const jws = isFinal(job.status)
      ? service.store.attestation(job.jobId)
      : null;
    if (!jws) {
      throw new ApiError(
        409,
        'job_not_finished',
        `Job ${job.jobId} is ${job.status}: its attestation is signed when it finishes.`
      );
    }
    return ok(
      {
        job_id: job.jobId,
        jws,
        key_id: service.key?.publicJwk.kid ?? null,
        jwks_url: '/.well-known/jwks.json'
      },
      request.id
    );
  });

  app.get<JobParams>(`${JOB_PATH}result/`, async (request, reply) => {
    const { service, job } = ownJob(context, request);
    const release =
      job.status === 'approved' ? service.store.releaseOf(job.jobId) : null;
    if (!release || !existsSync(release.archive)) {
      throw new ApiError(
        409,
        'result_not_available',
        `Job ${job.jobId} is ${job.status}: results can be downloaded once the review approves them.`
      );
    }
    service.store.countDownload(job.jobId);
    context.store.audit(
      context.now(),
      request.clientKey,
      'result_downloaded',
      `job=${job.jobId} via=api`
    );
    return reply
      .header('content-type', 'application/zip')
      .header(
        'content-disposition',
        `attachment; filename="${job.jobId}-results.zip"`
      )
      .header('x-content-sha256', release.archiveSha256)
      .header('content-length', release.archiveBytes)
      .send(createReadStream(release.archive));
  });
}
