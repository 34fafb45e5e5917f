/**
 * What a query may ask, per category: the condition fields (their value type
 * and the operations allowed on them) and the fields a record may return.
 *
 * The data is the platform's catalogue (server-mock/src/query/catalogue.ts,
 * the truth for fields, operations and value formats), generated into
 * ./catalogue.generated.ts by `npm run gen:catalogue`; this module gives it
 * the frontend's types and functions. Plain data: no DOM, no JupyterLab.
 */
import * as generated from './catalogue.generated';

export type Category = (typeof generated.CATEGORIES)[number];
export const CATEGORIES: readonly Category[] = generated.CATEGORIES;

export type Operation = (typeof generated.OPERATIONS)[number];
export const OPERATIONS: readonly Operation[] = generated.OPERATIONS;

export type GroupOperator = (typeof generated.GROUP_OPERATORS)[number];
export const GROUP_OPERATORS: readonly GroupOperator[] =
  generated.GROUP_OPERATORS;

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

/** Video length buckets: SHORT <15 s, MID 15–60 s, LONG 1–5 min, EXTRA_LONG >5 min. */
export const VIDEO_LENGTHS: readonly string[] = generated.VIDEO_LENGTHS;
/** duration_type: the same buckets in lower case. */
export const DURATION_TYPES: readonly string[] = generated.DURATION_TYPES;

/** Every region code the platform accepts, in the platform's order (docs/research/research-api.md §2). */
export const REGION_CODES: readonly string[] = generated.REGION_CODES;

/** Typed here: the generated data must fit the frontend's types (a drift fails to compile). */
export const CATALOGUE: Readonly<Record<Category, ICategorySpec>> =
  generated.CATALOGUE_DATA;

/** Limits of one request, as the platform enforces them. */
export const QUERY_LIMITS = generated.QUERY_LIMITS;

/**
 * The fields a new query returns, in order. The video default is the fields
 * of the platform's guide's example (`display_name,video_description,create_time,id`;
 * docs/research/vce-getting-started.txt).
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
