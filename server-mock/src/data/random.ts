/**
 * A small, fast, seeded pseudo-random generator (sfc32, seeded through
 * splitmix32) and the draws the data generator needs. Integer arithmetic only
 * in the core, and V8's own (fdlibm) Math.log/exp/cos in the draws, so the
 * same seed gives the same sequence on every machine.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** The second normal of the last Box–Muller pair, or NaN when used. */
  private spareNormal = Number.NaN;

  constructor(seed: number) {
    let state = seed >>> 0;
    const splitmix32 = (): number => {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = splitmix32();
    this.b = splitmix32();
    this.c = splitmix32();
    this.d = splitmix32();
    for (let i = 0; i < 12; i++) {
      this.nextUint32();
    }
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** A standard normal draw (Box–Muller, both halves used). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const spare = this.spareNormal;
      this.spareNormal = Number.NaN;
      return spare;
    }
    const u = 1 - this.next(); // (0, 1]: log stays finite
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** exp(N(mu, sigma)): median e^mu, a long right tail. */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /** A Pareto draw ≥ scale; smaller alpha, heavier tail (alpha ≤ 1: no mean). */
  pareto(scale: number, alpha: number): number {
    return scale / Math.pow(1 - this.next(), 1 / alpha);
  }

  /** Shuffle in place (Fisher–Yates) and return the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const swap = items[i];
      items[i] = items[j];
      items[j] = swap;
    }
    return items;
  }
}

/**
 * Weighted choice among n items in O(log n): the cumulative weights, searched
 * by bisection. Built once, drawn from millions of times.
 */
export class WeightedPicker<T> {
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(
    readonly items: readonly T[],
    weights: readonly number[]
  ) {
    if (items.length === 0 || items.length !== weights.length) {
      throw new RangeError(
        'WeightedPicker needs as many weights as items, at least one'
      );
    }
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((weight, index) => {
      sum += Math.max(0, weight);
      this.cumulative[index] = sum;
    });
    this.total = sum;
  }

  /** The index of a weighted draw. */
  index(random: Random): number {
    const target = random.next() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.cumulative[middle] > target) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    return low;
  }

  pick(random: Random): T {
    return this.items[this.index(random)];
  }

  /** Up to `count` distinct items (fewer if the draws keep repeating). */
  pickDistinct(random: Random, count: number): T[] {
    const chosen: T[] = [];
    for (
      let attempt = 0;
      chosen.length < count && attempt < count * 4;
      attempt++
    ) {
      const item = this.pick(random);
      if (!chosen.includes(item)) {
        chosen.push(item);
      }
    }
    return chosen;
  }
}

/** Zipf-like popularity: the item of rank r (1-based) weighs 1 / r^exponent. */
export function zipfWeights(count: number, exponent = 1.05): number[] {
  return Array.from(
    { length: count },
    (_, index) => 1 / Math.pow(index + 1, exponent)
  );
}
