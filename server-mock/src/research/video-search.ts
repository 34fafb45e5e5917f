import type { QueryRunner } from '../query/pool';
import { pickUniform, type RandomInt } from '../query/sample';
import { invalidParams } from './body';
import type { Search, SearchCache } from './searches';
import { searchFingerprint, type VideoQueryRequest } from './video-request';

/**
 * One page of a video search (docs/research/research-api.md §2): the matches
 * in descending video id, `max_count` from `cursor`; the next cursor is
 * `cursor + max_count` (the captures: it advances by max_count, not by what
 * was returned) and `has_more` says whether matches remain. A search id
 * names the list, kept in `searches`, so later pages read the same list.
 * With `is_random`, max_count matches drawn uniformly, in one page.
 */
export interface SearchPage {
  ids: number[];
  cursor: number;
  hasMore: boolean;
  searchId: string;
}

/** The platform's words for an unknown or expired search id (§6, observed). */
export function searchIdExpired(searchId: string): Error {
  return invalidParams(`Search Id ${searchId} is invalid or expired`);
}

/**
 * The search a page continues: the client's, for the same query, still kept;
 * null for a first page (no search id); "Search Id … is invalid or expired"
 * otherwise.
 */
export function continuedSearch(
  request: VideoQueryRequest,
  clientKey: string,
  searches: SearchCache,
  now: number
): Search | null {
  if (request.searchId === null) {
    return null;
  }
  const search = searches.find(
    request.searchId,
    clientKey,
    searchFingerprint(request),
    now
  );
  if (!search) {
    throw searchIdExpired(request.searchId);
  }
  return search;
}

/** The page of a search: `continued` (./continuedSearch), or a new search of the query's matches. */
export async function videoSearchPage(
  request: VideoQueryRequest,
  continued: Search | null,
  clientKey: string,
  queries: QueryRunner,
  searches: SearchCache,
  now: number,
  random: RandomInt
): Promise<SearchPage> {
  let search = continued;
  if (!search) {
    const ids = await queries.run('sortedIds', {
      query: request.query,
      order: 'desc'
    });
    search = searches.create(clientKey, searchFingerprint(request), ids, now);
  }
  if (request.isRandom) {
    const picked = pickUniform(search.ids, request.maxCount, random);
    return {
      ids: picked,
      cursor: picked.length,
      hasMore: false,
      searchId: search.id
    };
  }
  const from = Math.min(request.cursor, search.ids.length);
  const to = Math.min(request.cursor + request.maxCount, search.ids.length);
  return {
    ids: Array.from(search.ids.subarray(from, to)),
    cursor: request.cursor + request.maxCount,
    hasMore: request.cursor + request.maxCount < search.ids.length,
    searchId: search.id
  };
}
