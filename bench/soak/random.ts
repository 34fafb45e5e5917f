/** A small seeded generator (mulberry32) and the draws the researchers make. Pure. */

import { mulberry32 } from '../../server-mock/src/query/mulberry32';

export type Random = () => number;

/** The engine's mulberry32: the same draws for a seed. */
export const seeded: (seed: number) => Random = mulberry32;

/** An exponential pause of the given mean (what a person's think time looks like), capped at 5 means. */
export function pause(random: Random, meanSeconds: number): number {
  return (
    Math.min(-Math.log(1 - random()) * meanSeconds, 5 * meanSeconds) * 1000
  );
}

/** One of `weights`' keys, each with the chance of its weight among those `allowed`. */
export function pick<K extends string>(
  random: Random,
  weights: Record<K, number>,
  allowed: (key: K) => boolean = () => true
): K {
  const keys = (Object.keys(weights) as K[]).filter(key => allowed(key));
  const total = keys.reduce((sum, key) => sum + weights[key], 0);
  let left = random() * total;
  for (const key of keys) {
    left -= weights[key];
    if (left < 0) {
      return key;
    }
  }
  return keys[keys.length - 1];
}
