import type Database from 'better-sqlite3';
import { randomInt } from 'node:crypto';
import type { PublicData } from '../data/schema';
import { CATALOGUE, type Category } from './catalogue';
import { compileWhere, type CompiledWhere } from './compile';
import type { TypedQuery } from './validate';

/**
 * Running a typed query on the public data: a uniformly random sample (test
 * stage) or all matches in id order, paged (execution stage).
 */

export type QueryRecord = Record<string, unknown>;

/** A uniform integer in [0, n). */
export type RandomInt = (n: number) => number;

export const cryptoRandomInt: RandomInt = n => (n <= 1 ? 0 : randomInt(n));

/** A seeded generator (mulberry32), for reproducible samples in tests. */
export function seededRandomInt(seed: number): RandomInt {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // Two draws make 53 bits, enough for any table size.
  return n => {
    const u = (Math.floor(next() * 2 ** 21) * 2 ** 32 + Math.floor(next() * 2 ** 32)) / 2 ** 53;
    return Math.floor(u * n);
  };
}

interface DataCache {
  statements: Map<string, Database.Statement>;
  /** Every row id of a table, ascending (for rejection sampling). */
  ids: Map<string, Float64Array>;
}

const caches = new WeakMap<Database.Database, DataCache>();

function cacheOf(db: Database.Database): DataCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = { statements: new Map(), ids: new Map() };
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

function allIds(db: Database.Database, table: string): Float64Array | null {
  const cache = cacheOf(db).ids;
  let ids = cache.get(table);
  if (!ids) {
    const count = (statement(db, `SELECT count(*) FROM ${table}`).pluck().get() as number) ?? 0;
    if (count > MAX_CACHED_IDS) {
      return null;
    }
    ids = Float64Array.from(statement(db, `SELECT id FROM ${table} ORDER BY id`).pluck().all() as number[]);
    cache.set(table, ids);
  }
  return ids;
}

/** The selected columns of a category's fields, plus the id (as `__id`). */
function selectList(category: Category, fields: string[]): string {
  const returnable = CATALOGUE[category].returnable;
  return ['t.id AS __id', ...fields.filter(field => field in returnable).map(field => `t.${field}`)].join(', ');
}

/** A row → the record the API returns: requested fields only, lists decoded, absent values omitted. */
function toRecord(category: Category, fields: string[], row: Record<string, unknown>): QueryRecord {
  const returnable = CATALOGUE[category].returnable;
  const record: QueryRecord = {};
  for (const field of fields) {
    const value = row[field];
    if (value === null || value === undefined) {
      continue; // research-api.md §2: absent values are omitted
    }
    switch (returnable[field]) {
      case 'bool':
        record[field] = value === 1 || value === true;
        break;
      case 'json_list': {
        const list = typeof value === 'string' ? (JSON.parse(value) as unknown[]) : [];
        // research-api.md §2 (captures): effect_ids present only when non-empty.
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

/** The records of the given ids, in the given order. */
export function fetchRecords(data: PublicData, category: Category, ids: number[], fields: string[]): QueryRecord[] {
  if (ids.length === 0) {
    return [];
  }
  const table = CATALOGUE[category].table;
  const rows = statement(data.db, `SELECT ${selectList(category, fields)} FROM ${table} t WHERE t.id IN (SELECT value FROM json_each(?))`).all(
    JSON.stringify(ids)
  ) as Record<string, unknown>[];
  const byId = new Map(rows.map(row => [row.__id as number, row]));
  return ids.filter(id => byId.has(id)).map(id => toRecord(category, fields, byId.get(id)!));
}

/**
 * Every matching id, in no particular order (no ORDER BY: it would make
 * SQLite walk the table in id order instead of using the condition's index).
 */
export function matchingIds(data: PublicData, query: TypedQuery): number[] {
  const compiled = compileWhere(query);
  return statement(data.db, `SELECT t.id FROM ${compiled.table} t WHERE ${compiled.where}`)
    .pluck()
    .all(...compiled.params) as number[];
}

/** How many records match. */
export function countMatches(data: PublicData, query: TypedQuery): number {
  const compiled = compileWhere(query);
  return statement(data.db, `SELECT count(*) FROM ${compiled.table} t WHERE ${compiled.where}`).pluck().get(...compiled.params) as number;
}

/**
 * Draw k distinct items of `ids` uniformly (a partial Fisher–Yates over a
 * copy), in the random order drawn.
 */
export function pickUniform(ids: ArrayLike<number>, k: number, random: RandomInt): number[] {
  const n = ids.length;
  const take = Math.min(k, n);
  const swapped = new Map<number, number>();
  const at = (index: number) => swapped.get(index) ?? ids[index];
  const picked: number[] = [];
  for (let i = 0; i < take; i++) {
    const j = i + random(n - i);
    const chosen = at(j);
    swapped.set(j, at(i));
    picked.push(chosen);
  }
  return picked;
}

/**
 * A uniformly random sample of at most `limit` matching ids.
 *
 * Fast path (broad queries): walk a random permutation of all the table's ids
 * and keep those that match, a batch at a time, until `limit` are kept. The
 * first k matches of a uniform permutation are a uniform k-subset of the
 * matches. If that needs too many candidates (a narrow query), fall back to
 * listing every match and drawing from them.
 */
export function sampleIds(data: PublicData, query: TypedQuery, random: RandomInt): number[] {
  const compiled: CompiledWhere = compileWhere(query);
  const k = query.limit;
  const universe = allIds(data.db, compiled.table);
  if (universe && compiled.where === '1') {
    return pickUniform(universe, k, random);
  }
  if (universe && universe.length > 0) {
    const budget = Math.min(universe.length, Math.max(2000, 10 * k));
    const test = statement(
      data.db,
      `SELECT t.id FROM ${compiled.table} t WHERE t.id IN (SELECT value FROM json_each(?)) AND (${compiled.where})`
    ).pluck();
    const n = universe.length;
    const swapped = new Map<number, number>();
    const at = (index: number) => swapped.get(index) ?? universe[index];
    const kept: number[] = [];
    let drawn = 0;
    let batch = Math.min(Math.max(64, 2 * k), budget);
    while (kept.length < k && drawn < budget) {
      const candidates: number[] = [];
      const end = Math.min(drawn + batch, budget);
      for (; drawn < end; drawn++) {
        const j = drawn + random(n - drawn);
        const chosen = at(j);
        swapped.set(j, at(drawn));
        candidates.push(chosen);
      }
      const matched = new Set(test.all(JSON.stringify(candidates), ...compiled.params) as number[]);
      for (const id of candidates) {
        if (matched.has(id) && kept.length < k) {
          kept.push(id);
        }
      }
      batch *= 2;
    }
    if (kept.length >= k || drawn >= n) {
      return kept;
    }
  }
  return pickUniform(matchingIds(data, query), k, random);
}

/** The test stage: a uniformly random sample, as records. */
export function sampleRecords(data: PublicData, query: TypedQuery, random: RandomInt): QueryRecord[] {
  return fetchRecords(data, query.category, sampleIds(data, query, random), query.fields);
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
  ).all(...compiled.params, afterId ?? -1, limit + 1) as Record<string, unknown>[];
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  return {
    records: page.map(row => toRecord(query.category, query.fields, row)),
    lastId: page.length > 0 ? (page[page.length - 1].__id as number) : null,
    hasMore
  };
}
