/**
 * How the linkage rule reads a table's cells as values of the data set's
 * fields: exact times (epoch seconds or milliseconds, ISO and other common
 * date-time notations, with or without a time zone), whole numbers (also
 * "12.0" and "1,234"), region codes, duration classes and flags. Pure: no
 * data set here; the caller says which time range is plausible.
 */

/** What kind of field a reading can be compared with (linkage/data.ts Field.kind). */
export type ValueKind = 'time' | 'count' | 'region' | 'duration' | 'flag';

/** One way to read a column: its cells as values of one kind (null: the cell does not read). */
export interface Reading {
  kind: ValueKind;
  read(text: string): number | string | null;
  /**
   * Times written to the minute: a value t stands for [t, t + span) (60 s).
   * Such a time narrows a match like a count does but does not link on its
   * own (absent: exact).
   */
  span?: number;
}

const WHOLE = /^\d{1,16}(?:\.0+)?$/;
const GROUPED = /^\d{1,3}(?:,\d{3})+$/;

/** A whole number as scripts write them: 1234, 1234.0, 1,234. */
export function readCount(text: string): number | null {
  const trimmed = text.trim();
  if (WHOLE.test(trimmed)) {
    return Number(trimmed);
  }
  if (GROUPED.test(trimmed)) {
    return Number(trimmed.replace(/,/g, ''));
  }
  return null;
}

const ZONE = '(Z|UTC|GMT|[+-]\\d{2}(?::?\\d{2})?)';
/** 2024-01-05T12:34:56, 2024-01-05 12:34:56.000+02:00, 2024/01/05 12:34:56 UTC. */
const YEAR_FIRST = new RegExp(
  `^(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})[T ,]+(\\d{1,2}):(\\d{2}):(\\d{2})(?:[.,](\\d{1,9}))?\\s*${ZONE}?$`,
  'i'
);
/** 05/01/2024 12:34:56, 1/5/2024, 12:34:56 PM, 05.01.2024 12:34:56 +0100. */
const YEAR_LAST = new RegExp(
  `^(\\d{1,2})[-/.](\\d{1,2})[-/.](\\d{4})[T ,]+(\\d{1,2}):(\\d{2}):(\\d{2})(?:[.,](\\d{1,9}))?(?:\\s*([AP]M))?\\s*${ZONE}?$`,
  'i'
);
/** The same notations to the minute (no seconds): 2024-01-05T12:34, 05.01.2024 12:34. */
const YEAR_FIRST_MINUTE = new RegExp(
  `^(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})[T ,]+(\\d{1,2}):(\\d{2})\\s*${ZONE}?$`,
  'i'
);
const YEAR_LAST_MINUTE = new RegExp(
  `^(\\d{1,2})[-/.](\\d{1,2})[-/.](\\d{4})[T ,]+(\\d{1,2}):(\\d{2})(?:\\s*([AP]M))?\\s*${ZONE}?$`,
  'i'
);
const MONTH_NAME =
  /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/i;
const CLOCK = /\b\d{1,2}:\d{2}:\d{2}\b/;
const TRAILING_ZONE = /(?:\bUTC|\bGMT|\bZ|[+-]\d{2}:?\d{2})\s*$/i;

function zoneSeconds(zone: string | undefined): number | null {
  if (!zone || /^(z|utc|gmt)$/i.test(zone)) {
    return 0;
  }
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!match) {
    return null;
  }
  const seconds = Number(match[2]) * 3600 + Number(match[3] ?? 0) * 60;
  return match[1] === '+' ? seconds : -seconds;
}

/** Epoch seconds of a calendar time, or null when a part is out of range or the fraction is not zero (not exact). */
function epoch(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  fraction: string | undefined,
  zone: string | undefined
): number | null {
  const offset = zoneSeconds(zone);
  if (
    offset === null ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    hour > 23 ||
    minute > 59 ||
    second > 60 ||
    (fraction !== undefined && !/^0+$/.test(fraction))
  ) {
    return null;
  }
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(millis).getUTCDate() !== day) {
    return null;
  }
  return millis / 1000 - offset;
}

function yearFirst(text: string): number | null {
  const m = YEAR_FIRST.exec(text);
  return m ? epoch(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], m[7], m[8]) : null;
}

function twelveHour(hour: number, half: string | undefined): number {
  if (!half) {
    return hour;
  }
  if (hour < 1 || hour > 12) {
    return 99;
  }
  return (hour % 12) + (half.toUpperCase() === 'PM' ? 12 : 0);
}

function dayFirst(text: string): number | null {
  const m = YEAR_LAST.exec(text);
  return m
    ? epoch(
        +m[3],
        +m[2],
        +m[1],
        twelveHour(+m[4], m[8]),
        +m[5],
        +m[6],
        m[7],
        m[9]
      )
    : null;
}

function monthFirst(text: string): number | null {
  const m = YEAR_LAST.exec(text);
  return m
    ? epoch(
        +m[3],
        +m[1],
        +m[2],
        twelveHour(+m[4], m[8]),
        +m[5],
        +m[6],
        m[7],
        m[9]
      )
    : null;
}

/** "Fri Jan  5 12:34:56 2024" (time.ctime), "Fri, 05 Jan 2024 12:34:56 GMT" (RFC 2822), "January 5, 2024 12:34:56": read as UTC when no zone is written. */
function namedMonth(text: string): number | null {
  if (text.length > 60 || !MONTH_NAME.test(text) || !CLOCK.test(text)) {
    return null;
  }
  const millis = Date.parse(TRAILING_ZONE.test(text) ? text : `${text} UTC`);
  return Number.isFinite(millis) && millis % 1000 === 0 ? millis / 1000 : null;
}

function yearFirstMinute(text: string): number | null {
  const m = YEAR_FIRST_MINUTE.exec(text);
  return m
    ? epoch(+m[1], +m[2], +m[3], +m[4], +m[5], 0, undefined, m[6])
    : null;
}

/** `dd.mm.yyyy hh:mm` (day first) or `mm/dd/yyyy hh:mm` (month first), 12-hour clock allowed. */
function yearLastMinute(text: string, dayFirst: boolean): number | null {
  const m = YEAR_LAST_MINUTE.exec(text);
  if (!m) {
    return null;
  }
  const [day, month] = dayFirst ? [+m[1], +m[2]] : [+m[2], +m[1]];
  return epoch(
    +m[3],
    month,
    day,
    twelveHour(+m[4], m[6]),
    +m[5],
    0,
    undefined,
    m[7]
  );
}

const dayFirstMinute = (text: string) => yearLastMinute(text, true);
const monthFirstMinute = (text: string) => yearLastMinute(text, false);

function epochSeconds(text: string): number | null {
  return /^\d{9,10}(?:\.0+)?$/.test(text) ? Number(text) : null;
}

function epochMillis(text: string): number | null {
  if (!/^\d{12,13}(?:\.0+)?$/.test(text)) {
    return null;
  }
  const millis = Number(text);
  return millis % 1000 === 0 ? millis / 1000 : null;
}

/** The notations of exact times the rule knows; a column is read with the one most of its cells are in. */
const TIME_NOTATIONS: ((text: string) => number | null)[] = [
  epochSeconds,
  epochMillis,
  yearFirst,
  dayFirst,
  monthFirst,
  namedMonth
];

/**
 * Times to the minute, read as the minute's first second (the reading's
 * span covers the rest): a minute holds few videos or comments, so with a
 * count it still points at one record (docs/research/sdc-rules.md § 6).
 */
const MINUTE_NOTATIONS: ((text: string) => number | null)[] = [
  yearFirstMinute,
  dayFirstMinute,
  monthFirstMinute
];
const MINUTE = 60;

const REGION = /^[A-Za-z]{2}$/;
const DURATION = /^(?:short|mid|long|extra_long)$/i;
const FLAG = new Map([
  ['true', 1],
  ['false', 0],
  ['yes', 1],
  ['no', 0],
  ['1', 1],
  ['0', 0]
]);

/** A share of a column's cells that must read for the reading to be kept (the rest may be blank or suppressed). */
const MOST = 0.8;

/**
 * The readings of one column, from its cells in the sampled rows: a time
 * notation when most cells are exact times within `timeRange` (epoch
 * seconds, inclusive), and whole numbers, region codes, duration classes or
 * flags when most cells read as those. A column may have several readings
 * (an epoch column is also whole numbers); the join chooses.
 */
export function columnReadings(
  cells: string[],
  timeRange: [number, number]
): Reading[] {
  const texts = cells.map(cell => cell.trim()).filter(cell => cell !== '');
  if (!texts.length) {
    return [];
  }
  const enough = (hits: number) => hits >= MOST * texts.length;
  const readings: Reading[] = [];
  const [earliest, latest] = timeRange;
  const inRange = (seconds: number | null) =>
    seconds !== null && seconds >= earliest && seconds <= latest;
  let best: ((text: string) => number | null) | null = null;
  let bestHits = 0;
  let bestSpan: number | undefined;
  for (const [notations, span] of [
    [TIME_NOTATIONS, undefined],
    [MINUTE_NOTATIONS, MINUTE]
  ] as const) {
    for (const notation of notations) {
      const hits = texts.filter(text => inRange(notation(text))).length;
      if (hits > bestHits) {
        best = notation;
        bestHits = hits;
        bestSpan = span;
      }
    }
  }
  if (best && enough(bestHits)) {
    const notation = best;
    readings.push({
      kind: 'time',
      read: text => {
        const seconds = notation(text.trim());
        return inRange(seconds) ? seconds : null;
      },
      ...(bestSpan ? { span: bestSpan } : {})
    });
  }
  if (enough(texts.filter(text => readCount(text) !== null).length)) {
    readings.push({ kind: 'count', read: readCount });
  }
  if (enough(texts.filter(text => REGION.test(text)).length)) {
    readings.push({
      kind: 'region',
      read: text => {
        const trimmed = text.trim();
        return REGION.test(trimmed) ? trimmed.toUpperCase() : null;
      }
    });
  }
  if (enough(texts.filter(text => DURATION.test(text)).length)) {
    readings.push({
      kind: 'duration',
      read: text => {
        const trimmed = text.trim();
        return DURATION.test(trimmed) ? trimmed.toLowerCase() : null;
      }
    });
  }
  if (texts.every(text => FLAG.has(text.toLowerCase()))) {
    readings.push({
      kind: 'flag',
      read: text => FLAG.get(text.trim().toLowerCase()) ?? null
    });
  }
  return readings;
}
