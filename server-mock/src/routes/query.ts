import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ok, type PlatformContext } from '../context';
import type { PublicData } from '../data/schema';
import { ApiError } from '../errors';
import { pageRecords, sampleRecords } from '../query/engine';
import { describeProblems, validateQuery, type Problem, type Stage, type TypedQuery } from '../query/validate';
import { quotaView, utcDay, type QuotaView } from '../quota';
import { JOB_SCOPE, type TokenScope } from '../store';

export const QUERY_PATH = '/v2/vce/query/';

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

/** The stage of a request: a job's token pages all data, any other token gets the test stage. */
export function stageOf(request: FastifyRequest): Stage {
  // The auth hook looked the token up and set its scope.
  return (request.tokenScope as TokenScope) === JOB_SCOPE ? 'job' : 'test';
}

/** 400 invalid_params, with every problem listed beside the error. */
export function sendProblems(request: FastifyRequest, reply: FastifyReply, problems: Problem[]): FastifyReply {
  const message = describeProblems(problems);
  request.log.info({ code: 'invalid_params', status: 400 }, message);
  return reply.status(400).send({ data: { problems }, error: { code: 'invalid_params', message, log_id: request.id } });
}

/** 429: the day's quota cannot cover the records, whole refusal (research-api.md §6: data beside error). */
export function sendQuotaRefusal(request: FastifyRequest, reply: FastifyReply, wanted: number, quota: QuotaView): FastifyReply {
  const message =
    `The API daily quota limit exceeded: this query would return ${wanted} records but ${quota.remaining} of today's ` +
    `${quota.daily_limit.toLocaleString('en-US')} remain; the quota resets at ${quota.resets_at}. ` +
    (quota.remaining > 0 ? `Lower the limit to ${quota.remaining} or less, or try again after the reset.` : 'Try again after the reset.');
  request.log.info({ code: 'daily_quota_limit_exceeded', status: 429 }, message);
  return reply.status(429).send({ data: { quota }, error: { code: 'daily_quota_limit_exceeded', message, log_id: request.id } });
}

/** What a cursor is bound to: the query (not the page size), so a cursor cannot page another query. */
export function queryFingerprint(query: TypedQuery): string {
  const canonical = JSON.stringify(
    {
      category: query.category,
      groups: query.groups.map(group => ({ operator: group.operator, conditions: group.conditions.map(c => [c.field, c.operation, c.values]) })),
      fields: query.fields,
      timeRange: query.timeRange
    },
    (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)
  );
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** An opaque cursor: the last id returned and the query it belongs to. */
export function encodeCursor(position: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ p: position, q: fingerprint })).toString('base64url');
}

/** The position a cursor carries, or a problem saying why it cannot be used. */
export function decodeCursor(cursor: string, fingerprint: string): number | Problem {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { p?: unknown; q?: unknown };
    if (typeof parsed.p !== 'number' || !Number.isSafeInteger(parsed.p) || typeof parsed.q !== 'string') {
      throw new Error('shape');
    }
    if (parsed.q !== fingerprint) {
      return { field: 'cursor', value: cursor, message: 'This cursor belongs to another query: send the same query that returned it, or no cursor to start again.' };
    }
    return parsed.p;
  } catch {
    return { field: 'cursor', value: cursor, message: 'cursor is not one this platform returned: send the cursor of the previous page, or none to start.' };
  }
}

/** Records in a data answer, for the job's data gateway (it counts what a job reads). */
export const RECORD_COUNT_HEADER = 'x-vce-record-count';

/**
 * `POST /v2/vce/query/`: a researcher's token gets a random sample, charged
 * to the day's quota; a job's token gets every match in id order, paged.
 */
export function registerQueryRoute(app: FastifyInstance, context: PlatformContext): void {
  app.post(QUERY_PATH, { config: { jobToken: true } }, async (request, reply) => {
    const data = requireData(context);
    const stage = stageOf(request);
    const validation = validateQuery(request.body, stage);
    if (!validation.ok) {
      return sendProblems(request, reply, validation.problems);
    }
    const query = validation.query;

    if (stage === 'job') {
      const fingerprint = queryFingerprint(query);
      let afterId: number | null = null;
      if (query.cursor) {
        const decoded = decodeCursor(query.cursor, fingerprint);
        if (typeof decoded !== 'number') {
          return sendProblems(request, reply, [decoded]);
        }
        afterId = decoded;
      }
      const page = pageRecords(data, query, afterId, query.limit);
      reply.header(RECORD_COUNT_HEADER, String(page.records.length));
      return ok(
        {
          category: query.category,
          records: page.records,
          count: page.records.length,
          cursor: page.hasMore && page.lastId !== null ? encodeCursor(page.lastId, fingerprint) : null,
          has_more: page.hasMore
        },
        request.id
      );
    }

    const records = sampleRecords(data, query, context.random);
    const now = context.now();
    const grant = context.store.recordUsage(request.clientKey, utcDay(now), records.length, context.dailyLimit);
    if (!grant.granted) {
      return sendQuotaRefusal(request, reply, records.length, quotaView(grant.used, context.dailyLimit, now));
    }
    reply.header(RECORD_COUNT_HEADER, String(records.length));
    return ok(
      { category: query.category, records, count: records.length, quota: quotaView(grant.used, context.dailyLimit, now) },
      request.id
    );
  });
}
