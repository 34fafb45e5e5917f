import type Database from 'better-sqlite3';
import { isUtf8 } from 'node:buffer';
import type { PublicData } from '../data/schema';
import { compileWhere } from './compile';
import { pageRecords } from './engine';
import { columnsOf, recordJsonSql, type ColumnInfo } from './page-sql';
import type { TypedQuery } from './typed-query';

/**
 * The execution stage's page as JSON text in chunks, without a JS object per
 * record: SQLite writes each record's JSON (./page-sql.ts) and joins a chunk
 * of them (group_concat), so a chunk costs one string, not thousands of
 * values. The chunks, concatenated, are the inside of the page's `records`
 * array (each chunk after the first starts with a comma); the generator's
 * return value says how many records there were, the last id and whether
 * more match. The records parse to exactly what `pageRecords` returns.
 *
 * Two ways through the page, chosen by SQLite's plan for the query:
 * - the plan walks the table in id order (every query without a condition, and
 *   most with one): each chunk is one short statement restarting after the
 *   previous chunk's last id (keyset), so nothing stays open between chunks;
 * - the plan sorts the matches (ORDER BY needs a temporary b-tree): one
 *   statement for the page, stepped row by row (one string per row), so the
 *   sort runs once.
 */

export interface PageSummary {
  count: number;
  lastId: number | null;
  hasMore: boolean;
}

export interface PageChunkOptions {
  /**
   * Records a chunk, fixed (tests). By default the first chunk has
   * FIRST_CHUNK_RECORDS and the next ones as many as make ~CHUNK_BYTES at
   * the width measured so far.
   */
  chunkRecords?: number;
  /** Tests: take this way whatever SQLite's plan (default: by the plan). */
  way?: 'keyset' | 'rows';
}

export const FIRST_CHUNK_RECORDS = 2_000;
/**
 * What a chunk aims at: ~1 MiB moves from a worker and to the socket with
 * little overhead per chunk (bench:paging: four video fields page at 0.39 of
 * JSON.stringify's rate in ~12,000-record chunks, 0.31 in 2,000-record ones),
 * and wide records (descriptions, transcripts) still make small chunks.
 */
export const CHUNK_BYTES = 1 << 20;
const MAX_CHUNK_RECORDS = 50_000;

/** The next chunk's records: fixed when asked, else ~CHUNK_BYTES at the width seen so far. */
export function nextChunkRecords(
  fixed: number | undefined,
  bytesSoFar: number,
  recordsSoFar: number
): number {
  if (fixed !== undefined) {
    return Math.max(1, fixed);
  }
  if (recordsSoFar === 0 || bytesSoFar === 0) {
    return FIRST_CHUNK_RECORDS;
  }
  const width = bytesSoFar / recordsSoFar;
  return Math.min(
    MAX_CHUNK_RECORDS,
    Math.max(1, Math.floor(CHUNK_BYTES / width))
  );
}

interface PageStatements {
  keyset: boolean;
  /** count, last id, the chunk's text, how many rows had a text. */
  chunk: string;
  /** id, the record's text (NULL: build it the old way). */
  rows: string;
  /** Whether a match follows an id. */
  more: string;
}

const plans = new WeakMap<Database.Database, Map<string, PageStatements>>();

function statementsOf(
  db: Database.Database,
  table: string,
  where: string,
  json: string
): PageStatements {
  let cache = plans.get(db);
  if (!cache) {
    cache = new Map();
    plans.set(db, cache);
  }
  const key = `${table}\u0000${where}\u0000${json}`;
  let found = cache.get(key);
  if (!found) {
    const rows = `SELECT t.id AS __id, ${json} AS j FROM ${table} t WHERE (${where}) AND t.id > ? ORDER BY t.id LIMIT ?`;
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN ${rows}`)
      .all(...new Array((rows.match(/\?/g) ?? []).length).fill(null)) as {
      detail: string;
    }[];
    found = {
      keyset: !plan.some(step => /TEMP B-TREE/i.test(step.detail)),
      // The chunk's text as a BLOB: a Buffer straight from SQLite's bytes, no JS string between.
      // group_concat takes the rows in the subquery's id order (SQLite keeps it for an aggregate
      // over an ordered subquery; the byte-for-byte tests hold it). `ORDER BY __id` inside
      // group_concat would say so but sorts each chunk again: bench:paging halves.
      chunk: `SELECT count(*), max(__id), CAST(? || group_concat(j, ',') AS BLOB), count(j) FROM (${rows})`,
      rows,
      more: `SELECT 1 FROM ${table} t WHERE (${where}) AND t.id > ? ORDER BY t.id LIMIT 1`
    };
    if (cache.size > 200) {
      cache.clear();
    }
    cache.set(key, found);
  }
  return found;
}

const schemas = new WeakMap<
  Database.Database,
  Map<string, Map<string, ColumnInfo>>
>();

/** The table's declared columns (cached: the public data's schema never changes while open). */
function tableColumns(
  db: Database.Database,
  table: string
): Map<string, ColumnInfo> {
  let cache = schemas.get(db);
  if (!cache) {
    cache = new Map();
    schemas.set(db, cache);
  }
  let found = cache.get(table);
  if (!found) {
    found = columnsOf(db, table);
    cache.set(table, found);
  }
  return found;
}

/** A prepared statement, reused unless another page is stepping it right now. */
function prepared(db: Database.Database, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  const found = cache.get(sql);
  if (found && !found.busy) {
    return found;
  }
  const fresh = db.prepare(sql);
  if (!found) {
    if (cache.size > 500) {
      cache.clear();
    }
    cache.set(sql, fresh);
  }
  return fresh;
}
const statements = new WeakMap<
  Database.Database,
  Map<string, Database.Statement>
>();

/** The JSON of one record built the old way (toRecord through pageRecords): rows SQLite cannot write exactly. */
function oldWay(data: PublicData, query: TypedQuery, id: number): string {
  const page = pageRecords(data, query, id - 1, 1);
  return JSON.stringify(page.records[0]);
}

/**
 * A row's JSON as SQLite wrote it, or the old way's when SQLite wrote none or
 * the row holds text that was not UTF-8 (read as U+FFFD, which the old way
 * writes where a value's own bytes were invalid, not the JSON text's).
 */
function rowJson(
  data: PublicData,
  query: TypedQuery,
  id: number,
  json: string | null
): string {
  return json === null || json.includes('\uFFFD')
    ? oldWay(data, query, id)
    : json;
}

export function* pageChunks(
  data: PublicData,
  query: TypedQuery,
  afterId: number | null,
  limit: number,
  options: PageChunkOptions = {}
): Generator<Buffer, PageSummary> {
  let bytes = 0;
  const compiled = compileWhere(query);
  const db = data.db;
  const sql = statementsOf(
    db,
    compiled.table,
    compiled.where,
    recordJsonSql(
      query.category,
      query.fields,
      tableColumns(db, compiled.table)
    )
  );
  const params = compiled.params;
  let count = 0;
  let lastId: number | null = null;
  let after = afterId ?? -1;

  if (options.way ? options.way === 'keyset' : sql.keyset) {
    const chunk = prepared(db, sql.chunk).raw(true);
    for (;;) {
      const wanted = Math.min(
        nextChunkRecords(options.chunkRecords, bytes, count),
        limit - count
      );
      if (wanted <= 0) {
        const more = prepared(db, sql.more).get(...params, after);
        return { count, lastId, hasMore: more !== undefined };
      }
      const [rows, last, text, written] = chunk.get(
        count === 0 ? '' : ',',
        ...params,
        after,
        wanted
      ) as [number, number | null, Buffer | null, number];
      if (rows === 0) {
        return { count, lastId, hasMore: false };
      }
      if (written === rows && isUtf8(text!)) {
        bytes += text!.length;
        yield text!;
      } else {
        // Some row needs the old way (or holds text that is not UTF-8): this chunk again, row by row.
        const listed = prepared(db, sql.rows)
          .raw(true)
          .all(...params, after, wanted) as [number, string | null][];
        const body = listed
          .map(([id, json]) => rowJson(data, query, id, json))
          .join(',');
        const chunkText = Buffer.from(count === 0 ? body : `,${body}`);
        bytes += chunkText.length;
        yield chunkText;
      }
      count += rows;
      lastId = last;
      after = last!;
      if (rows < wanted) {
        return { count, lastId, hasMore: false };
      }
    }
  }

  // The plan sorts: one statement for the whole page (limit + 1 rows: the last says there is more).
  const iterator = prepared(db, sql.rows)
    .raw(true)
    .iterate(...params, after, limit + 1) as IterableIterator<
    [number, string | null]
  >;
  let parts: string[] = [];
  let chunkRecords = nextChunkRecords(options.chunkRecords, 0, 0);
  let hasMore = false;
  try {
    for (const [id, json] of iterator) {
      if (count === limit) {
        hasMore = true;
        break;
      }
      parts.push(rowJson(data, query, id, json));
      count += 1;
      lastId = id;
      if (parts.length === chunkRecords) {
        const text = parts.join(',');
        const first = count === parts.length;
        parts = [];
        bytes += text.length;
        chunkRecords = nextChunkRecords(options.chunkRecords, bytes, count);
        yield Buffer.from(first ? text : `,${text}`);
      }
    }
  } finally {
    iterator.return?.();
  }
  if (parts.length > 0) {
    const text = parts.join(',');
    yield Buffer.from(count === parts.length ? text : `,${text}`);
  }
  return { count, lastId, hasMore };
}
