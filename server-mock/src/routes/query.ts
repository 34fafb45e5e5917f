import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../context';
import { ApiError } from '../http/errors';
import { requireData, stageOf } from '../http/guards';
import { ok, sendProblems } from '../http/reply';
import type { QueryRecord } from '../query/engine';
import { replyPage } from '../query/page-reply';
import { RECORD_COUNT_HEADER } from '../query/paging';
import type { QueryRunner } from '../query/pool';
import { testRunSampleSize, validationStage } from '../query/test-run';
import { validateQuery } from '../query/validate';
import { chargeQuota, utcDay, type QuotaView } from '../quota';

export const QUERY_PATH = '/v2/vce/query/';

/** 429: the day's quota cannot cover the records, whole refusal (docs/research/research-api.md §6: data beside error). */
function quotaRefusal(wanted: number, quota: QuotaView): ApiError {
  const message =
    `The API daily quota limit exceeded: this query would return ${wanted} records but ${quota.remaining} of today's ` +
    `${quota.daily_limit.toLocaleString('en-US')} remain; the quota resets at ${quota.resets_at}. ` +
    (quota.remaining > 0
      ? `Lower the limit to ${quota.remaining} or less, or try again after the reset.`
      : 'Try again after the reset.');
  return new ApiError(429, 'daily_quota_limit_exceeded', message, { quota });
}

/**
 * `POST /v2/vce/query/`: a researcher's token gets a random sample, charged
 * to the day's quota; a job's token gets every match in id order, paged; a
 * test run's token is checked like a job's and gets one sample (./query/test-run.ts).
 * The sample is drawn by `queries` (the query workers, ../query/pool.ts); the
 * quota is charged here, on the main thread, once the records are known.
 */
export function registerQueryRoute(
  app: FastifyInstance,
  context: PlatformContext,
  queries: QueryRunner | null
): void {
  app.post(
    QUERY_PATH,
    { config: { jobToken: true } },
    async (request, reply) => {
      const data = requireData(context);
      const stage = stageOf(request);
      const testRun = stage === 'test' && request.tokenJobId !== null;
      const validation = validateQuery(
        request.body,
        validationStage(stage, request.tokenJobId)
      );
      if (!validation.ok) {
        return sendProblems(request, reply, validation.problems);
      }
      let query = validation.query;

      if (stage === 'job') {
        return replyPage(request, reply, data, query, queries!);
      }

      // A test run reads the sample within what remains of today's quota, sized
      // again when another run of the job spent it while this one was drawn.
      let records: QueryRecord[] = [];
      let charge: ReturnType<typeof chargeQuota>;
      for (let attempt = 1; ; attempt++) {
        if (testRun) {
          const remaining =
            context.dailyLimit -
            context.store.usedOn(request.clientKey, utcDay(context.now()));
          const size = testRunSampleSize(validation.query.limit, remaining);
          query = { ...query, limit: Math.max(size, 1), cursor: null };
        }
        records = await queries!.run('sample', { query });
        charge = chargeQuota(
          context.store,
          request.clientKey,
          records.length,
          context.dailyLimit,
          context.now(),
          request.tokenJobId
        );
        if (charge.granted || !testRun || attempt === 3) {
          break;
        }
      }
      if (!charge.granted) {
        throw quotaRefusal(records.length, charge.quota);
      }
      reply.header(RECORD_COUNT_HEADER, String(records.length));
      return ok(
        {
          category: query.category,
          records,
          count: records.length,
          quota: charge.quota,
          // A test run's sample is its only page: a script paging with the cursor stops here.
          ...(testRun ? { cursor: null, has_more: false } : {})
        },
        request.id
      );
    }
  );
}
