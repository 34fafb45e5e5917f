import type Database from 'better-sqlite3';
import { FIRST_CREATE_TIME, LAST_CREATE_TIME } from '../data/generate';
import type { PublicData } from '../data/schema';

/**
 * What the public data set does not hold but the Research API's user
 * sub-endpoints and playlist info answer (docs/research/research-api.md §5b): a user's liked,
 * pinned and reposted videos, followers and following, and playlists' names.
 * Derived, never stored: pure functions of the data set's seed and ids, so the
 * same seed gives the same answers across restarts and machines. Cheap at
 * 1,000,000 videos: primary-key and index lookups in SQLite, and one pass over
 * an in-memory table of the users (ids and counts, loaded once per data set)
 * for a follow list; never a scan of the videos.
 */

/**
 * The most followers (or followings) a list gives: the real API stops near
 * 5,000 ("no more than 5,000 followers of one user", "approximately 4,000 to
 * 5,000 followers for accounts that have millions": github.com/HohnerJulian/ResearchTikPy/issues/2;
 * docs/research/research-api.md §8). The newest are kept.
 */
export const FOLLOW_LIST_CAP = 5000;
/** The most liked videos a user has in the stand-in (the count is drawn, median 30). */
export const MAX_LIKED = 2000;
/** The most reposted videos a user has in the stand-in (median 6). */
export const MAX_REPOSTED = 300;
/** The most pinned videos: the app pins at most 3 (docs/research/research-api.md §5b). */
export const MAX_PINNED = 3;

// ---------------------------------------------------------------------------
// Seeded hashing: every draw is a hash of (seed, salt, ids), never a sequence,
// so any item of a list is computed without the ones before it.

const TWO_32 = 4294967296;

function mix(h: number, value: number): number {
  let k = Math.imul(value | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let x = h ^ k;
  x = (x << 13) | (x >>> 19);
  return (Math.imul(x, 5) + 0xe6546b64) | 0;
}

function finish(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A 32-bit hash of the seed and whole numbers up to 2^53 (ids are split into
 * their high and low 32 bits): murmur3's mixing, integer arithmetic only.
 */
export function hash32(seed: number, ...parts: number[]): number {
  let h = seed | 0;
  for (const part of parts) {
    h = mix(h, part % TWO_32);
    h = mix(h, Math.floor(part / TWO_32));
  }
  return finish(h ^ (parts.length * 8));
}

/** A uniform float in [0, 1) from the hash. */
export function unit(seed: number, ...parts: number[]): number {
  return hash32(seed, ...parts) / TWO_32;
}

/** A standard normal from two hashes (Box–Muller). */
function normal(seed: number, ...parts: number[]): number {
  const u1 = (hash32(seed, ...parts, 1) + 1) / (TWO_32 + 1);
  const u2 = unit(seed, ...parts, 2);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Salts: one per kind of draw, so no two kinds share a hash. */
const SALT = {
  likedCount: 11,
  likedPick: 12,
  repostedCount: 21,
  repostedPick: 22,
  pinnedCount: 31,
  pinnedRank: 32,
  followEdge: 41,
  followTime: 42,
  playlistName: 51
} as const;

// ---------------------------------------------------------------------------
// Per data set: prepared statements and the users' table, made on first use.

interface Statements {
  userByName: Database.Statement;
  videoAtOrAfter: Database.Statement;
  videoRange: Database.Statement;
  ownVideos: Database.Statement;
  playlistVideos: Database.Statement;
}

interface UserTable {
  /** Every user id, ascending. */
  ids: Float64Array;
  /** Expected followers (follower_count, at most the other users). */
  inWeight: Float64Array;
  /** Expected followings (following_count, at most the other users). */
  outWeight: Float64Array;
  /** The out-weights' sum: P(a follows b) = min(1, out[a]·in[b] / scale). */
  scale: number;
}

interface Derived {
  statements: Statements;
  users?: UserTable;
  videoIds?: { min: number; max: number } | null;
  /** The lists computed last (a crawl asks for the same list page after page). */
  recent: Map<string, unknown>;
}

/** How many computed lists a data set keeps (a 5,000-follow list is ~100 KB). */
export const RECENT_LISTS = 64;

const derived = new WeakMap<Database.Database, Derived>();

function derivedOf(data: PublicData): Derived {
  let entry = derived.get(data.db);
  if (!entry) {
    const db = data.db;
    entry = {
      statements: {
        userByName: db.prepare(
          `SELECT id, username, display_name, follower_count, following_count
           FROM users WHERE username = ?`
        ),
        videoAtOrAfter: db.prepare(
          'SELECT id, user_id, create_time FROM videos WHERE id >= ? ORDER BY id LIMIT 1'
        ),
        videoRange: db.prepare(
          'SELECT min(id) AS min, max(id) AS max FROM videos'
        ),
        ownVideos: db.prepare(
          'SELECT id FROM videos WHERE username = ? ORDER BY id'
        ),
        playlistVideos: db.prepare(
          `SELECT id, user_id, create_time FROM videos WHERE playlist_id = ? ORDER BY id`
        )
      },
      recent: new Map()
    };
    derived.set(db, entry);
  }
  return entry;
}

/** `compute()`, or its value kept from a recent call with the same key (least recently used goes first). */
function remembered<T>(data: PublicData, key: string, compute: () => T): T {
  const recent = derivedOf(data).recent;
  if (recent.has(key)) {
    const value = recent.get(key) as T;
    recent.delete(key);
    recent.set(key, value);
    return value;
  }
  const value = compute();
  recent.set(key, value);
  if (recent.size > RECENT_LISTS) {
    recent.delete(recent.keys().next().value as string);
  }
  return value;
}

function userTable(data: PublicData): UserTable {
  const entry = derivedOf(data);
  if (!entry.users) {
    const rows = data.db
      .prepare(
        'SELECT id, follower_count, following_count FROM users ORDER BY id'
      )
      .raw()
      .all() as [number, number, number][];
    const others = Math.max(0, rows.length - 1);
    const ids = new Float64Array(rows.length);
    const inWeight = new Float64Array(rows.length);
    const outWeight = new Float64Array(rows.length);
    let outSum = 0;
    rows.forEach(([id, followers, following], index) => {
      ids[index] = id;
      inWeight[index] = Math.min(Math.max(0, followers), others);
      outWeight[index] = Math.min(Math.max(0, following), others);
      outSum += outWeight[index];
    });
    entry.users = {
      ids,
      inWeight,
      outWeight,
      scale: Math.max(1, outSum)
    };
  }
  return entry.users;
}

function rankOf(table: UserTable, id: number): number {
  let low = 0;
  let high = table.ids.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = table.ids[middle];
    if (value === id) {
      return middle;
    }
    if (value < id) {
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return -1;
}

// ---------------------------------------------------------------------------
// Users

/** A user as the graph needs it. */
export interface GraphUser {
  id: number;
  username: string;
  display_name: string;
  follower_count: number;
  following_count: number;
}

/** The user of a username (exact, as the data holds it), or undefined. */
export function findUser(
  data: PublicData,
  username: string
): GraphUser | undefined {
  return derivedOf(data).statements.userByName.get(username) as
    GraphUser | undefined;
}

/** `{display_name, username}` of each id, in the order given (the follow lists' item). */
export function userInfos(
  data: PublicData,
  ids: readonly number[]
): { display_name: string; username: string }[] {
  if (ids.length === 0) {
    return [];
  }
  const rows = data.db
    .prepare(
      `SELECT id, display_name, username FROM users WHERE id IN (${ids.map(() => '?').join(',')})`
    )
    .all(...ids) as { id: number; display_name: string; username: string }[];
  const byId = new Map(rows.map(row => [row.id, row]));
  return ids.flatMap(id => {
    const row = byId.get(id);
    return row
      ? [{ display_name: row.display_name, username: row.username }]
      : [];
  });
}

// ---------------------------------------------------------------------------
// Follow graph: one graph for both directions (b in a's following ⇔ a in b's
// followers), a Chung–Lu random graph over the data's users: a follows b with
// probability min(1, out[a]·in[b] / Σout), out from a's following_count and
// in from b's follower_count (each at most the number of other users), so a
// followers list has about as many users as follower_count says, up to the
// other users and FOLLOW_LIST_CAP. The price of one closed graph: the data's
// follower counts sum to far more than its following counts, so following
// lists are longer than following_count (docs/research/research-api.md §5b). Each edge has
// a follow time in the data's span.

/** A follow: the other user and when the follow happened (UTC epoch seconds). */
export interface Follow {
  userId: number;
  time: number;
}

export type FollowDirection = 'followers' | 'following';

function followTime(seed: number, follower: number, followed: number): number {
  const span = LAST_CREATE_TIME - FIRST_CREATE_TIME + 1;
  return (
    FIRST_CREATE_TIME +
    Math.floor(unit(seed, SALT.followTime, follower, followed) * span)
  );
}

/**
 * Distinct times in a list sorted newest first: a time equal to (or after)
 * the one before it moves to one second before that. Then no page of a time
 * cursor has to hold a run of equal times past max_count (timePage).
 */
export function spreadTies(items: { time: number }[]): void {
  for (let index = 1; index < items.length; index++) {
    if (items[index].time >= items[index - 1].time) {
      items[index].time = items[index - 1].time - 1;
    }
  }
}

/**
 * A user's followers (who follows them) or following (whom they follow),
 * newest first (ties: larger id first), at most FOLLOW_LIST_CAP (the newest).
 * One pass over the users' table in memory (50,000 users at 1,000,000 videos).
 */
export function followList(
  data: PublicData,
  userId: number,
  direction: FollowDirection
): readonly Follow[] {
  return remembered(data, `${direction}:${userId}`, () =>
    computeFollowList(data, userId, direction)
  );
}

function computeFollowList(
  data: PublicData,
  userId: number,
  direction: FollowDirection
): Follow[] {
  const table = userTable(data);
  const self = rankOf(table, userId);
  if (self < 0) {
    return [];
  }
  const follows: Follow[] = [];
  const { ids, inWeight, outWeight, scale } = table;
  for (let other = 0; other < ids.length; other++) {
    if (other === self) {
      continue;
    }
    const [follower, followed] =
      direction === 'followers' ? [other, self] : [self, other];
    const p = (outWeight[follower] * inWeight[followed]) / scale;
    if (
      p > 0 &&
      (p >= 1 ||
        unit(data.seed, SALT.followEdge, ids[follower], ids[followed]) < p)
    ) {
      follows.push({
        userId: ids[other],
        time: followTime(data.seed, ids[follower], ids[followed])
      });
    }
  }
  follows.sort((a, b) => b.time - a.time || b.userId - a.userId);
  spreadTies(follows);
  return follows.length > FOLLOW_LIST_CAP
    ? follows.slice(0, FOLLOW_LIST_CAP)
    : follows;
}

// ---------------------------------------------------------------------------
// Liked and reposted videos: other users' videos, drawn by id. Video ids are
// spread evenly over their range (src/data/generate.ts: a stride per video),
// so the first video at or after a uniform point of the range is a uniform
// draw, found by the primary key in O(log n).

/** A video of a list: its id, creator and create_time (the liked list's cursor). */
export interface VideoKey {
  id: number;
  user_id: number;
  create_time: number;
}

function videoIdRange(data: PublicData): { min: number; max: number } | null {
  const entry = derivedOf(data);
  if (entry.videoIds === undefined) {
    const row = entry.statements.videoRange.get() as {
      min: number | null;
      max: number | null;
    };
    entry.videoIds =
      row.min === null || row.max === null
        ? null
        : { min: row.min, max: row.max };
  }
  return entry.videoIds;
}

/** A count drawn log-normally around `median`, at most `max`. */
function drawCount(
  seed: number,
  salt: number,
  userId: number,
  median: number,
  sigma: number,
  max: number
): number {
  const value = Math.floor(
    Math.exp(Math.log(median) + sigma * normal(seed, salt, userId))
  );
  return Math.max(0, Math.min(max, value));
}

/**
 * `count` distinct videos of other users, drawn for (user, salt); with
 * `distinctTimes`, no two with the same create_time (the liked list's cursor
 * is a create_time: no page has to hold a run of equal times past max_count).
 */
function drawVideos(
  data: PublicData,
  userId: number,
  salt: number,
  count: number,
  distinctTimes = false
): VideoKey[] {
  const range = videoIdRange(data);
  if (!range || count === 0) {
    return [];
  }
  const statement = derivedOf(data).statements.videoAtOrAfter;
  const width = range.max - range.min + 1;
  const picked = new Map<number, VideoKey>();
  const times = new Set<number>();
  // A few more draws than needed: some land on the user's own videos or twice on one.
  for (let draw = 0; draw < count * 2 + 8 && picked.size < count; draw++) {
    const point =
      range.min + Math.floor(unit(data.seed, salt, userId, draw) * width);
    const video = statement.get(point) as VideoKey | undefined;
    if (
      video &&
      video.user_id !== userId &&
      !picked.has(video.id) &&
      !(distinctTimes && times.has(video.create_time))
    ) {
      picked.set(video.id, video);
      times.add(video.create_time);
    }
  }
  return [...picked.values()];
}

/**
 * A user's liked videos, newest create_time first (ties: larger id first):
 * the real API's cursor selects "videos created on or before this time"
 * (docs/research/research-api.md §5b). How many: drawn per user, median 30, at most MAX_LIKED.
 */
export function likedVideos(
  data: PublicData,
  userId: number
): readonly VideoKey[] {
  return remembered(data, `liked:${userId}`, () => computeLiked(data, userId));
}

function computeLiked(data: PublicData, userId: number): VideoKey[] {
  const count = drawCount(
    data.seed,
    SALT.likedCount,
    userId,
    30,
    1.3,
    MAX_LIKED
  );
  return drawVideos(data, userId, SALT.likedPick, count, true).sort(
    (a, b) => b.create_time - a.create_time || b.id - a.id
  );
}

/**
 * A user's reposted videos, newest first (the real API pages them by index,
 * docs/research/research-api.md §5b). About one user in three reposts nothing; the others
 * a median of 6, at most MAX_REPOSTED.
 */
export function repostedVideos(data: PublicData, userId: number): VideoKey[] {
  if (unit(data.seed, SALT.repostedCount, userId, 0) < 0.3) {
    return [];
  }
  const count = Math.max(
    1,
    drawCount(data.seed, SALT.repostedCount, userId, 6, 1.2, MAX_REPOSTED)
  );
  return drawVideos(data, userId, SALT.repostedPick, count).sort(
    (a, b) => b.create_time - a.create_time || b.id - a.id
  );
}

/**
 * A user's pinned videos: 0 to MAX_PINNED of their own videos (a creator pins
 * up to 3), chosen by a seeded rank among them, in that rank's order. Reads
 * the user's video ids through the username index.
 */
export function pinnedVideoIds(data: PublicData, user: GraphUser): number[] {
  const roll = unit(data.seed, SALT.pinnedCount, user.id);
  const wanted = roll < 0.45 ? 0 : roll < 0.7 ? 1 : roll < 0.85 ? 2 : 3;
  if (wanted === 0) {
    return [];
  }
  const own = (
    derivedOf(data).statements.ownVideos.raw().all(user.username) as [number][]
  ).map(([id]) => id);
  return own
    .map(id => ({ id, rank: hash32(data.seed, SALT.pinnedRank, user.id, id) }))
    .sort((a, b) => a.rank - b.rank || a.id - b.id)
    .slice(0, wanted)
    .map(entry => entry.id);
}

// ---------------------------------------------------------------------------
// Playlists: the data's videos carry playlist_id (src/data/generate.ts: up to
// three per creator); a playlist's videos are those with its id, oldest first.

/** Playlist info as the real API names it (docs/research/research-api.md §5b). */
export interface PlaylistInfo {
  playlist_id: number;
  playlist_name: string;
  /** The newest create_time of its videos (a video added then). */
  playlist_last_updated: number;
  playlist_item_total: number;
  /** Every video id of the playlist, oldest first. */
  playlist_video_ids: number[];
}

const PLAYLIST_TOPICS = [
  'Favourites',
  'Highlights',
  'Daily vlog',
  'Recipes',
  'Tutorials',
  'Travel diary',
  'Behind the scenes',
  'Q&A',
  'Challenges',
  'Storytime',
  'Workouts',
  'Music covers'
];

/** The playlist of an id, or undefined when no video has it. */
export function playlistInfo(
  data: PublicData,
  playlistId: number
): PlaylistInfo | undefined {
  const videos = derivedOf(data).statements.playlistVideos.all(
    playlistId
  ) as VideoKey[];
  if (videos.length === 0) {
    return undefined;
  }
  const topic =
    PLAYLIST_TOPICS[
      hash32(data.seed, SALT.playlistName, playlistId) % PLAYLIST_TOPICS.length
    ];
  return {
    playlist_id: playlistId,
    playlist_name: `${topic} ${1 + (hash32(data.seed, SALT.playlistName, playlistId, 1) % 9)}`,
    playlist_last_updated: Math.max(...videos.map(video => video.create_time)),
    playlist_item_total: videos.length,
    playlist_video_ids: videos.map(video => video.id)
  };
}

// ---------------------------------------------------------------------------
// Paging

/** One page: its items, the cursor to send for the next one, and whether there is one. */
export interface Page<T> {
  items: T[];
  cursor: number;
  hasMore: boolean;
}

/**
 * A page of a list sorted by a time, newest first, for a cursor meaning "on
 * or before this time" (liked videos, followers, following:
 * docs/research/research-api.md §5b). The next cursor is the last item's time minus one, so
 * a client that sends it back gets each item once; a page never splits a run
 * of equal times (it ends before the run, or, when the run starts the page,
 * takes it whole even past `maxCount`).
 */
export function timePage<T>(
  items: readonly T[],
  timeOf: (item: T) => number,
  cursor: number,
  maxCount: number
): Page<T> {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (timeOf(items[middle]) > cursor) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  const start = low;
  let end = Math.min(start + maxCount, items.length);
  if (end > start && end < items.length) {
    const boundary = timeOf(items[end]);
    if (timeOf(items[end - 1]) === boundary) {
      let runStart = end - 1;
      while (runStart > start && timeOf(items[runStart - 1]) === boundary) {
        runStart -= 1;
      }
      if (runStart > start) {
        end = runStart;
      } else {
        while (end < items.length && timeOf(items[end]) === boundary) {
          end += 1;
        }
      }
    }
  }
  return {
    items: items.slice(start, end),
    cursor: end > start ? timeOf(items[end - 1]) - 1 : cursor,
    hasMore: end < items.length
  };
}

/** A page of a list by index (reposted videos, playlists): the next cursor is the next index. */
export function indexPage<T>(
  items: readonly T[],
  cursor: number,
  maxCount: number
): Page<T> {
  const start = Math.max(0, Math.min(cursor, items.length));
  const end = Math.min(start + maxCount, items.length);
  return {
    items: items.slice(start, end),
    cursor: end,
    hasMore: end < items.length
  };
}

// ---------------------------------------------------------------------------
// One page of an endpoint: what the query workers run (../query/worker-ops.ts)

/** The user sub-endpoints (docs/research/research-api.md §5b), by their path's last part. */
export type UserListKind =
  | 'liked_videos'
  | 'pinned_videos'
  | 'reposted_videos'
  | 'followers'
  | 'following';

export interface UserListArgs {
  list: UserListKind;
  username: string;
  /** An index (reposted), a Unix time (liked, followers, following), or null: the first page. */
  cursor: number | null;
  maxCount: number;
  /** The request's time, Unix seconds: a time cursor's default ("the time this request was made", §5b). */
  now: number;
}

/** A page: the videos' ids (video lists) or the users (follow lists), the next cursor, whether there is more. */
export interface UserListAnswer {
  found: boolean;
  videoIds: number[];
  users: { display_name: string; username: string }[];
  cursor: number;
  hasMore: boolean;
}

const NOT_FOUND: UserListAnswer = {
  found: false,
  videoIds: [],
  users: [],
  cursor: 0,
  hasMore: false
};

/** The page a user sub-endpoint answers, or `found: false` when no user has the name. */
export function userListPage(
  data: PublicData,
  args: UserListArgs
): UserListAnswer {
  const user = findUser(data, args.username);
  if (!user) {
    return NOT_FOUND;
  }
  const since = args.cursor ?? args.now;
  switch (args.list) {
    case 'liked_videos': {
      const page = timePage(
        likedVideos(data, user.id),
        video => video.create_time,
        since,
        args.maxCount
      );
      return videoAnswer(page.items, page);
    }
    case 'reposted_videos': {
      const page = indexPage(
        repostedVideos(data, user.id),
        args.cursor ?? 0,
        args.maxCount
      );
      return videoAnswer(page.items, page);
    }
    case 'pinned_videos':
      return {
        found: true,
        videoIds: pinnedVideoIds(data, user),
        users: [],
        cursor: 0,
        hasMore: false
      };
    case 'followers':
    case 'following': {
      const page = timePage(
        followList(data, user.id, args.list),
        follow => follow.time,
        since,
        args.maxCount
      );
      return {
        found: true,
        videoIds: [],
        users: userInfos(
          data,
          page.items.map(follow => follow.userId)
        ),
        cursor: page.cursor,
        hasMore: page.hasMore
      };
    }
  }
}

function videoAnswer(
  videos: readonly VideoKey[],
  page: { cursor: number; hasMore: boolean }
): UserListAnswer {
  return {
    found: true,
    videoIds: videos.map(video => video.id),
    users: [],
    cursor: page.cursor,
    hasMore: page.hasMore
  };
}

export interface PlaylistArgs {
  playlistId: number;
  cursor: number;
  maxCount: number;
}

/** Playlist info with one page of its video ids (an index cursor), or null when no video has the id. */
export function playlistPage(
  data: PublicData,
  args: PlaylistArgs
): (PlaylistInfo & { cursor: number; has_more: boolean }) | null {
  const info = playlistInfo(data, args.playlistId);
  if (!info) {
    return null;
  }
  const page = indexPage(info.playlist_video_ids, args.cursor, args.maxCount);
  return {
    ...info,
    playlist_video_ids: page.items,
    cursor: page.cursor,
    has_more: page.hasMore
  };
}
