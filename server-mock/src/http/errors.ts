import { randomBytes } from 'node:crypto';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** The platform's error codes (docs/research/research-api.md §6 and §1), and ours. */
export type ErrorCode =
  | 'invalid_request'
  | 'invalid_params'
  | 'invalid_client'
  | 'access_token_invalid'
  | 'scope_not_authorized'
  | 'rate_limit_exceeded'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'daily_quota_limit_exceeded'
  | 'data_unavailable'
  | 'task_not_finished'
  | 'forbidden'
  | 'job_not_cancellable'
  | 'job_not_finished'
  | 'result_not_available'
  | 'link_expired'
  | 'jobs_unavailable'
  | 'review_not_pending'
  | 'internal_error';

/** `{"error": {"code", "message", "log_id"}}` (docs/contracts.md: errors everywhere). */
export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; log_id: string };
}

/**
 * A caller-facing error: its status, code and a message that says what to do,
 * and what the caller gets beside the error, if anything (`data`, as a refused
 * quota or a list of problems: docs/research/research-api.md §6).
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly data?: unknown
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * A log id as the platform writes them, 34 characters: UTC `YYYYMMDDHHMMSS`
 * and 20 upper-case hex characters (docs/research/research-api.md §6: real
 * ids such as `20241009180101BDD8B4B0A88D600D1801`).
 */
export function newLogId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return stamp + randomBytes(10).toString('hex').toUpperCase();
}

export function envelope(
  code: ErrorCode,
  message: string,
  logId: string
): ErrorEnvelope {
  return { error: { code, message, log_id: logId } };
}

/** A schema violation in words: where, and what the schema wanted. */
function describeValidation(error: FastifyError): string {
  const where = error.validationContext ?? 'request';
  const issues = error.validation ?? [];
  if (
    where === 'body' &&
    issues.some(issue => issue.instancePath === '' && issue.keyword === 'type')
  ) {
    return 'The request needs a body that is an object: send a JSON object (application/json) or a form (application/x-www-form-urlencoded).';
  }
  const details = issues
    .map(
      issue =>
        `${where}${issue.instancePath.replace(/\//g, '.')} ${issue.message}`
    )
    .join('; ');
  return `The request is not valid: ${details}.`;
}

/** Fastify's own 4xx errors, in words a caller can act on. */
function describeFrameworkError(
  error: FastifyError,
  request: FastifyRequest
): ApiError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(
        415,
        'unsupported_media_type',
        'This content type is not accepted here: send application/json or application/x-www-form-urlencoded.'
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(
        413,
        'payload_too_large',
        `The request body is larger than the ${request.routeOptions.bodyLimit} bytes this route accepts: send a smaller body.`
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError(
        400,
        'invalid_request',
        'The body is empty but the content type says JSON: send a JSON object.'
      );
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError(
        400,
        'invalid_request',
        'The Content-Length header does not match the body.'
      );
    case 'FST_ERR_BAD_URL':
      return new ApiError(
        400,
        'invalid_request',
        'The URL is not valid: a percent sign must start an escape such as %20; encode the path with encodeURIComponent.'
      );
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new ApiError(
        404,
        'not_found',
        `There is no resource at ${request.url.split('?')[0].slice(0, 200)}: one of its path parameters is longer than any id the platform issues.`
      );
  }
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new ApiError(
      400,
      'invalid_request',
      'The body is not valid JSON although Content-Type says application/json: fix it and send it again.'
    );
  }
  if (error.validation) {
    return new ApiError(400, 'invalid_params', describeValidation(error));
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new ApiError(error.statusCode, 'invalid_request', error.message);
  }
  return null;
}

/** An error as the caller hears it: a known ApiError, or null for an unexpected failure. */
function describeError(
  error: FastifyError | ApiError,
  request: FastifyRequest
): ApiError | null {
  return error instanceof ApiError
    ? error
    : describeFrameworkError(error as FastifyError, request);
}

function unexpected(
  error: unknown,
  request: FastifyRequest,
  logId: string
): ApiError {
  request.log.error({ err: error }, 'unexpected error');
  return new ApiError(
    500,
    'internal_error',
    `The platform failed unexpectedly; quote log id ${logId} when you report it.`
  );
}

/** Every error leaves as an envelope; a stack trace never does. */
export function errorHandler(
  error: FastifyError | ApiError,
  request: FastifyRequest,
  reply: FastifyReply
): void {
  const known = describeError(error, request);
  const logId = request.id;
  if (!known) {
    const failure = unexpected(error, request, logId);
    void reply.status(500).send(envelope(failure.code, failure.message, logId));
    return;
  }
  request.log.info(
    { code: known.code, status: known.statusCode },
    known.message
  );
  const body = envelope(known.code, known.message, logId);
  void reply
    .status(known.statusCode)
    .send(known.data !== undefined ? { data: known.data, ...body } : body);
}

/** The OAuth token route's error body: flat, as the platform's (docs/research/research-api.md §1). */
export interface OAuthErrorBody {
  error: ErrorCode;
  error_description: string;
  log_id: string;
}

export function oauthError(
  code: ErrorCode,
  description: string,
  logId: string
): OAuthErrorBody {
  return { error: code, error_description: description, log_id: logId };
}

/**
 * The token route's errors: the same statuses, codes and messages as
 * `errorHandler`, in the flat OAuth body `{"error", "error_description",
 * "log_id"}` the platform's token route answers and every public client reads
 * (docs/research/research-api.md §1, docs/research/research-clients.md §1 "Token").
 */
export function oauthErrorHandler(
  error: FastifyError | ApiError,
  request: FastifyRequest,
  reply: FastifyReply
): void {
  const logId = request.id;
  const known =
    describeError(error, request) ?? unexpected(error, request, logId);
  if (known.statusCode < 500) {
    request.log.info(
      { code: known.code, status: known.statusCode },
      known.message
    );
  }
  void reply
    .status(known.statusCode)
    .send(oauthError(known.code, known.message, logId));
}
