import Database from 'better-sqlite3';
import { renameSync, rmSync } from 'node:fs';
import { Random, WeightedPicker, zipfWeights } from './random';
import {
  createPublicDataSchema,
  finishPublicData,
  preparePublicDataInserts,
  type FinishPhase
} from './schema';
import {
  bioDescription,
  commentText,
  displayName,
  EFFECT_IDS,
  HASHTAGS,
  languageFor,
  REGIONS,
  uniqueUsername,
  videoDescription,
  voiceToText,
  type Language
} from './vocabulary';

/**
 * The synthetic public data set: users, their videos, comments, hashtags and
 * effects, written to a new SQLite file. Deterministic: the same seed and size
 * give a byte-identical file (no clock, no machine-dependent input).
 */

/** Bumped whenever the same (seed, videos) would give different data. */
export const GENERATOR_VERSION = '2';

/** The time span of the data: 2020-01-01T00:00:00Z … 2026-10-31T23:59:59Z (epoch seconds). */
export const FIRST_CREATE_TIME = Date.UTC(2020, 0, 1) / 1000;
export const LAST_CREATE_TIME = Date.UTC(2026, 10, 1) / 1000 - 1;

/**
 * Ids look like the platform's large int64 ids (docs/research/research-api.md §3: id int64)
 * but stay below 2^53, so they are exact as JavaScript numbers and in JSON.
 * Each kind has its own range, so a comment id never equals a video id
 * (a top-level comment's parent_comment_id is its video's id, docs/research/research-api.md §4).
 * Video ids grow with create_time (as the platform's do): ordering by id is
 * ordering by time. Within a stride, a random offset.
 */
export const USER_ID_BASE = 6_900_000_000_000_000;
export const USER_ID_STRIDE = 1_000_000;
export const MUSIC_ID_BASE = 7_000_000_000_000_000;
export const MUSIC_ID_STRIDE = 1_000;
export const VIDEO_ID_BASE = 7_100_000_000_000_000;
export const VIDEO_ID_STRIDE = 100_000;
export const COMMENT_ID_BASE = 7_300_000_000_000_000;
export const COMMENT_ID_STRIDE = 10_000;
export const PLAYLIST_ID_BASE = 7_400_000_000_000_000;
export const PLAYLIST_ID_STRIDE = 10;

/** The most comments kept a video: the API lists only the top 1,000 (docs/research/research-api.md §4). */
export const MAX_COMMENTS_PER_VIDEO = 1000;
/** Users per video: one creator for every 20 videos on average. */
export const VIDEOS_PER_USER = 20;
/** Shortest and longest video, seconds. */
export const MIN_DURATION = 3;
export const MAX_DURATION = 900;

export type VideoLength = 'SHORT' | 'MID' | 'LONG' | 'EXTRA_LONG';
export type DurationType = 'short' | 'mid' | 'long' | 'extra_long';

/**
 * A duration's bucket, docs/research/research-api.md §2: SHORT <15 s, MID 15–60 s, LONG 1–5 min,
 * EXTRA_LONG >5 min; boundaries: 15 s is MID, 60 s is MID, 300 s is LONG.
 * `video_length` holds the API's upper-case value; `duration_type` (a VCE field
 * whose values the docs do not give) holds the same bucket in lower case, so
 * a filter on either column selects the same videos.
 */
export function videoLengthOf(seconds: number): VideoLength {
  if (seconds < 15) {
    return 'SHORT';
  }
  if (seconds <= 60) {
    return 'MID';
  }
  return seconds <= 300 ? 'LONG' : 'EXTRA_LONG';
}

export function durationTypeOf(seconds: number): DurationType {
  return videoLengthOf(seconds).toLowerCase() as DurationType;
}

export interface GenerateOptions {
  seed: number;
  videos: number;
  /** Hears how long each phase took, in seconds (bench/generate.ts); no effect on the data. */
  onPhase?: (phase: 'rows' | FinishPhase, seconds: number) => void;
}

/** What a build wrote. */
export interface GenerateSummary {
  users: number;
  videos: number;
  comments: number;
  videoHashtags: number;
  videoEffects: number;
}

interface Creator {
  index: number;
  id: number;
  username: string;
  displayName: string;
  region: string;
  language: Language;
  followers: number;
  /** ln(followers + 1), kept for the video draws. */
  reach: number;
  hasPlaylists: boolean;
  videoCount: number;
  likesReceived: number;
}

/** An independent stream per phase, so a change in one phase leaves the others as they were. */
function stream(seed: number, phase: number): Random {
  return new Random(
    (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(phase, 0x85ebca6b)) >>> 0
  );
}

function clampInt(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(value)));
}

/**
 * Follower counts: log-normal, median ≈ 1,800, about one creator in eight at
 * 25,000 or more. The data are not restricted to creators with ≥ 25,000
 * followers (the test stage's rule, docs/research/research-api.md §7): that is the query
 * engine's filter to apply, the execution stage sees everyone.
 */
function makeCreators(
  count: number,
  random: Random
): { creators: Creator[]; activity: number[] } {
  const creators: Creator[] = [];
  const activity: number[] = [];
  const taken = new Set<string>();
  for (let index = 0; index < count; index++) {
    const region = REGIONS.pick(random);
    const display = displayName(random);
    const z = random.normal();
    const followers = clampInt(Math.exp(7.5 + 2.3 * z), 0, 250_000_000);
    creators.push({
      index,
      id:
        USER_ID_BASE +
        index * USER_ID_STRIDE +
        random.int(0, USER_ID_STRIDE - 1),
      username: uniqueUsername(display, random, taken),
      displayName: display,
      region,
      language: languageFor(region, random),
      followers,
      reach: Math.log(followers + 1),
      hasPlaylists: random.chance(0.15),
      videoCount: 0,
      likesReceived: 0
    });
    // Bigger creators post more; many post once or twice.
    activity.push(Math.exp(0.5 * z + random.normal()));
  }
  return { creators, activity };
}

/** Sorted create times: more videos in later years (the platform grew). */
function createTimes(count: number, random: Random): Float64Array {
  const span = LAST_CREATE_TIME - FIRST_CREATE_TIME + 1;
  const times = new Float64Array(count);
  for (let index = 0; index < count; index++) {
    const u = random.next();
    const fraction = random.chance(0.3) ? u : Math.sqrt(u);
    times[index] = FIRST_CREATE_TIME + Math.floor(fraction * span);
  }
  return times.sort();
}

/** Seconds, log-normal (median ≈ 24 s), 3 s … 15 min. */
function drawDuration(random: Random): number {
  return clampInt(
    random.logNormal(Math.log(24), 1.0),
    MIN_DURATION,
    MAX_DURATION
  );
}

function drawHashtagCount(random: Random): number {
  return random.chance(0.15)
    ? 0
    : Math.min(10, 1 + Math.floor(random.logNormal(Math.log(2), 0.6)));
}

function drawEffectCount(random: Random): number {
  const roll = random.next();
  return roll < 0.7 ? 0 : roll < 0.94 ? 1 : random.int(2, 3);
}

/** Seconds after `from` that a comment comes, never past the data's end. */
function laterTime(from: number, typicalDelay: number, random: Random): number {
  return Math.min(
    LAST_CREATE_TIME,
    from +
      clampInt(random.logNormal(Math.log(typicalDelay), 2.0), 1, 400_000_000)
  );
}

/**
 * Write a new public data file at `path`: built under a temporary name, then
 * renamed, so a crashed build never leaves a half file behind.
 */
export function generatePublicData(
  path: string,
  options: GenerateOptions
): GenerateSummary {
  const { seed, videos } = options;
  if (!Number.isInteger(videos) || videos < 1 || videos > 5_000_000) {
    throw new RangeError(
      `videos must be a whole number from 1 to 5,000,000, not ${videos}`
    );
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(
      `seed must be a whole number from 0 to 4294967295, not ${seed}`
    );
  }
  const temporary = `${path}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  const db = new Database(temporary);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    // Users are written after their videos (their counts sum the videos'): checked by the tests instead.
    db.pragma('foreign_keys = OFF');
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -262144'); // 256 MiB: the index builds re-read the videos table
    // A full ANALYZE (no analysis_limit): only then does SQLite keep the STAT4
    // samples that let it pick an index by the bound values of a range
    // (`like_count > ?`): sampled statistics made it scan view_count >= 1,
    // every video, for a 1% match (~1 s instead of ~30 ms at 1,000,000 videos).
    createPublicDataSchema(db);
    const started = process.hrtime.bigint();
    const summary = db.transaction(() => writeRows(db, seed, videos))();
    options.onPhase?.('rows', Number(process.hrtime.bigint() - started) / 1e9);
    finishPublicData(db, options.onPhase);
    db.close();
    renameSync(temporary, path);
    return summary;
  } catch (error) {
    if (db.open) {
      db.close();
    }
    rmSync(temporary, { force: true });
    throw error;
  }
}

function writeRows(
  db: Database.Database,
  seed: number,
  videoCount: number
): GenerateSummary {
  const userCount = Math.max(1, Math.round(videoCount / VIDEOS_PER_USER));
  const { creators, activity } = makeCreators(userCount, stream(seed, 1));
  const creatorPicker = new WeightedPicker(creators, activity);
  const times = createTimes(videoCount, stream(seed, 2));
  const musicCount = Math.max(200, Math.round(videoCount / 8));
  const music = new WeightedPicker(
    Array.from({ length: musicCount }, (_, rank) => rank),
    zipfWeights(musicCount, 0.9)
  );

  const insert = preparePublicDataInserts(db);

  const random = stream(seed, 3);
  const summary: GenerateSummary = {
    users: userCount,
    videos: videoCount,
    comments: 0,
    videoHashtags: 0,
    videoEffects: 0
  };
  for (let index = 0; index < videoCount; index++) {
    const creator = creatorPicker.pick(random);
    const id =
      VIDEO_ID_BASE +
      index * VIDEO_ID_STRIDE +
      random.int(0, VIDEO_ID_STRIDE - 1);
    const createTime = times[index];
    const region = random.chance(0.95) ? creator.region : REGIONS.pick(random);
    const language = random.chance(0.9)
      ? creator.language
      : languageFor(region, random);
    const duration = drawDuration(random);
    const hashtags = HASHTAGS.pickDistinct(random, drawHashtagCount(random));
    const effects = EFFECT_IDS.pickDistinct(random, drawEffectCount(random));

    // Popularity: the creator's reach and luck; every count follows from the views.
    const popularity = random.normal();
    const views = clampInt(
      Math.exp(6.8 + 0.45 * (creator.reach - 7.5) + 1.7 * popularity),
      0,
      3_000_000_000
    );
    const likes = clampInt(
      views * Math.min(0.5, random.logNormal(Math.log(0.05), 0.6)),
      0,
      views
    );
    const shares = clampInt(
      likes * random.logNormal(Math.log(0.03), 0.8),
      0,
      likes
    );
    const favorites = clampInt(
      likes * random.logNormal(Math.log(0.08), 0.6),
      0,
      likes
    );
    // Comments kept in the data: about 3 a video on average, more on popular videos.
    const kept = clampInt(
      Math.exp(0.55 + 0.6 * popularity + 1.0 * random.normal()),
      0,
      MAX_COMMENTS_PER_VIDEO
    );
    const comments = Math.max(
      kept,
      clampInt(likes * random.logNormal(Math.log(0.02), 0.8), 0, likes)
    );

    const musicId = random.chance(0.35)
      ? MUSIC_ID_BASE + (musicCount + index) * MUSIC_ID_STRIDE // an original sound
      : MUSIC_ID_BASE + music.pick(random) * MUSIC_ID_STRIDE;
    const playlistId =
      creator.hasPlaylists && random.chance(0.5)
        ? PLAYLIST_ID_BASE +
          creator.index * PLAYLIST_ID_STRIDE +
          random.int(0, 2)
        : null;

    insert.video.run(
      id,
      creator.id,
      creator.username,
      creator.displayName,
      createTime,
      region,
      videoDescription(language, hashtags, random),
      voiceToText(language, duration, random),
      musicId,
      playlistId,
      likes,
      comments,
      shares,
      views,
      favorites,
      duration,
      durationTypeOf(duration),
      videoLengthOf(duration),
      random.chance(0.004) ? 1 : 0,
      JSON.stringify(hashtags),
      JSON.stringify(effects)
    );
    for (const tag of hashtags) {
      insert.hashtag.run(id, tag);
    }
    for (const effect of effects) {
      insert.effect.run(id, effect);
    }
    summary.videoHashtags += hashtags.length;
    summary.videoEffects += effects.length;
    creator.videoCount += 1;
    creator.likesReceived += likes;

    summary.comments += writeComments(
      insert.comment,
      id,
      createTime,
      language,
      kept,
      COMMENT_ID_BASE + summary.comments * COMMENT_ID_STRIDE,
      random
    );
  }

  writeUsers(db, creators, stream(seed, 4));
  const info = db.prepare(
    'INSERT INTO dataset_info (key, value) VALUES (?, ?)'
  );
  for (const [key, value] of Object.entries({
    generator_version: GENERATOR_VERSION,
    seed: String(seed),
    videos: String(videoCount),
    users: String(summary.users),
    comments: String(summary.comments),
    first_create_time: String(FIRST_CREATE_TIME),
    last_create_time: String(LAST_CREATE_TIME)
  })) {
    info.run(key, value);
  }
  return summary;
}

interface PendingComment {
  id: number;
  parent: number;
  time: number;
  replies: number;
}

/**
 * A video's kept comments: top-level ones (parent_comment_id = the video's id,
 * docs/research/research-api.md §4) and replies to them (parent = the comment; its
 * reply_count counts them). Ids follow on from `firstId`. Returns how many.
 */
function writeComments(
  insert: Database.Statement,
  videoId: number,
  videoTime: number,
  language: Language,
  count: number,
  firstId: number,
  random: Random
): number {
  if (count === 0) {
    return 0;
  }
  const pending: PendingComment[] = [];
  const topLevel: PendingComment[] = [];
  for (let index = 0; index < count; index++) {
    const id =
      firstId +
      index * COMMENT_ID_STRIDE +
      random.int(0, COMMENT_ID_STRIDE - 1);
    if (topLevel.length > 0 && random.chance(0.25)) {
      const parent = random.pick(topLevel);
      parent.replies += 1;
      pending.push({
        id,
        parent: parent.id,
        time: laterTime(parent.time, 1800, random),
        replies: 0
      });
    } else {
      const comment = {
        id,
        parent: videoId,
        time: laterTime(videoTime, 7200, random),
        replies: 0
      };
      pending.push(comment);
      topLevel.push(comment);
    }
  }
  for (const comment of pending) {
    const likes = clampInt(random.logNormal(0.5, 1.8), 0, 5_000_000);
    insert.run(
      comment.id,
      videoId,
      commentText(language, random),
      likes,
      comment.replies,
      comment.parent,
      comment.time
    );
  }
  return count;
}

/** The creators, with their counts made consistent with their videos in the data. */
function writeUsers(
  db: Database.Database,
  creators: Creator[],
  random: Random
): void {
  const insert = preparePublicDataInserts(db).user;
  for (const creator of creators) {
    const verified =
      creator.followers >= 1_000_000
        ? random.chance(0.7)
        : creator.followers >= 100_000
          ? random.chance(0.15)
          : random.chance(0.003);
    insert.run(
      creator.id,
      creator.username,
      creator.displayName,
      bioDescription(creator.language, random),
      `https://avatars.vce.localhost/${creator.username}.jpeg`,
      random.chance(0.2)
        ? `https://links.vce.localhost/${creator.username}`
        : '',
      verified ? 1 : 0,
      creator.followers,
      clampInt(random.logNormal(Math.log(180), 1.3), 0, 10_000),
      // Likes and videos on the platform: at least what the data holds, often more.
      creator.likesReceived +
        clampInt(
          creator.likesReceived * random.next() * 0.5,
          0,
          Number.MAX_SAFE_INTEGER
        ),
      creator.videoCount +
        (random.chance(0.5) ? random.int(0, creator.videoCount * 2 + 3) : 0),
      creator.region
    );
  }
}
