import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../context';
import { ok } from '../http/reply';
import { quotaView, utcDay } from '../quota';

export const QUOTA_PATH = '/v2/vce/quota/';

/** `GET /v2/vce/quota/`: test-stage records used today of the daily limit. */
export function registerQuotaRoute(
  app: FastifyInstance,
  context: PlatformContext
): void {
  app.get(QUOTA_PATH, async request => {
    const now = context.now();
    const used = context.store.usedOn(request.clientKey, utcDay(now));
    return ok(quotaView(used, context.dailyLimit, now), request.id);
  });
}
