import { CATALOGUE } from './catalogue';
import type {
  TimeRange,
  TypedCondition,
  TypedQuery,
  Value
} from './typed-query';

/**
 * A typed query → a parameterised WHERE clause over its category's table
 * (aliased `t`). Values are always bound parameters; identifiers come only
 * from the catalogue. Groups combine with AND; within a group `and` needs
 * every condition, `or` any, `not` none.
 */

export interface CompiledWhere {
  table: string;
  /** A boolean SQL expression over `t` ("1" when nothing filters). */
  where: string;
  params: unknown[];
  /**
   * Whether testing given rows (`t.id IN (…) AND where`) is cheap per row:
   * false when a keyword condition makes SQLite list the keyword's every
   * match on each run (an FTS5 lookup per row is slower still: ~20 µs).
   */
  cheapProbe: boolean;
  /**
   * When the whole query is one keyword or hashtag/effect condition: a SELECT
   * of the matching ids straight from its index, same params (no row of the
   * wide videos table read: the FTS5 rowids and side-table video ids are
   * video ids). Listing "recipe" on 1,000,000 videos: ~10 ms instead of ~55 ms.
   */
  idsSql?: string;
}

/**
 * `scan`: for listing every match, side-table conditions as `id IN (subquery)`
 * so SQLite can drive the scan from the side table's (value, video_id) index.
 * `probe`: for testing a few given rows, side-table conditions as a correlated
 * EXISTS, one primary-key lookup per row instead of listing the value's every
 * video on each run (EXPLAIN QUERY PLAN: "SEARCH h EXISTS USING COVERING INDEX").
 */
export type CompileMode = 'scan' | 'probe';

/**
 * The follower floor of one version of the guide's test stage
 * (docs/research/research-api.md §7, docs/research/vce-sdk.md).
 */
export const GUIDE_TEST_STAGE_MIN_FOLLOWERS = 25_000;

/** Rules a stage adds to every query (none by default). */
export interface StageRules {
  /**
   * Only records of creators with at least this many followers: videos by
   * them, comments on their videos, the users themselves. One version of the
   * platform's guide limits the test stage to creators with ≥ 25,000
   * followers (docs/research/research-api.md §7, docs/research/vce-sdk.md "The two stages").
   */
  minCreatorFollowers?: number;
}

/** The clause of `StageRules.minCreatorFollowers` for a table, its one parameter pushed. */
function creatorRule(
  table: string,
  minFollowers: number,
  mode: CompileMode,
  params: unknown[]
): string {
  params.push(minFollowers);
  switch (table) {
    case 'users':
      return 't.follower_count >= ?';
    case 'videos':
      return mode === 'probe'
        ? 'EXISTS (SELECT 1 FROM users u WHERE u.id = t.user_id AND u.follower_count >= ?)'
        : 't.user_id IN (SELECT id FROM users WHERE follower_count >= ?)';
    default:
      return mode === 'probe'
        ? 'EXISTS (SELECT 1 FROM videos v JOIN users u ON u.id = v.user_id WHERE v.id = t.video_id AND u.follower_count >= ?)'
        : 't.video_id IN (SELECT v.id FROM videos v JOIN users u ON u.id = v.user_id WHERE u.follower_count >= ?)';
  }
}

/** An FTS5 phrase: the term in double quotes, its quotes doubled (never FTS syntax). */
export function ftsPhrase(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/** A LIKE pattern for "contains": % and _ and the escape character itself escaped. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, match => `\\${match}`)}%`;
}

/**
 * Any of the parts, as a balanced tree of ORs: SQLite refuses an expression
 * deeper than 1,000 (SQLITE_MAX_EXPR_DEPTH), and a flat `a OR b OR …` of a
 * condition's 1,000 values is 1,000 deep; balanced it is 10.
 */
export function anyOf(parts: string[]): string {
  if (parts.length === 1) {
    return parts[0];
  }
  const half = Math.ceil(parts.length / 2);
  return `(${anyOf(parts.slice(0, half))} OR ${anyOf(parts.slice(half))})`;
}

function placeholders(count: number): string {
  return new Array(count).fill('?').join(', ');
}

function timeCondition(
  column: string,
  operation: string,
  ranges: TimeRange[],
  params: unknown[]
): string {
  const [first] = ranges;
  switch (operation) {
    case 'GT':
      params.push(first.to);
      return `${column} >= ?`;
    case 'GTE':
      params.push(first.from);
      return `${column} >= ?`;
    case 'LT':
      params.push(first.from);
      return `${column} < ?`;
    case 'LTE':
      params.push(first.to);
      return `${column} < ?`;
    default: {
      // EQ / IN: within any of the ranges (an epoch second is a 1-second range).
      const parts = ranges.map(range => {
        params.push(range.from, range.to);
        return `(${column} >= ? AND ${column} < ?)`;
      });
      return anyOf(parts);
    }
  }
}

const COMPARATORS: Record<string, string> = {
  EQ: '=',
  GT: '>',
  GTE: '>=',
  LT: '<',
  LTE: '<='
};

function compileCondition(
  condition: TypedCondition,
  params: unknown[],
  mode: CompileMode
): string {
  const { spec, operation, values } = condition;
  const source = spec.source;
  if (source.kind === 'keyword') {
    // Any of the phrases, in the description or hashtags (FTS5, rowid = video id).
    params.push(values.map(value => ftsPhrase(String(value))).join(' OR '));
    return 't.id IN (SELECT rowid FROM video_search WHERE video_search MATCH ?)';
  }
  if (source.kind === 'side') {
    // Hashtags and effects live in side tables (one row per video and value).
    // `id IN (subquery)` is EXISTS by another name, and lets SQLite drive the
    // scan from the side table's (value, video_id) index when it is selective.
    params.push(...values);
    if (mode === 'probe') {
      return `EXISTS (SELECT 1 FROM ${source.table} s WHERE s.video_id = t.id AND s.${source.column} IN (${placeholders(values.length)}))`;
    }
    return `t.id IN (SELECT video_id FROM ${source.table} WHERE ${source.column} IN (${placeholders(values.length)}))`;
  }
  const column = `t.${source.column}`;
  if (spec.type === 'time') {
    return timeCondition(column, operation, values as TimeRange[], params);
  }
  if (operation === 'LIKE') {
    const parts = values.map(value => {
      params.push(likeContains(String(value)));
      return `${column} LIKE ? ESCAPE '\\'`;
    });
    return anyOf(parts);
  }
  if (operation === 'IN') {
    params.push(...(values as (number | bigint | string)[]));
    return `${column} IN (${placeholders(values.length)})`;
  }
  params.push(values[0] as Exclude<Value, TimeRange>);
  return `${column} ${COMPARATORS[operation]} ?`;
}

export function compileWhere(
  query: TypedQuery,
  mode: CompileMode = 'scan',
  rules: StageRules = {}
): CompiledWhere {
  const spec = CATALOGUE[query.category];
  const params: unknown[] = [];
  const clauses: string[] = [];
  let cheapProbe = true;
  for (const group of query.groups) {
    cheapProbe &&= group.conditions.every(
      condition => condition.spec.source.kind !== 'keyword'
    );
    const parts = group.conditions.map(condition =>
      compileCondition(condition, params, mode)
    );
    if (parts.length === 0) {
      continue;
    }
    if (group.operator === 'and') {
      clauses.push(`(${parts.join(' AND ')})`);
    } else if (group.operator === 'or') {
      clauses.push(`(${anyOf(parts)})`);
    } else {
      // A condition on an absent value (NULL) is false, so NOT keeps the record.
      clauses.push(`NOT COALESCE((${anyOf(parts)}), 0)`);
    }
  }
  if (query.timeRange && spec.timeColumn) {
    clauses.push(`(t.${spec.timeColumn} >= ? AND t.${spec.timeColumn} < ?)`);
    params.push(query.timeRange.from, query.timeRange.to);
  }
  const ruled = rules.minCreatorFollowers !== undefined;
  if (ruled) {
    clauses.push(
      creatorRule(spec.table, rules.minCreatorFollowers!, mode, params)
    );
  }
  const where = clauses.length > 0 ? clauses.join(' AND ') : '1';
  return {
    table: spec.table,
    where,
    params,
    cheapProbe,
    idsSql: ruled ? undefined : directIdsSql(query)
  };
}

/** `CompiledWhere.idsSql` of a query, or undefined when it is not a single set condition. */
function directIdsSql(query: TypedQuery): string | undefined {
  const [group] = query.groups;
  if (
    query.groups.length !== 1 ||
    group.operator === 'not' ||
    group.conditions.length !== 1 ||
    query.timeRange
  ) {
    return undefined;
  }
  const { spec, values } = group.conditions[0];
  const source = spec.source;
  if (source.kind === 'keyword') {
    return 'SELECT rowid FROM video_search WHERE video_search MATCH ?';
  }
  if (source.kind === 'side') {
    // One value: (value, video_id) pairs are unique, so no DISTINCT (no temp b-tree).
    return values.length === 1
      ? `SELECT video_id FROM ${source.table} WHERE ${source.column} = ?`
      : `SELECT DISTINCT video_id FROM ${source.table} WHERE ${source.column} IN (${placeholders(values.length)})`;
  }
  return undefined;
}
