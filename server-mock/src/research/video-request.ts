import {
  CATALOGUE,
  QUERY_LIMITS,
  type GroupOperator,
  type Operation
} from '../query/catalogue';
import { parseDay, parseValue, show } from '../query/condition-values';
import type {
  TimeRange,
  TypedCondition,
  TypedGroup,
  TypedQuery,
  Value
} from '../query/typed-query';
import {
  bodyObject,
  invalidParams,
  onlyKeys,
  optionalBoolean,
  maxCountOf,
  optionalInteger,
  optionalString,
  type Body
} from './body';
import type { FieldSelection } from './fields';

/**
 * The body of `POST /v2/research/video/query/` → the typed query the engine
 * runs, and the paging the route applies. Pure. Facts: docs/research/research-api.md §2
 * (keys, types, limits, condition fields, operations).
 */

/** §2: max_count defaults to 20 and is at most 100 (the QV page; the GS table says 10). */
export const VIDEO_MAX_COUNT = { fallback: 20, max: 100 } as const;
/** §2: end_date is at most 30 days after start_date. */
export const MAX_RANGE_DAYS = 30;
const DAY_SECONDS = 86_400;

const COMPARE: readonly Operation[] = ['EQ', 'IN', 'GT', 'GTE', 'LT', 'LTE'];
const EQ_IN: readonly Operation[] = ['EQ', 'IN'];

/**
 * A condition's `field_name` → the data set's video field and the operations
 * taken (§2: create_date all six, the rest EQ/IN, per the third-party guide
 * cited there; view_count and comment_count compare, as the newer QV page's
 * counts). `effect_id` asks whether the video uses the effect: the list
 * field's CONTAINS.
 */
const CONDITION_FIELDS: Readonly<
  Record<
    string,
    { field: string; operations: readonly Operation[]; as?: Operation }
  >
> = {
  create_date: { field: 'create_time', operations: COMPARE },
  username: { field: 'username', operations: EQ_IN },
  keyword: { field: 'keyword', operations: EQ_IN },
  hashtag_name: { field: 'hashtag_name', operations: EQ_IN },
  region_code: { field: 'region_code', operations: EQ_IN },
  video_id: { field: 'id', operations: EQ_IN },
  music_id: { field: 'music_id', operations: EQ_IN },
  effect_id: { field: 'effect_ids', operations: EQ_IN, as: 'CONTAINS' },
  video_length: { field: 'video_length', operations: EQ_IN },
  view_count: { field: 'view_count', operations: COMPARE },
  comment_count: { field: 'comment_count', operations: COMPARE }
};
const LISTS: readonly GroupOperator[] = ['and', 'or', 'not'];
const BODY_KEYS = [
  'query',
  'start_date',
  'end_date',
  'max_count',
  'cursor',
  'search_id',
  'is_random'
] as const;
const EXAMPLE =
  '{"query": {"and": [{"operation": "IN", "field_name": "region_code", "field_values": ["US"]}]}, "start_date": "20240101", "end_date": "20240130", "max_count": 100}';

export interface VideoQueryRequest {
  /** The engine's query (limit = max_count). */
  query: TypedQuery;
  maxCount: number;
  cursor: number;
  searchId: string | null;
  isRandom: boolean;
  startDate: string;
  endDate: string;
}

/** The request's identity apart from paging: what a search id was issued for. */
export function searchFingerprint(request: VideoQueryRequest): string {
  return JSON.stringify([
    request.query.groups.map(group => [
      group.operator,
      group.conditions.map(condition => [
        condition.field,
        condition.operation,
        condition.values.map(value =>
          typeof value === 'bigint' ? String(value) : value
        )
      ])
    ]),
    request.startDate,
    request.endDate
  ]);
}

function readCondition(raw: unknown, where: string): TypedCondition {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalidParams(
      `${where} must be an object {"operation", "field_name", "field_values"}, not ${show(raw)}.`
    );
  }
  const condition = raw as Body;
  onlyKeys(condition, ['operation', 'field_name', 'field_values']);
  const name = condition.field_name;
  const known = Object.keys(CONDITION_FIELDS);
  if (typeof name !== 'string' || !Object.hasOwn(CONDITION_FIELDS, name)) {
    throw invalidParams(
      `${where}.field_name ${show(name)} is not a video query field; the fields are ${known.join(', ')}.`
    );
  }
  const target = CONDITION_FIELDS[name];
  const operation =
    typeof condition.operation === 'string'
      ? (condition.operation.trim().toUpperCase() as Operation)
      : null;
  if (!operation || !target.operations.includes(operation)) {
    throw invalidParams(
      `${where}.operation ${show(condition.operation)} is not allowed on ${name}; it takes ${target.operations.join(', ')}.`
    );
  }
  const rawValues = condition.field_values;
  if (!Array.isArray(rawValues) || rawValues.length === 0) {
    throw invalidParams(
      `${where}.field_values must be a non-empty list of strings, e.g. ["US"], not ${show(rawValues)}.`
    );
  }
  if (rawValues.length > QUERY_LIMITS.maxFieldValues) {
    throw invalidParams(
      `${where}.field_values has ${rawValues.length} values; at most ${QUERY_LIMITS.maxFieldValues} are allowed.`
    );
  }
  if (operation !== 'IN' && rawValues.length !== 1) {
    throw invalidParams(
      `${where}: ${name} ${operation} takes exactly one value, not ${rawValues.length}; use IN for several.`
    );
  }
  const spec = CATALOGUE.video.conditions[target.field];
  const asOperation = target.as ?? operation;
  const values: Value[] = rawValues.map((rawValue, index) => {
    const at = `${where}.field_values[${index}]`;
    if (
      typeof rawValue !== 'string' ||
      rawValue.length > QUERY_LIMITS.maxValueLength
    ) {
      throw invalidParams(
        `${at} must be a string of at most ${QUERY_LIMITS.maxValueLength} characters, not ${show(rawValue)}.`
      );
    }
    if (name === 'create_date' && !/^\d{8}$/.test(rawValue.trim())) {
      throw invalidParams(
        `${at}: create_date takes a date written YYYYMMDD (UTC), e.g. "20240601", not ${show(rawValue)}.`
      );
    }
    const parsed = parseValue(name, spec, asOperation, rawValue);
    if (Array.isArray(parsed)) {
      throw invalidParams(`${at}: ${parsed[0]}.`);
    }
    return parsed;
  });
  return { field: target.field, spec, operation: asOperation, values };
}

function readQuery(raw: unknown): TypedGroup[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalidParams(
      `query is required: an object with "and", "or" and/or "not" lists of conditions, e.g. ${EXAMPLE}.`
    );
  }
  const query = raw as Body;
  onlyKeys(query, LISTS);
  const groups: TypedGroup[] = [];
  let conditions = 0;
  let values = 0;
  for (const operator of LISTS) {
    const list = query[operator];
    if (list === undefined || list === null) {
      continue;
    }
    if (!Array.isArray(list)) {
      throw invalidParams(
        `query.${operator} must be a list of conditions, not ${show(list)}.`
      );
    }
    const read = list.map((condition, index) =>
      readCondition(condition, `query.${operator}[${index}]`)
    );
    conditions += read.length;
    values += read.reduce((sum, condition) => sum + condition.values.length, 0);
    if (read.length > 0) {
      groups.push({ operator, conditions: read });
    }
  }
  if (groups.length === 0) {
    throw invalidParams(
      'query needs at least one condition in "and", "or" or "not".'
    );
  }
  if (
    conditions > QUERY_LIMITS.maxConditions ||
    values > QUERY_LIMITS.maxTotalValues
  ) {
    throw invalidParams(
      `query has ${conditions} conditions and ${values} values; at most ${QUERY_LIMITS.maxConditions} and ${QUERY_LIMITS.maxTotalValues.toLocaleString('en-US')} are allowed.`
    );
  }
  return groups;
}

function readDate(
  body: Body,
  key: 'start_date' | 'end_date'
): { text: string; day: TimeRange } {
  const raw = body[key];
  const day = typeof raw === 'string' ? parseDay(raw.trim()) : null;
  if (!day) {
    throw invalidParams(
      raw === undefined || raw === null
        ? `${key} is required: a date written YYYYMMDD (UTC), e.g. "20240601".`
        : `${key} must be a real date written YYYYMMDD (UTC), e.g. "20240601", not ${show(raw)}.`
    );
  }
  return { text: (raw as string).trim(), day };
}

/** The body and the `fields` selection → the request, or a 400 naming the first mistake. */
export function readVideoQuery(
  raw: unknown,
  selection: FieldSelection
): VideoQueryRequest {
  const body = bodyObject(raw, EXAMPLE);
  onlyKeys(body, BODY_KEYS);
  const groups = readQuery(body.query);
  const start = readDate(body, 'start_date');
  const end = readDate(body, 'end_date');
  if (end.day.from < start.day.from) {
    throw invalidParams(
      `end_date ${end.text} is before start_date ${start.text}: the range runs from start_date to end_date, both included.`
    );
  }
  if (end.day.from - start.day.from > MAX_RANGE_DAYS * DAY_SECONDS) {
    throw invalidParams(
      `end_date ${end.text} is more than ${MAX_RANGE_DAYS} days after start_date ${start.text}: split the range into windows of at most ${MAX_RANGE_DAYS} days.`
    );
  }
  const maxCount = maxCountOf(body, VIDEO_MAX_COUNT);
  return {
    query: {
      category: 'video',
      groups,
      fields: selection.columns,
      limit: maxCount,
      timeRange: { from: start.day.from, to: end.day.to },
      cursor: null
    },
    maxCount,
    cursor: optionalInteger(
      body,
      'cursor',
      { min: 0, max: Number.MAX_SAFE_INTEGER },
      0
    ),
    searchId: optionalString(body, 'search_id', 64),
    isRandom: optionalBoolean(body, 'is_random'),
    startDate: start.text,
    endDate: end.text
  };
}
