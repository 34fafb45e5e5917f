/**
 * The test stage's daily record quota: 5,000 records a client a UTC day
 * (seed: "limited to 5,000 records per day"; research-api.md §6: quotas reset
 * at 12 AM UTC).
 */
export const DEFAULT_DAILY_LIMIT = 5000;

/** The UTC day a moment belongs to, "YYYY-MM-DD". */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** The next 00:00 UTC after a moment, as "YYYY-MM-DDT00:00:00Z". */
export function nextUtcMidnight(now: Date): string {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
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

export function quotaView(used: number, dailyLimit: number, now: Date): QuotaView {
  return {
    day: utcDay(now),
    daily_limit: dailyLimit,
    used,
    remaining: Math.max(0, dailyLimit - used),
    resets_at: nextUtcMidnight(now)
  };
}
