import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformContext } from '../context';
import type { PublicData } from '../data/schema';
import type { JobsService } from '../jobs/service';
import type { QueryStage } from '../query/typed-query';
import { JOB_SCOPE, type TokenScope } from '../store';
import { ApiError } from './errors';
import { inputProblem, repeatedKeyProblem } from './input-guard';

/** The public data, or a 503 that says why there is none. */
export function requireData(context: PlatformContext): PublicData {
  if (!context.publicData) {
    throw new ApiError(
      503,
      'data_unavailable',
      'No public data set is loaded on this platform, so queries cannot run: start vce-mock with its data (see --videos and --seed).'
    );
  }
  return context.publicData;
}

/** The execution stage, or a 503 that says why there is none. */
export function requireJobs(context: PlatformContext): JobsService {
  if (!context.jobs) {
    throw new ApiError(
      503,
      'jobs_unavailable',
      'This platform runs no execution stage: start vce-mock with a data dir (it always has one unless embedded in a test).'
    );
  }
  return context.jobs;
}

/** The stage of a request: a job's token pages all data, any other token gets the test stage. */
export function stageOf(request: FastifyRequest): QueryStage {
  // The auth hook looked the token up and set its scope.
  return (request.tokenScope as TokenScope) === JOB_SCOPE ? 'job' : 'test';
}

/**
 * Every request's path parameters, query string and body are checked before
 * the route (and Fastify's schemas) read them: a control character in any
 * string, or nesting deeper than any request needs, is a 400 naming the field.
 */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async request => {
    const form = request.headers['content-type']?.startsWith(
      'application/x-www-form-urlencoded'
    );
    const problem =
      inputProblem(request.params) ??
      repeatedKeyProblem(request.query, 'query') ??
      inputProblem(request.query) ??
      (form ? repeatedKeyProblem(request.body, 'form') : null) ??
      inputProblem(request.body);
    if (problem) {
      throw new ApiError(400, 'invalid_params', problem.message, {
        problems: [problem]
      });
    }
  });
}
