import type { PublicData } from '../data/schema';
import type { Category } from './catalogue';
import {
  countMatches,
  cryptoRandomInt,
  fetchRecords,
  matchingIds,
  pageRecords,
  sampleIds,
  sampleRecords,
  seededRandomInt,
  type QueryRecord,
  type RandomInt
} from './engine';
import { pagingData } from './page-source';
import {
  playlistPage,
  userListPage,
  type PlaylistArgs,
  type UserListAnswer,
  type UserListArgs
} from '../research/user-graph';
import { pageChunks, type PageSummary } from './page-stream';
import type { TypedQuery } from './typed-query';

/**
 * What the query pool (./pool.ts) runs, by name: the same functions in a
 * worker thread or inline (a pool of size 0). Each takes the worker's own
 * read-only connection to the public data and plain, cloneable arguments.
 */

/** A sample's randomness: crypto unless a seed is given (tests compare a worker's sample with an inline one). */
export interface Seeded {
  seed?: number;
}

/** The one-shot operations: name → arguments and result. */
export interface RunOps {
  /** The test stage: a uniformly random sample, as records (engine.sampleRecords). */
  sample: { args: { query: TypedQuery } & Seeded; result: QueryRecord[] };
  /** A test-stage task's sample, as ids (engine.sampleIds). */
  sampleIds: { args: { query: TypedQuery } & Seeded; result: number[] };
  /** How many records match (engine.countMatches). */
  count: { args: { query: TypedQuery }; result: number };
  /** The records of given ids, in their order (engine.fetchRecords). */
  fetch: {
    args: { category: Category; ids: number[]; fields: string[] };
    result: QueryRecord[];
  };
  /**
   * Every match of a query, sorted by id (the public Research API's searches
   * and comment lists, ../research/): everyone's records, no test-stage rule.
   */
  sortedIds: {
    args: { query: TypedQuery; order: 'asc' | 'desc' };
    result: Float64Array;
  };
  /** A page of a user's liked, pinned or reposted videos, followers or following (../research/user-graph.ts). */
  researchUserList: { args: UserListArgs; result: UserListAnswer };
  /** A playlist's info and a page of its video ids, or null (../research/user-graph.ts). */
  researchPlaylist: {
    args: PlaylistArgs;
    result: ReturnType<typeof playlistPage>;
  };
  /** The execution stage: matches after `afterId` in id order (engine.pageRecords). */
  pageRecords: {
    args: { query: TypedQuery; afterId: number | null; limit: number };
    result: { records: QueryRecord[]; lastId: number | null; hasMore: boolean };
  };
}

/** What a page stream returns once its last chunk is out (./page-stream.ts). */
export type { PageSummary };

/** The streamed operations: name → arguments and the summary returned after the last chunk. */
export interface StreamOps {
  /** A page of the execution stage, serialised in chunks (./page-stream.ts `pageChunks`). */
  page: {
    args: {
      query: TypedQuery;
      afterId: number | null;
      limit: number;
      chunkRecords?: number;
    };
    summary: PageSummary;
  };
}

export type RunOpName = keyof RunOps;
export type StreamOpName = keyof StreamOps;

type RunImpl<K extends RunOpName> = (
  data: PublicData,
  args: RunOps[K]['args'],
  random: RandomInt
) => RunOps[K]['result'];

type StreamImpl<K extends StreamOpName> = (
  data: PublicData,
  args: StreamOps[K]['args']
) => Generator<Buffer, StreamOps[K]['summary']>;

/** The seed's generator when one is given, else the caller's (crypto in a worker). */
function randomOf(args: Seeded, fallback: RandomInt): RandomInt {
  return args.seed === undefined ? fallback : seededRandomInt(args.seed);
}

export const RUN_OPS: { [K in RunOpName]: RunImpl<K> } = {
  sample: (data, args, random) =>
    sampleRecords(data, args.query, randomOf(args, random)),
  sampleIds: (data, args, random) =>
    sampleIds(data, args.query, randomOf(args, random)),
  count: (data, args) => countMatches(data, args.query),
  fetch: (data, args) =>
    fetchRecords(data, args.category, args.ids, args.fields),
  sortedIds: (data, args) => {
    const ids = Float64Array.from(matchingIds(data, args.query)).sort();
    return args.order === 'desc' ? ids.reverse() : ids;
  },
  researchUserList: (data, args) => userListPage(data, args),
  researchPlaylist: (data, args) => playlistPage(data, args),
  pageRecords: (data, args) =>
    pageRecords(data, args.query, args.afterId, args.limit)
};

export const STREAM_OPS: { [K in StreamOpName]: StreamImpl<K> } = {
  // On the worker's second connection, without mmap: a page walks the whole table (./page-source.ts).
  page: (data, args) =>
    pageChunks(pagingData(data), args.query, args.afterId, args.limit, {
      chunkRecords: args.chunkRecords
    })
};

/** Run a one-shot operation in this thread. */
export function runOp<K extends RunOpName>(
  data: PublicData,
  op: K,
  args: RunOps[K]['args'],
  random: RandomInt = cryptoRandomInt
): RunOps[K]['result'] {
  const impl = RUN_OPS[op] as RunImpl<K> | undefined;
  if (!impl) {
    throw new Error(`unknown query operation ${String(op)}`);
  }
  return impl(data, args, random);
}

/** Start a streamed operation in this thread. */
export function streamOp<K extends StreamOpName>(
  data: PublicData,
  op: K,
  args: StreamOps[K]['args']
): Generator<Buffer, StreamOps[K]['summary']> {
  const impl = STREAM_OPS[op] as StreamImpl<K> | undefined;
  if (!impl) {
    throw new Error(`unknown query stream ${String(op)}`);
  }
  return impl(data, args);
}
