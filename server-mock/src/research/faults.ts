import { createHash } from 'node:crypto';
import { mulberry32 } from '../query/mulberry32';
import type {
  DateRange,
  Fault,
  FaultKind,
  FaultPlan,
  RefusalReason,
  ResearchEndpoint
} from './fault-plan';
import { KIND_ENDPOINTS } from './fault-plan';

/**
 * The decisions of a fault plan (./fault-plan.ts), with no HTTP: the research
 * routes ask, and answer as the real API did when it failed that way (README §
 * Faults on a switch). Off by default: without a plan every answer is "no fault".
 *
 * Deterministic under the plan's seed:
 * - a decision about a data item (a video, a user, a comment page) hashes
 *   (seed, the fault's index, the item): the same item, the same answer, every call;
 * - a decision about a request (a 500, a spurious 400, a 429) hashes (seed, the
 *   fault's index, the request's key, how many times this client has sent that
 *   key): a fresh stand-in given the same requests fails the same ones, and a
 *   retry of a page draws again, so a client that retries gets through.
 *
 * A plan comes from `--faults FILE` (every client) or per client
 * (`PUT /v2/mock/faults/`, which overrides the file's for that client only).
 */

/** The real messages (docs/research/research-api.md §6, §8; docs/research/research-clients.md §1–§2). */
export const FAULT_MESSAGES = {
  /** 500 internal_error; ResearchTikPy retries on this exact text (docs/research/research-clients.md §1). */
  internalError: 'Something went wrong. Please try again later.',
  /** 400 invalid_params (C4D's InvalidCountOrCursorError; tiktok-library#89). */
  invalidCountOrCursor: 'Invalid count or cursor',
  /** 400 (tiktok-library#104). */
  videoCommentsRefused:
    'The comments of this video are not allowed to be disclosed'
} as const;

/** 400 invalid_params "Search Id N is invalid or expired" (traktok#17, C4D PR #18). */
export function searchIdExpiredMessage(searchId: string): string {
  return `Search Id ${searchId} is invalid or expired`;
}

/** A refused user's message, by reason (C4D api_client.py; traktok api_user_error_checker). */
export function userRefusalMessage(
  reason: RefusalReason,
  username: string
): string {
  switch (reason) {
    case 'not_found':
      return `\`username: ${username}\` is invalid: cannot find the user`;
    case 'private':
      return `\`username: ${username}\` is private`;
    case 'cannot_return':
      return "API cannot return this user's information";
  }
}

/** Who asks, where, and (video query) for which dates. */
export interface FaultScope {
  clientKey: string;
  endpoint: ResearchEndpoint;
  /** The request's `start_date`/`end_date` (YYYYMMDD), where it has them. */
  startDate?: string;
  endDate?: string;
}

/** One request, for the request-level faults. */
export interface RequestAsk extends FaultScope {
  /**
   * The page asked for: the same request sent again is the same key
   * (`requestKey(body)` makes one from the body).
   */
  page: string;
  /**
   * The first page of a listing (no search_id, no cursor or cursor 0):
   * spurious search-id and cursor errors happen only after it.
   */
  firstPage: boolean;
}

/** What a request-level fault makes the route answer instead. */
export type RequestFault =
  | { kind: 'internal_error' }
  | { kind: 'rate_limit'; retryAfter: number }
  | { kind: 'daily_quota' }
  | { kind: 'search_id_expired' }
  | { kind: 'invalid_count_or_cursor' }
  | { kind: 'empty_results' };

const REQUEST_KINDS: readonly FaultKind[] = [
  'internal_error',
  'rate_limit',
  'daily_quota',
  'search_id_expired',
  'invalid_count_or_cursor',
  'empty_results'
];
const AFTER_FIRST_PAGE: readonly FaultKind[] = [
  'search_id_expired',
  'invalid_count_or_cursor'
];

/** Text fields that get a NUL byte (C4D PRs #92, #99). Ids and usernames are never touched. */
const TEXT_FIELDS = [
  'video_description',
  'voice_to_text',
  'text',
  'display_name',
  'bio_description'
];
/** Count fields pushed past 32 bits (C4D PR #109). */
const COUNT_FIELDS = [
  'like_count',
  'comment_count',
  'share_count',
  'view_count',
  'favorites_count',
  'favourites_count',
  'reply_count',
  'follower_count',
  'following_count',
  'likes_count',
  'video_count'
];
/** What a count field becomes: past both int32 and uint32, and still a safe integer. */
export const LARGE_COUNT_OFFSET = 2 ** 32;

/** Request keys remembered a client (with their attempt counts) at most; the oldest go first. */
export const MAX_REMEMBERED_REQUESTS = 10_000;
/**
 * Clients whose attempt counts are remembered at most (the least recent go
 * first): with MAX_REMEMBERED_REQUESTS, about 64 × 10,000 × 100 B ≈ 64 MB at
 * worst, whatever the requests' sizes (their keys are hashed).
 */
export const MAX_REMEMBERED_CLIENTS = 64;

/** FNV-1a of a string, 32 bits. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A float in [0, 1) that depends only on its parts. */
export function unitDraw(...parts: (string | number)[]): number {
  return mulberry32(fnv1a(parts.join('\u001f')))();
}

/** A body as a key: the same JSON (keys in any order), the same key. */
export function requestKey(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0
          )
        )
      : inner
  );
}

function overlaps(
  ranges: DateRange[],
  start: string | undefined,
  end: string | undefined
): boolean {
  if (start === undefined && end === undefined) {
    return false;
  }
  const from = start ?? end!;
  const to = end ?? start!;
  return ranges.some(range => range.from <= to && from <= range.to);
}

export class Faults {
  private readonly overrides = new Map<string, FaultPlan>();
  /** Per client (at most MAX_REMEMBERED_CLIENTS, least recent dropped): a request's hashed key → its attempts. */
  private readonly attempts = new Map<string, Map<string, number>>();

  /** `plan`: the file's (every client), or null: no faults unless a client sets its own. */
  constructor(private readonly plan: FaultPlan | null = null) {}

  /** The plan in force for a client, and where it comes from. */
  planFor(clientKey: string): {
    source: 'client' | 'file' | 'none';
    plan: FaultPlan | null;
  } {
    const own = this.overrides.get(clientKey);
    if (own) {
      return { source: 'client', plan: own };
    }
    return this.plan
      ? { source: 'file', plan: this.plan }
      : { source: 'none', plan: null };
  }

  /** A client's own plan (PUT /v2/mock/faults/); its request counts start again. */
  setClientPlan(clientKey: string, plan: FaultPlan): void {
    this.overrides.set(clientKey, plan);
    this.forgetAttempts(clientKey);
  }

  /** Back to the file's plan (DELETE /v2/mock/faults/); its request counts start again. */
  clearClientPlan(clientKey: string): void {
    this.overrides.delete(clientKey);
    this.forgetAttempts(clientKey);
  }

  /**
   * The first request-level fault this request draws, in the plan's order, or
   * null. Every call counts as one more attempt of `ask.page`: ask once per request.
   */
  requestFault(ask: RequestAsk): RequestFault | null {
    const plan = this.planFor(ask.clientKey).plan;
    if (!plan) {
      return null;
    }
    const candidates = [...plan.faults.entries()].filter(
      ([, fault]) =>
        REQUEST_KINDS.includes(fault.kind) &&
        !(ask.firstPage && AFTER_FIRST_PAGE.includes(fault.kind)) &&
        this.applies(fault, ask)
    );
    if (candidates.length === 0) {
      return null; // nothing to draw: nothing remembered
    }
    const key = `${ask.clientKey}\u0000${ask.endpoint}\u0000${ask.page}`;
    const attempt = this.nextAttempt(ask.clientKey, key);
    for (const [index, fault] of candidates) {
      if (!drawn(fault, plan.seed, index, 'request', key, attempt)) {
        continue;
      }
      return fault.kind === 'rate_limit'
        ? { kind: 'rate_limit', retryAfter: fault.retry_after ?? 60 }
        : ({ kind: fault.kind } as RequestFault);
    }
    return null;
  }

  /** The comments of this video are refused: the message, or null (tiktok-library#104). */
  refusedVideoComments(scope: FaultScope, videoId: string): string | null {
    const hit = this.itemFault(
      scope,
      'refuse_video_comments',
      videoId,
      fault => (fault.video_ids ? fault.video_ids.includes(videoId) : true)
    );
    return hit ? FAULT_MESSAGES.videoCommentsRefused : null;
  }

  /** This user is refused: the message, or null. */
  refusedUser(scope: FaultScope, username: string): string | null {
    const hit = this.itemFault(scope, 'refuse_user', username, fault =>
      fault.usernames ? fault.usernames.includes(username) : true
    );
    return hit
      ? userRefusalMessage(hit.reason ?? 'cannot_return', username)
      : null;
  }

  /** This comment page answers `cursor: null` though `has_more` is true (C4D PR #105). */
  nullCommentCursor(
    scope: FaultScope,
    videoId: string,
    cursor: number
  ): boolean {
    return (
      this.itemFault(scope, 'null_comment_cursor', `${videoId}:${cursor}`) !==
      null
    );
  }

  /**
   * The token route answers its error at HTTP 200 (ResearchTikPy PR #28): asked
   * when the credentials are wrong; `clientKey` is the form's.
   */
  tokenError200(clientKey: string): boolean {
    const plan = this.planFor(clientKey).plan;
    if (!plan) {
      return false;
    }
    const candidates = [...plan.faults.entries()].filter(
      ([, fault]) =>
        fault.kind === 'token_error_200' &&
        (!fault.clients || fault.clients.includes(clientKey))
    );
    if (candidates.length === 0) {
      return false;
    }
    const key = `${clientKey}\u0000oauth/token`;
    const attempt = this.nextAttempt(clientKey, key);
    return candidates.some(([index, fault]) =>
      drawn(fault, plan.seed, index, 'request', key, attempt)
    );
  }

  /** A video as the API would send it with NUL bytes or huge counts; ids untouched. */
  alterVideo<T extends Record<string, unknown>>(
    scope: FaultScope,
    id: number | string,
    record: T
  ): T {
    return this.alter(scope, `video:${id}`, record);
  }

  /** A comment, the same way (keyed by its id). */
  alterComment<T extends Record<string, unknown>>(
    scope: FaultScope,
    id: number | string,
    record: T
  ): T {
    return this.alter(scope, `comment:${id}`, record);
  }

  /** A user (user info), keyed by username (user info carries no id). */
  alterUser<T extends Record<string, unknown>>(
    scope: FaultScope,
    username: string,
    record: T
  ): T {
    return this.alter(scope, `user:${username}`, record);
  }

  private alter<T extends Record<string, unknown>>(
    scope: FaultScope,
    item: string,
    record: T
  ): T {
    const nul = this.itemFault(scope, 'nul_bytes', item);
    const large = this.itemFault(scope, 'large_counts', item);
    if (!nul && !large) {
      return record;
    }
    const copy: Record<string, unknown> = { ...record };
    if (nul) {
      for (const field of TEXT_FIELDS) {
        const value = copy[field];
        if (typeof value === 'string') {
          // A stable place in the text: the same item, the same string.
          const at = Math.floor(unitDraw(item, field) * (value.length + 1));
          copy[field] = `${value.slice(0, at)}\u0000${value.slice(at)}`;
        }
      }
    }
    if (large) {
      for (const field of COUNT_FIELDS) {
        const value = copy[field];
        if (typeof value === 'number' && Number.isSafeInteger(value)) {
          copy[field] = value + LARGE_COUNT_OFFSET;
        }
      }
    }
    return copy as T;
  }

  /** The first fault of `kind` this item draws (stable per item), or null. */
  private itemFault(
    scope: FaultScope,
    kind: FaultKind,
    item: string,
    selects: (fault: Fault) => boolean = () => true
  ): Fault | null {
    const plan = this.planFor(scope.clientKey).plan;
    if (!plan) {
      return null;
    }
    for (const [index, fault] of plan.faults.entries()) {
      if (
        fault.kind === kind &&
        this.applies(fault, scope) &&
        selects(fault) &&
        drawn(fault, plan.seed, index, 'item', item, 0)
      ) {
        return fault;
      }
    }
    return null;
  }

  /** The fault's filters: where it can happen, its endpoints, clients and dates. */
  private applies(fault: Fault, scope: FaultScope): boolean {
    const where = KIND_ENDPOINTS[fault.kind];
    return (
      where !== null &&
      where.includes(scope.endpoint) &&
      (!fault.endpoints || fault.endpoints.includes(scope.endpoint)) &&
      (!fault.clients || fault.clients.includes(scope.clientKey)) &&
      (!fault.date_ranges ||
        overlaps(fault.date_ranges, scope.startDate, scope.endDate))
    );
  }

  /** How many times this key was asked before (bounded memory: the oldest keys go). */
  /**
   * Count one more attempt of a request of a client's; returns the attempts
   * before it. The key is remembered by its hash (a body may be large), in
   * the client's own map (one client's traffic never pushes out another's
   * counts), at most MAX_REMEMBERED_REQUESTS a client.
   */
  private nextAttempt(clientKey: string, key: string): number {
    let counts = this.attempts.get(clientKey);
    if (counts) {
      this.attempts.delete(clientKey); // most recent last
    } else {
      counts = new Map();
    }
    this.attempts.set(clientKey, counts);
    if (this.attempts.size > MAX_REMEMBERED_CLIENTS) {
      this.attempts.delete(this.attempts.keys().next().value!);
    }
    const hashed = keyHash(key);
    const attempt = counts.get(hashed) ?? 0;
    counts.delete(hashed);
    counts.set(hashed, attempt + 1);
    if (counts.size > MAX_REMEMBERED_REQUESTS) {
      counts.delete(counts.keys().next().value!);
    }
    return attempt;
  }

  /** The attempt count of a client's request key (tests). */
  attemptsOf(clientKey: string, key: string): number {
    return this.attempts.get(clientKey)?.get(keyHash(key)) ?? 0;
  }

  private forgetAttempts(clientKey: string): void {
    this.attempts.delete(clientKey);
  }
}

/** A request key's fixed-size stand-in in the attempt counts. */
function keyHash(key: string): string {
  return createHash('sha256').update(key).digest('base64');
}

function drawn(
  fault: Fault,
  seed: number,
  index: number,
  level: 'request' | 'item',
  key: string,
  attempt: number
): boolean {
  const probability = fault.probability ?? 1;
  if (probability >= 1) {
    return true;
  }
  return (
    probability > 0 && unitDraw(seed, index, level, key, attempt) < probability
  );
}
