import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Problem } from '../query/typed-query';
import { describeProblems } from '../query/validate';
import { ApiError, errorHandler } from './errors';

/** The success envelope of the platform's research routes (docs/research/research-api.md §2). */
export function ok<T>(
  data: T,
  logId: string
): { data: T; error: { code: 'ok'; message: ''; log_id: string } } {
  return { data, error: { code: 'ok', message: '', log_id: logId } };
}

/** Send an ApiError as the error handler would (its data beside the envelope), and return the reply. */
export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: ApiError
): FastifyReply {
  errorHandler(error, request, reply);
  return reply;
}

/** 400 invalid_params, with every problem listed beside the error. */
export function sendProblems(
  request: FastifyRequest,
  reply: FastifyReply,
  problems: Problem[]
): FastifyReply {
  return sendError(
    request,
    reply,
    new ApiError(400, 'invalid_params', describeProblems(problems), {
      problems
    })
  );
}

/** 400 invalid_params for a job submission, with every problem listed beside the error. */
export function sendSubmissionProblems(
  request: FastifyRequest,
  reply: FastifyReply,
  problems: { field: string; value?: string; message: string }[]
): FastifyReply {
  const message = `The submission was not accepted: ${problems.map(problem => problem.message).join(' ')}`;
  return sendError(
    request,
    reply,
    new ApiError(400, 'invalid_params', message, { problems })
  );
}
