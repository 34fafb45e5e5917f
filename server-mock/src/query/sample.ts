/**
 * Uniform sampling without replacement, the two ways the engine uses (pure:
 * the randomness and the row test are passed in).
 *
 * Why both are uniform: a uniformly random permutation of a set, cut after
 * its first k items, is a uniformly random k-subset. `pickUniform` is that
 * cut of a partial Fisher–Yates shuffle of the matches themselves.
 * `firstMatches` shuffles a *superset* (every row of the table) and keeps the
 * matches it meets in shuffle order: the matches' relative order in a uniform
 * permutation of the superset is itself a uniform permutation of the matches,
 * so the first k kept are a uniform k-subset. It gives up (null) after a
 * budget of draws; whether it gives up depends only on *where* in the shuffle
 * the matches fall, never on *which* match is where, so the samples it does
 * return are still uniform, and the caller then draws afresh from the full
 * list of matches with `pickUniform`: uniform either way.
 */

/** A uniform integer in [0, n). */
export type RandomInt = (n: number) => number;

/**
 * Draw min(k, n) distinct items of `items` uniformly (a partial Fisher–Yates
 * over a virtual copy: O(k) time and memory whatever n), in the order drawn.
 */
export function pickUniform(
  items: ArrayLike<number>,
  k: number,
  random: RandomInt
): number[] {
  const n = items.length;
  const take = Math.min(k, n);
  const swapped = new Map<number, number>();
  const at = (index: number) => swapped.get(index) ?? items[index];
  const picked: number[] = [];
  for (let i = 0; i < take; i++) {
    const j = i + random(n - i);
    const chosen = at(j);
    swapped.set(j, at(i));
    picked.push(chosen);
  }
  return picked;
}

export interface FirstMatchesOptions {
  /** How many to keep. */
  k: number;
  /** The most items of `universe` to draw before giving up. */
  budget: number;
  /** The first batch's size; each next batch is twice the last. */
  firstBatch: number;
}

export interface FirstMatchesResult {
  /** The kept items in shuffle order, or null when the budget ran out first. */
  kept: number[] | null;
  /** How many items were drawn and tested. */
  drawn: number;
}

/**
 * Walk a uniformly random permutation of `universe`, a batch at a time,
 * keeping the items `test` accepts (it returns the accepted subset of a
 * batch), until k are kept. `kept` has them in shuffle order; fewer than k
 * only when the whole universe was drawn (then they are every match); null
 * when the budget ran out first.
 */
export function firstMatches(
  universe: ArrayLike<number>,
  options: FirstMatchesOptions,
  random: RandomInt,
  test: (candidates: number[]) => Set<number>
): FirstMatchesResult {
  const { k } = options;
  const n = universe.length;
  const budget = Math.min(n, options.budget);
  const swapped = new Map<number, number>();
  const at = (index: number) => swapped.get(index) ?? universe[index];
  const kept: number[] = [];
  let drawn = 0;
  let batch = Math.max(1, options.firstBatch);
  while (kept.length < k && drawn < budget) {
    const candidates: number[] = [];
    const end = Math.min(drawn + batch, budget);
    for (; drawn < end; drawn++) {
      const j = drawn + random(n - drawn);
      const chosen = at(j);
      swapped.set(j, at(drawn));
      candidates.push(chosen);
    }
    const accepted = test(candidates);
    for (const id of candidates) {
      if (kept.length < k && accepted.has(id)) {
        kept.push(id);
      }
    }
    batch *= 2;
  }
  return { kept: kept.length >= k || drawn >= n ? kept : null, drawn };
}
