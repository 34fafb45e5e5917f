import type Database from 'better-sqlite3';
import type { IdArray } from './match-cache';

/**
 * Id lists in memory, built once from the data's own indexes and kept in
 * shared memory (the query workers read the main thread's copy): the row ids
 * of a table sorted by a column (`videos` by like_count, …), and per term of
 * a column the ids sorted by another (`videos` by region_code then
 * create_time; `video_hashtags` by hashtag). A range condition on such a
 * column is then a contiguous slice, found by binary search, and a region or
 * hashtag a slice of its term: the exact set of rows that satisfy the
 * condition, known without listing or counting them in SQLite. The sampler
 * (./engine.ts) draws from such a set directly when it is the whole query, or
 * uses it as the smallest superset to reject from (./sample.ts: uniform
 * either way).
 */

/** Numbers as stored: 4 bytes each when they are all integers in [0, 2^32), 8 otherwise. */
export type NumberArray = Uint32Array | Float64Array;

/**
 * A sorted id list: the rows as positions in the table's ids (sorted
 * ascending: engine.ts sorts them before it builds lists; 4 bytes a row where
 * an id takes 8), in the order of `values` (ascending), per term when `terms`
 * is set.
 */
export interface IdList {
  table: string;
  /** The column the ids are grouped by (one slice per value), or null. */
  termColumn: string | null;
  /** The column the ids are sorted by within a group (null: by id only, no ranges). */
  sortColumn: string | null;
  /** Sorted terms; term i's ids are ids[offsets[i] .. offsets[i + 1]). */
  terms: string[] | null;
  offsets: Uint32Array | null;
  /** Positions in the table's sorted ids. */
  positions: Uint32Array;
  /** sortColumn's value of each row, same order; null without a sortColumn. */
  values: NumberArray | null;
}

/** The lists the engine keeps: (table, term column or null, sort column or null). */
export const ID_LISTS: readonly {
  table: string;
  termColumn: string | null;
  sortColumn: string | null;
  /** The side table the terms come from, when not the table itself. */
  side?: { table: string; idColumn: string };
}[] = [
  { table: 'videos', termColumn: null, sortColumn: 'like_count' },
  { table: 'videos', termColumn: null, sortColumn: 'view_count' },
  { table: 'videos', termColumn: null, sortColumn: 'create_time' },
  { table: 'videos', termColumn: 'region_code', sortColumn: 'create_time' },
  {
    table: 'videos',
    termColumn: 'hashtag_name',
    sortColumn: null,
    side: { table: 'video_hashtags', idColumn: 'video_id' }
  },
  { table: 'comments', termColumn: null, sortColumn: 'like_count' },
  { table: 'users', termColumn: null, sortColumn: 'follower_count' }
];

function fits32(values: number[]): boolean {
  for (const value of values) {
    if (!(value >= 0 && value <= 0xffffffff && Number.isInteger(value))) {
      return false;
    }
  }
  return true;
}

/** Numbers into shared memory, 4 bytes each when they fit. */
export function sharedNumbers(values: number[]): NumberArray {
  const array = fits32(values)
    ? new Uint32Array(new SharedArrayBuffer(values.length * 4))
    : new Float64Array(new SharedArrayBuffer(values.length * 8));
  array.set(values);
  return array;
}

function hasColumn(db: Database.Database, table: string, column: string) {
  return (
    db
      .prepare(`SELECT 1 FROM pragma_table_info(?) WHERE name = ?`)
      .get(table, column) !== undefined
  );
}

/**
 * Build one list from SQLite: two passes over the same index in the same
 * order (ids, then values), each a plain column of numbers (no row objects).
 * Null when the table lacks a column or holds values that are not numbers.
 */
export function buildIdList(
  db: Database.Database,
  spec: (typeof ID_LISTS)[number],
  sortedIds: IdArray
): IdList | null {
  const { table, termColumn, sortColumn, side } = spec;
  const source = side?.table ?? table;
  const idColumn = side?.idColumn ?? 'id';
  if (
    !hasColumn(db, source, idColumn) ||
    (termColumn && !hasColumn(db, source, termColumn)) ||
    (sortColumn && !hasColumn(db, source, sortColumn))
  ) {
    return null;
  }
  const order = [termColumn, sortColumn, idColumn]
    .filter((column): column is string => column !== null)
    .join(', ');
  const ids = db
    .prepare(`SELECT ${idColumn} FROM ${source} ORDER BY ${order}`)
    .pluck()
    .all() as number[];
  let values: NumberArray | null = null;
  if (sortColumn) {
    const listed = db
      .prepare(`SELECT ${sortColumn} FROM ${source} ORDER BY ${order}`)
      .pluck()
      .all() as unknown[];
    if (listed.some(value => typeof value !== 'number')) {
      return null; // NULLs or text: no ranges on this column
    }
    values = sharedNumbers(listed as number[]);
  }
  let terms: string[] | null = null;
  let offsets: Uint32Array | null = null;
  if (termColumn) {
    const counts = db
      .prepare(
        `SELECT ${termColumn} AS term, count(*) AS n FROM ${source} GROUP BY ${termColumn} ORDER BY ${termColumn}`
      )
      .raw()
      .all() as [unknown, number][];
    if (counts.some(([term]) => typeof term !== 'string')) {
      return null;
    }
    terms = counts.map(([term]) => term as string);
    offsets = new Uint32Array(new SharedArrayBuffer((terms.length + 1) * 4));
    let at = 0;
    counts.forEach(([, n], index) => {
      offsets![index] = at;
      at += n;
    });
    offsets[terms.length] = at;
  }
  const positions = new Uint32Array(new SharedArrayBuffer(ids.length * 4));
  for (let i = 0; i < ids.length; i++) {
    const at = positionOf(sortedIds, ids[i]);
    if (at < 0) {
      return null; // a side table's id the table does not hold
    }
    positions[i] = at;
  }
  return { table, termColumn, sortColumn, terms, offsets, positions, values };
}

/** The position of an id in sorted ids, or -1. */
function positionOf(sorted: IdArray, id: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = sorted[mid];
    if (value < id) {
      lo = mid + 1;
    } else if (value > id) {
      hi = mid - 1;
    } else {
      return mid;
    }
  }
  return -1;
}

/** A slice [start, end) of a list's ids. */
export interface Slice {
  start: number;
  end: number;
}

/** The first position in [start, end) whose value is ≥ x (or > x when `strict`). */
function lowerBound(
  values: NumberArray,
  start: number,
  end: number,
  x: number,
  strict: boolean
): number {
  let lo = start;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? values[mid] <= x : values[mid] < x) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/** A range of a sort column: lower and upper bounds, each inclusive or not (absent: open). */
export interface Range {
  min?: { value: number; inclusive: boolean };
  max?: { value: number; inclusive: boolean };
}

/** The positions of [start, end) whose value lies in the range. */
export function rangeSlice(
  list: IdList,
  range: Range,
  start = 0,
  end = list.positions.length
): Slice {
  const values = list.values!;
  const from = range.min
    ? lowerBound(values, start, end, range.min.value, !range.min.inclusive)
    : start;
  const to = range.max
    ? lowerBound(values, start, end, range.max.value, range.max.inclusive)
    : end;
  return { start: from, end: Math.max(from, to) };
}

/** Term lookup tables, per list (built on first use, in each thread). */
const termIndexes = new WeakMap<IdList, Map<string, number>>();

/** The slice of a term (empty when the term never occurs). */
export function termSlice(list: IdList, term: string): Slice {
  let index = termIndexes.get(list);
  if (!index) {
    index = new Map(list.terms!.map((name, i) => [name, i]));
    termIndexes.set(list, index);
  }
  const at = index.get(term);
  return at === undefined
    ? { start: 0, end: 0 }
    : { start: list.offsets![at], end: list.offsets![at + 1] };
}

/** How many ids the slices hold. */
export function sliceCount(slices: Slice[]): number {
  return slices.reduce((sum, slice) => sum + slice.end - slice.start, 0);
}

/** The positions of disjoint slices as one array (a view when there is one slice, else a copy). */
export function slicePositions(list: IdList, slices: Slice[]): Uint32Array {
  const nonEmpty = slices.filter(slice => slice.end > slice.start);
  if (nonEmpty.length === 1) {
    return list.positions.subarray(nonEmpty[0].start, nonEmpty[0].end);
  }
  const out = new Uint32Array(sliceCount(nonEmpty));
  let at = 0;
  for (const slice of nonEmpty) {
    out.set(list.positions.subarray(slice.start, slice.end), at);
    at += slice.end - slice.start;
  }
  return out;
}
