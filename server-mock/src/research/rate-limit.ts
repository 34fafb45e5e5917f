import { ApiError } from '../http/errors';

/** The window of the per-minute limit, in milliseconds. */
export const RATE_WINDOW_MS = 60_000;

export type RateDecision =
  { admitted: true } | { admitted: false; retryAfterSeconds: number };

/**
 * The Research API's per-minute limit per client, in memory (a restart starts
 * every window afresh): a sliding window of the last 60 s, so a client may send
 * `perWindow` requests in any 60 s, not 2 × `perWindow` across a minute's edge.
 * The research endpoints' own figure is not documented; the default 600 is the
 * generic v2 page's (docs/research/research-api.md §6). Only admitted requests
 * enter the window: a client that keeps knocking while refused is let in again
 * exactly when the Retry-After it was given says.
 */
export class SlidingWindowLimiter {
  constructor(
    readonly perWindow: number,
    readonly windowMs = RATE_WINDOW_MS
  ) {
    if (!Number.isInteger(perWindow) || perWindow < 1) {
      throw new RangeError(
        `the per-minute limit must be a whole number of at least 1, not ${perWindow}`
      );
    }
  }

  /** Admit one request of `key` at `nowMs` (and count it), or say how long to wait. */
  take(key: string, nowMs: number): RateDecision {
    const since = nowMs - this.windowMs;
    const times = (this.windows.get(key) ?? []).filter(time => time > since);
    if (times.length >= this.perWindow) {
      this.windows.set(key, times);
      // The oldest request in the window leaves it at oldest + window; then one more fits.
      const waitMs = times[0] + this.windowMs - nowMs;
      return {
        admitted: false,
        retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000))
      };
    }
    times.push(nowMs);
    this.windows.set(key, times);
    this.forgetIdle(since);
    return { admitted: true };
  }

  /** Drop the windows of clients with no request in the last window (bounded memory). */
  private forgetIdle(since: number): void {
    if (++this.takes % 1000 !== 0) {
      return;
    }
    for (const [key, times] of this.windows) {
      if (times[times.length - 1] <= since) {
        this.windows.delete(key);
      }
    }
  }

  private takes = 0;
  private readonly windows = new Map<string, number[]>();
}

/**
 * 429 `rate_limit_exceeded` in the Research API's envelope (`data` empty, as the
 * daily quota's observed body), with a message that says when to try again; the
 * caller sets the `Retry-After` header to the same seconds.
 */
export function rateLimitRefusal(
  retryAfterSeconds: number,
  perMinute: number
): ApiError {
  return new ApiError(
    429,
    'rate_limit_exceeded',
    `Too many requests: this client may send ${perMinute} requests a minute to the Research API. ` +
      `Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`,
    {}
  );
}
