import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, type ErrorCode } from './errors';

/**
 * A JSON body parser for a plugin scope: an empty body is no body (a client
 * that sends `Content-Type: application/json` on every request, a DELETE
 * included, is not refused for it), anything else must be JSON, or a 400
 * with `code` (the scope's words) that says so.
 */
export function acceptJsonBodies(
  scope: FastifyInstance,
  types: readonly string[],
  code: ErrorCode,
  message: string
): void {
  const parse = (
    _request: FastifyRequest,
    body: string,
    done: (error: Error | null, value?: unknown) => void
  ) => {
    try {
      done(null, body.trim() ? JSON.parse(body) : undefined);
    } catch {
      done(new ApiError(400, code, message));
    }
  };
  if (types.includes('application/json')) {
    scope.removeContentTypeParser('application/json');
  }
  for (const type of types) {
    scope.addContentTypeParser(type, { parseAs: 'string' }, parse);
  }
}
