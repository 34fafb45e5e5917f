import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorHandler } from '../../src/http/errors';
import { chargeQuota } from '../../src/quota';
import {
  admitResearchRequest,
  chargeResearchRecords,
  DEFAULT_RESEARCH_LIMITS,
  researchBucket,
  resolveResearchLimits,
  type ResearchLimits
} from '../../src/research/quota';
import { Store } from '../../src/store';
import {
  ALICE,
  bearer,
  makePlatform,
  signIn,
  TestClock
} from '../helpers/helpers';
import { jobTestData } from '../helpers/jobs-helpers';
import { call } from '../helpers/openapi-conformance';

/** The observed body (docs/research/research-api.md §6, peata-v2), with a log id. */
const QUOTA_BODY = (logId: string) => ({
  data: {},
  error: {
    code: 'daily_quota_limit_exceeded',
    message: 'The API daily quota limit exceeded. Please try again later',
    log_id: logId
  }
});

/** What the error handler sends for a refusal: status, headers and body. */
function sent(error: Parameters<typeof errorHandler>[0]) {
  const out: {
    status?: number;
    body?: unknown;
    headers: Record<string, string>;
  } = { headers: {} };
  const reply = {
    status(code: number) {
      out.status = code;
      return reply;
    },
    header(name: string, value: string) {
      out.headers[name] = value;
      return reply;
    },
    send(body: unknown) {
      out.body = body;
      return reply;
    }
  };
  const request = { id: '20261125213000ABCDEF012345', log: { info() {} } };
  errorHandler(error, request as never, reply as never);
  return out;
}

describe('the Research API daily quota', () => {
  let dir: string;
  let store: Store;
  let clock: TestClock;
  const limits: ResearchLimits = DEFAULT_RESEARCH_LIMITS;
  const admit = (bucket: 'research' | 'follow' = 'research', l = limits) =>
    admitResearchRequest(store, ALICE.clientKey, bucket, l, clock.now());
  const records = (
    n: number,
    bucket: 'research' | 'follow' = 'research',
    l = limits
  ) => chargeResearchRecords(store, ALICE.clientKey, bucket, n, l, clock.now());
  const used = (bucket: 'research' | 'follow' = 'research') =>
    store.researchUsedOn(
      ALICE.clientKey,
      clock.now().toISOString().slice(0, 10),
      bucket
    );

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vce-research-quota-'));
    store = new Store(join(dir, 'db.sqlite'));
    clock = new TestClock(new Date('2026-11-25T12:00:00Z'));
    store.upsertClient(ALICE, clock.now());
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has the documented defaults (research-api.md §6)', () => {
    expect(resolveResearchLimits()).toEqual({
      dailyRequests: 1000,
      dailyRecords: 100_000,
      followDailyRequests: 20_000,
      followDailyRecords: 2_000_000,
      perMinute: 600
    });
    expect(resolveResearchLimits({ perMinute: 5 }).perMinute).toBe(5);
  });

  it('admits the 1,000th request of a day and refuses the 1,001st with the observed body, uncharged', () => {
    for (let index = 1; index <= 1000; index++) {
      expect(admit()).toBeNull();
    }
    expect(used()).toEqual({ requests: 1000, records: 0 });
    const refusal = admit();
    expect(refusal).not.toBeNull();
    const out = sent(refusal!);
    expect(out.status).toBe(429);
    expect(JSON.stringify(out.body)).toBe(
      JSON.stringify(QUOTA_BODY('20261125213000ABCDEF012345'))
    );
    expect(out.headers).toEqual({});
    expect(admit()).not.toBeNull();
    expect(used()).toEqual({ requests: 1000, records: 0 });
  });

  it('charges an answer whole or refuses it whole (no record charged), at the records limit', () => {
    const small = resolveResearchLimits({ dailyRecords: 250 });
    expect(admit('research', small)).toBeNull();
    expect(records(100, 'research', small)).toBeNull();
    expect(admit('research', small)).toBeNull();
    expect(records(100, 'research', small)).toBeNull();
    expect(admit('research', small)).toBeNull();
    const refusal = records(100, 'research', small);
    expect(refusal && sent(refusal).body).toEqual(
      QUOTA_BODY('20261125213000ABCDEF012345')
    );
    // The request stays charged (it was served), the refused records are not.
    expect(used()).toEqual({ requests: 3, records: 200 });
    // 50 fit exactly; then no record is left and the next request is refused up front, uncharged.
    expect(admit('research', small)).toBeNull();
    expect(records(50, 'research', small)).toBeNull();
    expect(used()).toEqual({ requests: 4, records: 250 });
    expect(admit('research', small)).not.toBeNull();
    expect(used()).toEqual({ requests: 4, records: 250 });
  });

  it('counts followers/following in their own bucket', () => {
    const tight = resolveResearchLimits({
      dailyRequests: 1,
      followDailyRequests: 2
    });
    expect(admit('research', tight)).toBeNull();
    expect(admit('research', tight)).not.toBeNull();
    expect(admit('follow', tight)).toBeNull();
    expect(records(100, 'follow', tight)).toBeNull();
    expect(admit('follow', tight)).toBeNull();
    expect(admit('follow', tight)).not.toBeNull();
    expect(used('research')).toEqual({ requests: 1, records: 0 });
    expect(used('follow')).toEqual({ requests: 2, records: 100 });
    expect(researchBucket('/v2/research/user/followers/')).toBe('follow');
    expect(researchBucket('/v2/research/user/following/?fields=x')).toBe(
      'follow'
    );
    expect(researchBucket('/v2/research/user/following')).toBe('follow');
    expect(researchBucket('/v2/research/user/info/')).toBe('research');
    expect(researchBucket('/v2/research/video/query/?fields=id')).toBe(
      'research'
    );
    expect(researchBucket('/v2/research/user/liked_videos/')).toBe('research');
  });

  it('starts a new day at 00:00 UTC', () => {
    const one = resolveResearchLimits({ dailyRequests: 1 });
    clock.current = new Date('2026-11-25T23:59:59.999Z');
    expect(admit('research', one)).toBeNull();
    expect(admit('research', one)).not.toBeNull();
    clock.current = new Date('2026-11-26T00:00:00.000Z');
    expect(admit('research', one)).toBeNull();
    // 01:30 in UTC+2 is still 25 November in UTC: that day is spent.
    clock.current = new Date('2026-11-26T01:30:00+02:00');
    expect(admit('research', one)).not.toBeNull();
  });

  it('is apart from the test stage quota, both ways', () => {
    const day = '2026-11-25';
    expect(admit()).toBeNull();
    expect(records(5000)).toBeNull();
    expect(store.usedOn(ALICE.clientKey, day)).toBe(0);
    expect(
      chargeQuota(store, ALICE.clientKey, 5000, 5000, clock.now()).granted
    ).toBe(true);
    expect(used()).toEqual({ requests: 1, records: 5000 });
    expect(
      chargeQuota(store, ALICE.clientKey, 1, 5000, clock.now()).granted
    ).toBe(false);
    expect(admit()).toBeNull();
    expect(records(100)).toBeNull();
    expect(used()).toEqual({ requests: 2, records: 5100 });
  });

  it('refuses a charge that is not a count', () => {
    expect(() => records(-1)).toThrow(RangeError);
    expect(() => records(1.5)).toThrow(RangeError);
  });
});

describe('the Research API daily quota, through the research door', () => {
  const VIDEO = '/v2/research/video/query/?fields=id';
  // About 40 videos in January 2024 in the test data: a page of 10 is full.
  const page = (maxCount = 10) => ({
    query: {
      and: [
        {
          operation: 'IN',
          field_name: 'video_length',
          field_values: ['SHORT', 'MID', 'LONG', 'EXTRA_LONG']
        }
      ]
    },
    start_date: '20240101',
    end_date: '20240131',
    max_count: maxCount
  });
  let platform: ReturnType<typeof makePlatform>;
  let token: string;
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    call(platform.app, {
      method: 'POST',
      url: VIDEO,
      headers: {
        ...bearer(token),
        'content-type': 'application/json',
        ...headers
      },
      payload: typeof body === 'string' ? body : JSON.stringify(body)
    });
  const used = () =>
    platform.store.researchUsedOn(
      ALICE.clientKey,
      platform.clock.now().toISOString().slice(0, 10),
      'research'
    );

  beforeEach(async () => {
    platform = makePlatform({
      publicData: jobTestData(),
      researchLimits: { dailyRequests: 3, dailyRecords: 25 }
    });
    token = await signIn(platform.app);
  });
  afterEach(() => platform.close());

  it('charges each answered request and its records; the request past the day is refused with the observed body', async () => {
    const first = await post(page());
    expect(first.statusCode).toBe(200);
    expect(first.json().data.videos).toHaveLength(10);
    expect(used()).toEqual({ requests: 1, records: 10 });
    expect((await post(page())).statusCode).toBe(200);
    expect(used()).toEqual({ requests: 2, records: 20 });
    // 10 more would pass the day's 25 records: the whole answer is refused, the request counted.
    const over = await post(page());
    expect(over.statusCode).toBe(429);
    expect(over.body).toBe(
      JSON.stringify(QUOTA_BODY(over.json().error.log_id))
    );
    expect(over.json().error.log_id).toMatch(/^[0-9]{14}[0-9A-F]{20}$/);
    expect(over.headers['retry-after']).toBeUndefined();
    expect(used()).toEqual({ requests: 3, records: 20 });
    // The day's requests are spent: refused up front, nothing more counted.
    const spent = await post(page(5));
    expect(spent.statusCode).toBe(429);
    expect(spent.body).toBe(
      JSON.stringify(QUOTA_BODY(spent.json().error.log_id))
    );
    expect(used()).toEqual({ requests: 3, records: 20 });
    // 00:00 UTC: a new day.
    platform.clock.current = new Date('2026-11-26T00:00:00Z');
    token = await signIn(platform.app); // the 21:30 token has expired
    expect((await post(page(5))).statusCode).toBe(200);
    expect(used()).toEqual({ requests: 1, records: 5 });
  });

  it('charges nothing for a bad token or a body that is not JSON', async () => {
    const badToken = await post(page(), { authorization: 'Bearer clt.nope' });
    expect(badToken.statusCode).toBe(401);
    const notJson = await post('{"query": ', { 'content-type': 'text/plain' });
    expect(notJson.statusCode).toBe(400);
    expect(used()).toEqual({ requests: 0, records: 0 });
  });

  it("leaves the VCE test stage's quota alone", async () => {
    expect((await post(page())).statusCode).toBe(200);
    const vce = await call(platform.app, {
      url: '/v2/vce/quota/',
      headers: bearer(token)
    });
    expect(vce.json().data).toMatchObject({ used: 0, remaining: 5000 });
  });
});
