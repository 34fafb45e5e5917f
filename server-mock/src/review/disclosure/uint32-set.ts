/**
 * An exact set of 32-bit values in about half the memory of a sorted
 * Uint32Array: the values are bucketed by their top 16 bits (`starts`, one
 * offset per bucket) and only their low 16 bits are kept (`lows`, sorted
 * within a bucket, duplicates removed). `has` is a binary search inside one
 * bucket. The two arrays are what the index file stores (disclosure/file.ts).
 */
export const UINT32_SET_BUCKETS = 1 << 16;

export class Uint32Set {
  constructor(
    /** `UINT32_SET_BUCKETS + 1` offsets into `lows`: bucket b is lows[starts[b] .. starts[b + 1]). */
    readonly starts: Uint32Array,
    readonly lows: Uint16Array
  ) {
    if (starts.length !== UINT32_SET_BUCKETS + 1) {
      throw new Error('Uint32Set: wrong number of buckets');
    }
    if (starts[UINT32_SET_BUCKETS] !== lows.length) {
      throw new Error('Uint32Set: buckets do not cover the values');
    }
  }

  /** From sorted values (duplicates allowed). */
  static fromSorted(sorted: Uint32Array): Uint32Set {
    const starts = new Uint32Array(UINT32_SET_BUCKETS + 1);
    const lows = new Uint16Array(sorted.length);
    let kept = 0;
    let bucket = 0;
    for (let i = 0; i < sorted.length; i++) {
      const value = sorted[i];
      if (i > 0 && value === sorted[i - 1]) {
        continue;
      }
      const top = value >>> 16;
      while (bucket < top) {
        starts[++bucket] = kept;
      }
      lows[kept++] = value & 0xffff;
    }
    while (bucket < UINT32_SET_BUCKETS) {
      starts[++bucket] = kept;
    }
    return new Uint32Set(starts, lows.slice(0, kept));
  }

  get size(): number {
    return this.lows.length;
  }

  has(value: number): boolean {
    if (!(value >= 0 && value <= 0xffffffff) || value !== Math.floor(value)) {
      return false;
    }
    const top = value >>> 16;
    const low = value & 0xffff;
    const lows = this.lows;
    let from = this.starts[top];
    let to = this.starts[top + 1] - 1;
    while (from <= to) {
      const middle = (from + to) >>> 1;
      const at = lows[middle];
      if (at === low) {
        return true;
      }
      if (at < low) {
        from = middle + 1;
      } else {
        to = middle - 1;
      }
    }
    return false;
  }
}
