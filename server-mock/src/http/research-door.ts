import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RouteAuthConfig } from '../auth';
import type { PlatformContext } from '../context';
import { researchBucket } from '../research/quota';
import { rateLimitRefusal, SlidingWindowLimiter } from '../research/rate-limit';
import { FaultRefusal } from '../research/fault-answers';
import { acceptJsonBodies } from './json-body';

/**
 * The public Research API's door (`/v2/research/…`, docs/research/research-api.md):
 * the same data as the VCE's routes, in that API's shapes, for the open-source
 * clients researchers already use (docs/research/research-clients.md). Its
 * routes are registered by app.ts in one encapsulated plugin prepared here, so
 * that what only this door accepts stays in it: JSON bodies sent as
 * `text/plain` (the C4D client sends them so, research-clients.md §1), and the
 * Research API's quota, charged per request as it is admitted.
 */

/** The route config of every Research API route: a researcher's token; refusals in that API's words. */
export const RESEARCH_ROUTE: RouteAuthConfig = { researchApi: true };

/** The `fields` query parameter as sent (the routes read it with ../research/fields.ts). */
export function fieldsParam(request: FastifyRequest): unknown {
  return (request.query as Record<string, unknown> | undefined)?.fields;
}

/** Prepare the plugin scope the Research API's routes are registered in. */
export function openResearchDoor(
  door: FastifyInstance,
  context: PlatformContext
): void {
  // JSON as `application/json` or as `text/plain`, one parser: the same mistake, the same answer
  // (400 invalid_params, the Research API's code, where the platform's own routes say invalid_request).
  acceptJsonBodies(
    door,
    ['application/json', 'text/plain'],
    'invalid_params',
    'The body is not valid JSON: send the request as a JSON object (application/json, or text/plain holding JSON).'
  );
  // A rate_limit fault's refusal says when to come back, as the real 429 (research-api.md §6).
  door.addHook('onError', async (_request, reply, error) => {
    if (error instanceof FaultRefusal && error.retryAfter !== undefined) {
      void reply.header('retry-after', String(error.retryAfter));
    }
  });
  // The per-minute limit (../research/rate-limit.ts), after the app's auth hook (onRequest):
  // a bad token is a 401 and counts for nothing; a request refused here is not charged to the day.
  const limiter = new SlidingWindowLimiter(context.researchLimits.perMinute);
  door.addHook('onRequest', async (request, reply) => {
    const decision = limiter.take(request.clientKey, context.now().getTime());
    if (!decision.admitted) {
      void reply.header('retry-after', String(decision.retryAfterSeconds));
      throw rateLimitRefusal(
        decision.retryAfterSeconds,
        context.researchLimits.perMinute
      );
    }
  });
  // After the auth hook (onRequest) and the body's parsing: a bad token or body is not charged.
  door.addHook('preHandler', async request => {
    context.researchMeter.admit(
      request.clientKey,
      researchBucket(request.routeOptions.url ?? request.url)
    );
  });
}
