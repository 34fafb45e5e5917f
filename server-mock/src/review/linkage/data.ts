import type { Statement } from 'better-sqlite3';
import type { PublicData } from '../../data/schema';
import type { ValueKind } from './values';

/**
 * The records an output's rows may link to (videos, comments, users) and the
 * fields a row's values are compared with, and the lookups the linkage rule
 * makes, prepared once per data set: the rowids of `<indexed field> = ?`
 * from the data set's indexes alone (src/data/schema.ts
 * PUBLIC_DATA_INDEXES; no table row is read), then the few records left
 * after intersecting them, by rowid. Ids, usernames and texts are the identifier rules' business; music and
 * playlist ids are categories (and 64-bit, beyond a JavaScript number).
 */

export interface Field {
  /** How findings name it (the data set's field name, or what is measured of it). */
  name: string;
  /** Its SQL expression (fixed here, never from an output). */
  sql: string;
  kind: ValueKind;
  /** A category (region, duration class, flag, a small count): it narrows a match but never links on its own. */
  category: boolean;
  /** An index answers `sql = ?`: it can give a row's candidate records. */
  indexed: boolean;
}

export interface Entity {
  table: 'videos' | 'comments' | 'users';
  /** A record as findings name it. */
  noun: string;
  fields: Field[];
}

const field = (
  name: string,
  kind: ValueKind,
  options: { sql?: string; category?: boolean; indexed?: boolean } = {}
): Field => ({
  name,
  sql: options.sql ?? name,
  kind,
  category: options.category ?? (kind !== 'time' && kind !== 'count'),
  indexed: options.indexed ?? false
});

export const ENTITIES: Entity[] = [
  {
    table: 'videos',
    noun: 'video',
    fields: [
      field('create_time', 'time', { indexed: true }),
      field('like_count', 'count', { indexed: true }),
      field('comment_count', 'count', { indexed: true }),
      field('share_count', 'count', { indexed: true }),
      field('view_count', 'count', { indexed: true }),
      field('favorites_count', 'count'),
      field('video_duration', 'count'),
      field('length(video_description)', 'count', {
        sql: 'length(video_description)'
      }),
      field('length(voice_to_text)', 'count', { sql: 'length(voice_to_text)' }),
      field('hashtags', 'count', {
        sql: 'json_array_length(hashtag_names)',
        category: true
      }),
      field('region_code', 'region'),
      field('duration_type', 'duration')
    ]
  },
  {
    table: 'comments',
    noun: 'comment',
    fields: [
      field('create_time', 'time', { indexed: true }),
      field('like_count', 'count', { indexed: true }),
      // A handful of values (replies kept per comment): a category.
      field('reply_count', 'count', { category: true }),
      field('length(text)', 'count', { sql: 'length(text)' })
    ]
  },
  {
    table: 'users',
    noun: 'user',
    fields: [
      field('follower_count', 'count', { indexed: true }),
      field('following_count', 'count'),
      field('likes_count', 'count'),
      field('video_count', 'count'),
      field('length(bio_description)', 'count', {
        sql: 'length(bio_description)'
      }),
      field('region_code', 'region'),
      field('is_verified', 'flag')
    ]
  }
];

/** A data set's lookups for the linkage rule: built at the first review that needs them, then shared. */
export class LinkageData {
  /** Earliest and latest create_time of videos and comments (epoch seconds), a day's margin either side. */
  readonly timeRange: [number, number];
  private readonly statements = new Map<string, Statement>();
  private readonly rowsPerKey = new Map<string, number>();

  constructor(private readonly data: PublicData) {
    // min() and max() in queries of their own: each is one step down its index (together they scan).
    const bound = (sql: string) =>
      (data.db.prepare(sql).raw().get() as [number | null])[0];
    const lows = [
      bound('SELECT min(create_time) FROM videos'),
      bound('SELECT min(create_time) FROM comments')
    ].filter((value): value is number => value !== null);
    const highs = [
      bound('SELECT max(create_time) FROM videos'),
      bound('SELECT max(create_time) FROM comments')
    ].filter((value): value is number => value !== null);
    this.timeRange = [
      (lows.length ? Math.min(...lows) : 0) - 86_400,
      (highs.length ? Math.max(...highs) : 0) + 86_400
    ];
    // ANALYZE's average rows per key of each index (sqlite_stat1): the most selective field is looked up first.
    try {
      const stats = data.db
        .prepare('SELECT tbl, idx, stat FROM sqlite_stat1')
        .raw()
        .all() as [string, string, string][];
      for (const [table, index, stat] of stats) {
        const perKey = Number(String(stat).split(' ')[1]);
        if (Number.isFinite(perKey)) {
          this.rowsPerKey.set(`${table}.${index}`, perKey);
        }
      }
    } catch {
      // No statistics: every indexed field counts as equally selective.
    }
  }

  /** Average records per value of an indexed field (lower is more selective). */
  selectivity(entity: Entity, target: Field): number {
    return (
      this.rowsPerKey.get(`${entity.table}.${entity.table}_${target.sql}`) ??
      1_000
    );
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.data.db.prepare(sql).raw();
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * The rowids of the records whose indexed field `target` equals `value`,
   * read from the index alone; null when there are more than `cap`. With a
   * `span` (a time to the minute), those in [value, value + span).
   */
  rowids(
    entity: Entity,
    target: Field,
    value: number,
    cap: number,
    span?: number
  ): number[] | null {
    const rows = (
      span
        ? this.statement(
            `SELECT rowid FROM ${entity.table} WHERE ${target.sql} >= ? AND ${target.sql} < ? LIMIT ?`
          ).all(value, value + span, cap + 1)
        : this.statement(
            `SELECT rowid FROM ${entity.table} WHERE ${target.sql} = ? LIMIT ?`
          ).all(value, cap + 1)
    ) as [number][];
    return rows.length > cap ? null : rows.map(row => row[0]);
  }

  /**
   * Those of `rowids` whose indexed field `target` equals `value`: one seek
   * of (value, rowid) in the field's index per rowid, no table row read
   * (much cheaper than the field's whole rowid list when the value is common).
   */
  narrow(
    entity: Entity,
    target: Field,
    value: number,
    rowids: number[],
    span?: number
  ): number[] {
    if (span) {
      // A range: the index's entries in it, kept when their rowid is one of ours.
      const rows = this.statement(
        `SELECT rowid FROM ${entity.table} INDEXED BY ${entity.table}_${target.sql}
         WHERE ${target.sql} >= ? AND ${target.sql} < ? AND rowid IN (SELECT value FROM json_each(?))`
      ).all(value, value + span, JSON.stringify(rowids)) as [number][];
      return rows.map(row => row[0]);
    }
    const rows = this.statement(
      `SELECT rowid FROM ${entity.table} INDEXED BY ${entity.table}_${target.sql}
       WHERE ${target.sql} = ? AND rowid IN (SELECT value FROM json_each(?))`
    ).all(value, JSON.stringify(rowids)) as [number][];
    return rows.map(row => row[0]);
  }

  /**
   * The records of `rowids`, each as [rowid, ...the values of `fields` in
   * order]. Only the fields asked for are read (a text's length reads the
   * text).
   */
  records(entity: Entity, fields: Field[], rowids: number[]): unknown[][] {
    const statement = this.statement(
      `SELECT rowid${fields.map(each => `, ${each.sql}`).join('')} FROM ${entity.table} WHERE rowid = ?`
    );
    return rowids.flatMap(rowid => {
      const record = statement.get(rowid) as unknown[] | undefined;
      return record ? [record] : [];
    });
  }
}

const prepared = new WeakMap<PublicData, LinkageData>();

export function linkageData(data: PublicData): LinkageData {
  let known = prepared.get(data);
  if (!known) {
    known = new LinkageData(data);
    prepared.set(data, known);
  }
  return known;
}
