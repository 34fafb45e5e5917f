import type { PublicData } from '../data/schema';
import type { ReviewConfig } from './config';
import type { Table } from './documents';
import { columnKey, countColumns, type Finding } from './rules';

/**
 * Dominance and p-ratio for magnitude tables (sums or means of a data field by
 * groups), as ACRO checks them: a cell fails when its top N contributions make
 * more than K of its total (NK rule), or when the rest of the total is less
 * than p of the largest contribution (p-ratio). An output file has no
 * contributions, but the platform has the data: when the groups are columns
 * of the videos and the statistic is of a numeric video field, the review
 * takes each group's contributions from the data. When the table covers a
 * subset (its counts differ from the groups in the data), a reviewer decides.
 */

const GROUP_FIELDS = new Set(['region_code', 'duration_type', 'video_length', 'music_id', 'playlist_id', 'is_stem_verified']);
const MAGNITUDE_FIELDS = new Set(['like_count', 'comment_count', 'share_count', 'view_count', 'favorites_count', 'video_duration']);
const STATISTIC = /^(?:(sum|total|mean|avg|average)_(.+)|(.+)_(sum|total|mean|avg|average))$/;

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
    return [{ column, name, field: MAGNITUDE_FIELDS.has(field) ? field : null, statistic: ['mean', 'avg', 'average'].includes(word) ? ('mean' as const) : ('sum' as const) }];
  });
}

interface Contributions {
  count: number;
  total: number;
  top: number[];
}

function contributions(data: PublicData, field: string, groups: string[], values: string[], n: number): Contributions {
  const where = groups.length ? `WHERE ${groups.map(group => `${group} = ?`).join(' AND ')}` : '';
  // Field and group names come from the fixed sets above, never from the output.
  const summary = data.db.prepare(`SELECT count(*) AS count, total(${field}) AS total FROM videos ${where}`).get(...values) as { count: number; total: number };
  const top = (data.db.prepare(`SELECT ${field} AS value FROM videos ${where} ORDER BY ${field} DESC LIMIT ?`).all(...values, n) as { value: number }[]).map(row => row.value);
  return { ...summary, top };
}

export function magnitudeFindings(file: string, table: Table, data: PublicData, config: ReviewConfig): Finding[] {
  const magnitudes = magnitudeColumns(table);
  if (!magnitudes.length) {
    return [];
  }
  const where = table.at ? `${table.at}, ` : '';
  const counts = countColumns(table).filter(column => !magnitudes.some(magnitude => magnitude.column === column));
  const groupColumns = table.header.map((name, column) => column).filter(column => !magnitudes.some(m => m.column === column) && !counts.includes(column));
  const groupFields = groupColumns.map(column => columnKey(table.header[column]));
  const checkable = groupFields.every(field => GROUP_FIELDS.has(field));
  const findings: Finding[] = [];
  for (const magnitude of magnitudes) {
    if (!checkable || !magnitude.field) {
      findings.push({
        rule: 'dominance',
        severity: 'manual',
        file,
        location: `${where}column ${magnitude.name}`,
        message: `${file}, column "${magnitude.name}": a ${magnitude.statistic} by groups the review cannot relate to the data's fields; a reviewer checks that no one or two records dominate any cell (NK ${config.dominanceN}/${config.dominanceK}, p-ratio ${config.pRatio}).`
      });
      continue;
    }
    const dominated: string[] = [];
    const pRatio: string[] = [];
    const subset: string[] = [];
    table.rows.forEach((row, index) => {
      const values = groupColumns.map(column => (row[column] ?? '').trim());
      const cell = contributions(data, magnitude.field!, groupFields, values, Math.max(2, config.dominanceN));
      const shown = Number(row[magnitude.column]);
      const expected = magnitude.statistic === 'sum' ? cell.total : cell.count ? cell.total / cell.count : 0;
      const sameCount = counts.length ? counts.some(column => Number(row[column]) === cell.count) : true;
      if (!sameCount || !Number.isFinite(shown) || Math.abs(shown - expected) > Math.max(1e-6, Math.abs(expected) * 0.005)) {
        subset.push(`row ${index + 1}`);
        return;
      }
      if (cell.total <= 0 || !cell.top.length) {
        return;
      }
      const topN = cell.top.slice(0, config.dominanceN).reduce((sum, value) => sum + value, 0);
      if (topN / cell.total > config.dominanceK) {
        dominated.push(`row ${index + 1}`);
      }
      const [first, second = 0] = cell.top;
      if (first > 0 && (cell.total - first - second) / first < config.pRatio) {
        pRatio.push(`row ${index + 1}`);
      }
    });
    const at = `${where}column ${magnitude.name}`;
    if (dominated.length) {
      findings.push({
        rule: 'dominance',
        severity: 'fail',
        file,
        location: `${at}: ${places(dominated)}`,
        message: `${file}, column "${magnitude.name}": in ${dominated.length} cell(s) (${places(dominated)}) the ${config.dominanceN} largest records make more than ${Math.round(config.dominanceK * 100)}% of the total, so the value reveals them. Merge those groups or leave the cells out.`
      });
    }
    if (pRatio.length) {
      findings.push({
        rule: 'p_ratio',
        severity: 'fail',
        file,
        location: `${at}: ${places(pRatio)}`,
        message: `${file}, column "${magnitude.name}": in ${pRatio.length} cell(s) (${places(pRatio)}) the rest of the total is under ${Math.round(config.pRatio * 100)}% of the largest record, which could then be estimated closely. Merge those groups or leave the cells out.`
      });
    }
    if (subset.length) {
      findings.push({
        rule: 'dominance',
        severity: 'manual',
        file,
        location: `${at}: ${places(subset)}`,
        message: `${file}, column "${magnitude.name}": ${subset.length} cell(s) (${places(subset)}) are over a subset of the data, so their contributions could not be checked automatically; a reviewer checks dominance.`
      });
    }
  }
  return findings;
}

function places(list: string[]): string {
  return list.length > 3 ? `${list.slice(0, 3).join('; ')}; and ${list.length - 3} more` : list.join('; ');
}
