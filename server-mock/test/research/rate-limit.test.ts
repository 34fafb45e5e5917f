import { errorHandler } from '../../src/http/errors';
import { ALICE, bearer, makePlatform, signIn } from '../helpers/helpers';
import { jobTestData } from '../helpers/jobs-helpers';
import { call } from '../helpers/openapi-conformance';
import {
  rateLimitRefusal,
  SlidingWindowLimiter
} from '../../src/research/rate-limit';

describe('the Research API per-minute limit (sliding window)', () => {
  const t0 = Date.parse('2026-11-25T12:00:00Z');

  it('admits perWindow requests in any 60 s and says in whole seconds when the next fits', () => {
    const limiter = new SlidingWindowLimiter(3);
    expect(limiter.take('a', t0)).toEqual({ admitted: true });
    expect(limiter.take('a', t0 + 20_000)).toEqual({ admitted: true });
    expect(limiter.take('a', t0 + 40_500)).toEqual({ admitted: true });
    // The oldest leaves the window at t0 + 60 s: 14.5 s from now → 15.
    expect(limiter.take('a', t0 + 45_500)).toEqual({
      admitted: false,
      retryAfterSeconds: 15
    });
    // Refused requests do not enter the window: still the same wait, not longer.
    expect(limiter.take('a', t0 + 59_000)).toEqual({
      admitted: false,
      retryAfterSeconds: 1
    });
    expect(limiter.take('a', t0 + 59_999)).toEqual({
      admitted: false,
      retryAfterSeconds: 1
    });
    expect(limiter.take('a', t0 + 60_000)).toEqual({ admitted: true });
    // Sliding, not a fixed minute: the one at +20 s still counts until +80 s.
    expect(limiter.take('a', t0 + 61_000)).toEqual({
      admitted: false,
      retryAfterSeconds: 19
    });
  });

  it('keeps each client apart', () => {
    const limiter = new SlidingWindowLimiter(1);
    expect(limiter.take('a', t0).admitted).toBe(true);
    expect(limiter.take('a', t0 + 1).admitted).toBe(false);
    expect(limiter.take('b', t0 + 1).admitted).toBe(true);
  });

  it('forgets idle clients and still limits busy ones', () => {
    const limiter = new SlidingWindowLimiter(600);
    for (let index = 0; index < 600; index++) {
      expect(limiter.take(`idle-${index}`, t0).admitted).toBe(true);
    }
    for (let index = 0; index < 600; index++) {
      expect(limiter.take('busy', t0 + 61_000 + index).admitted).toBe(true);
    }
    expect(limiter.take('busy', t0 + 62_000)).toEqual({
      admitted: false,
      retryAfterSeconds: 59
    });
    const windows = (limiter as unknown as { windows: Map<string, number[]> })
      .windows;
    expect([...windows.keys()]).toEqual(['busy']);
  });

  it('refuses a limit below 1', () => {
    expect(() => new SlidingWindowLimiter(0)).toThrow(RangeError);
  });

  it('answers 429 rate_limit_exceeded saying when to retry', () => {
    let status = 0;
    let body: unknown;
    const reply = {
      status(code: number) {
        status = code;
        return reply;
      },
      send(sentBody: unknown) {
        body = sentBody;
        return reply;
      }
    };
    const request = { id: '20261125120000ABCDEF012345', log: { info() {} } };
    errorHandler(rateLimitRefusal(15, 600), request as never, reply as never);
    expect(status).toBe(429);
    expect(body).toEqual({
      data: {},
      error: {
        code: 'rate_limit_exceeded',
        message:
          'Too many requests: this client may send 600 requests a minute to the Research API. Try again in 15 seconds.',
        log_id: '20261125120000ABCDEF012345'
      }
    });
  });
});

describe('the per-minute limit, through the research door', () => {
  const USER = '/v2/research/user/info/?fields=display_name';
  let platform: ReturnType<typeof makePlatform>;
  let token: string;
  let username: string;
  const post = (authorization = `Bearer ${token}`) =>
    call(platform.app, {
      method: 'POST',
      url: USER,
      headers: { authorization, 'content-type': 'application/json' },
      payload: JSON.stringify({ username })
    });
  const used = () =>
    platform.store.researchUsedOn(
      ALICE.clientKey,
      platform.clock.now().toISOString().slice(0, 10),
      'research'
    );

  beforeEach(async () => {
    const data = jobTestData();
    username = data.db
      .prepare('SELECT username FROM users LIMIT 1')
      .pluck()
      .get() as string;
    platform = makePlatform({
      publicData: data,
      researchLimits: { perMinute: 2 }
    });
    token = await signIn(platform.app);
  });
  afterEach(() => platform.close());

  it('answers 429 rate_limit_exceeded with Retry-After, charges nothing for it, and admits again when it said', async () => {
    expect((await post()).statusCode).toBe(200);
    platform.clock.advance(10.2);
    expect((await post()).statusCode).toBe(200);
    platform.clock.advance(5);
    const refused = await post();
    expect(refused.statusCode).toBe(429);
    // The first request leaves the window 60 s after it: 44.8 s from now → 45.
    expect(refused.headers['retry-after']).toBe('45');
    expect(refused.json()).toEqual({
      data: {},
      error: {
        code: 'rate_limit_exceeded',
        message:
          'Too many requests: this client may send 2 requests a minute to the Research API. Try again in 45 seconds.',
        log_id: refused.json().error.log_id
      }
    });
    expect(used()).toEqual({ requests: 2, records: 2 });
    platform.clock.advance(44);
    expect((await post()).headers['retry-after']).toBe('1');
    platform.clock.advance(0.8);
    expect((await post()).statusCode).toBe(200);
    expect(used()).toEqual({ requests: 3, records: 3 });
  });

  it('answers a bad token with 401, never with the rate limit', async () => {
    for (let index = 0; index < 3; index++) {
      expect((await post('Bearer clt.nope')).statusCode).toBe(401);
    }
    expect((await post()).statusCode).toBe(200);
    expect(
      (
        await call(platform.app, {
          url: '/v2/vce/quota/',
          headers: bearer(token)
        })
      ).json().data.used
    ).toBe(0);
  });
});
