import type Database from 'better-sqlite3';

/**
 * The public data set's tables: the platform's objects with the field names of
 * its public Research API (docs/research/research-api.md §3 videos, §4 comments, §5 users).
 * Written once by the generator, then read-only for the query engine.
 */
export const PUBLIC_DATA_SCHEMA = `
CREATE TABLE users (
  id               INTEGER PRIMARY KEY,
  username         TEXT NOT NULL UNIQUE,
  display_name     TEXT NOT NULL,
  bio_description  TEXT NOT NULL,
  avatar_url       TEXT NOT NULL,
  bio_url          TEXT NOT NULL,
  is_verified      INTEGER NOT NULL,
  follower_count   INTEGER NOT NULL,
  following_count  INTEGER NOT NULL,
  likes_count      INTEGER NOT NULL,
  video_count      INTEGER NOT NULL,
  region_code      TEXT NOT NULL
);
CREATE TABLE videos (
  id                INTEGER PRIMARY KEY,
  user_id           INTEGER NOT NULL REFERENCES users(id),
  username          TEXT NOT NULL,
  display_name      TEXT NOT NULL,
  create_time       INTEGER NOT NULL,
  region_code       TEXT NOT NULL,
  video_description TEXT NOT NULL,
  voice_to_text     TEXT NOT NULL,
  music_id          INTEGER NOT NULL,
  playlist_id       INTEGER,
  like_count        INTEGER NOT NULL,
  comment_count     INTEGER NOT NULL,
  share_count       INTEGER NOT NULL,
  view_count        INTEGER NOT NULL,
  favorites_count   INTEGER NOT NULL,
  video_duration    INTEGER NOT NULL,
  duration_type     TEXT NOT NULL,
  video_length      TEXT NOT NULL,
  is_stem_verified  INTEGER NOT NULL,
  hashtag_names     TEXT NOT NULL,
  effect_ids        TEXT NOT NULL
);
CREATE TABLE video_hashtags (
  video_id     INTEGER NOT NULL REFERENCES videos(id),
  hashtag_name TEXT NOT NULL,
  PRIMARY KEY (video_id, hashtag_name)
) WITHOUT ROWID;
CREATE TABLE video_effects (
  video_id  INTEGER NOT NULL REFERENCES videos(id),
  effect_id TEXT NOT NULL,
  PRIMARY KEY (video_id, effect_id)
) WITHOUT ROWID;
CREATE TABLE comments (
  id                INTEGER PRIMARY KEY,
  video_id          INTEGER NOT NULL REFERENCES videos(id),
  text              TEXT NOT NULL,
  like_count        INTEGER NOT NULL,
  reply_count       INTEGER NOT NULL,
  parent_comment_id INTEGER NOT NULL,
  create_time       INTEGER NOT NULL
);
CREATE TABLE dataset_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/**
 * Indexes the query engine needs, created after the bulk insert (faster).
 * The keyword search index (FTS5 over description and hashtags) is created by
 * the generator alongside these.
 */
export const PUBLIC_DATA_INDEXES = `
CREATE INDEX videos_create_time ON videos(create_time);
CREATE INDEX videos_username ON videos(username);
CREATE INDEX videos_display_name ON videos(display_name);
-- Region and time together: the platform's most common query shape (region_code
-- IN … with a create_time range, docs/research/research-api.md §3), answered from this index
-- alone instead of a row lookup per video of the region.
CREATE INDEX videos_region_time ON videos(region_code, create_time);
CREATE INDEX videos_music_id ON videos(music_id);
CREATE INDEX videos_playlist_id ON videos(playlist_id);
CREATE INDEX videos_like_count ON videos(like_count);
CREATE INDEX videos_comment_count ON videos(comment_count);
CREATE INDEX videos_share_count ON videos(share_count);
CREATE INDEX videos_view_count ON videos(view_count);
CREATE INDEX videos_duration_type ON videos(duration_type);
CREATE INDEX videos_video_length ON videos(video_length);
CREATE INDEX video_hashtags_name ON video_hashtags(hashtag_name, video_id);
CREATE INDEX video_effects_id ON video_effects(effect_id, video_id);
CREATE INDEX comments_video_id ON comments(video_id);
CREATE INDEX comments_create_time ON comments(create_time);
CREATE INDEX comments_like_count ON comments(like_count);
CREATE INDEX users_follower_count ON users(follower_count);
CREATE INDEX users_region_code ON users(region_code);
`;

/** An open public data set: the query engine's only view of the data. */
export interface PublicData {
  db: Database.Database;
  seed: number;
  videos: number;
  /**
   * Opt-in: the test stage samples only creators with at least this many
   * followers (their videos, the comments on them, the users themselves), as
   * one version of the platform's guide says (25,000: docs/research/research-api.md §7,
   * docs/research/vce-sdk.md). Undefined, the default: everyone. The execution stage always
   * sees everyone.
   */
  testStageMinFollowers?: number;
}

export function createPublicDataSchema(db: Database.Database): void {
  db.exec(PUBLIC_DATA_SCHEMA);
}

/**
 * Keyword search over descriptions and hashtags (the platform's guide: `keyword`), an
 * FTS5 index whose rowid is the video id. Contentless: it only answers
 * "which videos match", the videos table holds the text.
 */
export const KEYWORD_INDEX = `
CREATE VIRTUAL TABLE video_search USING fts5(
  video_description, hashtags, content='', tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO video_search(rowid, video_description, hashtags)
  SELECT id, video_description, (SELECT group_concat(value, ' ') FROM json_each(videos.hashtag_names))
  FROM videos;
`;

/** The steps after the bulk insert, in order (named for timings). */
export type FinishPhase = 'indexes' | 'keyword index' | 'statistics';

/**
 * After the bulk insert: the btree indexes, the keyword index, statistics;
 * `onPhase` hears how long each took (seconds).
 */
export function finishPublicData(
  db: Database.Database,
  onPhase?: (phase: FinishPhase, seconds: number) => void
): void {
  const steps: [FinishPhase, string][] = [
    ['indexes', PUBLIC_DATA_INDEXES],
    ['keyword index', KEYWORD_INDEX],
    ['statistics', 'ANALYZE']
  ];
  for (const [phase, sql] of steps) {
    const started = process.hrtime.bigint();
    db.exec(sql);
    onPhase?.(phase, Number(process.hrtime.bigint() - started) / 1e9);
  }
}

/** The prepared inserts of every public-data table, in column order of the schema. */
export interface PublicDataInserts {
  user: Database.Statement;
  video: Database.Statement;
  hashtag: Database.Statement;
  effect: Database.Statement;
  comment: Database.Statement;
}

/** Prepare the inserts the generator and the fixture loader share. */
export function preparePublicDataInserts(
  db: Database.Database
): PublicDataInserts {
  return {
    user: db.prepare(
      `INSERT INTO users (id, username, display_name, bio_description, avatar_url, bio_url, is_verified,
         follower_count, following_count, likes_count, video_count, region_code)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    ),
    video: db.prepare(
      `INSERT INTO videos (id, user_id, username, display_name, create_time, region_code, video_description,
         voice_to_text, music_id, playlist_id, like_count, comment_count, share_count, view_count, favorites_count,
         video_duration, duration_type, video_length, is_stem_verified, hashtag_names, effect_ids)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    ),
    hashtag: db.prepare(
      'INSERT INTO video_hashtags (video_id, hashtag_name) VALUES (?, ?)'
    ),
    effect: db.prepare(
      'INSERT INTO video_effects (video_id, effect_id) VALUES (?, ?)'
    ),
    comment: db.prepare(
      `INSERT INTO comments (id, video_id, text, like_count, reply_count, parent_comment_id, create_time)
       VALUES (?, ?, ?, ?, ?, ?, ?)`
    )
  };
}
