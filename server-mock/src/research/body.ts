import { ApiError } from '../http/errors';
import { show } from '../query/condition-values';

/**
 * Reading a Research API request body: the object itself and its optional
 * integers, strings and booleans, where `null` means "not sent" (TikTok's
 * own wrapper drops null keys, the other public clients send them:
 * docs/research/research-clients.md §1). A mistake is a 400 `invalid_params`
 * naming the key and what it takes. Pure.
 */

export type Body = Record<string, unknown>;

export function invalidParams(message: string): ApiError {
  return new ApiError(400, 'invalid_params', message);
}

/** The body as an object, or a 400 saying what to send. */
export function bodyObject(raw: unknown, example: string): Body {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalidParams(
      `The request body must be a JSON object, e.g. ${example}; it was ${raw === undefined ? 'empty' : show(raw)}.`
    );
  }
  return raw as Body;
}

/** Refuse keys the endpoint does not take, naming them and the ones it does. */
export function onlyKeys(body: Body, keys: readonly string[]): void {
  const unknown = Object.keys(body).filter(key => !keys.includes(key));
  if (unknown.length > 0) {
    throw invalidParams(
      `${unknown.map(key => `"${key}"`).join(', ')} ${unknown.length === 1 ? 'is not a key' : 'are not keys'} of this request; it takes ${keys.join(', ')}.`
    );
  }
}

/** An optional integer (a JSON number), within [min, max]; `null` or absent → fallback. */
export function optionalInteger(
  body: Body,
  key: string,
  range: { min: number; max: number },
  fallback: number
): number {
  const raw = body[key];
  if (raw === undefined || raw === null) {
    return fallback;
  }
  if (
    typeof raw !== 'number' ||
    !Number.isSafeInteger(raw) ||
    raw < range.min ||
    raw > range.max
  ) {
    throw invalidParams(
      `${key} must be an integer from ${range.min} to ${range.max.toLocaleString('en-US')}, not ${show(raw)}.`
    );
  }
  return raw;
}

/** `max_count`: a page size from 1 to the endpoint's `max`, its `fallback` when not sent. */
export function maxCountOf(
  body: Body,
  limits: { fallback: number; max: number }
): number {
  return optionalInteger(
    body,
    'max_count',
    { min: 1, max: limits.max },
    limits.fallback
  );
}

/** An optional non-empty string; `null` or absent → null. */
export function optionalString(
  body: Body,
  key: string,
  maxLength = 256
): string | null {
  const raw = body[key];
  if (raw === undefined || raw === null) {
    return null;
  }
  if (typeof raw !== 'string' || !raw.trim() || raw.length > maxLength) {
    throw invalidParams(
      `${key} must be a non-empty string of at most ${maxLength} characters, not ${show(raw)}.`
    );
  }
  return raw.trim();
}

/** An optional boolean; `null` or absent → false. */
export function optionalBoolean(body: Body, key: string): boolean {
  const raw = body[key];
  if (raw === undefined || raw === null) {
    return false;
  }
  if (typeof raw !== 'boolean') {
    throw invalidParams(`${key} must be true or false, not ${show(raw)}.`);
  }
  return raw;
}

/** An id (int64): a JSON number or digits in a string, as a safe integer (the data's ids are below 2^53). */
export function requiredId(body: Body, key: string): number {
  const raw = body[key];
  if (raw === undefined || raw === null) {
    throw invalidParams(
      `${key} is required: the id as a number, e.g. 7101234567890123456.`
    );
  }
  const value =
    typeof raw === 'string' && /^\d{1,19}$/.test(raw.trim())
      ? Number(raw.trim())
      : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw invalidParams(
      `${key} must be a positive integer id, not ${show(raw)}.`
    );
  }
  return value;
}
