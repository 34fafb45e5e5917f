import { ApiError } from '../http/errors';
import { utcDay } from '../quota';
import type { ResearchUsage } from '../store';
import type { ResearchBucket, ResearchMeter } from './meter';

export type { ResearchBucket, ResearchUsage };

/**
 * The public Research API's own limits, apart from the VCE test stage's 5,000
 * records (src/quota.ts). Daily figures from docs/research/research-api.md §6
 * (FAQ): 1,000 requests and 100,000 records a day across the video, comment and
 * user APIs; followers/following 20,000 calls and 2,000,000 records a day;
 * reset at 00:00 UTC. The per-minute limit is not documented for the research
 * endpoints: 600 is the generic v2 page's figure (research-api.md §6; TikTok's
 * own wrapper throttles itself at 10 a second, docs/research/research-clients.md §1).
 */
export interface ResearchLimits {
  dailyRequests: number;
  dailyRecords: number;
  followDailyRequests: number;
  followDailyRecords: number;
  perMinute: number;
}

export const DEFAULT_RESEARCH_LIMITS: Readonly<ResearchLimits> = {
  dailyRequests: 1000,
  dailyRecords: 100_000,
  followDailyRequests: 20_000,
  followDailyRecords: 2_000_000,
  perMinute: 600
};

/** The limits given, the defaults for the rest. */
export function resolveResearchLimits(
  limits: Partial<ResearchLimits> = {}
): ResearchLimits {
  return { ...DEFAULT_RESEARCH_LIMITS, ...limits };
}

/** A bucket's daily limits. */
export function bucketLimits(
  limits: ResearchLimits,
  bucket: ResearchBucket
): ResearchUsage {
  return bucket === 'follow'
    ? {
        requests: limits.followDailyRequests,
        records: limits.followDailyRecords
      }
    : { requests: limits.dailyRequests, records: limits.dailyRecords };
}

/** The bucket a research route counts in: followers and following have their own. */
export function researchBucket(path: string): ResearchBucket {
  return /^\/v2\/research\/user\/(followers|following)\/?(\?|$)/.test(path)
    ? 'follow'
    : 'research';
}

/**
 * The observed refusal's message, verbatim (docs/research/research-api.md §6:
 * peata-v2, not in the docs); clients match on the code, some log the message.
 */
export const DAILY_QUOTA_MESSAGE =
  'The API daily quota limit exceeded. Please try again later';

/**
 * 429 `{"data": {}, "error": {"code": "daily_quota_limit_exceeded", "message": …, "log_id"}}`,
 * exactly the observed body. No `Retry-After`: the real one is not known to send
 * it, and a client that honours it (tiktok-metadata-kit, capped at 300 s) would
 * sleep five times for nothing before failing, which is not what a researcher
 * rehearsing will see; C4D waits to the next 00:00 UTC on its own, traktok
 * stops, ResearchTikPy raises.
 */
export function dailyQuotaRefusal(): ApiError {
  return new ApiError(
    429,
    'daily_quota_limit_exceeded',
    DAILY_QUOTA_MESSAGE,
    {}
  );
}

/**
 * A request is admitted while the day has a request left and at least one
 * record left: with the records spent, every answer but an empty one would be
 * refused anyway, so the request is refused up front and not charged.
 */
export function admitsRequest(
  used: ResearchUsage,
  limit: ResearchUsage
): boolean {
  return used.requests + 1 <= limit.requests && used.records < limit.records;
}

/** An answer of `records` fits when the day's records can cover all of them. */
export function admitsRecords(
  used: ResearchUsage,
  records: number,
  limit: ResearchUsage
): boolean {
  return used.records + records <= limit.records;
}

/** Where Research API use is counted: the store's research_usage table. */
export interface ResearchLedger {
  recordResearchUsage(
    clientKey: string,
    day: string,
    bucket: ResearchBucket,
    charge: ResearchUsage,
    fits: (used: ResearchUsage) => boolean
  ): { granted: boolean; used: ResearchUsage };
}

/** Charge `charge` to the client's UTC day in the bucket when `fits`, atomically; else the daily quota's 429. */
function chargeDay(
  ledger: ResearchLedger,
  clientKey: string,
  bucket: ResearchBucket,
  charge: ResearchUsage,
  fits: (used: ResearchUsage) => boolean,
  now: Date
): ApiError | null {
  const grant = ledger.recordResearchUsage(
    clientKey,
    utcDay(now),
    bucket,
    charge,
    fits
  );
  return grant.granted ? null : dailyQuotaRefusal();
}

/**
 * Charge one request to the client's UTC day in the bucket, atomically, or
 * refuse it (the 429 to send; nothing charged). Called once a request is
 * authenticated, past the per-minute limit and its body parsed (a preHandler):
 * a bad token, a rate-limited request or a body that is not JSON costs nothing;
 * a request the route then answers with an error (400, or a fault's 500) has
 * been served and counts, as the real API counts 500s (research-api.md §6).
 */
export function admitResearchRequest(
  ledger: ResearchLedger,
  clientKey: string,
  bucket: ResearchBucket,
  limits: ResearchLimits,
  now: Date
): ApiError | null {
  const limit = bucketLimits(limits, bucket);
  return chargeDay(
    ledger,
    clientKey,
    bucket,
    { requests: 1, records: 0 },
    used => admitsRequest(used, limit),
    now
  );
}

/**
 * Charge an answer's `records` to the client's UTC day in the bucket, once the
 * route knows them and before it answers: all of them, or the whole answer is
 * refused with the daily quota's 429 and no record is charged. Not capped: a
 * capped page would lose its other records silently (the cursor advances by
 * max_count, so no client asks for them again), while a refusal leaves the
 * cursor where it was, for the next day. The request itself stays charged (it
 * was admitted and served).
 */
export function chargeResearchRecords(
  ledger: ResearchLedger,
  clientKey: string,
  bucket: ResearchBucket,
  records: number,
  limits: ResearchLimits,
  now: Date
): ApiError | null {
  const limit = bucketLimits(limits, bucket);
  return chargeDay(
    ledger,
    clientKey,
    bucket,
    { requests: 0, records },
    used => admitsRecords(used, records, limit),
    now
  );
}

/**
 * The routes' meter (./meter.ts, context.researchMeter) over the store: each
 * refusal thrown as the 429 the caller gets.
 */
export function researchQuotaMeter(
  ledger: ResearchLedger,
  limits: ResearchLimits,
  now: () => Date
): ResearchMeter {
  return {
    admit(clientKey, bucket) {
      const refusal = admitResearchRequest(
        ledger,
        clientKey,
        bucket,
        limits,
        now()
      );
      if (refusal) {
        throw refusal;
      }
    },
    chargeRecords(clientKey, bucket, records) {
      const refusal = chargeResearchRecords(
        ledger,
        clientKey,
        bucket,
        records,
        limits,
        now()
      );
      if (refusal) {
        throw refusal;
      }
    }
  };
}
