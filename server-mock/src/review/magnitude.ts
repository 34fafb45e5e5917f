import type { Statement } from 'better-sqlite3';
import type { PublicData } from '../data/schema';
import type { ReviewConfig } from './config';
import { columnLabel, type Labels, type Table } from './documents';
import { columnKey, places, type Finding } from './rules/findings';
import { countColumns } from './rules/tables';

/**
 * Dominance and p-ratio for magnitude tables (sums or means of a data field by
 * groups), as ACRO checks them: a cell fails when its top N contributions make
 * more than K of its total (NK rule), or when the rest of the total is less
 * than p of the largest contribution (p-ratio). An output file has no
 * contributions, but the platform has the data: when the groups are columns
 * of the videos and the statistic is of a numeric video field, the review
 * takes each group's contributions from the data. When the table covers a
 * subset (its counts differ from the groups in the data), a reviewer decides.
 *
 * Each distinct group's contributions are looked up once per review
 * (`DominanceCache`), with statements prepared once, and at most
 * `config.maxDominanceLookups` groups are looked up in a review: the rest go
 * to a reviewer. The lookups are `WHERE group = ?` on the videos table; the
 * fields with an index (region_code: videos_region_time; music_id,
 * playlist_id, duration_type, video_length) are searched through it.
 */

const GROUP_FIELDS = new Set([
  'region_code',
  'duration_type',
  'video_length',
  'music_id',
  'playlist_id',
  'is_stem_verified'
]);
const MAGNITUDE_FIELDS = new Set([
  'like_count',
  'comment_count',
  'share_count',
  'view_count',
  'favorites_count',
  'video_duration'
]);
const STATISTIC =
  /^(?:(sum|total|mean|avg|average)_(.+)|(.+)_(sum|total|mean|avg|average))$/;

interface MagnitudeColumn {
  column: number;
  name: string;
  field: string | null;
  statistic: 'sum' | 'mean';
}

export function magnitudeColumns(table: Table): MagnitudeColumn[] {
  return table.header.flatMap((name, column) => {
    const match = STATISTIC.exec(columnKey(name));
    if (!match) {
      return [];
    }
    const word = match[1] ?? match[4];
    const field = match[2] ?? match[3];
    return [
      {
        column,
        name,
        field: MAGNITUDE_FIELDS.has(field) ? field : null,
        statistic: ['mean', 'avg', 'average'].includes(word)
          ? ('mean' as const)
          : ('sum' as const)
      }
    ];
  });
}

interface Contributions {
  count: number;
  total: number;
  top: number[];
}

/** A review's memory of contributions by field and group, and its prepared statements. */
export class DominanceCache {
  readonly cells = new Map<string, Contributions>();
  private readonly statements = new Map<
    string,
    { summary: Statement; top: Statement }
  >();
  /** Distinct groups looked up so far in this review. */
  lookups = 0;
  constructor(readonly data: PublicData) {}

  /** The SQL of a lookup (for EXPLAIN QUERY PLAN in the tests). Field and group names come from the fixed sets above, never from the output. */
  static sql(
    field: string,
    groups: string[]
  ): { summary: string; top: string } {
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
}

export function magnitudeFindings(
  file: string,
  table: Table,
  cache: DominanceCache,
  config: ReviewConfig,
  labels: Labels
): Finding[] {
  const magnitudes = magnitudeColumns(table);
  if (!magnitudes.length) {
    return [];
  }
  const where = table.at ? `${table.at}, ` : '';
  const counts = countColumns(table).filter(
    column => !magnitudes.some(magnitude => magnitude.column === column)
  );
  const groupColumns = table.header
    .map((name, column) => column)
    .filter(
      column =>
        !magnitudes.some(m => m.column === column) && !counts.includes(column)
    );
  const groupFields = groupColumns.map(column =>
    columnKey(table.header[column])
  );
  const checkable = groupFields.every(field => GROUP_FIELDS.has(field));
  const findings: Finding[] = [];
  for (const magnitude of magnitudes) {
    const at = `${where}${columnLabel(table.header, magnitude.column, labels)}`;
    if (!checkable || !magnitude.field) {
      findings.push({
        rule: 'dominance',
        severity: 'manual',
        file,
        location: at,
        message: `${file}, ${at}: a ${magnitude.statistic} by groups the review cannot relate to the data's fields; a reviewer checks that no one or two records dominate any cell (NK ${config.dominanceN}/${config.dominanceK}, p-ratio ${config.pRatio}).`
      });
      continue;
    }
    const dominated: string[] = [];
    const pRatio: string[] = [];
    const subset: string[] = [];
    const unchecked: string[] = [];
    table.rows.forEach((row, index) => {
      const values = groupColumns.map(column => (row[column] ?? '').trim());
      const cell = cache.contributions(
        magnitude.field!,
        groupFields,
        values,
        Math.max(2, config.dominanceN),
        config.maxDominanceLookups
      );
      if (!cell) {
        unchecked.push(`row ${index + 1}`);
        return;
      }
      const shown = Number(row[magnitude.column]);
      const expected =
        magnitude.statistic === 'sum'
          ? cell.total
          : cell.count
            ? cell.total / cell.count
            : 0;
      const sameCount = counts.length
        ? counts.some(column => Number(row[column]) === cell.count)
        : true;
      if (
        !sameCount ||
        !Number.isFinite(shown) ||
        Math.abs(shown - expected) > Math.max(1e-6, Math.abs(expected) * 0.005)
      ) {
        subset.push(`row ${index + 1}`);
        return;
      }
      if (cell.total <= 0 || !cell.top.length) {
        return;
      }
      const topN = cell.top
        .slice(0, config.dominanceN)
        .reduce((sum, value) => sum + value, 0);
      if (topN / cell.total > config.dominanceK) {
        dominated.push(`row ${index + 1}`);
      }
      const [first, second = 0] = cell.top;
      if (first > 0 && (cell.total - first - second) / first < config.pRatio) {
        pRatio.push(`row ${index + 1}`);
      }
    });
    if (dominated.length) {
      findings.push({
        rule: 'dominance',
        severity: 'fail',
        file,
        location: `${at}: ${places(dominated)}`,
        message: `${file}, ${at}: in ${dominated.length} cell(s) (${places(dominated)}) the ${config.dominanceN} largest records make more than ${Math.round(config.dominanceK * 100)}% of the total, so the value reveals them. Merge those groups or leave the cells out.`
      });
    }
    if (pRatio.length) {
      findings.push({
        rule: 'p_ratio',
        severity: 'fail',
        file,
        location: `${at}: ${places(pRatio)}`,
        message: `${file}, ${at}: in ${pRatio.length} cell(s) (${places(pRatio)}) the rest of the total is under ${Math.round(config.pRatio * 100)}% of the largest record, which could then be estimated closely. Merge those groups or leave the cells out.`
      });
    }
    if (subset.length) {
      findings.push({
        rule: 'dominance',
        severity: 'manual',
        file,
        location: `${at}: ${places(subset)}`,
        message: `${file}, ${at}: ${subset.length} cell(s) (${places(subset)}) are over a subset of the data, so their contributions could not be checked automatically; a reviewer checks dominance.`
      });
    }
    if (unchecked.length) {
      findings.push({
        rule: 'dominance',
        severity: 'manual',
        file,
        location: `${at}: ${places(unchecked)}`,
        message: `${file}, ${at}: ${unchecked.length} cell(s) (${places(unchecked)}) were not checked: the review looks up at most ${config.maxDominanceLookups.toLocaleString('en-US')} groups' contributions per job. A reviewer checks dominance.`
      });
    }
  }
  return findings;
}
