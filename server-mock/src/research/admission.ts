import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../context';
import { admitResearchRequest, researchBucket } from './quota';
import { rateLimitRefusal, SlidingWindowLimiter } from './rate-limit';

/**
 * The Research API's limits as hooks of the research routes' plugin (call it
 * inside that plugin, before its routes):
 * - `onRequest` (after the app's auth hook, so a bad token is a 401 and counts
 *   for nothing): the per-minute limit, 429 `rate_limit_exceeded` with
 *   `Retry-After`; a refused request is not charged to the day.
 * - `preHandler` (after the body is parsed and checked against the route's
 *   schema): one request charged to the client's day in the route's bucket, or
 *   429 `daily_quota_limit_exceeded` with the observed body.
 * The records are charged by each route once it knows them (chargeResearchRecords).
 */
export function registerResearchLimits(
  app: FastifyInstance,
  context: PlatformContext
): void {
  const limits = context.researchLimits;
  const limiter = new SlidingWindowLimiter(limits.perMinute);
  app.addHook('onRequest', async (request, reply) => {
    if (!request.clientKey) {
      return; // not authenticated here (a 404, a public route): nothing to count
    }
    const decision = limiter.take(request.clientKey, context.now().getTime());
    if (!decision.admitted) {
      void reply.header('retry-after', String(decision.retryAfterSeconds));
      throw rateLimitRefusal(decision.retryAfterSeconds, limits.perMinute);
    }
  });
  app.addHook('preHandler', async request => {
    if (!request.clientKey) {
      return;
    }
    const refusal = admitResearchRequest(
      context.store,
      request.clientKey,
      researchBucket(request.url),
      limits,
      context.now()
    );
    if (refusal) {
      throw refusal;
    }
  });
}
