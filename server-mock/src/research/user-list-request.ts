import { ApiError } from '../http/errors';

/**
 * The bodies of the Research API's user sub-endpoints and playlist info
 * (docs/research/research-api.md §5b), read as real clients send them: JSON numbers or
 * strings of digits for int64s (protobuf's JSON form; traktok sends a
 * playlist id taken from a URL as a string), `null` for an absent cursor
 * (traktok, C4D), unknown keys ignored. A bad value is a 400 `invalid_params`
 * naming the field, in the API's own form ("`username: X` is invalid: …").
 */

/** max_count: default 20, max 100 (docs/research/research-api.md §5b: LV, RV, FR, FG). */
export const DEFAULT_MAX_COUNT = 20;
export const MAX_MAX_COUNT = 100;
/** Playlist info: no default documented; traktok sends none and reads one page (§5b). */
export const PLAYLIST_DEFAULT_MAX_COUNT = 100;

export interface UserListRequest {
  username: string;
  maxCount: number;
  /** The body's cursor, or null when absent, null or (for a time cursor) ≤ 0: "now" (§5b). */
  cursor: number | null;
}

export interface PlaylistRequest {
  playlistId: number;
  maxCount: number;
  cursor: number;
}

function invalid(message: string): ApiError {
  return new ApiError(400, 'invalid_params', message);
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function bodyObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalid(
      'The request body must be a JSON object, e.g. {"username": "test_username"}.'
    );
  }
  return body as Record<string, unknown>;
}

/** A whole number ≥ 0 from a JSON number or a string of digits, or undefined when absent/null. */
function wholeNumber(
  body: Record<string, unknown>,
  field: string,
  rule: string
): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) {
    return undefined;
  }
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d{1,20}$/.test(value.trim())
        ? Number(value.trim())
        : Number.NaN;
  if (Number.isInteger(number) && number > Number.MAX_SAFE_INTEGER) {
    // An int64 past 2^53: no id of the data is that large, and a time or index that large means "after everything".
    return Number.MAX_SAFE_INTEGER;
  }
  if (!Number.isSafeInteger(number) || number < 0) {
    throw invalid(`\`${field}: ${shown(value)}\` is invalid: ${rule}`);
  }
  return number;
}

function maxCountOf(body: Record<string, unknown>, fallback: number): number {
  const rule = `it must be a whole number from 1 to ${MAX_MAX_COUNT}`;
  const value = wholeNumber(body, 'max_count', rule);
  if (value === undefined) {
    return fallback;
  }
  if (value < 1 || value > MAX_MAX_COUNT) {
    throw invalid(`\`max_count: ${value}\` is invalid: ${rule}`);
  }
  return value;
}

function usernameOf(body: Record<string, unknown>): string {
  const value = body.username;
  if (value === undefined || value === null || value === '') {
    throw invalid(
      '`username` is missing: send the account\'s username, e.g. {"username": "test_username"}.'
    );
  }
  if (typeof value !== 'string') {
    throw invalid(
      `\`username: ${shown(value)}\` is invalid: it must be a string`
    );
  }
  return value;
}

/**
 * A user list's body. `cursor: 'time'` (liked videos, followers, following):
 * Unix seconds, ≤ 0 meaning "now" as absent does (ResearchTikPy sends 0 on the
 * first page); `'index'` (reposted): a start index; `'none'` (pinned): no
 * paging, max_count and cursor ignored (traktok sends both).
 */
export function readUserListBody(
  raw: unknown,
  cursor: 'time' | 'index' | 'none'
): UserListRequest {
  const body = bodyObject(raw);
  const username = usernameOf(body);
  if (cursor === 'none') {
    return { username, maxCount: MAX_MAX_COUNT, cursor: null };
  }
  const maxCount = maxCountOf(body, DEFAULT_MAX_COUNT);
  const value = wholeNumber(
    body,
    'cursor',
    cursor === 'time'
      ? 'it must be a Unix time in seconds (a whole number)'
      : 'it must be a whole number, the index to start from'
  );
  return {
    username,
    maxCount,
    cursor:
      value === undefined || (cursor === 'time' && value === 0) ? null : value
  };
}

/** Playlist info's body: `playlist_id` required, `cursor` an index (default 0), `max_count` ≤ 100 (default 100). */
export function readPlaylistBody(raw: unknown): PlaylistRequest {
  const body = bodyObject(raw);
  const playlistId = wholeNumber(
    body,
    'playlist_id',
    "it must be the playlist's id, a whole number"
  );
  if (playlistId === undefined) {
    throw invalid(
      '`playlist_id` is missing: send the playlist\'s id, e.g. {"playlist_id": 7145179763387255595}.'
    );
  }
  return {
    playlistId,
    maxCount: maxCountOf(body, PLAYLIST_DEFAULT_MAX_COUNT),
    cursor:
      wholeNumber(
        body,
        'cursor',
        'it must be a whole number, the index to start from'
      ) ?? 0
  };
}

/** 400 for a username the data does not hold, as the real API words it (C4D ExampleInterfaceusage.ipynb, §5b). */
export function unknownUser(username: string): ApiError {
  return invalid(`\`username: ${username}\` is invalid: cannot find the user`);
}

/** 400 for a playlist id no video has (the user message's form; the real one not observed, §5b). */
export function unknownPlaylist(playlistId: number): ApiError {
  return invalid(
    `\`playlist_id: ${playlistId}\` is invalid: cannot find the playlist`
  );
}
