/** Retry delays after failures: exponential, capped, with a little jitter. */
export interface IBackoffOptions {
  /** Delay after the first failure, in ms. */
  initialMs: number;
  /** Longest delay, in ms. */
  maxMs: number;
  /** Growth per failure (default 2). */
  factor?: number;
  /** Fraction of the delay that is randomised, 0–1 (default 0.2). */
  jitter?: number;
}

/**
 * The delay before retry number `failures` (1 = the first failure).
 *
 * @param random a source in [0, 1); injectable for tests
 */
export function backoffDelay(
  failures: number,
  options: IBackoffOptions,
  random: () => number = Math.random
): number {
  const { initialMs, maxMs, factor = 2, jitter = 0.2 } = options;
  const exponent = Math.max(0, failures - 1);
  const base = Math.min(maxMs, initialMs * Math.pow(factor, exponent));
  const spread = base * jitter;
  return Math.round(Math.min(maxMs, base - spread + 2 * spread * random()));
}
