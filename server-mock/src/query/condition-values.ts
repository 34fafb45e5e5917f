import { REGION_CODES, type ConditionField, type Operation } from './catalogue';
import type { TimeRange, Value } from './typed-query';

/**
 * One condition value, a string as the platform takes it, read per the
 * field's type (integers within int64, dates and epoch seconds, region codes,
 * enumerations, booleans, hashtags, keywords, text), or the message that says
 * what was expected. Pure.
 */

const DAY_SECONDS = 86_400;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const REGIONS = new Set(REGION_CODES);

export const show = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text === undefined
    ? String(value)
    : text.length > 60
      ? `${text.slice(0, 57)}...`
      : text;
};

/** `YYYYMMDD` → the UTC day as [00:00, next 00:00), or null for an impossible date. */
export function parseDay(text: string): TimeRange | null {
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

/** A decimal integer within int64, as a number when exact, else a bigint. */
function parseInt64(text: string): number | bigint | null {
  if (!/^-?\d{1,19}$/.test(text)) {
    return null;
  }
  const big = BigInt(text);
  if (big < INT64_MIN || big > INT64_MAX) {
    return null;
  }
  return big >= BigInt(Number.MIN_SAFE_INTEGER) &&
    big <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(big)
    : big;
}

/** One condition value, read per the field's type, or a message saying what was expected. */
export function parseValue(
  name: string,
  spec: ConditionField,
  operation: Operation,
  raw: string
): Value | string[] {
  const text = raw.trim();
  switch (spec.type) {
    case 'int': {
      const value = parseInt64(text);
      return value === null
        ? [`${name} takes integers written as strings, e.g. "10"`]
        : value;
    }
    case 'time': {
      if (/^\d{8}$/.test(text)) {
        const day = parseDay(text);
        return (
          day ?? [
            `${name} ${show(raw)} is not a real date: use YYYYMMDD (UTC) or epoch seconds`
          ]
        );
      }
      const value = parseInt64(text);
      if (value === null || typeof value === 'bigint' || value < 0) {
        return [
          `${name} takes epoch seconds (UTC) or a YYYYMMDD date, e.g. "20240601"`
        ];
      }
      return { from: value, to: value + 1 };
    }
    case 'region': {
      const code = text.toUpperCase();
      return REGIONS.has(code)
        ? code
        : [
            `${name} takes a two-letter region code such as US, GB or ID (research-api.md §2's list)`
          ];
    }
    case 'enum': {
      const found = spec.values!.find(
        allowed => allowed.toLowerCase() === text.toLowerCase()
      );
      return found ?? [`${name} takes one of ${spec.values!.join(', ')}`];
    }
    case 'bool': {
      const lower = text.toLowerCase();
      return lower === 'true'
        ? 1
        : lower === 'false'
          ? 0
          : [`${name} takes "true" or "false"`];
    }
    case 'hashtag': {
      const tag = text.replace(/^#/, '').toLowerCase();
      return tag ? tag : [`${name} takes a non-empty hashtag name`];
    }
    case 'list': {
      const item =
        spec.source.kind === 'side' && spec.source.column === 'hashtag_name'
          ? text.replace(/^#/, '').toLowerCase()
          : text;
      return item ? item : [`${name} takes non-empty values`];
    }
    case 'keyword':
      return /[\p{L}\p{N}]/u.test(text)
        ? text
        : [`${name} takes a word or phrase with at least one letter or digit`];
    case 'string':
      if (operation === 'LIKE' && raw.length === 0) {
        return [`LIKE on ${name} takes a non-empty text`];
      }
      return raw;
  }
}
