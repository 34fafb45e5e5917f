import type { Statement } from 'better-sqlite3';
import type { PublicData } from '../data/schema';
import type { ReviewConfig } from './config';
import { columnLabel, type Labels, type Table } from './documents';
import { columnKey, places, type Finding } from './rules/findings';
import { yieldToEventLoop } from './pacer';
import { namesStatistic } from './rules/statistic-labels';
import { countColumns } from './rules/tables';

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

type Entity = 'videos' | 'comments' | 'users';

const GROUP_FIELDS = new Set([
  'region_code',
  'duration_type',
  'video_length',
  'music_id',
  'playlist_id',
  'is_stem_verified'
]);
/** The group "field" of a video's hashtags: rows of video_hashtags joined to videos. */
const HASHTAG = 'hashtag_name';
const HASHTAG_COLUMNS = new Set([
  'hashtag',
  'hashtags',
  'hashtag_name',
  'tag',
  'tags'
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

/** A statistic's field as written (after the entity's word is taken off) → the fields it can be. */
const FIELD_ALIASES: Record<string, [Entity, string][]> = {
  like_count: [
    ['videos', 'like_count'],
    ['comments', 'like_count']
  ],
  likes: [
    ['videos', 'like_count'],
    ['comments', 'like_count'],
    ['users', 'likes_count']
  ],
  like: [
    ['videos', 'like_count'],
    ['comments', 'like_count']
  ],
  likes_count: [['users', 'likes_count']],
  comment_count: [['videos', 'comment_count']],
  comments: [['videos', 'comment_count']],
  share_count: [['videos', 'share_count']],
  shares: [['videos', 'share_count']],
  view_count: [['videos', 'view_count']],
  views: [['videos', 'view_count']],
  favorites_count: [['videos', 'favorites_count']],
  favorites: [['videos', 'favorites_count']],
  video_duration: [['videos', 'video_duration']],
  duration: [['videos', 'video_duration']],
  reply_count: [['comments', 'reply_count']],
  replies: [['comments', 'reply_count']],
  follower_count: [['users', 'follower_count']],
  followers: [['users', 'follower_count']],
  following_count: [['users', 'following_count']],
  following: [['users', 'following_count']],
  video_count: [['users', 'video_count']],
  videos: [['users', 'video_count']]
};
const ENTITY_WORDS: Record<string, Entity> = {
  video: 'videos',
  videos: 'videos',
  comment: 'comments',
  comments: 'comments',
  user: 'users',
  users: 'users',
  creator: 'users',
  creators: 'users',
  account: 'users',
  accounts: 'users',
  author: 'users',
  authors: 'users'
};

/** The fields a statistic's name can be: `mean_comment_likes` → comments.like_count. */
export function statisticFields(field: string): [Entity, string][] {
  const words = field.split('_');
  const hinted = words.length > 1 ? ENTITY_WORDS[words[0]] : undefined;
  const rest = hinted ? words.slice(1).join('_') : field;
  const fields = FIELD_ALIASES[rest] ?? [];
  return hinted ? fields.filter(([entity]) => entity === hinted) : fields;
}

type Bucket = 'hour' | 'weekday' | 'month' | 'year' | 'date';

/** How a group column relates to the records: a field as it is, or a time bucket of create_time. */
type Grouping =
  { kind: 'field'; field: string } | { kind: 'bucket'; bucket: Bucket };

const BUCKET_COLUMNS: [RegExp, Bucket][] = [
  [/^(?:(?:.+_)?hour(?:_of_(?:the_)?day)?|hod)$/, 'hour'],
  [
    /^(?:(?:.+_)?weekday(?:_name)?|day_of_(?:the_)?week|dow|day_name)$/,
    'weekday'
  ],
  [/^(?:(?:.+_)?month(?:_of_year)?|year_month|ym)$/, 'month'],
  [/^(?:.+_)?year$/, 'year'],
  [/^(?:(?:.+_)?date|day)$/, 'date']
];

function groupingOf(name: string, entity: Entity): Grouping | null {
  // Times are UTC: `hour_utc` is the hour.
  const key = columnKey(name).replace(/_(?:utc|gmt)$/, '');
  if (entity !== 'users') {
    for (const [pattern, bucket] of BUCKET_COLUMNS) {
      if (pattern.test(key)) {
        return { kind: 'bucket', bucket };
      }
    }
  }
  const field =
    key === 'region' || key === 'country'
      ? 'region_code'
      : key === 'verified'
        ? 'is_verified'
        : key;
  if (entity === 'videos' && GROUP_FIELDS.has(field)) {
    return { kind: 'field', field };
  }
  // A video's hashtags (video_hashtags): looked up through the join, per hashtag.
  if (entity === 'videos' && HASHTAG_COLUMNS.has(key)) {
    return { kind: 'field', field: HASHTAG };
  }
  if (
    entity === 'users' &&
    (field === 'region_code' || field === 'is_verified')
  ) {
    return { kind: 'field', field };
  }
  return null;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const MONTHS = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec'
];
/** How numbered weekdays count: Python weekday() (Mon 0), isoweekday() (Mon 1), strftime %w (Sun 0). */
type WeekdayNumbers = 'monday0' | 'monday1' | 'sunday0';

/** A table's group value as the data's key for it, or null when it is not one. */
function groupKey(
  grouping: Grouping,
  value: string,
  weekdays: WeekdayNumbers
): string | null {
  const text = value.trim();
  if (grouping.kind === 'field') {
    if (
      grouping.field === 'is_verified' ||
      grouping.field === 'is_stem_verified'
    ) {
      const flag = text.toLowerCase();
      return ['1', 'true', 'yes'].includes(flag)
        ? '1'
        : ['0', 'false', 'no'].includes(flag)
          ? '0'
          : null;
    }
    return text;
  }
  switch (grouping.bucket) {
    case 'hour': {
      const match = /^(\d{1,2})(?::00)?h?$/.exec(text);
      return match && Number(match[1]) < 24 ? `h${Number(match[1])}` : null;
    }
    case 'weekday': {
      const name = WEEKDAYS.indexOf(text.slice(0, 3).toLowerCase());
      if (name >= 0 && /^[a-z]+$/i.test(text)) {
        return `w${name}`;
      }
      if (!/^\d$/.test(text)) {
        return null;
      }
      const day = Number(text);
      const monday0 =
        weekdays === 'monday0'
          ? day
          : weekdays === 'monday1'
            ? day - 1
            : (day + 6) % 7;
      return monday0 >= 0 && monday0 < 7 && (weekdays !== 'monday1' || day >= 1)
        ? `w${monday0}`
        : null;
    }
    case 'month': {
      const yearMonth = /^(\d{4})-(\d{1,2})$/.exec(text);
      if (yearMonth) {
        return `ym${yearMonth[1]}-${yearMonth[2].padStart(2, '0')}`;
      }
      const name = MONTHS.indexOf(text.slice(0, 3).toLowerCase());
      if (name >= 0 && /^[a-z]+$/i.test(text)) {
        return `m${name + 1}`;
      }
      return /^\d{1,2}$/.test(text) && Number(text) >= 1 && Number(text) <= 12
        ? `m${Number(text)}`
        : null;
    }
    case 'year':
      return /^\d{4}$/.test(text) ? `y${text}` : null;
    case 'date': {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      return match ? `d${text}` : null;
    }
  }
}

/** A day's calendar keys (days since 1970-01-01): date, year-month and month, year. */
const DAY_KEYS = new Map<
  number,
  { date: string; months: string[]; year: string }
>();

function dayKeys(day: number): {
  date: string;
  months: string[];
  year: string;
} {
  let keys = DAY_KEYS.get(day);
  if (!keys) {
    const iso = new Date(day * 86400_000).toISOString();
    keys = {
      date: `d${iso.slice(0, 10)}`,
      months: [`ym${iso.slice(0, 7)}`, `m${Number(iso.slice(5, 7))}`],
      year: `y${iso.slice(0, 4)}`
    };
    if (DAY_KEYS.size < 200_000) {
      DAY_KEYS.set(day, keys);
    }
  }
  return keys;
}

/** The keys of a record's create_time under a bucket (a month is both its month of year and its year-month). */
function bucketKeys(bucket: Bucket, seconds: number): string[] {
  const day = Math.floor(seconds / 86400);
  switch (bucket) {
    case 'hour':
      return [`h${Math.floor((seconds - day * 86400) / 3600)}`];
    case 'weekday':
      // 1970-01-01 was a Thursday (Monday 0 → 3).
      return [`w${(((day + 3) % 7) + 7) % 7}`];
    case 'year':
      return [dayKeys(day).year];
    case 'date':
      return [dayKeys(day).date];
    case 'month':
      return dayKeys(day).months;
  }
}

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

interface Contributions {
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
