import { columnKey } from '../rules/findings';

/** What a magnitude table's columns mean: the statistic's field and entity, its groupings and time buckets (dominance/index.ts). */

export type Entity = 'videos' | 'comments' | 'users';

const GROUP_FIELDS = new Set([
  'region_code',
  'duration_type',
  'video_length',
  'music_id',
  'playlist_id',
  'is_stem_verified'
]);
/** The group "field" of a video's hashtags: rows of video_hashtags joined to videos. */
export const HASHTAG = 'hashtag_name';
const HASHTAG_COLUMNS = new Set([
  'hashtag',
  'hashtags',
  'hashtag_name',
  'tag',
  'tags'
]);
export const MAGNITUDE_FIELDS = new Set([
  'like_count',
  'comment_count',
  'share_count',
  'view_count',
  'favorites_count',
  'video_duration'
]);
export const STATISTIC =
  /^(?:(sum|total|mean|avg|average)_(.+)|(.+)_(sum|total|mean|avg|average))$/;

/** A statistic's field as written (after the entity's word is taken off) → the fields it can be. */
const FIELD_ALIASES: Record<string, [Entity, string][]> = {
  like_count: [
    ['videos', 'like_count'],
    ['comments', 'like_count']
  ],
  likes: [
    ['videos', 'like_count'],
    ['comments', 'like_count'],
    ['users', 'likes_count']
  ],
  like: [
    ['videos', 'like_count'],
    ['comments', 'like_count']
  ],
  likes_count: [['users', 'likes_count']],
  comment_count: [['videos', 'comment_count']],
  comments: [['videos', 'comment_count']],
  share_count: [['videos', 'share_count']],
  shares: [['videos', 'share_count']],
  view_count: [['videos', 'view_count']],
  views: [['videos', 'view_count']],
  favorites_count: [['videos', 'favorites_count']],
  favorites: [['videos', 'favorites_count']],
  video_duration: [['videos', 'video_duration']],
  duration: [['videos', 'video_duration']],
  reply_count: [['comments', 'reply_count']],
  replies: [['comments', 'reply_count']],
  follower_count: [['users', 'follower_count']],
  followers: [['users', 'follower_count']],
  following_count: [['users', 'following_count']],
  following: [['users', 'following_count']],
  video_count: [['users', 'video_count']],
  videos: [['users', 'video_count']]
};
const ENTITY_WORDS: Record<string, Entity> = {
  video: 'videos',
  videos: 'videos',
  comment: 'comments',
  comments: 'comments',
  user: 'users',
  users: 'users',
  creator: 'users',
  creators: 'users',
  account: 'users',
  accounts: 'users',
  author: 'users',
  authors: 'users'
};

/** The fields a statistic's name can be: `mean_comment_likes` → comments.like_count. */
export function statisticFields(field: string): [Entity, string][] {
  const words = field.split('_');
  const hinted = words.length > 1 ? ENTITY_WORDS[words[0]] : undefined;
  const rest = hinted ? words.slice(1).join('_') : field;
  const fields = FIELD_ALIASES[rest] ?? [];
  return hinted ? fields.filter(([entity]) => entity === hinted) : fields;
}

type Bucket = 'hour' | 'weekday' | 'month' | 'year' | 'date';

/** How a group column relates to the records: a field as it is, or a time bucket of create_time. */
export type Grouping =
  { kind: 'field'; field: string } | { kind: 'bucket'; bucket: Bucket };

const BUCKET_COLUMNS: [RegExp, Bucket][] = [
  [/^(?:(?:.+_)?hour(?:_of_(?:the_)?day)?|hod)$/, 'hour'],
  [
    /^(?:(?:.+_)?weekday(?:_name)?|day_of_(?:the_)?week|dow|day_name)$/,
    'weekday'
  ],
  [/^(?:(?:.+_)?month(?:_of_year)?|year_month|ym)$/, 'month'],
  [/^(?:.+_)?year$/, 'year'],
  [/^(?:(?:.+_)?date|day)$/, 'date']
];

export function groupingOf(name: string, entity: Entity): Grouping | null {
  // Times are UTC: `hour_utc` is the hour.
  const key = columnKey(name).replace(/_(?:utc|gmt)$/, '');
  if (entity !== 'users') {
    for (const [pattern, bucket] of BUCKET_COLUMNS) {
      if (pattern.test(key)) {
        return { kind: 'bucket', bucket };
      }
    }
  }
  const field =
    key === 'region' || key === 'country'
      ? 'region_code'
      : key === 'verified'
        ? 'is_verified'
        : key;
  if (entity === 'videos' && GROUP_FIELDS.has(field)) {
    return { kind: 'field', field };
  }
  // A video's hashtags (video_hashtags): looked up through the join, per hashtag.
  if (entity === 'videos' && HASHTAG_COLUMNS.has(key)) {
    return { kind: 'field', field: HASHTAG };
  }
  if (
    entity === 'users' &&
    (field === 'region_code' || field === 'is_verified')
  ) {
    return { kind: 'field', field };
  }
  return null;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const MONTHS = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec'
];
/** How numbered weekdays count: Python weekday() (Mon 0), isoweekday() (Mon 1), strftime %w (Sun 0). */
export type WeekdayNumbers = 'monday0' | 'monday1' | 'sunday0';

/** A table's group value as the data's key for it, or null when it is not one. */
export function groupKey(
  grouping: Grouping,
  value: string,
  weekdays: WeekdayNumbers
): string | null {
  const text = value.trim();
  if (grouping.kind === 'field') {
    if (
      grouping.field === 'is_verified' ||
      grouping.field === 'is_stem_verified'
    ) {
      const flag = text.toLowerCase();
      return ['1', 'true', 'yes'].includes(flag)
        ? '1'
        : ['0', 'false', 'no'].includes(flag)
          ? '0'
          : null;
    }
    return text;
  }
  switch (grouping.bucket) {
    case 'hour': {
      const match = /^(\d{1,2})(?::00)?h?$/.exec(text);
      return match && Number(match[1]) < 24 ? `h${Number(match[1])}` : null;
    }
    case 'weekday': {
      const name = WEEKDAYS.indexOf(text.slice(0, 3).toLowerCase());
      if (name >= 0 && /^[a-z]+$/i.test(text)) {
        return `w${name}`;
      }
      if (!/^\d$/.test(text)) {
        return null;
      }
      const day = Number(text);
      const monday0 =
        weekdays === 'monday0'
          ? day
          : weekdays === 'monday1'
            ? day - 1
            : (day + 6) % 7;
      return monday0 >= 0 && monday0 < 7 && (weekdays !== 'monday1' || day >= 1)
        ? `w${monday0}`
        : null;
    }
    case 'month': {
      const yearMonth = /^(\d{4})-(\d{1,2})$/.exec(text);
      if (yearMonth) {
        return `ym${yearMonth[1]}-${yearMonth[2].padStart(2, '0')}`;
      }
      const name = MONTHS.indexOf(text.slice(0, 3).toLowerCase());
      if (name >= 0 && /^[a-z]+$/i.test(text)) {
        return `m${name + 1}`;
      }
      return /^\d{1,2}$/.test(text) && Number(text) >= 1 && Number(text) <= 12
        ? `m${Number(text)}`
        : null;
    }
    case 'year':
      return /^\d{4}$/.test(text) ? `y${text}` : null;
    case 'date': {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      return match ? `d${text}` : null;
    }
  }
}

/** A day's calendar keys (days since 1970-01-01): date, year-month and month, year. */
const DAY_KEYS = new Map<
  number,
  { date: string; months: string[]; year: string }
>();

function dayKeys(day: number): {
  date: string;
  months: string[];
  year: string;
} {
  let keys = DAY_KEYS.get(day);
  if (!keys) {
    const iso = new Date(day * 86400_000).toISOString();
    keys = {
      date: `d${iso.slice(0, 10)}`,
      months: [`ym${iso.slice(0, 7)}`, `m${Number(iso.slice(5, 7))}`],
      year: `y${iso.slice(0, 4)}`
    };
    if (DAY_KEYS.size < 200_000) {
      DAY_KEYS.set(day, keys);
    }
  }
  return keys;
}

/** The keys of a record's create_time under a bucket (a month is both its month of year and its year-month). */
export function bucketKeys(bucket: Bucket, seconds: number): string[] {
  const day = Math.floor(seconds / 86400);
  switch (bucket) {
    case 'hour':
      return [`h${Math.floor((seconds - day * 86400) / 3600)}`];
    case 'weekday':
      // 1970-01-01 was a Thursday (Monday 0 → 3).
      return [`w${(((day + 3) % 7) + 7) % 7}`];
    case 'year':
      return [dayKeys(day).year];
    case 'date':
      return [dayKeys(day).date];
    case 'month':
      return dayKeys(day).months;
  }
}
