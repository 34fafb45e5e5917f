/** A small seeded generator (mulberry32) and the draws the researchers make. Pure. */

export type Random = () => number;

export function seeded(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

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
