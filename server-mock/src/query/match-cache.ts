/**
 * Every matching id of a query, kept in memory, least recently used first
 * out. The public data are opened read-only and never change while served
 * (src/data/open.ts), so a query's match set, once listed, stays exact: a
 * later sample of the same query draws from it uniformly without asking
 * SQLite again (researchers re-run and refine the same queries).
 *
 * Bounded by bytes (4 or 8 per id), not by entries: one broad query's set can be
 * megabytes, a narrow one's a few bytes.
 */

/** Ids in memory: 4 bytes each when they all fit, 8 otherwise. */
export type IdArray = Uint32Array | Float64Array;

/** A listed match set. */
export type CachedIds = IdArray;

/** 256 MiB: 32 million ids, e.g. ~40 broad 1,000,000-video queries. */
export const DEFAULT_MATCH_CACHE_BYTES = 256 * 1024 * 1024;

export class MatchCache {
  private readonly entries = new Map<string, CachedIds>();
  private usedBytes = 0;

  constructor(readonly maxBytes: number = DEFAULT_MATCH_CACHE_BYTES) {}

  /** The cached ids of a key (and it becomes the most recently used), or undefined. */
  get(key: string): CachedIds | undefined {
    const found = this.entries.get(key);
    if (found) {
      this.entries.delete(key);
      this.entries.set(key, found);
    }
    return found;
  }

  /** Keep a key's ids, evicting the least recently used; a set larger than the whole cache is not kept. */
  set(key: string, ids: CachedIds): void {
    const existing = this.entries.get(key);
    if (existing) {
      this.entries.delete(key);
      this.usedBytes -= existing.byteLength;
    }
    if (ids.byteLength > this.maxBytes) {
      return;
    }
    for (const [oldest, value] of this.entries) {
      if (this.usedBytes + ids.byteLength <= this.maxBytes) {
        break;
      }
      this.entries.delete(oldest);
      this.usedBytes -= value.byteLength;
    }
    this.entries.set(key, ids);
    this.usedBytes += ids.byteLength;
  }

  get bytes(): number {
    return this.usedBytes;
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * A compiled query's cache key: its table, SQL and bound values, each value
 * with its type (so 5, 5n and "5" never share a key).
 */
export function matchKey(
  table: string,
  where: string,
  params: readonly unknown[]
): string {
  return JSON.stringify([
    table,
    where,
    params.map(value => [typeof value, String(value)])
  ]);
}
