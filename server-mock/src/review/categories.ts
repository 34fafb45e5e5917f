import type { Statement } from 'better-sqlite3';
import type { PublicData } from '../data/schema';

/**
 * Which values are categories of the data set: values many records share, so
 * a column of them labels groups rather than records (the key-values rule,
 * rules/key-values.ts). By shape: words and codes (regions, languages,
 * duration types, topic words), dates and time buckets (days, ISO weeks,
 * months, quarters, hours, date-times truncated to the day or hour), numeric
 * bins and ranges, enumerated labels (`topic 3`), text bars. By lookup in the
 * data: hashtags, effect ids, music ids, playlist ids (each through its
 * index). Small whole numbers are judged as a set (`numericGrid`), not one
 * by one: a dense run of them (hours, durations, ranks, bin edges) is a
 * category, a scatter of exact counts is not.
 */

/** Words: letters (any script), with ' - _ . inside, joined by spaces, commas, slashes or &. No digits. */
const WORDS =
  /^[\p{L}\p{M}][\p{L}\p{M}'’_.-]*(?:[\s,/&+]+[\p{L}\p{M}][\p{L}\p{M}'’_.-]*)*$/u;
/** A label with a small number: `topic 3`, `cluster_12`, `Q1`, `W05`, `p90`, `group-7`. */
const ENUMERATED = /^[\p{L}][\p{L}_ .-]{0,30}?[ _-]?\d{1,4}[\p{L}%]{0,3}$/u;
/** A bar of a text chart: one repeated symbol (`#####`, `▇▇▇`, `***`). */
const BAR = /^([^\p{L}\p{N}\s])\1*$/u;

const DATE = String.raw`(?:19|20)\d{2}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])`;
const DMY = String.raw`(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|1[0-2])[-/.](?:19|20)\d{2}`;
const YEAR = String.raw`(?:19|20)\d{2}`;
const MONTH_NAME = String.raw`(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?`;
const ZONE = String.raw`(?:z|utc|[+-]\d{2}:?\d{2})?`;

/** Dates and time buckets: a day, week, month, quarter, year, hour, or a date-time truncated to the hour. */
const TIME_BUCKETS = [
  `^(?:${DATE}|${DMY})$`,
  `^${YEAR}-?w\\d{1,2}(?:-\\d)?$`,
  `^w\\d{1,2}[ -/]${YEAR}$`,
  `^${YEAR}[-/.](?:0?[1-9]|1[0-2])$`,
  `^(?:0?[1-9]|1[0-2])[-/]${YEAR}$`,
  `^${MONTH_NAME}[ -]?(?:${YEAR})?$`,
  `^${YEAR}[ -]?${MONTH_NAME}$`,
  `^${YEAR}[ -]?(?:q|h)[1-4]$`,
  `^(?:q|h)[1-4][ -]?${YEAR}$`,
  `^${YEAR}$`,
  `^(?:[01]?\\d|2[0-3])(?::00(?::00)?|h| ?[ap]\\.?m\\.?)$`,
  `^(?:[01]?\\d|2[0-3]):00(?::00)?\\s*-\\s*(?:[01]?\\d|2[0-4]):00(?::00)?$`,
  `^${DATE}(?:[t ](?:[01]\\d|2[0-3])(?:(?::00){1,2}(?:\\.0+)?)?(?:h)?)?${ZONE}$`
].map(source => new RegExp(source));

const NUMBER = String.raw`[-+]?(?:\d[\d,_]*(?:\.\d+)?|\.\d+)(?:e[-+]?\d+)?`;
const UNIT = String.raw`(?:\s*[\p{L}%]{1,12})?`;
/** Numeric bins: `[0,10)`, `<10`, `>= 1000`, `1000+`, `10%`. */
const BINS = [
  `^[[(]\\s*(?:${NUMBER}|-?inf)\\s*[,;]\\s*(?:${NUMBER}|inf)\\s*[\\])]$`,
  `^(?:<|>|<=|>=|≤|≥|=<|=>|under|over|below|above|up to|at least|less than|more than)\\s*${NUMBER}${UNIT}$`,
  `^${NUMBER}${UNIT}?\\s*\\+$`,
  `^${NUMBER}\\s*%$`
].map(source => new RegExp(source, 'u'));
/** A range `100-199`, `100 to 199 s`, `0–9`: a category only with the other ranges of its column (`ranges`). */
const RANGE = new RegExp(
  `^(${NUMBER})${UNIT}\\s*(?:-|–|—|to|\\.\\.|…)\\s*(${NUMBER})${UNIT}$`,
  'u'
);

const WEEKDAYS = new Set(
  'mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday thursday friday saturday sunday'.split(
    ' '
  )
);

/** A date-time to the second (or finer), as a table cell or log field may write it. */
const EXACT_DATE_TIME = new RegExp(
  `^(${DATE})[t ]((?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:[.,]\\d+)?)?)${ZONE}$`
);
/** A time of day to the second. */
export const TIME_OF_DAY = /^(?:[01]?\d|2[0-3]):[0-5]\d:[0-5]\d(?:[.,]\d+)?$/;

/** Seconds since 1970 (or milliseconds) in the years 2001–2039: a posting time. */
function epochSeconds(value: number): number | null {
  // Fractions too: `time.time()` prints 1704067211.123456.
  if (value >= 1e9 && value < 2.2e9) {
    return value;
  }
  if (value >= 1e12 && value < 2.2e12) {
    return value / 1000;
  }
  return null;
}

/** A number as written in a table (digit groups allowed), or NaN. */
export function numberOf(text: string): number {
  const plain = /^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(text)
    ? text.replace(/,/g, '')
    : text;
  if (!/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?%?$/i.test(plain)) {
    return NaN;
  }
  return Number(plain.replace(/%$/, ''));
}

/** A posting time to the second: epoch seconds or milliseconds not on a whole hour, or a date-time with minutes or seconds. */
export function exactTime(text: string): number | null {
  const number = numberOf(text);
  if (!Number.isNaN(number)) {
    const seconds = epochSeconds(number);
    return seconds !== null && seconds % 3600 !== 0 ? seconds : null;
  }
  const match = EXACT_DATE_TIME.exec(text.toLowerCase());
  if (!match || /^\d{2}:00(?::00(?:[.,]0+)?)?$/.test(match[2])) {
    return null;
  }
  const parsed = Date.parse(
    `${match[1].replace(/[/.]/g, '-')}T${match[2].replace(',', '.')}Z`
  );
  return Number.isNaN(parsed) ? null : parsed / 1000;
}

/** What a value is by its shape; numbers, ranges and enumerated labels are judged with the rest of their column. */
export type Shape =
  | { kind: 'category' }
  | { kind: 'number'; value: string }
  | { kind: 'range'; low: number; high: number }
  | { kind: 'enumerated'; value: string }
  | { kind: 'other' };

const CATEGORY: Shape = { kind: 'category' };
const OTHER: Shape = { kind: 'other' };

export function shapeOf(text: string): Shape {
  const value = text.trim();
  if (!value || value.length > 80) {
    return OTHER;
  }
  if (WORDS.test(value) || BAR.test(value)) {
    return CATEGORY;
  }
  const lower = value.toLowerCase();
  if (
    WEEKDAYS.has(lower) ||
    TIME_BUCKETS.some(pattern => pattern.test(lower)) ||
    BINS.some(pattern => pattern.test(lower))
  ) {
    return CATEGORY;
  }
  const number = numberOf(value);
  if (!Number.isNaN(number)) {
    // Epoch seconds or milliseconds on a whole hour: an hour or day bucket.
    const seconds = epochSeconds(number);
    if (seconds !== null && seconds % 3600 === 0) {
      return CATEGORY;
    }
    // yyyymmdd and yyyymm as integers.
    if (
      /^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])?$/.test(value)
    ) {
      return CATEGORY;
    }
    return { kind: 'number', value: value.replace(/%$/, '') };
  }
  const range = RANGE.exec(lower);
  if (range) {
    const low = numberOf(range[1]);
    const high = numberOf(range[2]);
    if (!Number.isNaN(low) && !Number.isNaN(high) && low <= high) {
      return { kind: 'range', low, high };
    }
  }
  const enumerated = ENUMERATED.exec(value);
  if (enumerated) {
    return { kind: 'enumerated', value: /\d+/.exec(value)![0] };
  }
  // A compound label (`US / 2024-W03`, `SHORT|fyp`): every part a category.
  const parts = value.split(/\s*[/|;×]\s*|\s+x\s+|\s+/);
  if (
    parts.length > 1 &&
    parts.length <= 4 &&
    parts.every(part => part !== '' && shapeOf(part).kind === 'category')
  ) {
    return CATEGORY;
  }
  return OTHER;
}

/** Ranges that do not overlap (touching is fine): the bins of a histogram, not pairs of a record's values. */
function disjoint(ranges: { low: number; high: number }[]): boolean {
  const sorted = [...ranges].sort((a, b) => a.low - b.low || a.high - b.high);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].low < sorted[i - 1].high) {
      return false;
    }
  }
  return true;
}

interface Lookups {
  hashtag: Statement;
  effect: Statement;
  music: Statement;
  playlist: Statement;
  /** The latest posting time of a video or comment (epoch seconds). */
  latest: number;
  memo: Map<string, Shape>;
}

const lookupsOf = new WeakMap<PublicData, Lookups>();
const MEMO_LIMIT = 200_000;

function lookups(data: PublicData): Lookups {
  let known = lookupsOf.get(data);
  if (!known) {
    const { db } = data;
    const latest = db
      .prepare(
        'SELECT max(t) FROM (SELECT max(create_time) AS t FROM videos UNION ALL SELECT max(create_time) FROM comments)'
      )
      .pluck()
      .get() as number | null;
    known = {
      hashtag: db
        .prepare('SELECT 1 FROM video_hashtags WHERE hashtag_name = ? LIMIT 1')
        .pluck(),
      effect: db
        .prepare('SELECT 1 FROM video_effects WHERE effect_id = ? LIMIT 1')
        .pluck(),
      music: db
        .prepare('SELECT 1 FROM videos WHERE music_id = ? LIMIT 1')
        .pluck(),
      playlist: db
        .prepare('SELECT 1 FROM videos WHERE playlist_id = ? LIMIT 1')
        .pluck(),
      latest: latest ?? 0,
      memo: new Map()
    };
    lookupsOf.set(data, known);
  }
  return known;
}

/** True when `text` is a hashtag, effect id, music id or playlist id of the data set (through their indexes). */
function categoryInData(text: string, found: Lookups): boolean {
  const value = text.trim();
  if (/^\d{1,19}$/.test(value)) {
    const number = BigInt(value);
    if (value.length <= 9 && found.effect.get(value) !== undefined) {
      return true;
    }
    return (
      value.length >= 10 &&
      (found.music.get(number) !== undefined ||
        found.playlist.get(number) !== undefined)
    );
  }
  const tag = value.replace(/^#/, '');
  if (!tag || tag.length > 100) {
    return false;
  }
  return (
    found.hashtag.get(tag) !== undefined ||
    (tag !== tag.toLowerCase() &&
      found.hashtag.get(tag.toLowerCase()) !== undefined)
  );
}

/** Categories of one data set, memoised across a review (and across reviews of the data set). */
export class Categories {
  private readonly found: Lookups;
  constructor(data: PublicData) {
    this.found = lookups(data);
  }

  /** A value's shape, with lookups in the data for what the shape leaves open (memoised). */
  private shape(text: string): Shape {
    const memo = this.found.memo;
    let known = memo.get(text);
    if (known === undefined) {
      known = shapeOf(text);
      if (known.kind !== 'category' && categoryInData(text, this.found)) {
        known = CATEGORY;
      }
      if (memo.size < MEMO_LIMIT) {
        memo.set(text, known);
      }
    }
    return known;
  }

  /**
   * The share of distinct `values` that are categories of the data set.
   * Numbers, ranges and enumerated labels count when their column's set of
   * them is regular: numbers on a filled grid, ranges that do not overlap,
   * enumerated labels whose numbers are on a filled grid.
   */
  share(values: string[]): number {
    if (!values.length) {
      return 0;
    }
    let categories = 0;
    const numbers: string[] = [];
    const ranges: { low: number; high: number }[] = [];
    const enumerated: string[] = [];
    const others: string[] = [];
    for (const value of values) {
      const shape = this.shape(value);
      if (shape.kind === 'category') {
        categories++;
      } else if (shape.kind === 'number') {
        numbers.push(shape.value);
      } else if (shape.kind === 'range') {
        ranges.push(shape);
      } else if (shape.kind === 'enumerated') {
        enumerated.push(shape.value);
      } else {
        others.push(value);
      }
    }
    categories += numberedNames(others);
    if (numbers.length && numericGrid(numbers)) {
      categories += numbers.length;
    }
    if (ranges.length && disjoint(ranges)) {
      categories += ranges.length;
    }
    if (enumerated.length && numericGrid([...new Set(enumerated)])) {
      categories += enumerated.length;
    }
    return categories / values.length;
  }

  /**
   * A date-time the platform's clock wrote (a log line's time stamp), not a
   * record's: later than every posting time of the data and within two days
   * of now.
   */
  isClock(seconds: number, now = Date.now() / 1000): boolean {
    return seconds > this.found.latest && Math.abs(seconds - now) < 2 * 86400;
  }
}

/**
 * How many of `values` are numbered names: values identical but for one
 * number that runs on a filled grid (`report_2024_region_7_final`,
 * `batch-3-of-80`). Only the varying number is free, so they are as many
 * labels as the grid has steps, not a value per record.
 */
export function numberedNames(values: string[]): number {
  const byTemplate = new Map<string, string[][]>();
  for (const value of values) {
    const runs = value.match(/\d+/g);
    if (!runs || runs.length > 6) {
      continue;
    }
    const template = value.replace(/\d+/g, '#');
    let group = byTemplate.get(template);
    if (!group) {
      group = [];
      byTemplate.set(template, group);
    }
    group.push(runs);
  }
  let named = 0;
  for (const group of byTemplate.values()) {
    if (group.length < 2) {
      continue;
    }
    const varying = group[0]
      .map((_, position) => new Set(group.map(runs => runs[position])))
      .filter(distinct => distinct.size > 1);
    if (varying.length === 1 && numericGrid([...varying[0]])) {
      named += group.length;
    }
  }
  return named;
}

/** Most decimals a number may have for `numericGrid` (means printed with 15 digits are not a grid). */
const GRID_DECIMALS = 3;
const MIN_GRID_DENSITY = 0.5;
/** Most decimals of a grid printed rounded (`roundedGrid`): edges like 0.0607, 0.1214. */
const ROUNDED_GRID_DECIMALS = 6;
/** Smallest step, in units of the last printed digit, of a rounded grid: one unit of slack fits 1 in 20. */
const MIN_ROUNDED_STEP = 20;

/**
 * True when distinct numbers lie on a regular grid they mostly fill: hours
 * 0–23, durations 3–120, ranks 1–100, bin edges 0, 100, 200…, quantile
 * levels 0.01–0.99. Exact counts or times of records are scattered: their
 * spacing's greatest common divisor is small next to their range.
 */
export function numericGrid(texts: string[]): boolean {
  if (texts.length < 2) {
    return true;
  }
  let decimals = 0;
  const numbers: number[] = [];
  for (const text of texts) {
    const number = numberOf(text);
    if (Number.isNaN(number)) {
      return false;
    }
    const fraction = /\.(\d+)$/.exec(text.replace(/0+$/, ''));
    decimals = Math.max(decimals, fraction ? fraction[1].length : 0);
    if (decimals > ROUNDED_GRID_DECIMALS) {
      return false;
    }
    numbers.push(number);
  }
  if (decimals > GRID_DECIMALS) {
    return roundedGrid(numbers, decimals);
  }
  const scale = 10 ** decimals;
  const scaled = numbers.map(number => Math.round(number * scale));
  if (scaled.some(number => !Number.isSafeInteger(number))) {
    return false;
  }
  const min = Math.min(...scaled);
  const max = Math.max(...scaled);
  let step = 0;
  for (const number of scaled) {
    step = gcd(step, number - min);
  }
  if (step === 0) {
    return true;
  }
  const span = (max - min) / step + 1;
  return texts.length / span >= MIN_GRID_DENSITY;
}

/**
 * Bin edges computed as lo + i * width and printed rounded (4 decimals of
 * log10 views): the steps between them differ by a unit of the last printed
 * digit, so there is no exact common step. They are a grid when every number
 * lies within one such unit of lo + k * step, for a step of at least
 * `MIN_ROUNDED_STEP` units (a finer step would fit any numbers), and they
 * fill it as `numericGrid` asks. Scattered record values do not fit.
 */
function roundedGrid(numbers: number[], decimals: number): boolean {
  const scale = 10 ** decimals;
  const scaled = [
    ...new Set(numbers.map(number => Math.round(number * scale)))
  ].sort((a, b) => a - b);
  if (scaled.some(number => !Number.isSafeInteger(number))) {
    return false;
  }
  if (scaled.length < 2) {
    return true;
  }
  const min = scaled[0];
  const range = scaled[scaled.length - 1] - min;
  let smallest = Infinity;
  for (let index = 1; index < scaled.length; index++) {
    smallest = Math.min(smallest, scaled[index] - scaled[index - 1]);
  }
  const steps = Math.round(range / smallest);
  const step = range / steps;
  if (step < MIN_ROUNDED_STEP) {
    return false;
  }
  const onGrid = scaled.every(number => {
    const offset = number - min;
    return Math.abs(offset - Math.round(offset / step) * step) <= 1 + 1e-9;
  });
  return onGrid && numbers.length / (steps + 1) >= MIN_GRID_DENSITY;
}

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y) {
    [x, y] = [y, x % y];
  }
  return x;
}
