import { REGION_CODES } from '../data/vocabulary';

/**
 * What a query may ask, per category: the condition fields (their type and
 * the operations allowed on them) and the fields a record may return.
 * Plain data, so the frontend's query builder can mirror it.
 *
 * Sources: the platform's guide (docs/research/vce-getting-started.txt: the video field names, the
 * operations, LIKE only on video_description, CONTAINS only on effect_ids and
 * hashtag_names), docs/research/vce-sdk.md (per-field operators of the newer
 * vce-query-videos page), docs/research/research-api.md §3–§5 (objects and their types).
 */

export type Category = 'video' | 'comment' | 'user';
export const CATEGORIES: readonly Category[] = ['video', 'comment', 'user'];

export type Operation =
  'EQ' | 'IN' | 'GT' | 'GTE' | 'LT' | 'LTE' | 'LIKE' | 'CONTAINS';
export const OPERATIONS: readonly Operation[] = [
  'EQ',
  'IN',
  'GT',
  'GTE',
  'LT',
  'LTE',
  'LIKE',
  'CONTAINS'
];

export type GroupOperator = 'and' | 'or' | 'not';
export const GROUP_OPERATORS: readonly GroupOperator[] = ['and', 'or', 'not'];

/**
 * How a condition value is read:
 * - `int`: a decimal integer (ids, counts);
 * - `time`: epoch seconds (UTC), or `YYYYMMDD` (8 digits: a whole UTC day);
 * - `region`: a two-letter region code of docs/research/research-api.md §2's list (any case);
 * - `enum`: one of `values` (any case);
 * - `bool`: "true" or "false";
 * - `string`: exact text (LIKE: substring, ASCII case-insensitive);
 * - `keyword`: a word or phrase searched in descriptions and hashtags;
 * - `hashtag`: a hashtag name (a leading '#' dropped, lower-cased);
 * - `list`: a list field; CONTAINS matches records whose list holds any value.
 */
export type ValueType =
  | 'int'
  | 'time'
  | 'region'
  | 'enum'
  | 'bool'
  | 'string'
  | 'keyword'
  | 'hashtag'
  | 'list';

/** How the compiler reaches a field: a column, the keyword index, or a side table. */
export type FieldSource =
  | { kind: 'column'; column: string }
  | { kind: 'keyword' }
  | {
      kind: 'side';
      table: 'video_hashtags' | 'video_effects';
      column: 'hashtag_name' | 'effect_id';
    };

export interface ConditionField {
  type: ValueType;
  operations: readonly Operation[];
  /** Allowed values of an `enum`. */
  values?: readonly string[];
  source: FieldSource;
  description: string;
}

/** How a stored value becomes JSON. */
export type ReturnKind = 'number' | 'string' | 'bool' | 'json_list';

export interface CategorySpec {
  table: 'videos' | 'comments' | 'users';
  /** The field of the table that carries the creation time (start_date/end_date), if any. */
  timeColumn: string | null;
  conditions: Readonly<Record<string, ConditionField>>;
  returnable: Readonly<Record<string, ReturnKind>>;
}

const EQ_IN: readonly Operation[] = ['EQ', 'IN'];
const COMPARE: readonly Operation[] = ['EQ', 'IN', 'GT', 'GTE', 'LT', 'LTE'];
const column = (name: string): FieldSource => ({
  kind: 'column',
  column: name
});

/** Video length buckets (docs/research/research-api.md §2: SHORT <15 s, MID 15–60 s, LONG 1–5 min, EXTRA_LONG >5 min). */
export const VIDEO_LENGTHS = ['SHORT', 'MID', 'LONG', 'EXTRA_LONG'] as const;
/** duration_type: the same buckets in lower case (src/data/generate.ts). */
export const DURATION_TYPES = ['short', 'mid', 'long', 'extra_long'] as const;

export { REGION_CODES };

export const CATALOGUE: Readonly<Record<Category, CategorySpec>> = {
  video: {
    table: 'videos',
    timeColumn: 'create_time',
    conditions: {
      keyword: {
        type: 'keyword',
        operations: EQ_IN,
        source: { kind: 'keyword' },
        description:
          'A word or phrase in the description or hashtags; IN: any of them.'
      },
      create_time: {
        type: 'time',
        operations: COMPARE,
        source: column('create_time'),
        description: 'Epoch seconds (UTC) or YYYYMMDD (a whole UTC day).'
      },
      display_name: {
        type: 'string',
        operations: EQ_IN,
        source: column('display_name'),
        description: "The creator's display name, exactly."
      },
      username: {
        type: 'string',
        operations: EQ_IN,
        source: column('username'),
        description: "The creator's username, exactly."
      },
      region_code: {
        type: 'region',
        operations: EQ_IN,
        source: column('region_code'),
        description: 'Two-letter region code.'
      },
      id: {
        type: 'int',
        operations: EQ_IN,
        source: column('id'),
        description: 'Video id.'
      },
      video_description: {
        type: 'string',
        operations: ['EQ', 'IN', 'LIKE'],
        source: column('video_description'),
        description: 'LIKE: contains the text (ASCII case-insensitive).'
      },
      hashtag_name: {
        type: 'hashtag',
        operations: EQ_IN,
        source: {
          kind: 'side',
          table: 'video_hashtags',
          column: 'hashtag_name'
        },
        description: 'A hashtag of the video (without #).'
      },
      music_id: {
        type: 'int',
        operations: EQ_IN,
        source: column('music_id'),
        description: 'Music id.'
      },
      like_count: {
        type: 'int',
        operations: COMPARE,
        source: column('like_count'),
        description: 'Likes.'
      },
      comment_count: {
        type: 'int',
        operations: COMPARE,
        source: column('comment_count'),
        description: 'Comments.'
      },
      share_count: {
        type: 'int',
        operations: COMPARE,
        source: column('share_count'),
        description: 'Shares.'
      },
      view_count: {
        type: 'int',
        operations: COMPARE,
        source: column('view_count'),
        description: 'Views.'
      },
      effect_ids: {
        type: 'list',
        operations: ['CONTAINS'],
        source: { kind: 'side', table: 'video_effects', column: 'effect_id' },
        description: 'CONTAINS: the video uses any of the effect ids.'
      },
      hashtag_names: {
        type: 'list',
        operations: ['CONTAINS'],
        source: {
          kind: 'side',
          table: 'video_hashtags',
          column: 'hashtag_name'
        },
        description: 'CONTAINS: the video has any of the hashtags.'
      },
      playlist_id: {
        type: 'int',
        operations: EQ_IN,
        source: column('playlist_id'),
        description: 'Playlist id.'
      },
      voice_to_text: {
        type: 'string',
        operations: EQ_IN,
        source: column('voice_to_text'),
        description: 'The transcript, exactly.'
      },
      duration_type: {
        type: 'enum',
        values: DURATION_TYPES,
        operations: EQ_IN,
        source: column('duration_type'),
        description: 'short, mid, long or extra_long.'
      },
      video_length: {
        type: 'enum',
        values: VIDEO_LENGTHS,
        operations: EQ_IN,
        source: column('video_length'),
        description:
          'SHORT <15 s, MID 15–60 s, LONG 1–5 min, EXTRA_LONG >5 min.'
      }
    },
    // docs/research/research-api.md §3 and docs/research/vce-sdk.md's returnable list.
    returnable: {
      id: 'number',
      create_time: 'number',
      username: 'string',
      display_name: 'string',
      region_code: 'string',
      video_description: 'string',
      voice_to_text: 'string',
      music_id: 'number',
      playlist_id: 'number',
      like_count: 'number',
      comment_count: 'number',
      share_count: 'number',
      view_count: 'number',
      favorites_count: 'number',
      video_duration: 'number',
      duration_type: 'string',
      video_length: 'string',
      is_stem_verified: 'bool',
      hashtag_names: 'json_list',
      effect_ids: 'json_list'
    }
  },
  comment: {
    table: 'comments',
    timeColumn: 'create_time',
    // docs/research/research-api.md §4: id, video_id, text, like_count, reply_count, parent_comment_id, create_time.
    conditions: {
      id: {
        type: 'int',
        operations: EQ_IN,
        source: column('id'),
        description: 'Comment id.'
      },
      video_id: {
        type: 'int',
        operations: EQ_IN,
        source: column('video_id'),
        description: 'The video commented on.'
      },
      parent_comment_id: {
        type: 'int',
        operations: EQ_IN,
        source: column('parent_comment_id'),
        description:
          "The parent comment, or the video's id for a top-level comment."
      },
      text: {
        type: 'string',
        operations: EQ_IN,
        source: column('text'),
        description: 'The text, exactly.'
      },
      like_count: {
        type: 'int',
        operations: COMPARE,
        source: column('like_count'),
        description: 'Likes.'
      },
      reply_count: {
        type: 'int',
        operations: COMPARE,
        source: column('reply_count'),
        description: 'Replies.'
      },
      create_time: {
        type: 'time',
        operations: COMPARE,
        source: column('create_time'),
        description: 'Epoch seconds (UTC) or YYYYMMDD.'
      }
    },
    returnable: {
      id: 'number',
      video_id: 'number',
      text: 'string',
      like_count: 'number',
      reply_count: 'number',
      parent_comment_id: 'number',
      create_time: 'number'
    }
  },
  user: {
    table: 'users',
    timeColumn: null,
    // docs/research/research-api.md §5: the user info fields; the request key is username.
    conditions: {
      username: {
        type: 'string',
        operations: EQ_IN,
        source: column('username'),
        description: 'Username, exactly.'
      },
      display_name: {
        type: 'string',
        operations: EQ_IN,
        source: column('display_name'),
        description: 'Display name, exactly.'
      },
      region_code: {
        type: 'region',
        operations: EQ_IN,
        source: column('region_code'),
        description: 'Two-letter region code.'
      },
      is_verified: {
        type: 'bool',
        operations: ['EQ'],
        source: column('is_verified'),
        description: '"true" or "false".'
      },
      follower_count: {
        type: 'int',
        operations: COMPARE,
        source: column('follower_count'),
        description: 'Followers.'
      },
      following_count: {
        type: 'int',
        operations: COMPARE,
        source: column('following_count'),
        description: 'Accounts followed.'
      },
      likes_count: {
        type: 'int',
        operations: COMPARE,
        source: column('likes_count'),
        description: 'Likes received.'
      },
      video_count: {
        type: 'int',
        operations: COMPARE,
        source: column('video_count'),
        description: 'Videos posted.'
      }
    },
    returnable: {
      username: 'string',
      display_name: 'string',
      bio_description: 'string',
      avatar_url: 'string',
      bio_url: 'string',
      is_verified: 'bool',
      follower_count: 'number',
      following_count: 'number',
      likes_count: 'number',
      video_count: 'number'
    }
  }
};

/** Limits of one request (ours: keep a query's SQL small and its answer quick). */
export const QUERY_LIMITS = {
  maxConditionGroups: 20,
  maxConditions: 100,
  maxFieldValues: 1000,
  // All conditions' field_values together: SQLite binds at most 32,766 variables a statement
  // and a time value binds two, so 10,000 values stay well below (openapi.yaml: x-vce-query-limits).
  maxTotalValues: 10_000,
  maxValueLength: 1000,
  // docs/research/vce-sdk.md: test-stage limit default 100, maximum 5,000.
  test: { defaultLimit: 100, maxLimit: 5000 },
  // docs/research/vce-sdk.md: execution-stage limit default 1,000, maximum 100,000 in one query.
  job: { defaultLimit: 1000, maxLimit: 100_000 }
} as const;

/**
 * The catalogue as plain data for clients, without the compiler's internals
 * (tables, columns, sources): what the frontend's query builder is generated
 * from (`npm run gen:catalogue` at the repository root writes it into
 * src/query/catalogue.generated.ts).
 */
export function publicCatalogue() {
  return {
    categories: CATEGORIES,
    operations: OPERATIONS,
    groupOperators: GROUP_OPERATORS,
    regionCodes: REGION_CODES,
    videoLengths: VIDEO_LENGTHS,
    durationTypes: DURATION_TYPES,
    catalogue: Object.fromEntries(
      CATEGORIES.map(category => {
        const spec = CATALOGUE[category];
        return [
          category,
          {
            hasCreateTime: spec.timeColumn !== null,
            conditions: Object.fromEntries(
              Object.entries(spec.conditions).map(([name, field]) => [
                name,
                {
                  type: field.type,
                  operations: field.operations,
                  ...(field.values ? { values: field.values } : {}),
                  description: field.description
                }
              ])
            ),
            returnable: spec.returnable
          }
        ];
      })
    ) as Record<
      Category,
      {
        hasCreateTime: boolean;
        conditions: Record<string, Omit<ConditionField, 'source'>>;
        returnable: Readonly<Record<string, ReturnKind>>;
      }
    >,
    queryLimits: QUERY_LIMITS
  };
}
