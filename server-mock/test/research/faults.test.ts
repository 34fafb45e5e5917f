import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  FAULT_KINDS,
  FAULT_PLAN_SCHEMA,
  FaultPlanError,
  parseFaultPlan,
  readFaultPlanFile,
  type FaultPlan
} from '../../src/research/fault-plan';
import {
  FAULT_MESSAGES,
  Faults,
  LARGE_COUNT_OFFSET,
  MAX_REMEMBERED_REQUESTS,
  requestKey,
  type RequestAsk
} from '../../src/research/faults';
import { openapi } from '../helpers/openapi-conformance';

const EXAMPLE = join(__dirname, '..', '..', 'faults', 'example.json');

const plan = (faults: unknown[], seed = 7): FaultPlan =>
  parseFaultPlan({ seed, faults });

const ask = (page: string, more: Partial<RequestAsk> = {}): RequestAsk => ({
  clientKey: 'alice-lab',
  endpoint: 'video/query',
  page,
  firstPage: false,
  ...more
});

/** The kind each of `n` distinct pages draws, first attempt. */
function firstDraws(faults: Faults, n: number, more: Partial<RequestAsk> = {}) {
  return Array.from(
    { length: n },
    (_, i) => faults.requestFault(ask(`page-${i}`, more))?.kind ?? null
  );
}

/** `message` of the FaultPlanError `value` raises. */
function planError(value: unknown): FaultPlanError {
  try {
    parseFaultPlan(value);
  } catch (error) {
    return error as FaultPlanError;
  }
  throw new Error('the plan was accepted');
}

describe('the fault plan', () => {
  it('accepts the example file, which has every kind', () => {
    const example = readFaultPlanFile(EXAMPLE);
    expect(example.seed).toBe(7);
    expect(new Set(example.faults.map(fault => fault.kind))).toEqual(
      new Set(FAULT_KINDS)
    );
  });

  it.each([
    [
      { seed: 7, faults: [{ kind: 'internal_error', probability: 1.5 }] },
      'faults[0].probability',
      'faults[0].probability must be from 0 to 1'
    ],
    [
      { seed: 7, faults: [{ kind: 'internal_eror' }] },
      'faults[0].kind',
      'faults[0].kind must be one of internal_error, search_id_expired'
    ],
    [
      { seed: 7, faults: [{ probability: 0.5 }] },
      'faults[0].kind',
      'faults[0] needs "kind"'
    ],
    [
      {
        seed: 7,
        faults: [{ kind: 'token_error_200', endpoints: ['user/info'] }]
      },
      'faults[0].endpoints',
      'faults[0] has the unknown key "endpoints"; allowed: kind, probability, clients, note'
    ],
    [
      {
        seed: 7,
        faults: [{ kind: 'null_comment_cursor', endpoints: ['video/query'] }]
      },
      'faults[0].endpoints[0]',
      'faults[0].endpoints[0] must be one of video/comment/list'
    ],
    [
      { seed: 7, faults: [{ kind: 'refuse_user', reason: 'banned' }] },
      'faults[0].reason',
      'faults[0].reason must be one of cannot_return, not_found, private'
    ],
    [
      {
        seed: 7,
        faults: [
          {
            kind: 'internal_error',
            date_ranges: [{ from: '2023-10-01', to: '20231031' }]
          }
        ]
      },
      'faults[0].date_ranges[0].from',
      'faults[0].date_ranges[0].from must be a date written YYYYMMDD'
    ],
    [
      {
        seed: 7,
        faults: [
          {
            kind: 'internal_error',
            date_ranges: [{ from: '20231001', to: '20230931' }]
          }
        ]
      },
      'faults[0].date_ranges[0].to',
      'faults[0].date_ranges[0].to "20230931" is not a calendar day'
    ],
    [
      {
        seed: 7,
        faults: [
          {
            kind: 'internal_error',
            date_ranges: [{ from: '20231031', to: '20231001' }]
          }
        ]
      },
      'faults[0].date_ranges[0]',
      'faults[0].date_ranges[0] ends (20231001) before it starts (20231031)'
    ],
    [{ faults: [] }, 'seed', 'the plan needs "seed"'],
    [
      { seed: 7, faults: [], extra: true },
      'extra',
      'the plan has the unknown key "extra"; allowed: seed, note, faults'
    ],
    [[], '', 'A fault plan is a JSON object']
  ])('refuses %j at %s, saying what is allowed', (value, path, message) => {
    const error = planError(value);
    expect(error).toBeInstanceOf(FaultPlanError);
    expect(error.path).toBe(path);
    expect(error.message).toContain(message);
  });

  it('is the schema openapi.yaml documents as FaultPlan (descriptions aside)', () => {
    const strip = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(strip)
        : value && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value)
                .filter(([key]) => key !== 'description')
                .map(([key, inner]) => [key, strip(inner)])
            )
          : value;
    const documented = (
      openapi as unknown as { components: { schemas: Record<string, unknown> } }
    ).components.schemas.FaultPlan;
    expect(strip(documented)).toEqual(
      JSON.parse(JSON.stringify(FAULT_PLAN_SCHEMA))
    );
  });

  it('names the file of --faults in its messages', () => {
    expect(() => readFaultPlanFile('/nonexistent/plan.json')).toThrow(
      '--faults /nonexistent/plan.json: cannot read the file (ENOENT)'
    );
  });
});

describe('Faults: off by default', () => {
  it('decides no fault without a plan', () => {
    const faults = new Faults();
    const scope = { clientKey: 'alice-lab', endpoint: 'video/query' as const };
    const video = { id: 1, video_description: 'x', like_count: 3 };
    expect(faults.requestFault(ask('p'))).toBeNull();
    expect(
      faults.refusedUser({ ...scope, endpoint: 'user/info' }, 'u')
    ).toBeNull();
    expect(faults.tokenError200('alice-lab')).toBe(false);
    expect(faults.alterVideo(scope, video.id, video)).toBe(video);
    expect(faults.planFor('alice-lab')).toEqual({ source: 'none', plan: null });
  });
});

describe('Faults: request-level draws', () => {
  const spurious = plan([{ kind: 'search_id_expired', probability: 0.3 }]);

  it('are the same for the same seed and the same requests, different under another seed', () => {
    const a = firstDraws(new Faults(spurious), 200);
    const b = firstDraws(new Faults(spurious), 200);
    const other = firstDraws(
      new Faults(plan([{ kind: 'search_id_expired', probability: 0.3 }], 8)),
      200
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(other);
  });

  it('honour the probability over many requests', () => {
    const draws = firstDraws(new Faults(spurious), 10_000);
    const share = draws.filter(kind => kind !== null).length / draws.length;
    expect(share).toBeGreaterThan(0.27);
    expect(share).toBeLessThan(0.33);
  });

  it('draw again for a retry of the same page, so a client that retries gets through', () => {
    const faults = new Faults(
      plan([{ kind: 'invalid_count_or_cursor', probability: 0.5 }])
    );
    const outcomes = Array.from({ length: 40 }, () =>
      faults.requestFault(ask('the-same-page'))
    );
    expect(outcomes.some(outcome => outcome === null)).toBe(true);
    expect(outcomes.some(outcome => outcome !== null)).toBe(true);
    // Same retries on a fresh stand-in: the same sequence.
    const again = new Faults(
      plan([{ kind: 'invalid_count_or_cursor', probability: 0.5 }])
    );
    expect(
      Array.from({ length: 40 }, () => again.requestFault(ask('the-same-page')))
    ).toEqual(outcomes);
  });

  it('never make a first page "invalid or expired"', () => {
    const always = new Faults(
      plan([{ kind: 'search_id_expired' }, { kind: 'invalid_count_or_cursor' }])
    );
    expect(always.requestFault(ask('p1', { firstPage: true }))).toBeNull();
    expect(always.requestFault(ask('p2'))).toEqual({
      kind: 'search_id_expired'
    });
  });

  it('match date ranges by overlap, and never a request without dates', () => {
    const faults = new Faults(
      plan([
        {
          kind: 'internal_error',
          date_ranges: [{ from: '20231001', to: '20231031' }]
        }
      ])
    );
    const dated = (startDate: string, endDate: string) =>
      faults.requestFault(
        ask(`${startDate}-${endDate}`, { startDate, endDate })
      )?.kind ?? null;
    expect(dated('20231015', '20231020')).toBe('internal_error');
    expect(dated('20230920', '20231001')).toBe('internal_error');
    expect(dated('20231031', '20231110')).toBe('internal_error');
    expect(dated('20230901', '20230930')).toBeNull();
    expect(dated('20231101', '20231130')).toBeNull();
    // Probability 1: a retry of a bad range fails again (tiktok-library#90).
    expect(dated('20231015', '20231020')).toBe('internal_error');
    expect(
      faults.requestFault(ask('comments', { endpoint: 'video/comment/list' }))
    ).toBeNull();
  });

  it('keep to their endpoints and clients, in the plan order', () => {
    const faults = new Faults(
      plan([
        { kind: 'rate_limit', retry_after: 5, clients: ['bob-lab'] },
        { kind: 'internal_error', endpoints: ['user/info'] },
        { kind: 'empty_results' }
      ])
    );
    expect(faults.requestFault(ask('a', { clientKey: 'bob-lab' }))).toEqual({
      kind: 'rate_limit',
      retryAfter: 5
    });
    expect(faults.requestFault(ask('b', { endpoint: 'user/info' }))).toEqual({
      kind: 'internal_error'
    });
    expect(faults.requestFault(ask('c'))).toEqual({ kind: 'empty_results' });
    // empty_results is a listing's fault: user info has no list to empty.
    expect(
      faults.requestFault(ask('d', { endpoint: 'user/info', clientKey: 'x' }))
    ).toEqual({ kind: 'internal_error' });
  });

  it('remember a bounded number of requests', () => {
    const faults = new Faults(spurious);
    for (let i = 0; i < MAX_REMEMBERED_REQUESTS + 50; i++) {
      faults.requestFault(ask(`page-${i}`));
    }
    const key = (i: number) => `alice-lab\u0000video/query\u0000page-${i}`;
    expect(faults.attemptsOf('alice-lab', key(0))).toBe(0);
    expect(
      faults.attemptsOf('alice-lab', key(MAX_REMEMBERED_REQUESTS + 49))
    ).toBe(1);
  });

  it("keep each client's counts apart: another client's traffic never resets them", () => {
    const faults = new Faults(spurious);
    faults.requestFault(ask('mine'));
    for (let i = 0; i < MAX_REMEMBERED_REQUESTS + 50; i++) {
      faults.requestFault(ask(`page-${i}`, { clientKey: 'bob-lab' }));
    }
    expect(
      faults.attemptsOf('alice-lab', 'alice-lab\u0000video/query\u0000mine')
    ).toBe(1);
  });

  it('remember nothing when no request-level fault could apply (a plan of none)', () => {
    const faults = new Faults({ seed: 1, faults: [] });
    faults.requestFault(ask('page'));
    expect(
      faults.attemptsOf('alice-lab', 'alice-lab\u0000video/query\u0000page')
    ).toBe(0);
  });

  it('key a body by its content, not its key order', () => {
    expect(requestKey({ b: 1, a: { d: 2, c: [3] } })).toBe(
      requestKey({ a: { c: [3], d: 2 }, b: 1 })
    );
  });
});

describe('Faults: item-level decisions', () => {
  const scope = { clientKey: 'alice-lab', endpoint: 'video/query' as const };

  it('alter the same videos the same way every time; ids untouched', () => {
    const faults = new Faults(
      plan([
        { kind: 'nul_bytes', probability: 0.5 },
        { kind: 'large_counts', probability: 0.5 }
      ])
    );
    const videos = Array.from({ length: 400 }, (_, i) => ({
      id: 7_300_000_000_000_000 + i,
      video_description: 'a video about cats',
      like_count: 12,
      username: 'cat_lover'
    }));
    const once = videos.map(video => faults.alterVideo(scope, video.id, video));
    const twice = videos.map(video =>
      faults.alterVideo(scope, video.id, video)
    );
    expect(twice).toEqual(once);
    expect(once.map(video => video.id)).toEqual(videos.map(video => video.id));
    expect(once.every(video => video.username === 'cat_lover')).toBe(true);
    const withNul = once.filter(video =>
      video.video_description.includes('\u0000')
    );
    const large = once.filter(
      video => video.like_count === 12 + LARGE_COUNT_OFFSET
    );
    expect(withNul.length / videos.length).toBeGreaterThan(0.4);
    expect(withNul.length / videos.length).toBeLessThan(0.6);
    expect(large.length / videos.length).toBeGreaterThan(0.4);
    expect(large.length / videos.length).toBeLessThan(0.6);
    expect(withNul[0].video_description.replace('\u0000', '')).toBe(
      'a video about cats'
    );
    expect(large[0].like_count).toBeGreaterThan(2 ** 32);
    // The input is never changed in place.
    expect(videos[0].like_count).toBe(12);
  });

  it('refuse listed users with the real message of the reason', () => {
    const faults = new Faults(
      plan([
        { kind: 'refuse_user', usernames: ['private_one'], reason: 'private' },
        { kind: 'refuse_user', usernames: ['gone'], reason: 'not_found' },
        { kind: 'refuse_user', usernames: ['hidden'] }
      ])
    );
    const users = { ...scope, endpoint: 'user/info' as const };
    expect(faults.refusedUser(users, 'private_one')).toBe(
      '`username: private_one` is private'
    );
    expect(faults.refusedUser(users, 'gone')).toBe(
      '`username: gone` is invalid: cannot find the user'
    );
    expect(faults.refusedUser(users, 'hidden')).toBe(
      "API cannot return this user's information"
    );
    expect(faults.refusedUser(users, 'someone_else')).toBeNull();
    // Not on the video query: refusals are the user routes'.
    expect(faults.refusedUser(scope, 'hidden')).toBeNull();
  });

  it("refuse a video's comments, stable per video", () => {
    const faults = new Faults(
      plan([{ kind: 'refuse_video_comments', probability: 0.25 }])
    );
    const comments = { ...scope, endpoint: 'video/comment/list' as const };
    const ids = Array.from({ length: 2000 }, (_, i) => String(7_000_000 + i));
    const refused = ids.filter(id => faults.refusedVideoComments(comments, id));
    expect(refused.length / ids.length).toBeGreaterThan(0.22);
    expect(refused.length / ids.length).toBeLessThan(0.28);
    expect(ids.filter(id => faults.refusedVideoComments(comments, id))).toEqual(
      refused
    );
    expect(faults.refusedVideoComments(comments, refused[0])).toBe(
      FAULT_MESSAGES.videoCommentsRefused
    );
  });

  it('refuse only the listed videos when video_ids is given', () => {
    const faults = new Faults(
      plan([{ kind: 'refuse_video_comments', video_ids: ['7301', '7302'] }])
    );
    const comments = { ...scope, endpoint: 'video/comment/list' as const };
    expect(faults.refusedVideoComments(comments, '7301')).toBe(
      FAULT_MESSAGES.videoCommentsRefused
    );
    expect(faults.refusedVideoComments(comments, '7303')).toBeNull();
  });

  it('null a comment cursor per video and page', () => {
    const faults = new Faults(
      plan([{ kind: 'null_comment_cursor', probability: 0.5 }])
    );
    const comments = { ...scope, endpoint: 'video/comment/list' as const };
    const pages = Array.from({ length: 200 }, (_, i) =>
      faults.nullCommentCursor(comments, '42', i * 100)
    );
    expect(pages).toContain(true);
    expect(pages).toContain(false);
    expect(
      Array.from({ length: 200 }, (_, i) =>
        faults.nullCommentCursor(comments, '42', i * 100)
      )
    ).toEqual(pages);
  });
});

describe('Faults: a plan per client', () => {
  it("overrides the file's plan for that client only, until removed", () => {
    const faults = new Faults(plan([{ kind: 'token_error_200' }]));
    faults.setClientPlan('bob-lab', plan([]));
    expect(faults.tokenError200('alice-lab')).toBe(true);
    expect(faults.tokenError200('bob-lab')).toBe(false);
    expect(faults.planFor('bob-lab').source).toBe('client');
    faults.clearClientPlan('bob-lab');
    expect(faults.tokenError200('bob-lab')).toBe(true);
    expect(faults.planFor('bob-lab').source).toBe('file');
  });

  it('starts its request counts again when set', () => {
    const faults = new Faults();
    const half = plan([{ kind: 'internal_error', probability: 0.5 }]);
    faults.setClientPlan('alice-lab', half);
    const first = Array.from({ length: 20 }, () =>
      faults.requestFault(ask('p'))
    );
    faults.setClientPlan('alice-lab', half);
    const second = Array.from({ length: 20 }, () =>
      faults.requestFault(ask('p'))
    );
    expect(second).toEqual(first);
  });
});

describe('the example plan file', () => {
  it('is valid JSON a reader can edit', () => {
    expect(() => JSON.parse(readFileSync(EXAMPLE, 'utf8'))).not.toThrow();
  });
});
