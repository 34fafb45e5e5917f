import type { Category } from '../query/catalogue';
import type { QueryRecord } from '../query/engine';
import { invalidParams } from './body';

/**
 * The `fields` query parameter of the Research API's endpoints: which names
 * each endpoint returns, the data set's field behind each, and the record
 * reshaped into those names. Pure.
 *
 * Names: docs/research/research-api.md §3 (videos; some versions spell
 * `favourites_count`), §4 (comments), §5 (user info). A name the data set
 * has no value for (the struct lists, labels, tags) is accepted and omitted
 * from every record, as the platform omits absent values (§2, captures).
 */

/** Research API name → the data set's field (its catalogue name), or null: accepted, never present. */
type FieldMap = Readonly<Record<string, string | null>>;

const VIDEO_FIELDS: FieldMap = {
  id: 'id',
  create_time: 'create_time',
  username: 'username',
  region_code: 'region_code',
  video_description: 'video_description',
  voice_to_text: 'voice_to_text',
  music_id: 'music_id',
  playlist_id: 'playlist_id',
  like_count: 'like_count',
  comment_count: 'comment_count',
  share_count: 'share_count',
  view_count: 'view_count',
  favorites_count: 'favorites_count',
  favourites_count: 'favorites_count',
  video_duration: 'video_duration',
  effect_ids: 'effect_ids',
  hashtag_names: 'hashtag_names',
  is_stem_verified: 'is_stem_verified',
  video_mention_list: null,
  hashtag_info_list: null,
  sticker_info_list: null,
  effect_info_list: null,
  video_label: null,
  video_tag: null
};

const COMMENT_FIELDS: FieldMap = {
  id: 'id',
  video_id: 'video_id',
  text: 'text',
  like_count: 'like_count',
  reply_count: 'reply_count',
  parent_comment_id: 'parent_comment_id',
  create_time: 'create_time'
};

/** §5: user info never returns the username it was asked for (docs/research/research-clients.md §2, C4D PR #67). */
const USER_FIELDS: FieldMap = {
  display_name: 'display_name',
  bio_description: 'bio_description',
  avatar_url: 'avatar_url',
  bio_url: 'bio_url',
  is_verified: 'is_verified',
  follower_count: 'follower_count',
  following_count: 'following_count',
  likes_count: 'likes_count',
  video_count: 'video_count',
  open_id: null,
  is_private: null
};

export type ResearchObject = 'video' | 'comment' | 'user';

const FIELD_MAPS: Readonly<Record<ResearchObject, FieldMap>> = {
  video: VIDEO_FIELDS,
  comment: COMMENT_FIELDS,
  user: USER_FIELDS
};

/** The names an endpoint returns for an object, in the documented order. */
export function researchFieldNames(object: ResearchObject): string[] {
  return Object.keys(FIELD_MAPS[object]);
}

/** What a request asked for: the names in its order, and the data set's fields to read for them. */
export interface FieldSelection {
  object: ResearchObject;
  category: Category;
  names: string[];
  /** The catalogue fields to read (each once). */
  columns: string[];
}

/**
 * The `fields` parameter → a selection, or a 400 naming what is wrong.
 * Commas may arrive encoded (`%2C`, decoded by the query-string parser) and
 * names may carry spaces ("id, video_id", as TikTok's wrapper sends them).
 */
export function parseFields(
  raw: unknown,
  object: ResearchObject
): FieldSelection {
  const map = FIELD_MAPS[object];
  const known = Object.keys(map);
  if (typeof raw !== 'string' || !raw.trim()) {
    throw invalidParams(
      `fields is required in the query string: a comma-separated list of ${object} fields, e.g. ?fields=${known.slice(0, 3).join(',')}; the fields are ${known.join(', ')}.`
    );
  }
  const names: string[] = [];
  for (const part of raw.split(',')) {
    const name = part.trim();
    if (!name) {
      continue;
    }
    if (!Object.hasOwn(map, name)) {
      throw invalidParams(
        `fields: "${name.slice(0, 60)}" is not a ${object} field; the fields are ${known.join(', ')}.`
      );
    }
    if (!names.includes(name)) {
      names.push(name);
    }
  }
  if (names.length === 0) {
    throw invalidParams(
      `fields names no field; name at least one of ${known.join(', ')}.`
    );
  }
  const columns = [
    ...new Set(
      names
        .map(name => map[name])
        .filter((column): column is string => !!column)
    )
  ];
  return { object, category: object, names, columns };
}

/** A record read with the selection's columns → the Research API's object: the asked names, absent values omitted. */
export function shapeRecord(
  record: QueryRecord,
  selection: FieldSelection
): QueryRecord {
  const map = FIELD_MAPS[selection.object];
  const shaped: QueryRecord = {};
  for (const name of selection.names) {
    const column = map[name];
    if (column !== null && record[column] !== undefined) {
      shaped[name] = record[column];
    }
  }
  return shaped;
}
