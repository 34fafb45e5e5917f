import type { Statement } from 'better-sqlite3';
import type { PublicData } from '../../data/schema';
import { yieldToEventLoop } from '../pacer';

import { bucketKeys, HASHTAG, type Entity, type Grouping } from './groupings';

/** Each group's contributions taken from the data: lookups and scans, kept per review and per data set (dominance/index.ts). */

export interface Contributions {
  count: number;
  total: number;
  top: number[];
}

/** Scans of the read-only data sets, kept for the platform's life: (table, field, grouping) → group → contributions. */
const SCANS = new WeakMap<
  object,
  Map<string, Promise<Map<string, Contributions>>>
>();
/** Records a scan reads between two turns of the event loop. */
const SCAN_CHUNK = 20_000;

/** A review's memory of contributions by field and group, and its prepared statements. */
export class DominanceCache {
  readonly cells = new Map<string, Contributions>();
  private readonly statements = new Map<
    string,
    { summary: Statement; top: Statement }
  >();
  /** Distinct groups looked up so far in this review. */
  lookups = 0;
  /** Table scans made so far in this review (scans kept from earlier reviews are free). */
  scans = 0;
  constructor(readonly data: PublicData) {}

  /** The SQL of a lookup (for EXPLAIN QUERY PLAN in the tests). Field and group names come from the fixed sets above, never from the output. */
  static sql(
    field: string,
    groups: string[]
  ): { summary: string; top: string } {
    if (groups.length === 1 && groups[0] === HASHTAG) {
      // One hashtag's videos through the video_hashtags_name index.
      const from = `FROM video_hashtags h JOIN videos v ON v.id = h.video_id WHERE h.hashtag_name = ?`;
      return {
        summary: `SELECT count(*) AS count, total(v.${field}) AS total ${from}`,
        top: `SELECT v.${field} AS value ${from} ORDER BY v.${field} DESC LIMIT ?`
      };
    }
    const where = groups.length
      ? `WHERE ${groups.map(group => `${group} = ?`).join(' AND ')}`
      : '';
    return {
      summary: `SELECT count(*) AS count, total(${field}) AS total FROM videos ${where}`,
      top: `SELECT ${field} AS value FROM videos ${where} ORDER BY ${field} DESC LIMIT ?`
    };
  }

  /** The cell's contributions, or null when the review's lookups are used up. */
  contributions(
    field: string,
    groups: string[],
    values: string[],
    n: number,
    limit: number
  ): Contributions | null {
    const key = JSON.stringify([field, groups, values, n]);
    const known = this.cells.get(key);
    if (known) {
      return known;
    }
    if (this.lookups >= limit) {
      return null;
    }
    this.lookups++;
    const statementKey = `${field}|${groups.join(',')}`;
    let statements = this.statements.get(statementKey);
    if (!statements) {
      const sql = DominanceCache.sql(field, groups);
      statements = {
        summary: this.data.db.prepare(sql.summary),
        top: this.data.db.prepare(sql.top)
      };
      this.statements.set(statementKey, statements);
    }
    const summary = statements.summary.get(...values) as {
      count: number;
      total: number;
    };
    const top = (statements.top.all(...values, n) as { value: number }[]).map(
      row => row.value
    );
    const cell = { ...summary, top };
    this.cells.set(key, cell);
    return cell;
  }

  /**
   * Every group's contributions of `entity.field` by these groupings, from
   * one scan of the table (kept for the data set's life), or null when the
   * review's new scans are used up. Table, field and grouping names come from
   * the fixed sets above, never from the output.
   */
  async scan(
    entity: Entity,
    field: string,
    groupings: Grouping[],
    n: number,
    limit: number
  ): Promise<Map<string, Contributions> | null> {
    let scans = SCANS.get(this.data.db);
    if (!scans) {
      scans = new Map();
      SCANS.set(this.data.db, scans);
    }
    const key = JSON.stringify([entity, field, groupings, n]);
    let scan = scans.get(key);
    if (!scan) {
      if (this.scans >= limit) {
        return null;
      }
      this.scans++;
      scan = this.read(entity, field, groupings, n);
      scans.set(key, scan);
    }
    const started = Date.now();
    try {
      return await scan;
    } catch (error) {
      scans.delete(key);
      throw error;
    } finally {
      this.scanMs += Date.now() - started;
    }
  }

  /** Time spent in this review waiting for scans (a one-time cost of the data set, not of the output). */
  scanMs = 0;

  /** One pass over the table, a chunk of records at a time (the event loop runs between them). */
  private async read(
    entity: Entity,
    field: string,
    groupings: Grouping[],
    n: number
  ): Promise<Map<string, Contributions>> {
    const columns = groupings.map(grouping =>
      grouping.kind === 'field' ? grouping.field : 'create_time'
    );
    const statement = this.data.db
      .prepare(
        `SELECT id, ${[...columns, field].join(', ')} FROM ${entity} WHERE id > ? ORDER BY id LIMIT ${SCAN_CHUNK}`
      )
      .raw(true);
    const groups = new Map<string, Contributions>();
    let after = -Infinity;
    for (;;) {
      const rows = statement.all(after) as unknown[][];
      for (const row of rows) {
        const value = Number(row[columns.length + 1]);
        // Every combination of the record's keys (a month is a month of year and a year-month).
        let keys = [''];
        for (let index = 0; index < groupings.length; index++) {
          const grouping = groupings[index];
          const cell = row[index + 1];
          const own =
            grouping.kind === 'field'
              ? [cell === null || cell === undefined ? '' : String(cell)]
              : bucketKeys(grouping.bucket, Number(cell));
          keys =
            keys.length === 1 && own.length === 1
              ? [`${keys[0]}\u0000${own[0]}`]
              : keys.flatMap(prefix =>
                  own.map(part => `${prefix}\u0000${part}`)
                );
        }
        for (const groupKey of keys) {
          let group = groups.get(groupKey);
          if (!group) {
            group = { count: 0, total: 0, top: [] };
            groups.set(groupKey, group);
          }
          group.count++;
          group.total += value;
          if (group.top.length < n || value > group.top[group.top.length - 1]) {
            group.top.push(value);
            group.top.sort((a, b) => b - a);
            group.top.length = Math.min(group.top.length, n);
          }
        }
      }
      if (rows.length < SCAN_CHUNK) {
        return groups;
      }
      after = Number(rows[rows.length - 1][0]);
      await yieldToEventLoop();
    }
  }
}

/** A shown number matches the data's when it is the same up to its own rounding (or 0.5%). */
