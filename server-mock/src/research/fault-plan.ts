import { readFileSync } from 'node:fs';
import Ajv, { type ErrorObject } from 'ajv';

/**
 * A fault plan: which of the public Research API's observed faults the stand-in
 * plays, for whom and how often (`vce-mock --faults FILE`, or per client with
 * `PUT /v2/mock/faults/`). README § Faults on a switch names the report behind
 * each kind (docs/research/research-api.md §8, docs/research/research-clients.md §2).
 *
 *   {"seed": 7,
 *    "faults": [
 *      {"kind": "internal_error", "date_ranges": [{"from": "20231001", "to": "20231031"}]},
 *      {"kind": "search_id_expired", "probability": 0.2},
 *      {"kind": "refuse_user", "usernames": ["some_user"], "reason": "private"}]}
 *
 * Every fault takes `probability` (0 to 1, default 1) and may be narrowed to
 * `endpoints`, `clients` (client keys) and `date_ranges` (requests whose
 * start_date..end_date overlaps one); `note` is free text for the reader.
 */

export const FAULT_KINDS = [
  'internal_error',
  'search_id_expired',
  'invalid_count_or_cursor',
  'null_comment_cursor',
  'empty_results',
  'nul_bytes',
  'large_counts',
  'refuse_video_comments',
  'refuse_user',
  'token_error_200',
  'rate_limit',
  'daily_quota'
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The Research API's routes, as `/v2/research/<endpoint>/`. */
export const RESEARCH_ENDPOINTS = [
  'video/query',
  'video/comment/list',
  'user/info',
  'user/liked_videos',
  'user/pinned_videos',
  'user/reposted_videos',
  'user/followers',
  'user/following',
  'playlist/info'
] as const;
export type ResearchEndpoint = (typeof RESEARCH_ENDPOINTS)[number];

const PAGED_ENDPOINTS: readonly ResearchEndpoint[] = [
  'video/query',
  'video/comment/list',
  'user/liked_videos',
  'user/reposted_videos',
  'user/followers',
  'user/following'
];
const USER_ENDPOINTS = RESEARCH_ENDPOINTS.filter(endpoint =>
  endpoint.startsWith('user/')
);

/** Where each kind can happen (the endpoints a plan may narrow it to); null: the token route. */
export const KIND_ENDPOINTS: Record<
  FaultKind,
  readonly ResearchEndpoint[] | null
> = {
  internal_error: RESEARCH_ENDPOINTS,
  rate_limit: RESEARCH_ENDPOINTS,
  daily_quota: RESEARCH_ENDPOINTS,
  search_id_expired: ['video/query'],
  invalid_count_or_cursor: PAGED_ENDPOINTS,
  empty_results: PAGED_ENDPOINTS,
  null_comment_cursor: ['video/comment/list'],
  nul_bytes: RESEARCH_ENDPOINTS,
  large_counts: RESEARCH_ENDPOINTS,
  refuse_video_comments: ['video/comment/list'],
  refuse_user: USER_ENDPOINTS,
  token_error_200: null
};

/** Why a user is refused: the real messages (README § Faults on a switch). */
export const REFUSAL_REASONS = [
  'cannot_return',
  'not_found',
  'private'
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export interface DateRange {
  /** `YYYYMMDD`, inclusive. */
  from: string;
  /** `YYYYMMDD`, inclusive. */
  to: string;
}

export interface Fault {
  kind: FaultKind;
  /** Chance that a request (or an item) draws the fault, 0 to 1; default 1. */
  probability?: number;
  endpoints?: ResearchEndpoint[];
  clients?: string[];
  date_ranges?: DateRange[];
  note?: string;
  /** refuse_video_comments: only these videos (ids as strings); default every video. */
  video_ids?: string[];
  /** refuse_user: only these usernames; default every user. */
  usernames?: string[];
  /** refuse_user: which real message (default `cannot_return`). */
  reason?: RefusalReason;
  /** rate_limit: the `Retry-After` seconds (default 60). */
  retry_after?: number;
}

export interface FaultPlan {
  /** Seed of every draw: the same plan and the same requests, the same faults. */
  seed: number;
  faults: Fault[];
  note?: string;
}

export const MAX_FAULTS = 64;
export const MAX_LISTED = 10_000;
const YYYYMMDD = '^[0-9]{8}$';
const NOTE = { type: 'string', maxLength: 1000 };

const COMMON = {
  probability: { type: 'number', minimum: 0, maximum: 1 },
  clients: {
    type: 'array',
    maxItems: MAX_LISTED,
    items: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,128}$' }
  },
  date_ranges: {
    type: 'array',
    minItems: 1,
    maxItems: 1000,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['from', 'to'],
      properties: {
        from: { type: 'string', pattern: YYYYMMDD },
        to: { type: 'string', pattern: YYYYMMDD }
      }
    }
  },
  note: NOTE
} as const;

function endpointsOf(kind: FaultKind) {
  const allowed = KIND_ENDPOINTS[kind];
  return allowed
    ? {
        endpoints: {
          type: 'array',
          minItems: 1,
          items: { type: 'string', enum: [...allowed] }
        }
      }
    : {};
}

function faultSchema(kind: FaultKind, extra: Record<string, unknown> = {}) {
  const common: Record<string, unknown> =
    kind === 'token_error_200'
      ? { probability: COMMON.probability, clients: COMMON.clients, note: NOTE }
      : { ...COMMON, ...endpointsOf(kind) };
  return {
    type: 'object',
    additionalProperties: false,
    required: ['kind'],
    properties: { kind: { const: kind }, ...common, ...extra }
  };
}

/**
 * The plan's JSON Schema: openapi.yaml's `FaultPlan` is this very object
 * (test/research/faults.test.ts compares them).
 */
export const FAULT_PLAN_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['seed', 'faults'],
  properties: {
    seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
    note: NOTE,
    faults: {
      type: 'array',
      maxItems: MAX_FAULTS,
      items: {
        type: 'object',
        required: ['kind'],
        properties: { kind: { type: 'string' } },
        discriminator: { propertyName: 'kind' },
        oneOf: FAULT_KINDS.map(kind => {
          switch (kind) {
            case 'refuse_video_comments':
              return faultSchema(kind, {
                video_ids: {
                  type: 'array',
                  minItems: 1,
                  maxItems: MAX_LISTED,
                  items: { type: 'string', pattern: '^[0-9]{1,20}$' }
                }
              });
            case 'refuse_user':
              return faultSchema(kind, {
                usernames: {
                  type: 'array',
                  minItems: 1,
                  maxItems: MAX_LISTED,
                  items: { type: 'string', minLength: 1, maxLength: 256 }
                },
                reason: { type: 'string', enum: [...REFUSAL_REASONS] }
              });
            case 'rate_limit':
              return faultSchema(kind, {
                retry_after: { type: 'integer', minimum: 1, maximum: 86400 }
              });
            default:
              return faultSchema(kind);
          }
        })
      }
    }
  }
};

/** A plan that is not one: the message names the place (`faults[2].probability`) and what is allowed. */
export class FaultPlanError extends Error {
  constructor(
    message: string,
    /** Where, as `faults[2].probability` (empty: the plan itself). */
    readonly path: string
  ) {
    super(message);
    this.name = 'FaultPlanError';
  }
}

const ajv = new Ajv({
  allErrors: true,
  discriminator: true,
  strict: true,
  // Errors carry their schema: a message lists what is allowed.
  verbose: true
});
const validatePlan = ajv.compile(FAULT_PLAN_SCHEMA);

/** `/faults/2/probability` → `faults[2].probability`. */
function pathOf(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce(
      (path, part) =>
        /^[0-9]+$/.test(part)
          ? `${path}[${part}]`
          : path
            ? `${path}.${part}`
            : part,
      ''
    );
}

const join = (parent: string, key: string) =>
  parent ? `${parent}.${key}` : key;

/** The schema node an error is about, to list what it allows. */
function allowedKeys(error: ErrorObject): string[] {
  const properties = (error.parentSchema as { properties?: object })
    ?.properties;
  return properties ? Object.keys(properties) : [];
}

/** One Ajv error in words: where, what is wrong, what is allowed. */
function describe(error: ErrorObject): { path: string; message: string } {
  const path = pathOf(error.instancePath);
  const where = path || 'the plan';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      return {
        path: join(path, key),
        message: `${where} has the unknown key "${key}"; allowed: ${allowedKeys(error).join(', ')}`
      };
    }
    case 'required': {
      const key = String(params.missingProperty);
      return {
        path: join(path, key),
        message: `${where} needs "${key}"`
      };
    }
    case 'discriminator':
      return {
        path: join(path, 'kind'),
        message:
          params.error === 'mapping'
            ? `${join(path, 'kind')} must be one of ${FAULT_KINDS.join(', ')}`
            : `${join(path, 'kind')} must be a string, one of ${FAULT_KINDS.join(', ')}`
      };
    case 'enum':
      return {
        path,
        message: `${where} must be one of ${(params.allowedValues as unknown[]).join(', ')}`
      };
    case 'minimum':
    case 'maximum': {
      const schema = error.parentSchema as {
        minimum?: number;
        maximum?: number;
      };
      return {
        path,
        message: `${where} must be from ${schema.minimum} to ${schema.maximum}`
      };
    }
    case 'pattern':
      return {
        path,
        message:
          (error.schema as string) === YYYYMMDD
            ? `${where} must be a date written YYYYMMDD, e.g. "20231001"`
            : `${where} must match ${String(error.schema)}`
      };
    case 'type':
      return {
        path,
        message: `${where} must be ${withArticle(String(params.type))}`
      };
    default:
      return { path, message: `${where} ${error.message ?? 'is not valid'}` };
  }
}

function withArticle(type: string): string {
  return type === 'integer' || type === 'array' || type === 'object'
    ? `an ${type}`
    : `a ${type}`;
}

/** A calendar day `YYYYMMDD` exists (no 20230231). */
function isDay(text: string): boolean {
  const date = new Date(
    `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}T00:00:00Z`
  );
  return (
    !Number.isNaN(date.getTime()) &&
    date.toISOString().slice(0, 10).replace(/-/g, '') === text
  );
}

/** What the schema cannot say: real days, from ≤ to. */
function checkDates(plan: FaultPlan): void {
  plan.faults.forEach((fault, index) => {
    (fault.date_ranges ?? []).forEach((range, at) => {
      const where = `faults[${index}].date_ranges[${at}]`;
      for (const end of ['from', 'to'] as const) {
        if (!isDay(range[end])) {
          throw new FaultPlanError(
            `The fault plan is not valid: ${where}.${end} "${range[end]}" is not a calendar day: write YYYYMMDD, e.g. "20231001".`,
            `${where}.${end}`
          );
        }
      }
      if (range.from > range.to) {
        throw new FaultPlanError(
          `The fault plan is not valid: ${where} ends (${range.to}) before it starts (${range.from}).`,
          where
        );
      }
    });
  });
}

/** A checked plan, or a FaultPlanError naming the first problem (all of them in its message). */
export function parseFaultPlan(value: unknown): FaultPlan {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FaultPlanError(
      'A fault plan is a JSON object: {"seed": 7, "faults": [{"kind": "internal_error", "probability": 0.05}]}',
      ''
    );
  }
  if (!validatePlan(value)) {
    const problems = (validatePlan.errors ?? [])
      // oneOf's own summary adds nothing to the discriminated branch's errors.
      .filter(error => error.keyword !== 'oneOf')
      .map(describe);
    // One problem a place (a missing kind is not also a kind of the wrong type).
    const byPath = new Map<string, { path: string; message: string }>();
    for (const problem of problems) {
      if (!byPath.has(problem.path)) {
        byPath.set(problem.path, problem);
      }
    }
    const unique = [...byPath.values()];
    const first = unique[0] ?? { path: '', message: 'the plan is not valid' };
    throw new FaultPlanError(
      `The fault plan is not valid: ${unique.map(p => p.message).join('; ')}.`,
      first.path
    );
  }
  const plan = value as unknown as FaultPlan;
  checkDates(plan);
  return plan;
}

/** `--faults FILE`: the file's plan, or a FaultPlanError naming the file. */
export function readFaultPlanFile(path: string): FaultPlan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new FaultPlanError(
      `--faults ${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
      ''
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new FaultPlanError(
      `--faults ${path} is not JSON: ${(error as Error).message}.`,
      ''
    );
  }
  try {
    return parseFaultPlan(data);
  } catch (error) {
    const problem = error as FaultPlanError;
    throw new FaultPlanError(
      `--faults ${path}: ${problem.message}`,
      problem.path
    );
  }
}
