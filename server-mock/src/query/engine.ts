import Database from 'better-sqlite3';
import { randomInt } from 'node:crypto';
import type { PublicData } from '../data/schema';
import { CATALOGUE, type Category } from './catalogue';
import { candidatesOf, listLookup } from './candidates';
import { compileWhere, type CompiledWhere, type StageRules } from './compile';
import { buildIdList, ID_LISTS, type IdList } from './id-lists';
import {
  MatchCache,
  matchKey,
  type CachedIds,
  type IdArray
} from './match-cache';
import { firstMatches, pickUniform, type RandomInt } from './sample';
import type { TypedQuery } from './typed-query';
import { mulberry32 } from './mulberry32';

/**
 * Running a typed query on the public data: a uniformly random sample (test
 * stage) or all matches in id order, paged (execution stage).
 */

export type QueryRecord = Record<string, unknown>;

/** Re-exported: the sampling primitives live in ./sample (pure, tested alone). */
export { firstMatches, pickUniform, type RandomInt } from './sample';

export const cryptoRandomInt: RandomInt = n => (n <= 1 ? 0 : randomInt(n));

/** A seeded generator (mulberry32), for reproducible samples in tests. */
export function seededRandomInt(seed: number): RandomInt {
  const next = mulberry32(seed);
  // Two draws make 53 bits, enough for any table size.
  return n => {
    const u =
      (Math.floor(next() * 2 ** 21) * 2 ** 32 + Math.floor(next() * 2 ** 32)) /
      2 ** 53;
    return Math.floor(u * n);
  };
}

/**
 * A table's row ids (4 bytes an id when they all fit, 8 otherwise) are backed
 * by a SharedArrayBuffer so the query workers (./pool.ts) read the one copy
 * the main thread built instead of each its own; so are the id lists.
 */
export type { IdArray } from './match-cache';

interface DataCache {
  statements: Map<string, Database.Statement>;
  /** Every row id of a table, in no particular order (for rejection sampling). */
  ids: Map<string, IdArray>;
  /** Every matching id of recent queries (the data never change while open). */
  matches: MatchCache;
  /** Queries whose last rejection sample was costly: list their matches next time. */
  costly: Set<string>;
  /** Sorted id lists (./id-lists.ts), by listKey; none until warmUp builds them. */
  lists: Map<string, IdList>;
}

const caches = new WeakMap<Database.Database, DataCache>();

function cacheOf(db: Database.Database): DataCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = {
      statements: new Map(),
      ids: new Map(),
      matches: new MatchCache(),
      costly: new Set(),
      lists: new Map()
    };
    caches.set(db, cache);
  }
  return cache;
}

function statement(db: Database.Database, sql: string): Database.Statement {
  const cache = cacheOf(db).statements;
  let found = cache.get(sql);
  if (!found) {
    found = db.prepare(sql);
    if (cache.size > 500) {
      cache.clear();
    }
    cache.set(sql, found);
  }
  return found;
}

/** Tables up to this many rows keep their ids in memory for the fast sampling path. */
const MAX_CACHED_IDS = 5_000_000;

function allIds(
  db: Database.Database,
  table: string,
  source: Database.Database = db
): IdArray | null {
  const cache = cacheOf(db).ids;
  let ids = cache.get(table);
  if (!ids) {
    const count =
      (source
        .prepare(`SELECT count(*) FROM ${table}`)
        .pluck()
        .get() as number) ?? 0;
    if (count > MAX_CACHED_IDS) {
      return null;
    }
    // No ORDER BY: SQLite reads the ids from its smallest index instead of the
    // whole table (0.3 s instead of 0.5 s for 1,000,000 videos); the order
    // does not matter to a uniform draw.
    const listed = source
      .prepare(`SELECT id FROM ${table}`)
      .pluck()
      .all() as number[];
    ids = sharedIdArray(listed);
    cache.set(table, ids);
  }
  return ids;
}

/** Ids in shared memory: Uint32 when every id fits, Float64 otherwise. */
function sharedIdArray(listed: number[]): IdArray {
  const small = listed.every(id => id >= 0 && id <= 0xffffffff);
  const bytes = small ? 4 : 8;
  const ids = small
    ? new Uint32Array(new SharedArrayBuffer(listed.length * bytes))
    : new Float64Array(new SharedArrayBuffer(listed.length * bytes));
  ids.set(listed);
  return ids;
}

/** A match list as kept in the match cache: Uint32 when every id fits (half the bytes). */
function compactIds(listed: number[]): CachedIds {
  return listed.every(id => id >= 0 && id <= 0xffffffff)
    ? Uint32Array.from(listed)
    : Float64Array.from(listed);
}

/** What the query workers share with the main thread: every table's ids and the id lists. */
export interface SharedEngineState {
  ids: Record<string, IdArray>;
  lists: IdList[];
}

/** The shared state (loading the table ids not loaded yet), to hand to the query workers. */
export function sharedEngineState(data: PublicData): SharedEngineState {
  const ids: Record<string, IdArray> = {};
  for (const category of Object.keys(CATALOGUE) as Category[]) {
    const table = CATALOGUE[category].table;
    const loaded = allIds(data.db, table);
    if (loaded) {
      ids[table] = loaded;
    }
  }
  return { ids, lists: [...cacheOf(data.db).lists.values()] };
}

function listKey(
  table: string,
  termColumn: string | null,
  sortColumn: string | null
): string {
  return `${table}|${termColumn ?? ''}|${sortColumn ?? ''}`;
}

/**
 * A worker's side of `sharedEngineState`: its own connection to the same data
 * uses the given ids and lists (the same rows: the data never change while
 * open), and its match cache holds at most `matchCacheBytes`.
 */
export function adoptEngineState(
  data: PublicData,
  state: Partial<SharedEngineState> & { matchCacheBytes?: number }
): void {
  const cache = cacheOf(data.db);
  for (const [table, ids] of Object.entries(state.ids ?? {})) {
    cache.ids.set(table, ids);
  }
  for (const list of state.lists ?? []) {
    cache.lists.set(
      listKey(list.table, list.termColumn, list.sortColumn),
      list
    );
  }
  if (state.matchCacheBytes !== undefined) {
    cache.matches = new MatchCache(state.matchCacheBytes);
  }
}

/**
 * Build the id lists of ./id-lists.ts (ID_LISTS) for this data set: ~65 MiB
 * of shared memory for 1,000,000 videos (4 bytes a row's position, 4 its
 * value), a few seconds at start (more on a busy machine: 12 s at load 12).
 */
export function buildIdLists(
  data: PublicData,
  source: Database.Database = data.db
): void {
  const cache = cacheOf(data.db);
  const sorted = new Set<string>();
  for (const spec of ID_LISTS) {
    const key = listKey(spec.table, spec.termColumn, spec.sortColumn);
    const universe = allIds(data.db, spec.table, source);
    if (!universe || cache.lists.has(key)) {
      continue;
    }
    if (!sorted.has(spec.table)) {
      // Lists hold positions in the table's ids, found by binary search: sorted
      // once, before any list (a uniform draw does not care about the order).
      universe.sort();
      sorted.add(spec.table);
    }
    const list = buildIdList(source, spec, universe);
    if (list) {
      cache.lists.set(key, list);
    }
  }
}

/**
 * Load every table's ids now rather than on its first query (~0.3 s for
 * 1,000,000 videos, ~0.9 s for their 2.9 million comments), and the id lists
 * unless `idLists` is false.
 */
export function warmUp(
  data: PublicData,
  options: { idLists?: boolean } = {}
): void {
  // A connection of its own, without mmap: the index pages these scans read
  // are not left mapped into the process (its RSS) once they are done.
  const source = data.db.memory
    ? data.db
    : new Database(data.db.name, { readonly: true, fileMustExist: true });
  try {
    for (const category of Object.keys(CATALOGUE) as Category[]) {
      allIds(data.db, CATALOGUE[category].table, source);
    }
    if (options.idLists !== false) {
      buildIdLists(data, source);
    }
  } finally {
    if (source !== data.db) {
      source.close();
    }
  }
}

/** The selected columns of a category's fields, plus the id (as `__id`). */
function selectList(category: Category, fields: string[]): string {
  const returnable = CATALOGUE[category].returnable;
  return [
    't.id AS __id',
    ...fields.filter(field => field in returnable).map(field => `t.${field}`)
  ].join(', ');
}

/** A row → the record the API returns: requested fields only, lists decoded, absent values omitted. */
function toRecord(
  category: Category,
  fields: string[],
  row: Record<string, unknown>
): QueryRecord {
  const returnable = CATALOGUE[category].returnable;
  const record: QueryRecord = {};
  for (const field of fields) {
    const value = row[field];
    if (value === null || value === undefined) {
      continue; // docs/research/research-api.md §2: absent values are omitted
    }
    switch (returnable[field]) {
      case 'bool':
        record[field] = value === 1 || value === true;
        break;
      case 'json_list': {
        const list =
          typeof value === 'string' ? (JSON.parse(value) as unknown[]) : [];
        // docs/research/research-api.md §2 (captures): effect_ids present only when non-empty.
        if (list.length > 0) {
          record[field] = list;
        }
        break;
      }
      default:
        record[field] = value;
    }
  }
  return record;
}

/**
 * Ids fetched per run of one prepared statement with a fixed list of
 * placeholders: ~25% faster than a json_each() list for 100 rows of
 * 1,000,000 videos (0.27 ms instead of 0.35 ms).
 */
const FETCH_CHUNK = 100;
const FETCH_PLACEHOLDERS = new Array(FETCH_CHUNK).fill('?').join(', ');

/** The records of the given ids, in the given order. */
export function fetchRecords(
  data: PublicData,
  category: Category,
  ids: number[],
  fields: string[]
): QueryRecord[] {
  if (ids.length === 0) {
    return [];
  }
  const table = CATALOGUE[category].table;
  const fetch = statement(
    data.db,
    `SELECT ${selectList(category, fields)} FROM ${table} t WHERE t.id IN (${FETCH_PLACEHOLDERS})`
  );
  const rows: Record<string, unknown>[] = [];
  for (let start = 0; start < ids.length; start += FETCH_CHUNK) {
    const chunk: (number | null)[] = ids.slice(start, start + FETCH_CHUNK);
    while (chunk.length < FETCH_CHUNK) {
      chunk.push(null); // NULL IN (…) matches nothing
    }
    rows.push(...(fetch.all(...chunk) as Record<string, unknown>[]));
  }
  const byId = new Map(rows.map(row => [row.__id as number, row]));
  return ids
    .filter(id => byId.has(id))
    .map(id => toRecord(category, fields, byId.get(id)!));
}

/**
 * Every matching id, in no particular order (no ORDER BY: it would make
 * SQLite walk the table in id order instead of using the condition's index).
 */
export function matchingIds(
  data: PublicData,
  query: TypedQuery,
  rules: StageRules = {}
): number[] {
  const compiled = compileWhere(query, 'scan', rules);
  return statement(
    data.db,
    compiled.idsSql ??
      `SELECT t.id FROM ${compiled.table} t WHERE ${compiled.where}`
  )
    .pluck()
    .all(...compiled.params) as number[];
}

/** The match cache of an open data set (for tests and the bench). */
export function matchCacheOf(data: PublicData): MatchCache {
  return cacheOf(data.db).matches;
}

/** How many records match (from the match cache when the query's matches are listed there). */
export function countMatches(data: PublicData, query: TypedQuery): number {
  const compiled = compileWhere(query);
  const cached = cacheOf(data.db).matches.get(
    matchKey(compiled.table, compiled.where, compiled.params)
  );
  if (cached) {
    return cached.length;
  }
  if (compiled.where === '1') {
    const universe = allIds(data.db, compiled.table);
    if (universe) {
      return universe.length;
    }
  }
  return statement(
    data.db,
    `SELECT count(*) FROM ${compiled.table} t WHERE ${compiled.where}`
  )
    .pluck()
    .get(...compiled.params) as number;
}

/**
 * How many random rows the rejection path may test before it lists every
 * match instead: 30 per record wanted, at least 2,000. Measured on 1,000,000
 * videos (bench/query.ts): testing a row costs ~1.5–3 µs (a rowid lookup),
 * listing a match from an index ~0.1–2 µs, so for 100 records the break-even
 * is near sqrt(100 × 1e6 × 0.1) ≈ 3,000 tests; past the budget the query
 * matches under ~3% of the table and its list is small enough to keep.
 */
export function rejectionBudget(k: number): number {
  return Math.max(2000, 30 * k);
}

/**
 * A query whose rejection sample tested more rows than this (~1 ms) has its
 * matches listed and kept the next time it comes (a researcher re-running it).
 */
export const LIST_ON_REPEAT_DRAWN = 500;

/**
 * …unless its estimated match count (table rows × limit ÷ rows tested) is
 * over this: listing 250,000 ids from an index takes ~25–50 ms, about as long
 * as ten such rejection samples; a broader query stays on rejection sampling.
 */
export const MAX_LIST_ON_REPEAT = 250_000;

/** A single hashtag/effect condition with at most this many matches is listed at once (~2 ms). */
export const SMALL_LIST = 20_000;

/** Remembered keys of costly rejection samples: at most this many. */
const MAX_COSTLY_KEYS = 10_000;

/** The rules the test stage adds on this data set (PublicData.testStageMinFollowers). */
export function testStageRules(data: PublicData): StageRules {
  return data.testStageMinFollowers === undefined
    ? {}
    : { minCreatorFollowers: data.testStageMinFollowers };
}

/**
 * A uniformly random sample of at most `limit` matching ids (./sample says
 * why each path is uniform):
 *
 * 1. no condition: a direct draw from the table's ids;
 * 2. the query's matches already listed (the match cache): a direct draw;
 * 3. with the id lists (./id-lists.ts, built by warmUp): the exact rows of
 *    one condition every match meets (a range, a region and date range, a
 *    hashtag; ./candidates.ts): a direct draw when that condition is the
 *    whole query, else rejection sampling over those rows (a superset);
 * 4. broad queries: test random rows of the table until `limit` match
 *    (rejection sampling, within a budget);
 * 5. otherwise, or when the same query's rejection sample was costly before,
 *    list every match once (SQLite drives it from the condition's index),
 *    keep the list in the match cache, draw from it.
 *
 * Never ORDER BY random(): that reads and sorts every match on every query.
 */
export function sampleIds(
  data: PublicData,
  query: TypedQuery,
  random: RandomInt
): number[] {
  const rules = testStageRules(data);
  const scan: CompiledWhere = compileWhere(query, 'scan', rules);
  const k = query.limit;
  const universe = allIds(data.db, scan.table);
  if (universe && scan.where === '1') {
    return pickUniform(universe, k, random);
  }
  const cache = cacheOf(data.db);
  const key = matchKey(scan.table, scan.where, scan.params);
  const cached = cache.matches.get(key);
  if (cached) {
    return pickUniform(cached, k, random);
  }
  const probe = compileWhere(query, 'probe', rules);
  // 3. The id lists: the exact set of one condition every match meets.
  let rejected = false;
  const candidates =
    cache.lists.size > 0
      ? candidatesOf(
          query,
          listLookup(cache.lists.values()),
          rules.minCreatorFollowers !== undefined
        )
      : null;
  if (candidates && universe) {
    const toId = (position: number) => universe[position];
    if (candidates.exact) {
      return pickUniform(candidates.positions, k, random).map(toId);
    }
    if (
      probe.cheapProbe &&
      !cache.costly.has(key) &&
      candidates.positions.length < universe.length
    ) {
      const { kept } = rejectFrom(
        data,
        probe,
        candidates.positions,
        k,
        random,
        toId
      );
      if (kept) {
        return kept.map(toId);
      }
      rejected = true;
    }
  }
  if (scan.idsSql && probe.cheapProbe) {
    // One hashtag/effect condition: its first SMALL_LIST + 1 matches straight
    // from the index cost less than a failed rejection sample; all of them
    // (no more than SMALL_LIST) are the whole list, kept and drawn from.
    const head = statement(data.db, `${scan.idsSql} LIMIT ?`)
      .pluck()
      .all(...scan.params, SMALL_LIST + 1) as number[];
    if (head.length <= SMALL_LIST) {
      const all = compactIds(head);
      cache.matches.set(key, all);
      return pickUniform(all, k, random);
    }
  }
  if (
    universe &&
    universe.length > 0 &&
    probe.cheapProbe &&
    !rejected &&
    !cache.costly.has(key)
  ) {
    const { kept, drawn } = rejectFrom(data, probe, universe, k, random);
    if (kept) {
      if (
        drawn > LIST_ON_REPEAT_DRAWN &&
        (universe.length * k) / drawn <= MAX_LIST_ON_REPEAT
      ) {
        if (cache.costly.size >= MAX_COSTLY_KEYS) {
          cache.costly.clear();
        }
        cache.costly.add(key);
      }
      return kept;
    }
  }
  cache.costly.delete(key);
  const all = compactIds(matchingIds(data, query, rules));
  cache.matches.set(key, all);
  return pickUniform(all, k, random);
}

/**
 * Rejection sampling (./sample.ts firstMatches) over `superset`: random rows
 * of it tested against the query's probe, within rejectionBudget(k).
 */
function rejectFrom(
  data: PublicData,
  probe: CompiledWhere,
  superset: ArrayLike<number>,
  k: number,
  random: RandomInt,
  toId?: (item: number) => number
) {
  const test = statement(
    data.db,
    `SELECT t.id FROM ${probe.table} t WHERE t.id IN (SELECT value FROM json_each(?)) AND (${probe.where})`
  ).pluck();
  const accepted = (ids: number[]) =>
    new Set(test.all(JSON.stringify(ids), ...probe.params) as number[]);
  return firstMatches(
    superset,
    { k, budget: rejectionBudget(k), firstBatch: Math.max(64, 2 * k) },
    random,
    toId
      ? items => {
          const ids = accepted(items.map(toId));
          return new Set(items.filter(item => ids.has(toId(item))));
        }
      : accepted
  );
}

/** The test stage: a uniformly random sample, as records. */
export function sampleRecords(
  data: PublicData,
  query: TypedQuery,
  random: RandomInt
): QueryRecord[] {
  return fetchRecords(
    data,
    query.category,
    sampleIds(data, query, random),
    query.fields
  );
}

/** The execution stage: matches after `afterId` in id order, at most `limit`. */
export function pageRecords(
  data: PublicData,
  query: TypedQuery,
  afterId: number | null,
  limit: number
): { records: QueryRecord[]; lastId: number | null; hasMore: boolean } {
  const compiled = compileWhere(query);
  const rows = statement(
    data.db,
    `SELECT ${selectList(query.category, query.fields)} FROM ${compiled.table} t
     WHERE (${compiled.where}) AND t.id > ? ORDER BY t.id LIMIT ?`
  ).all(...compiled.params, afterId ?? -1, limit + 1) as Record<
    string,
    unknown
  >[];
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  return {
    records: page.map(row => toRecord(query.category, query.fields, row)),
    lastId: page.length > 0 ? (page[page.length - 1].__id as number) : null,
    hasMore
  };
}
