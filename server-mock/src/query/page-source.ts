import Database from 'better-sqlite3';
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

const pagingConnections = new WeakMap<Database.Database, PublicData>();

/**
 * The data set on a connection of its own for paging, without memory-mapping:
 * a page walks the whole table, and every mapped page it touches would stay
 * in the platform's RSS (1,000,000 videos: +560 MiB), where SQLite's page
 * cache reads them through a bounded buffer instead (~10% more CPU). An
 * in-memory data set (tests) has only its own connection.
 */
export function pagingData(data: PublicData): PublicData {
  if (data.db.memory || !data.db.readonly) {
    return data;
  }
  let found = pagingConnections.get(data.db);
  if (!found) {
    const db = new Database(data.db.name, {
      readonly: true,
      fileMustExist: true
    });
    db.pragma('query_only = ON');
    db.pragma('mmap_size = 0');
    found = { ...data, db };
    pagingConnections.set(data.db, found);
  }
  return found;
}

export function openPageSource(
  data: PublicData,
  query: TypedQuery,
  afterId: number | null,
  limit: number,
  options?: PageChunkOptions
): PageSource {
  const chunks = pageChunks(pagingData(data), query, afterId, limit, options);
  return {
    next: () => Promise.resolve().then(() => chunks.next()),
    return: () =>
      Promise.resolve(chunks.return({ count: 0, lastId: null, hasMore: false }))
  };
}

/** What the query worker pool's `stream('page', …)` returns (src/query/pool.ts `PoolStream`). */
export interface PoolPageStream extends AsyncIterable<Buffer> {
  /** The generator's return value; null when the consumer stopped early. */
  readonly summary: Promise<PageSummary | null>;
}

/** The query worker pool, as far as paging needs it (src/query/pool.ts `QueryRunner`). */
export interface PageRunner {
  stream(
    op: 'page',
    args: {
      query: TypedQuery;
      afterId: number | null;
      limit: number;
      chunkRecords?: number;
    }
  ): PoolPageStream;
}

/** A page from the worker pool, as a PageSource (the summary once the chunks are done). */
export function poolPageSource(stream: PoolPageStream): PageSource {
  const chunks = stream[Symbol.asyncIterator]();
  return {
    async next() {
      const step = await chunks.next();
      if (!step.done) {
        return { done: false, value: step.value };
      }
      const summary = await stream.summary;
      if (summary === null) {
        throw new Error('the page stream ended without its summary');
      }
      return { done: true, value: summary };
    },
    async return() {
      await chunks.return?.();
      return { done: true, value: { count: 0, lastId: null, hasMore: false } };
    }
  };
}

/** The page's chunks: from the worker pool when there is one, else from this thread. */
export function pageSource(
  data: PublicData,
  query: TypedQuery,
  afterId: number | null,
  limit: number,
  runner?: PageRunner | null
): PageSource {
  return runner
    ? poolPageSource(runner.stream('page', { query, afterId, limit }))
    : openPageSource(data, query, afterId, limit);
}
