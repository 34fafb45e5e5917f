import type { PublicData } from '../../data/schema';
import { derivedOf, remembered, type GraphUser } from './derived';
import { SALT, hash32, normal, unit } from './hashing';
import { MAX_LIKED, MAX_REPOSTED } from './limits';
/** Liked, reposted and pinned videos (../user-graph.ts). */
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
