import { createHash, randomInt } from 'node:crypto';

/**
 * The video query's searches: a search id names the ordered list of the
 * videos a query matched, so that its next pages (same search id, a higher
 * cursor) read the same list (docs/research/research-api.md §2: "search_id:
 * id of a cached search; resend with cursor for the next page").
 *
 * Searches live in memory, per client, for `ttlMs` after their last use, and
 * in at most `maxBytes` together (the least recently used go first): past
 * either, the platform's own answer, "Search Id … is invalid or expired"
 * (§6, observed), which clients meet on long crawls (§8, traktok#17).
 */

export interface Search {
  id: string;
  clientKey: string;
  /** What the search was issued for: the hash of ./video-request.ts searchFingerprint (a query may be long). */
  fingerprint: string;
  /** The matches, in the order pages read them (descending video id, §2). */
  ids: Float64Array;
  usedAt: number;
}

/** 1 hour after last use (ours: the platform does not say how long it keeps a search). */
export const SEARCH_TTL_MS = 60 * 60 * 1000;
/** 256 MiB of ids in all: 32 searches of 1,000,000 matches. */
export const SEARCHES_MAX_BYTES = 256 * 1024 * 1024;
/** What a search costs beside its ids (its entry, id and hash), counted against the budget: so empty searches count too. */
export const SEARCH_OVERHEAD_BYTES = 256;

/** A fingerprint's fixed-size stand-in. */
export function fingerprintHash(fingerprint: string): string {
  return createHash('sha256').update(fingerprint).digest('base64');
}

const costOf = (search: Search) =>
  search.ids.byteLength + SEARCH_OVERHEAD_BYTES;

/** A search id as the platform's: a 19-digit decimal (§2 example "7201388525814961198"). */
function newSearchId(): string {
  return `7${String(randomInt(0, 2 ** 48 - 1)).padStart(15, '0')}${String(randomInt(0, 1000)).padStart(3, '0')}`;
}

export class SearchCache {
  private readonly searches = new Map<string, Search>();
  private bytes = 0;

  constructor(
    private readonly options: { ttlMs?: number; maxBytes?: number } = {}
  ) {}

  /** Keep a new search of a client's; returns it (its id is new). */
  create(
    clientKey: string,
    fingerprint: string,
    ids: Float64Array,
    now: number
  ): Search {
    let id = newSearchId();
    while (this.searches.has(id)) {
      id = newSearchId();
    }
    const search: Search = {
      id,
      clientKey,
      fingerprint: fingerprintHash(fingerprint),
      ids,
      usedAt: now
    };
    this.searches.set(id, search);
    this.bytes += costOf(search);
    this.evict(now);
    return search;
  }

  /** A client's search by id for the same query, refreshed; null when unknown, another client's or query's, or expired. */
  find(
    id: string,
    clientKey: string,
    fingerprint: string,
    now: number
  ): Search | null {
    this.evict(now);
    const search = this.searches.get(id);
    if (
      !search ||
      search.clientKey !== clientKey ||
      search.fingerprint !== fingerprintHash(fingerprint)
    ) {
      return null;
    }
    // Most recently used last: the Map's order is the eviction order.
    this.searches.delete(id);
    search.usedAt = now;
    this.searches.set(id, search);
    return search;
  }

  get size(): number {
    return this.searches.size;
  }

  private evict(now: number): void {
    const ttl = this.options.ttlMs ?? SEARCH_TTL_MS;
    const maxBytes = this.options.maxBytes ?? SEARCHES_MAX_BYTES;
    for (const [id, search] of this.searches) {
      const expired = now - search.usedAt > ttl;
      if (!expired && this.bytes <= maxBytes) {
        break;
      }
      if (expired || this.searches.size > 1) {
        this.searches.delete(id);
        this.bytes -= costOf(search);
      } else {
        break;
      }
    }
  }
}
