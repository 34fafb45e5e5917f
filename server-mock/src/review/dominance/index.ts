import type { ReviewConfig } from '../config';
import { columnLabel, type Labels, type Table } from '../documents';
import { columnKey, places, type Finding } from '../rules/findings';
import { namesStatistic } from '../rules/statistic-labels';
import { countColumns } from '../rules/tables';
import { DominanceCache, type Contributions } from './contributions';
import {
  groupingOf,
  groupKey,
  HASHTAG,
  MAGNITUDE_FIELDS,
  STATISTIC,
  statisticFields,
  type Entity,
  type Grouping,
  type WeekdayNumbers
} from './groupings';

/**
 * Dominance and p-ratio for magnitude tables (sums or means of a data field by
 * groups), as ACRO checks them: a cell fails when its top N contributions make
 * more than K of its total (NK rule), or when the rest of the total is less
 * than p of the largest contribution (p-ratio). An output file has no
 * contributions, but the platform has the data: the review relates the
 * table's statistic to a field of videos, comments or users, and its groups to
 * fields or time buckets of the same records, takes each group's
 * contributions from the data, and keeps the reading under which the table's
 * values are the data's. When the table covers a subset (its counts or values
 * differ from the groups in the data), a reviewer decides.
 *
 * - Videos: like_count, comment_count, share_count, view_count,
 *   favorites_count, video_duration by region_code, duration_type,
 *   video_length, music_id, playlist_id, is_stem_verified — each distinct
 *   group looked up once per review (`WHERE group = ?` through the fields'
 *   indexes; `DominanceCache.contributions`), at most
 *   `config.maxDominanceLookups` a review, the rest to a reviewer. A
 *   hashtag alone is looked up the same way through video_hashtags joined
 *   to videos (index video_hashtags_name); bins of video_duration given as
 *   two edge columns in seconds (from_s, to_s) are summed from one scan by
 *   duration (`readRanges`).
 * - Comments: like_count, reply_count; users: follower_count,
 *   following_count, likes_count, video_count by region_code, is_verified;
 *   and videos and comments by time buckets of create_time (hour of day,
 *   weekday, month, year-month, year, date; UTC) — one scan of the table per
 *   (table, field, grouping) computes every group's count, total and top
 *   contributions (`DominanceCache.scan`). The data set is read-only, so a
 *   scan is kept for the platform's life; at most `config.maxDominanceScans`
 *   new scans a review. video_id is an identifier, not a group.
 */

interface MagnitudeColumn {
  column: number;
  name: string;
  field: string | null;
  /** The data fields the statistic can be (videos first). */
  fields: [Entity, string][];
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
    const fields = statisticFields(field);
    return [
      {
        column,
        name,
        field: MAGNITUDE_FIELDS.has(field) ? field : null,
        fields,
        statistic: ['mean', 'avg', 'average'].includes(word)
          ? ('mean' as const)
          : ('sum' as const)
      }
    ];
  });
}

function sameValue(shown: string, expected: number): boolean {
  const value = Number(shown);
  if (!Number.isFinite(value)) {
    return false;
  }
  const decimals = /\.(\d+)$/.exec(shown.trim())?.[1].length ?? 0;
  const rounding = decimals ? 0.5 * 10 ** -decimals : 0.5;
  return (
    Math.abs(value - expected) <=
    Math.max(1e-6, Math.abs(expected) * 0.005, rounding + 1e-9)
  );
}

/** One reading of a magnitude column: each row's contributions (null: over the review's caps; undefined: no such group). */
interface Reading {
  cells: (Contributions | null | undefined)[];
  matches: number;
}

/** Each candidate reading of a magnitude column against the data, best (most rows matching) first. */
async function readings(
  table: Table,
  magnitude: MagnitudeColumn,
  groupColumns: number[],
  counts: number[],
  cache: DominanceCache,
  config: ReviewConfig
): Promise<Reading[]> {
  const n = Math.max(2, config.dominanceN);
  const found: Reading[] = [];
  const fields: [Entity, string][] = magnitude.fields.length
    ? magnitude.fields
    : magnitude.field
      ? [['videos', magnitude.field]]
      : [];
  const numberedWeekdays = table.rows.some(row =>
    groupColumns.some(column => /^\d$/.test((row[column] ?? '').trim()))
  );
  for (const [entity, field] of fields) {
    const groupings = groupColumns.map(column =>
      groupingOf(table.header[column], entity)
    );
    if (groupings.some(grouping => grouping === null)) {
      continue;
    }
    const known = groupings as Grouping[];
    // Hashtags are looked up alone (the join has no other group fields).
    if (
      known.length > 1 &&
      known.some(g => g.kind === 'field' && g.field === HASHTAG)
    ) {
      continue;
    }
    const lookup =
      entity === 'videos' && known.every(grouping => grouping.kind === 'field');
    const weekdays: WeekdayNumbers[] =
      numberedWeekdays &&
      known.some(g => g.kind === 'bucket' && g.bucket === 'weekday')
        ? ['monday0', 'monday1', 'sunday0']
        : ['monday0'];
    const scanned = lookup
      ? null
      : await cache.scan(entity, field, known, n, config.maxDominanceScans);
    for (const numbering of weekdays) {
      let matches = 0;
      const cells = table.rows.map(row => {
        const keys = known.map((grouping, index) =>
          groupKey(grouping, row[groupColumns[index]] ?? '', numbering)
        );
        if (keys.some(key => key === null)) {
          return undefined;
        }
        let cell: Contributions | null | undefined;
        if (lookup) {
          cell = cache.contributions(
            field,
            known.map(grouping => (grouping as { field: string }).field),
            keys as string[],
            n,
            config.maxDominanceLookups
          );
        } else {
          cell = scanned
            ? scanned.get(keys.map(key => `\u0000${key}`).join(''))
            : null;
        }
        if (!cell) {
          return cell;
        }
        const expected =
          magnitude.statistic === 'sum'
            ? cell.total
            : cell.count
              ? cell.total / cell.count
              : 0;
        const sameCount = counts.length
          ? counts.some(column => Number(row[column]) === cell.count)
          : true;
        if (sameCount && sameValue(row[magnitude.column] ?? '', expected)) {
          matches++;
          return cell;
        }
        return undefined;
      });
      found.push({ cells, matches });
    }
  }
  const range = rangeReading(table, magnitude, groupColumns);
  if (range) {
    found.push(
      await readRanges(table, magnitude, range, counts, cache, config, n)
    );
  }
  return found.sort((a, b) => b.matches - a.matches);
}

const RANGE_LOW = /(?:^|_)(?:from|start|lower|low|lo|left)(?:_|$)/;
const RANGE_HIGH = /(?:^|_)(?:to|end|upper|high|hi|right)(?:_|$)/;
/** Seconds as a unit suffix (`from_s`, `start_sec`): bins of video_duration. */
const SECONDS = /(?:^|_)(?:s|sec|secs|seconds|duration)(?:_|$)/;

/** Bins of a field given as two edge columns (from_s, to_s): the field's records with from <= value < to. */
interface Range {
  low: number;
  high: number;
  field: string;
}

function rangeReading(
  table: Table,
  magnitude: MagnitudeColumn,
  groupColumns: number[]
): Range | null {
  if (groupColumns.length !== 2) {
    return null;
  }
  const [low, high] = groupColumns;
  const lowKey = columnKey(table.header[low]);
  const highKey = columnKey(table.header[high]);
  if (!RANGE_LOW.test(lowKey) || !RANGE_HIGH.test(highKey)) {
    return null;
  }
  // Only video fields are looked up this way; the edges must name seconds.
  const videos = magnitude.fields.some(([entity]) => entity === 'videos');
  if (!videos || !SECONDS.test(lowKey) || !SECONDS.test(highKey)) {
    return null;
  }
  return { low, high, field: 'video_duration' };
}

/**
 * Each bin's contributions from one scan of the magnitude's field grouped by
 * the edge field's values, summed over the values in [from, to). The first
 * and last bins may be open (a histogram clips the tails into them): the
 * reading whose mean or sum is the data's is kept, as for other groups. A row
 * whose magnitude cell is blank or suppressed shows nothing to check.
 */
async function readRanges(
  table: Table,
  magnitude: MagnitudeColumn,
  range: Range,
  counts: number[],
  cache: DominanceCache,
  config: ReviewConfig,
  n: number
): Promise<Reading> {
  const [entity, field] =
    magnitude.fields.find(([candidate]) => candidate === 'videos') ??
    (['videos', magnitude.field ?? ''] as [Entity, string]);
  const scanned = await cache.scan(
    entity,
    field,
    [{ kind: 'field', field: range.field }],
    n,
    config.maxDominanceScans
  );
  const byValue = scanned
    ? [...scanned].map(([key, cell]) => [Number(key.slice(1)), cell] as const)
    : [];
  let matches = 0;
  const last = table.rows.length - 1;
  const cells = table.rows.map((row, index) => {
    const shown = (row[magnitude.column] ?? '').trim();
    if (!shown || SUPPRESSED_CELL.test(shown)) {
      matches++;
      return { count: 0, total: 0, top: [] } as Contributions;
    }
    if (!scanned) {
      return null;
    }
    const from = Number(row[range.low]);
    const to = Number(row[range.high]);
    if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) {
      return undefined;
    }
    const bounds: [number, number][] = [[from, to]];
    if (index === 0) {
      bounds.push([-Infinity, to]);
    }
    if (index === last) {
      bounds.push([from, Infinity]);
    }
    for (const [low, high] of bounds) {
      const cell: Contributions = { count: 0, total: 0, top: [] };
      for (const [value, group] of byValue) {
        if (value >= low && value < high) {
          cell.count += group.count;
          cell.total += group.total;
          cell.top.push(...group.top);
        }
      }
      cell.top = cell.top.sort((a, b) => b - a).slice(0, n);
      const expected =
        magnitude.statistic === 'sum'
          ? cell.total
          : cell.count
            ? cell.total / cell.count
            : 0;
      const sameCount = counts.length
        ? counts.some(column => Number(row[column]) === cell.count)
        : true;
      if (cell.count && sameCount && sameValue(shown, expected)) {
        matches++;
        return cell;
      }
    }
    return undefined;
  });
  return { cells, matches };
}

const SUPPRESSED_CELL =
  /^(?:na|nan|null|none|\*|-|\[redacted]|redacted|<\s*\d+)$/i;

export async function magnitudeFindings(
  file: string,
  table: Table,
  cache: DominanceCache,
  config: ReviewConfig,
  labels: Labels
): Promise<Finding[]> {
  const magnitudes = magnitudeColumns(table);
  if (!magnitudes.length) {
    return [];
  }
  const where = table.at ? `${table.at}, ` : '';
  const counts = countColumns(table).filter(
    column => !magnitudes.some(magnitude => magnitude.column === column)
  );
  // Other statistics of the same groups (median_likes, sd_views, max_likes) are not groups.
  const groupColumns = table.header
    .map((name, column) => column)
    .filter(
      column =>
        !magnitudes.some(m => m.column === column) &&
        !counts.includes(column) &&
        !namesStatistic(table.header[column]) &&
        !/^(?:min|max|minimum|maximum)(?:_|$)|_(?:min|max)$/.test(
          columnKey(table.header[column])
        )
    );
  const findings: Finding[] = [];
  for (const magnitude of magnitudes) {
    const at = `${where}${columnLabel(table.header, magnitude.column, labels)}`;
    const [best] = await readings(
      table,
      magnitude,
      groupColumns,
      counts,
      cache,
      config
    );
    if (!best) {
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
    best.cells.forEach((cell, index) => {
      if (cell === null) {
        unchecked.push(`row ${index + 1}`);
        return;
      }
      if (cell === undefined) {
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
        message: `${file}, ${at}: ${unchecked.length} cell(s) (${places(unchecked)}) were not checked: the review looks up at most ${config.maxDominanceLookups.toLocaleString('en-US')} groups' contributions and scans the data at most ${config.maxDominanceScans} times per job. A reviewer checks dominance.`
      });
    }
  }
  return findings;
}

export { DominanceCache } from './contributions';
export { statisticFields } from './groupings';
