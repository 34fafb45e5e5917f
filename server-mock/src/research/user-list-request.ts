import {
  bodyObject,
  invalidParams,
  onlyKeys,
  maxCountOf,
  optionalInteger,
  requiredId
} from './body';
import { readUsername } from './user-request';

/**
 * The bodies of the Research API's user sub-endpoints and playlist info
 * (docs/research/research-api.md §5b) → what to list and which page. Pure.
 * `null` means "not sent" (traktok sends `cursor: null`); pinned videos take
 * no paging but accept the `max_count` and `cursor` traktok sends to every
 * user endpoint, and ignore them.
 */

/** max_count: default 20, at most 100 (§5b: LV, RV, FR, FG). */
export const USER_LIST_MAX_COUNT = { fallback: 20, max: 100 } as const;
/** Playlist info: no default documented; traktok sends none and reads one page (§5b). */
export const PLAYLIST_MAX_COUNT = { fallback: 100, max: 100 } as const;

const USER_LIST_KEYS = ['username', 'max_count', 'cursor'] as const;
const PLAYLIST_KEYS = ['playlist_id', 'max_count', 'cursor'] as const;
const PLAYLIST_EXAMPLE = '{"playlist_id": 7400000000000010, "cursor": 0}';

/** How a list pages: by a Unix time (liked, followers, following), an index (reposted), or not at all (pinned). */
export type CursorKind = 'time' | 'index' | 'none';

export interface UserListRequest {
  username: string;
  maxCount: number;
  /** An index (0 when not sent), or a Unix time; null for a time cursor not sent or 0 ("now", §5b), and for pinned. */
  cursor: number | null;
}

export interface PlaylistRequest {
  playlistId: number;
  maxCount: number;
  cursor: number;
}

/**
 * A user list's body. A time cursor of 0 is "now", as an absent one:
 * ResearchTikPy sends `cursor: 0` on the first page of liked videos,
 * followers and following (§5b), which taken literally ("on or before 1970")
 * would list nothing.
 */
export function readUserListBody(
  raw: unknown,
  cursorKind: CursorKind
): UserListRequest {
  const body = bodyObject(
    raw,
    '{"username": "cookie_love_122", "max_count": 20}'
  );
  onlyKeys(body, USER_LIST_KEYS);
  const username = readUsername({ username: body.username });
  if (cursorKind === 'none') {
    return { username, maxCount: USER_LIST_MAX_COUNT.max, cursor: null };
  }
  const maxCount = maxCountOf(body, USER_LIST_MAX_COUNT);
  const cursor = optionalInteger(
    body,
    'cursor',
    { min: 0, max: Number.MAX_SAFE_INTEGER },
    0
  );
  return {
    username,
    maxCount,
    cursor: cursorKind === 'time' && cursor === 0 ? null : cursor
  };
}

/** Playlist info's body: `playlist_id` (a number, or digits in a string as traktok may send), `cursor` an index, `max_count`. */
export function readPlaylistBody(raw: unknown): PlaylistRequest {
  const body = bodyObject(raw, PLAYLIST_EXAMPLE);
  onlyKeys(body, PLAYLIST_KEYS);
  return {
    playlistId: requiredId(body, 'playlist_id'),
    maxCount: maxCountOf(body, PLAYLIST_MAX_COUNT),
    cursor: optionalInteger(
      body,
      'cursor',
      { min: 0, max: Number.MAX_SAFE_INTEGER },
      0
    )
  };
}

/** 400 for a playlist id no video has (in the form of the user message; the real one is not observed, §5b). */
export function playlistNotFound(playlistId: number): Error {
  return invalidParams(
    `\`playlist_id: ${playlistId}\` is invalid: cannot find the playlist`
  );
}

/** Playlist info's fields (docs/research/research-api.md §5b: PL; the VCE's `playlists` category lists the same five). */
export const PLAYLIST_FIELDS = [
  'playlist_id',
  'playlist_name',
  'playlist_video_ids',
  'playlist_item_total',
  'playlist_last_updated'
] as const;
export type PlaylistField = (typeof PLAYLIST_FIELDS)[number];

/**
 * Playlist info's `fields` query parameter: optional (the older page has
 * none, the newer one's example sends `?fields=playlist_id`); absent or
 * empty → all five. Names trimmed, as for the other endpoints.
 */
export function readPlaylistFields(raw: unknown): PlaylistField[] {
  if (raw === undefined || (typeof raw === 'string' && !raw.trim())) {
    return [...PLAYLIST_FIELDS];
  }
  if (typeof raw !== 'string') {
    throw invalidParams(
      `fields must be one comma-separated list of ${PLAYLIST_FIELDS.join(', ')}.`
    );
  }
  const names: PlaylistField[] = [];
  for (const part of raw.split(',')) {
    const name = part.trim();
    if (!name) {
      continue;
    }
    if (!(PLAYLIST_FIELDS as readonly string[]).includes(name)) {
      throw invalidParams(
        `fields: "${name.slice(0, 60)}" is not a playlist field; the fields are ${PLAYLIST_FIELDS.join(', ')}.`
      );
    }
    if (!names.includes(name as PlaylistField)) {
      names.push(name as PlaylistField);
    }
  }
  return names.length > 0 ? names : [...PLAYLIST_FIELDS];
}
