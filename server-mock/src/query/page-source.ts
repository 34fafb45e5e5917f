import type { PublicData } from '../data/schema';
import {
  pageChunks,
  type PageChunkOptions,
  type PageSummary
} from './page-stream';
import type { TypedQuery } from './typed-query';

/**
 * Where a page's chunks come from: the one place that decides whether the
 * generator of ./page-stream.ts runs in this thread (today) or in the query
 * worker pool (`stream('page', …)`, whose iterator ends with the summary). A
 * chunk is produced only when the previous one was taken (`next()`), and
 * `return()` stops the statement (a client gone mid-page).
 */
export type PageSource = AsyncIterator<Buffer, PageSummary, undefined> & {
  return(): Promise<IteratorResult<Buffer, PageSummary>>;
};

export function openPageSource(
  data: PublicData,
  query: TypedQuery,
  afterId: number | null,
  limit: number,
  options?: PageChunkOptions
): PageSource {
  const chunks = pageChunks(data, query, afterId, limit, options);
  return {
    next: () => Promise.resolve().then(() => chunks.next()),
    return: () =>
      Promise.resolve(chunks.return({ count: 0, lastId: null, hasMore: false }))
  };
}
