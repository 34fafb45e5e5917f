/**
 * Condition values: how each value type is read, as the platform reads it
 * (server-mock/src/query/validate.ts `parseValue`), so a value the platform
 * would refuse is flagged before the cell is inserted. Pure functions.
 */
import { plainTranslate, type Translate } from '../common/translate';
import { IConditionField, isSingleValued, REGION_CODES } from './catalogue';

const DAY_SECONDS = 86_400;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const REGIONS = new Set(REGION_CODES);

/** A time value as a half-open range of epoch seconds [from, to). */
export interface ITimeRange {
  from: number;
  to: number;
}

/** `YYYYMMDD` → the UTC day as [00:00, next 00:00), or null for an impossible date. */
export function parseDay(text: string): ITimeRange | null {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) {
    return null;
  }
  const [year, month, day] = [
    Number(match[1]),
    Number(match[2]),
    Number(match[3])
  ];
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  if (
    year < 1970 ||
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return null;
  }
  return { from: ms / 1000, to: ms / 1000 + DAY_SECONDS };
}

/** A decimal integer within int64, or null. */
export function parseInt64(text: string): bigint | null {
  if (!/^-?\d{1,19}$/.test(text)) {
    return null;
  }
  const big = BigInt(text);
  return big < INT64_MIN || big > INT64_MAX ? null : big;
}

/** `2024-06-01` (an `<input type="date">` value) → `20240601`, or null. */
export function isoDateToDay(iso: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) {
    return null;
  }
  const day = `${match[1]}${match[2]}${match[3]}`;
  return parseDay(day) ? day : null;
}

/** `20240601` → `2024-06-01`, or '' when it is not a real day. */
export function dayToIsoDate(day: string): string {
  return parseDay(day.trim())
    ? `${day.trim().slice(0, 4)}-${day.trim().slice(4, 6)}-${day.trim().slice(6, 8)}`
    : '';
}

/**
 * What a time value means, for people: "2024-06-01 (the whole UTC day)" or
 * "2024-06-01 12:00:00 UTC"; null when it does not parse.
 */
export function describeTime(
  raw: string,
  trans: Translate = plainTranslate
): string | null {
  const text = raw.trim();
  if (/^\d{8}$/.test(text)) {
    return parseDay(text)
      ? trans.__('%1 (the whole UTC day)', dayToIsoDate(text))
      : null;
  }
  const value = parseInt64(text);
  if (value === null || value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    return null;
  }
  const ms = Number(value) * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    return null;
  }
  return trans.__(
    '%1 UTC',
    new Date(ms).toISOString().replace('T', ' ').replace('.000Z', '')
  );
}

/** Region names in a locale, e.g. "United States" for US; the code itself when unknown. */
export function regionName(code: string, locale = 'en'): string {
  try {
    return (
      new Intl.DisplayNames([locale, 'en'], { type: 'region' }).of(code) ?? code
    );
  } catch {
    return code;
  }
}

/**
 * Check one value of a field as the platform reads it. Returns null when it
 * is fine, else a message that says what the field takes.
 */
export function checkValue(
  name: string,
  field: IConditionField,
  operation: string,
  raw: string,
  trans: Translate = plainTranslate
): string | null {
  const text = raw.trim();
  switch (field.type) {
    case 'int':
      return parseInt64(text) === null
        ? trans.__('%1 takes whole numbers, e.g. 10', name)
        : null;
    case 'time': {
      if (/^\d{8}$/.test(text)) {
        return parseDay(text)
          ? null
          : trans.__(
              '"%1" is not a real date: use YYYYMMDD (UTC) or epoch seconds',
              raw
            );
      }
      const value = parseInt64(text);
      return value === null ||
        value < 0n ||
        value > BigInt(Number.MAX_SAFE_INTEGER)
        ? trans.__(
            '%1 takes a date (YYYYMMDD, UTC) or epoch seconds, e.g. 20240601',
            name
          )
        : null;
    }
    case 'region':
      return REGIONS.has(text.toUpperCase())
        ? null
        : trans.__(
            '%1 takes a two-letter region code such as US, GB or ID',
            name
          );
    case 'enum':
      return field.values!.some(
        allowed => allowed.toLowerCase() === text.toLowerCase()
      )
        ? null
        : trans.__('%1 takes one of %2', name, field.values!.join(', '));
    case 'bool':
      return ['true', 'false'].includes(text.toLowerCase())
        ? null
        : trans.__('%1 takes "true" or "false"', name);
    case 'hashtag':
      return text.replace(/^#/, '')
        ? null
        : trans.__('%1 takes a non-empty hashtag name', name);
    case 'list': {
      const item = name === 'hashtag_names' ? text.replace(/^#/, '') : text;
      return item ? null : trans.__('%1 takes non-empty values', name);
    }
    case 'keyword':
      return /[\p{L}\p{N}]/u.test(text)
        ? null
        : trans.__(
            '%1 takes a word or phrase with at least one letter or digit',
            name
          );
    case 'string':
      return operation === 'LIKE' && raw.length === 0
        ? trans.__('LIKE on %1 takes a non-empty text', name)
        : null;
  }
}

/** Which value editor a field and operation take. */
export type EditorKind =
  'number' | 'time' | 'region' | 'enum' | 'bool' | 'text';

/** The editor of one value of a field. */
export function editorKind(field: IConditionField): EditorKind {
  switch (field.type) {
    case 'int':
      return 'number';
    case 'time':
      return 'time';
    case 'region':
      return 'region';
    case 'enum':
      return 'enum';
    case 'bool':
      return 'bool';
    default:
      return 'text';
  }
}

/**
 * Whether the operation takes a list of values (chips): IN and CONTAINS
 * always, LIKE when it already holds several (any of them matches).
 */
export function takesManyValues(
  operation: string,
  values: readonly string[] = []
): boolean {
  if (operation === 'IN' || operation === 'CONTAINS') {
    return true;
  }
  return operation === 'LIKE' && values.length > 1;
}

export { isSingleValued };
