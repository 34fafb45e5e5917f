/**
 * The test stage's daily record quota: 5,000 records a client a UTC day
 * (docs/research/vce-getting-started.txt: "limited to 5,000 records per day";
 * docs/research/research-api.md §6: quotas reset at 12 AM UTC).
 */
export const DEFAULT_DAILY_LIMIT = 5000;

/** The UTC day a moment belongs to, "YYYY-MM-DD". */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** The next 00:00 UTC after a moment, as "YYYY-MM-DDT00:00:00Z". */
export function nextUtcMidnight(now: Date): string {
  const next = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)
  );
  return next.toISOString().replace('.000Z', 'Z');
}

/** The quota as the API reports it. */
export interface QuotaView {
  day: string;
  daily_limit: number;
  used: number;
  remaining: number;
  resets_at: string;
}

export function quotaView(
  used: number,
  dailyLimit: number,
  now: Date
): QuotaView {
  return {
    day: utcDay(now),
    daily_limit: dailyLimit,
    used,
    remaining: Math.max(0, dailyLimit - used),
    resets_at: nextUtcMidnight(now)
  };
}

/**
 * The quota a change of `day`'s use shows (a charge, a refund), or null when
 * `day` is not today: a refund of a day gone by leaves today's figure as it is.
 */
export function quotaChange(
  day: string,
  used: number,
  dailyLimit: number,
  now: Date
): QuotaView | null {
  return day === utcDay(now) ? quotaView(used, dailyLimit, now) : null;
}

/** What charging records to a client's day gave: granted or not, and the quota after it. */
export interface QuotaCharge {
  granted: boolean;
  quota: QuotaView;
}

/** Where a charge is recorded: the store's usage table (one transaction per charge). */
export interface UsageLedger {
  recordUsage(
    clientKey: string,
    day: string,
    records: number,
    limit: number,
    jobId?: string | null
  ): { granted: boolean; used: number };
}

/**
 * Charge `records` test-stage records to the client's UTC day: all of them or
 * none (a whole refusal, docs/research/research-api.md §6). The one charge path of the query
 * route and the query tasks. `jobId`: the test run whose attempt reads them
 * (its token's job), so that a re-run can undo the charge; null for a
 * researcher's own read.
 */
export function chargeQuota(
  ledger: UsageLedger,
  clientKey: string,
  records: number,
  dailyLimit: number,
  now: Date,
  jobId: string | null = null
): QuotaCharge {
  const grant = ledger.recordUsage(
    clientKey,
    utcDay(now),
    records,
    dailyLimit,
    jobId
  );
  return {
    granted: grant.granted,
    quota: quotaView(grant.used, dailyLimit, now)
  };
}
