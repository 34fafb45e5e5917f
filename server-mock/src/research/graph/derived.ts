import type Database from 'better-sqlite3';
import type { PublicData } from '../../data/schema';

/** Per data set: prepared statements, the users' table and recent lists (../user-graph.ts). */
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
const RECENT_LISTS = 64;

const derived = new WeakMap<Database.Database, Derived>();

export function derivedOf(data: PublicData): Derived {
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
export function remembered<T>(
  data: PublicData,
  key: string,
  compute: () => T
): T {
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

export function userTable(data: PublicData): UserTable {
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

export function rankOf(table: UserTable, id: number): number {
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
