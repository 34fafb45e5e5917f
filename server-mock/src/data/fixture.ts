import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { durationTypeOf, videoLengthOf } from './generate';
import {
  createPublicDataSchema,
  finishPublicData,
  preparePublicDataInserts,
  type PublicData
} from './schema';

/**
 * A small public data set from a hand-made JSON fixture (test-vectors/
 * fixture-data.json), in an in-memory SQLite with the generator's schema,
 * indexes and keyword index: what the query tests and the shared test
 * vectors run on.
 */

export interface FixtureUser {
  id: number;
  username: string;
  display_name: string;
  bio_description?: string;
  avatar_url?: string;
  bio_url?: string;
  is_verified?: boolean;
  follower_count: number;
  following_count?: number;
  likes_count?: number;
  video_count?: number;
  region_code: string;
}

export interface FixtureVideo {
  id: number;
  user_id: number;
  create_time: number;
  region_code: string;
  video_description: string;
  voice_to_text?: string;
  music_id: number;
  playlist_id?: number | null;
  like_count: number;
  comment_count: number;
  share_count: number;
  view_count: number;
  favorites_count?: number;
  video_duration: number;
  is_stem_verified?: boolean;
  hashtag_names?: string[];
  effect_ids?: string[];
}

export interface FixtureComment {
  id: number;
  video_id: number;
  text: string;
  like_count: number;
  reply_count: number;
  parent_comment_id: number;
  create_time: number;
}

export interface Fixture {
  users: FixtureUser[];
  videos: FixtureVideo[];
  comments: FixtureComment[];
}

/** Build the data set of a fixture already parsed. */
export function buildFixtureData(fixture: Fixture): PublicData {
  const db = new Database(':memory:');
  createPublicDataSchema(db);
  const users = new Map(fixture.users.map(user => [user.id, user]));
  const insert = preparePublicDataInserts(db);
  db.transaction(() => {
    for (const user of fixture.users) {
      const videoCount =
        user.video_count ??
        fixture.videos.filter(video => video.user_id === user.id).length;
      insert.user.run(
        user.id,
        user.username,
        user.display_name,
        user.bio_description ?? '',
        user.avatar_url ?? '',
        user.bio_url ?? '',
        user.is_verified ? 1 : 0,
        user.follower_count,
        user.following_count ?? 0,
        user.likes_count ?? 0,
        videoCount,
        user.region_code
      );
    }
    for (const video of fixture.videos) {
      const user = users.get(video.user_id);
      if (!user) {
        throw new Error(`fixture video ${video.id}: no user ${video.user_id}`);
      }
      const hashtags = video.hashtag_names ?? [];
      const effects = video.effect_ids ?? [];
      insert.video.run(
        video.id,
        video.user_id,
        user.username,
        user.display_name,
        video.create_time,
        video.region_code,
        video.video_description,
        video.voice_to_text ?? '',
        video.music_id,
        video.playlist_id ?? null,
        video.like_count,
        video.comment_count,
        video.share_count,
        video.view_count,
        video.favorites_count ?? 0,
        video.video_duration,
        durationTypeOf(video.video_duration),
        videoLengthOf(video.video_duration),
        video.is_stem_verified ? 1 : 0,
        JSON.stringify(hashtags),
        JSON.stringify(effects)
      );
      for (const tag of new Set(hashtags)) {
        insert.hashtag.run(video.id, tag);
      }
      for (const effect of new Set(effects)) {
        insert.effect.run(video.id, effect);
      }
    }
    for (const comment of fixture.comments) {
      insert.comment.run(
        comment.id,
        comment.video_id,
        comment.text,
        comment.like_count,
        comment.reply_count,
        comment.parent_comment_id,
        comment.create_time
      );
    }
  })();
  finishPublicData(db);
  return { db, seed: 0, videos: fixture.videos.length };
}

/** `loadFixtureData(path)`: the fixture file at `path` as a public data set. */
export function loadFixtureData(path: string): PublicData {
  return buildFixtureData(JSON.parse(readFileSync(path, 'utf8')) as Fixture);
}
