/**
 * What a query may ask, per category: the condition fields (their value type
 * and the operations allowed on them) and the fields a record may return.
 *
 * A mirror of the platform's catalogue (server-mock/src/query/catalogue.ts,
 * the truth for fields, operations and value formats); a jest test checks
 * that the two agree. Plain data: no DOM, no JupyterLab.
 */

export type Category = 'video' | 'comment' | 'user';
export const CATEGORIES: readonly Category[] = ['video', 'comment', 'user'];

export type Operation =
  | 'EQ'
  | 'IN'
  | 'GT'
  | 'GTE'
  | 'LT'
  | 'LTE'
  | 'LIKE'
  | 'CONTAINS';
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
 * How a condition value is read (the platform's `ValueType`):
 * - `int`: a decimal integer (ids, counts);
 * - `time`: epoch seconds (UTC), or `YYYYMMDD` (8 digits: a whole UTC day);
 * - `region`: a two-letter region code of REGION_CODES (any case);
 * - `enum`: one of the field's `values` (any case);
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

/** A field conditions can test. */
export interface IConditionField {
  readonly type: ValueType;
  readonly operations: readonly Operation[];
  /** Allowed values of an `enum`. */
  readonly values?: readonly string[];
  readonly description: string;
}

/** How a returned value is typed in the records. */
export type ReturnKind = 'number' | 'string' | 'bool' | 'json_list';

export interface ICategorySpec {
  /** Whether the records carry a create_time (start_date/end_date apply). */
  readonly hasCreateTime: boolean;
  readonly conditions: Readonly<Record<string, IConditionField>>;
  readonly returnable: Readonly<Record<string, ReturnKind>>;
}

const EQ_IN: readonly Operation[] = ['EQ', 'IN'];
const COMPARE: readonly Operation[] = ['EQ', 'IN', 'GT', 'GTE', 'LT', 'LTE'];

/** Video length buckets: SHORT <15 s, MID 15–60 s, LONG 1–5 min, EXTRA_LONG >5 min. */
export const VIDEO_LENGTHS: readonly string[] = ['SHORT', 'MID', 'LONG', 'EXTRA_LONG'];
/** duration_type: the same buckets in lower case. */
export const DURATION_TYPES: readonly string[] = ['short', 'mid', 'long', 'extra_long'];

/** Every region code the platform accepts, in the platform's order (research-api.md §2). */
export const REGION_CODES: readonly string[] = (
  'FR TH MM BD IT NP IQ BR US KW VN AR KZ GB UA TR ID PK NG KH PH EG QA MY ES JO MA SA TW AF EC MX BW JP ' +
  'LT TN RO LY IL DZ CG GH DE BJ SN SK BY NL LA BE DO TZ LK NI LB IE RS HU PT GP CM HN FI GA BN SG BO GM ' +
  'BG SD TT OM FO MZ ML UG RE PY GT CI SR AO AZ LR CD HR SV MV GY BH TG SL MK KE MT MG MR PA IS LU HT TM ' +
  'ZM CR NO AL ET GW AU KR UY JM DK AE MD SE MU SO CO AT GR UZ CL GE PL CA CZ ZA AI VE KG PE CH LV PR NZ ' +
  'TL BT MN FJ SZ VU BF TJ BA AM TD SI CY MW EE XK ME KY YE LS ZW MC GN BS PF NA VI BB BZ CW PS FM PG BI ' +
  'AD TV GL KM AW TC CV MO VC NE WS MP DJ RW AG GI GQ AS AX TO KN LC NC LI SS IR SY IM SC VG SB DM KI UM ' +
  'SX GD MH BQ YT ST CF BM SM PW GU HK IN CK AQ WF JE MQ CN GF MS GG TK FK PM NU MF ER NF VA IO SH BL CU ' +
  'NR TP BV EH PN TF RU'
).split(' ');

export const CATALOGUE: Readonly<Record<Category, ICategorySpec>> = {
  video: {
    hasCreateTime: true,
    conditions: {
      keyword: { type: 'keyword', operations: EQ_IN, description: 'A word or phrase in the description or hashtags; IN: any of them.' },
      create_time: { type: 'time', operations: COMPARE, description: 'Epoch seconds (UTC) or YYYYMMDD (a whole UTC day).' },
      display_name: { type: 'string', operations: EQ_IN, description: "The creator's display name, exactly." },
      username: { type: 'string', operations: EQ_IN, description: "The creator's username, exactly." },
      region_code: { type: 'region', operations: EQ_IN, description: 'Two-letter region code.' },
      id: { type: 'int', operations: EQ_IN, description: 'Video id.' },
      video_description: { type: 'string', operations: ['EQ', 'IN', 'LIKE'], description: 'LIKE: contains the text (ASCII case-insensitive).' },
      hashtag_name: { type: 'hashtag', operations: EQ_IN, description: 'A hashtag of the video (without #).' },
      music_id: { type: 'int', operations: EQ_IN, description: 'Music id.' },
      like_count: { type: 'int', operations: COMPARE, description: 'Likes.' },
      comment_count: { type: 'int', operations: COMPARE, description: 'Comments.' },
      share_count: { type: 'int', operations: COMPARE, description: 'Shares.' },
      view_count: { type: 'int', operations: COMPARE, description: 'Views.' },
      effect_ids: { type: 'list', operations: ['CONTAINS'], description: 'CONTAINS: the video uses any of the effect ids.' },
      hashtag_names: { type: 'list', operations: ['CONTAINS'], description: 'CONTAINS: the video has any of the hashtags.' },
      playlist_id: { type: 'int', operations: EQ_IN, description: 'Playlist id.' },
      voice_to_text: { type: 'string', operations: EQ_IN, description: 'The transcript, exactly.' },
      duration_type: { type: 'enum', values: DURATION_TYPES, operations: EQ_IN, description: 'short, mid, long or extra_long.' },
      video_length: { type: 'enum', values: VIDEO_LENGTHS, operations: EQ_IN, description: 'SHORT <15 s, MID 15–60 s, LONG 1–5 min, EXTRA_LONG >5 min.' }
    },
    returnable: {
      id: 'number', create_time: 'number', username: 'string', display_name: 'string', region_code: 'string',
      video_description: 'string', voice_to_text: 'string', music_id: 'number', playlist_id: 'number',
      like_count: 'number', comment_count: 'number', share_count: 'number', view_count: 'number',
      favorites_count: 'number', video_duration: 'number', duration_type: 'string', video_length: 'string',
      is_stem_verified: 'bool', hashtag_names: 'json_list', effect_ids: 'json_list'
    }
  },
  comment: {
    hasCreateTime: true,
    conditions: {
      id: { type: 'int', operations: EQ_IN, description: 'Comment id.' },
      video_id: { type: 'int', operations: EQ_IN, description: 'The video commented on.' },
      parent_comment_id: { type: 'int', operations: EQ_IN, description: "The parent comment, or the video's id for a top-level comment." },
      text: { type: 'string', operations: EQ_IN, description: 'The text, exactly.' },
      like_count: { type: 'int', operations: COMPARE, description: 'Likes.' },
      reply_count: { type: 'int', operations: COMPARE, description: 'Replies.' },
      create_time: { type: 'time', operations: COMPARE, description: 'Epoch seconds (UTC) or YYYYMMDD.' }
    },
    returnable: {
      id: 'number', video_id: 'number', text: 'string', like_count: 'number', reply_count: 'number',
      parent_comment_id: 'number', create_time: 'number'
    }
  },
  user: {
    hasCreateTime: false,
    conditions: {
      username: { type: 'string', operations: EQ_IN, description: 'Username, exactly.' },
      display_name: { type: 'string', operations: EQ_IN, description: 'Display name, exactly.' },
      region_code: { type: 'region', operations: EQ_IN, description: 'Two-letter region code.' },
      is_verified: { type: 'bool', operations: ['EQ'], description: '"true" or "false".' },
      follower_count: { type: 'int', operations: COMPARE, description: 'Followers.' },
      following_count: { type: 'int', operations: COMPARE, description: 'Accounts followed.' },
      likes_count: { type: 'int', operations: COMPARE, description: 'Likes received.' },
      video_count: { type: 'int', operations: COMPARE, description: 'Videos posted.' }
    },
    returnable: {
      username: 'string', display_name: 'string', bio_description: 'string', avatar_url: 'string', bio_url: 'string',
      is_verified: 'bool', follower_count: 'number', following_count: 'number', likes_count: 'number', video_count: 'number'
    }
  }
};

/** Limits of one request, as the platform enforces them. */
export const QUERY_LIMITS = {
  maxConditionGroups: 20,
  maxConditions: 100,
  maxFieldValues: 1000,
  maxValueLength: 1000,
  // vce-sdk.md: test-stage limit default 100, maximum 5,000.
  test: { defaultLimit: 100, maxLimit: 5000 }
} as const;

/**
 * The fields a new query returns, in order. The video default is the seed's
 * example (`display_name,video_description,create_time,id`).
 */
export const DEFAULT_FIELDS: Readonly<Record<Category, readonly string[]>> = {
  video: ['display_name', 'video_description', 'create_time', 'id'],
  comment: ['id', 'video_id', 'text', 'like_count', 'create_time'],
  user: ['username', 'display_name', 'follower_count', 'video_count']
};

/** Whether `name` is one of the categories. */
export function isCategory(name: string): name is Category {
  return (CATEGORIES as readonly string[]).includes(name);
}

/** The condition field `name` of a category, or null. */
export function conditionField(
  category: Category,
  name: string
): IConditionField | null {
  const spec = CATALOGUE[category].conditions;
  return Object.prototype.hasOwnProperty.call(spec, name) ? spec[name] : null;
}

/** The condition field names of a category, in catalogue order. */
export function conditionFields(category: Category): string[] {
  return Object.keys(CATALOGUE[category].conditions);
}

/** The returnable field names of a category, in catalogue order. */
export function returnableFields(category: Category): string[] {
  return Object.keys(CATALOGUE[category].returnable);
}

/** Operations that take exactly one value. */
export function isSingleValued(operation: string): boolean {
  return ['EQ', 'GT', 'GTE', 'LT', 'LTE'].includes(operation);
}
