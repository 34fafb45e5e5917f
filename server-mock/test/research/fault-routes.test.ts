import type { PublicData } from '../../src/data/schema';
import { seededRandomInt } from '../../src/query/engine';
import { LARGE_COUNT_OFFSET } from '../../src/research/faults';
import { followList } from '../../src/research/graph/follows';
import { repostedVideos } from '../../src/research/graph/videos';
import { utcDay } from '../../src/quota';
import type { ClientSpec } from '../../src/store';
import { ALICE, bearer, makePlatform, signIn } from '../helpers/helpers';
import { jobTestData } from '../helpers/jobs-helpers';
import { call } from '../helpers/openapi-conformance';
import { JANUARY_SEARCH } from '../helpers/research-fixtures';

/**
 * Each fault of a plan (README § Faults on a switch) as the Research API's
 * routes answer it: every answer checked against openapi.yaml by `call`.
 */

const VIDEO = '/v2/research/video/query/';
const COMMENTS = '/v2/research/video/comment/list/';
const USER = '/v2/research/user/info/';
const FAULTS = '/v2/mock/faults/';
const BOB: ClientSpec = {
  clientKey: 'bob-lab',
  clientSecret: 'bob-secret',
  email: 'bob@uni.example'
};

let platform: ReturnType<typeof makePlatform>;
let data: PublicData;
let alice: Record<string, string>;
let bob: Record<string, string>;

beforeAll(async () => {
  data = jobTestData();
  platform = makePlatform({
    publicData: data,
    random: seededRandomInt(3),
    clients: [BOB]
  });
  alice = bearer(await signIn(platform.app, ALICE));
  bob = bearer(await signIn(platform.app, BOB));
});
afterAll(() => platform.close());
afterEach(async () => {
  for (const headers of [alice, bob]) {
    await call(platform.app, { method: 'DELETE', url: FAULTS, headers });
  }
});

/** Set the caller's own plan (the route under test in faults-route.test.ts). */
async function setPlan(faults: unknown[], headers = alice, seed = 7) {
  const response = await call(platform.app, {
    method: 'PUT',
    url: FAULTS,
    headers,
    payload: { seed, faults }
  });
  expect(response.statusCode).toBe(200);
}

async function post(url: string, body: unknown, headers = alice) {
  return call(platform.app, {
    method: 'POST',
    url,
    headers: { ...headers, 'content-type': 'application/json' },
    payload: JSON.stringify(body)
  });
}

/**
 * Crawl as a patient client: cursor and search id from each answer; a 500 or
 * a spurious 400 is retried (the same page again), up to `retries` in all.
 */
async function crawl(
  fields = 'id,video_description,like_count',
  retries = 200
) {
  const ids: number[] = [];
  const videos: Record<string, unknown>[] = [];
  const refusals: string[] = [];
  let page: Record<string, unknown> = {
    ...JANUARY_SEARCH,
    cursor: null,
    search_id: null
  };
  for (let sent = 0; sent < 1000; sent++) {
    const response = await post(`${VIDEO}?fields=${fields}`, page);
    if (response.statusCode !== 200) {
      refusals.push(response.json().error.message);
      if (refusals.length > retries) {
        throw new Error(`gave up: ${refusals.join(' | ')}`);
      }
      continue;
    }
    const answer = response.json().data;
    ids.push(...answer.videos.map((video: { id: number }) => video.id));
    videos.push(...answer.videos);
    if (!answer.has_more) {
      return { ids, videos, refusals };
    }
    page = { ...page, cursor: answer.cursor, search_id: answer.search_id };
  }
  throw new Error('the crawl did not end');
}

const busiestVideo = () =>
  (
    data.db
      .prepare(
        'SELECT video_id, count(*) AS n FROM comments GROUP BY video_id ORDER BY n DESC LIMIT 1'
      )
      .get() as { video_id: number }
  ).video_id;

describe('faults on the video query', () => {
  it('internal_error on a date range: 500 with the real message, every time, other ranges untouched', async () => {
    await setPlan([
      {
        kind: 'internal_error',
        date_ranges: [{ from: '20240110', to: '20240112' }]
      }
    ]);
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await post(`${VIDEO}?fields=id`, JANUARY_SEARCH);
      expect(response.statusCode).toBe(500);
      expect(response.json().error).toEqual(
        expect.objectContaining({
          code: 'internal_error',
          message: 'Something went wrong. Please try again later.'
        })
      );
    }
    // Each 500 still counted against the research requests of the day (tiktok-library#89).
    const used = () =>
      platform.store.researchUsedOn(
        ALICE.clientKey,
        utcDay(platform.clock.now()),
        'research'
      ).requests;
    const before = used();
    expect((await post(`${VIDEO}?fields=id`, JANUARY_SEARCH)).statusCode).toBe(
      500
    );
    expect(used()).toBe(before + 1);
    const february = await post(`${VIDEO}?fields=id`, {
      ...JANUARY_SEARCH,
      start_date: '20240201',
      end_date: '20240229'
    });
    expect(february.statusCode).toBe(200);
    // Another client is not touched by alice's plan.
    expect(
      (await post(`${VIDEO}?fields=id`, JANUARY_SEARCH, bob)).statusCode
    ).toBe(200);
  });

  it('search_id_expired: page 2 is "Search Id N is invalid or expired", page 1 never', async () => {
    await setPlan([{ kind: 'search_id_expired' }]);
    const first = await post(`${VIDEO}?fields=id`, JANUARY_SEARCH);
    expect(first.statusCode).toBe(200);
    const { search_id: searchId, cursor } = first.json().data;
    const second = await post(`${VIDEO}?fields=id`, {
      ...JANUARY_SEARCH,
      cursor,
      search_id: searchId
    });
    expect(second.statusCode).toBe(400);
    expect(second.json().error).toEqual(
      expect.objectContaining({
        code: 'invalid_params',
        message: `Search Id ${searchId} is invalid or expired`
      })
    );
  });

  it('invalid_count_or_cursor: page 2 is "Invalid count or cursor"', async () => {
    await setPlan([{ kind: 'invalid_count_or_cursor' }]);
    const first = await post(`${VIDEO}?fields=id`, JANUARY_SEARCH);
    const { search_id: searchId, cursor } = first.json().data;
    const second = await post(`${VIDEO}?fields=id`, {
      ...JANUARY_SEARCH,
      cursor,
      search_id: searchId
    });
    expect(second.statusCode).toBe(400);
    expect(second.json().error).toEqual(
      expect.objectContaining({
        code: 'invalid_params',
        message: 'Invalid count or cursor'
      })
    );
  });

  it('empty_results: 200, no videos, has_more false, no error', async () => {
    await setPlan([{ kind: 'empty_results' }]);
    const response = await post(`${VIDEO}?fields=id`, JANUARY_SEARCH);
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toEqual(
      expect.objectContaining({ videos: [], has_more: false })
    );
    expect(response.json().error.code).toBe('ok');
  });

  it('a crawl that retries collects exactly the ids of a crawl without faults; strings with NUL, counts past 2^32', async () => {
    const clean = await crawl();
    expect(clean.ids.length).toBeGreaterThan(20);
    await setPlan([
      { kind: 'internal_error', probability: 0.2 },
      { kind: 'search_id_expired', probability: 0.3 },
      { kind: 'invalid_count_or_cursor', probability: 0.3 },
      { kind: 'nul_bytes', probability: 0.5 },
      { kind: 'large_counts', probability: 0.5 }
    ]);
    const faulted = await crawl();
    expect(faulted.ids).toEqual(clean.ids);
    expect(faulted.refusals.length).toBeGreaterThan(0);
    const withNul = faulted.videos.filter(video =>
      String(video.video_description).includes('\u0000')
    );
    const large = faulted.videos.filter(
      video => Number(video.like_count) >= LARGE_COUNT_OFFSET
    );
    expect(withNul.length).toBeGreaterThan(0);
    expect(withNul.length).toBeLessThan(faulted.videos.length);
    expect(large.length).toBeGreaterThan(0);
    // The same crawl again: the same videos altered the same way (item-level draws).
    const again = await crawl();
    expect(again.videos).toEqual(faulted.videos);
  });

  it('rate_limit and daily_quota: 429 with the code, data {}, Retry-After for the rate limit', async () => {
    await setPlan([{ kind: 'rate_limit', retry_after: 5 }]);
    const limited = await call(platform.app, {
      method: 'POST',
      url: `${VIDEO}?fields=id`,
      headers: { ...alice, 'content-type': 'application/json' },
      payload: JSON.stringify(JANUARY_SEARCH)
    });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('5');
    expect(limited.json()).toEqual({
      data: {},
      // The real limit's words (src/research/rate-limit.ts), with the plan's Retry-After.
      error: expect.objectContaining({
        code: 'rate_limit_exceeded',
        message:
          'Too many requests: this client may send 600 requests a minute to the Research API. Try again in 5 seconds.'
      })
    });

    await setPlan([{ kind: 'daily_quota' }]);
    const quota = await call(platform.app, {
      method: 'POST',
      url: `${VIDEO}?fields=id`,
      headers: { ...alice, 'content-type': 'application/json' },
      payload: JSON.stringify(JANUARY_SEARCH)
    });
    expect(quota.statusCode).toBe(429);
    expect(quota.headers['retry-after']).toBeUndefined();
    expect(quota.json()).toEqual({
      data: {},
      error: {
        code: 'daily_quota_limit_exceeded',
        message: 'The API daily quota limit exceeded. Please try again later',
        log_id: expect.stringMatching(/^[0-9]{14}[0-9A-F]{20}$/)
      }
    });
  });
});

describe('faults on the comment list', () => {
  it('null_comment_cursor: cursor null while has_more is true', async () => {
    await setPlan([{ kind: 'null_comment_cursor' }]);
    const response = await post(`${COMMENTS}?fields=id,text`, {
      video_id: busiestVideo(),
      max_count: 5,
      cursor: 0
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toEqual(
      expect.objectContaining({ cursor: null, has_more: true })
    );
  });

  it('invalid_count_or_cursor on a later comment page, never the first', async () => {
    await setPlan([
      { kind: 'invalid_count_or_cursor', endpoints: ['video/comment/list'] }
    ]);
    const page = (cursor: number) =>
      post(`${COMMENTS}?fields=id`, {
        video_id: busiestVideo(),
        max_count: 5,
        cursor
      });
    expect((await page(0)).statusCode).toBe(200);
    const later = await page(5);
    expect(later.statusCode).toBe(400);
    expect(later.json().error.message).toBe('Invalid count or cursor');
  });

  it("refuse_video_comments: the listed video's comments refused with the real message, others served", async () => {
    const video = busiestVideo();
    await setPlan([
      { kind: 'refuse_video_comments', video_ids: [String(video)] }
    ]);
    const refused = await post(`${COMMENTS}?fields=id`, { video_id: video });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toEqual(
      expect.objectContaining({
        code: 'invalid_params',
        message: 'The comments of this video are not allowed to be disclosed'
      })
    );
    const other = data.db
      .prepare('SELECT video_id FROM comments WHERE video_id != ? LIMIT 1')
      .pluck()
      .get(video) as number;
    expect(
      (await post(`${COMMENTS}?fields=id`, { video_id: other })).statusCode
    ).toBe(200);
  });

  it('nul_bytes in comment texts, ids untouched', async () => {
    await setPlan([{ kind: 'nul_bytes' }]);
    const response = await post(`${COMMENTS}?fields=id,text`, {
      video_id: busiestVideo(),
      max_count: 5
    });
    const comments = response.json().data.comments as {
      id: number;
      text: string;
    }[];
    expect(comments.length).toBe(5);
    expect(comments.every(comment => comment.text.includes('\u0000'))).toBe(
      true
    );
    expect(comments.map(comment => comment.id)).toEqual(
      data.db
        .prepare(
          'SELECT id FROM comments WHERE video_id = ? ORDER BY id LIMIT 5'
        )
        .pluck()
        .all(busiestVideo())
    );
  });
});

describe('faults on user info', () => {
  const username = () =>
    data.db
      .prepare('SELECT username FROM users LIMIT 1 OFFSET 3')
      .pluck()
      .get() as string;

  it('refuse_user: the listed user refused with the message of the reason, others served', async () => {
    await setPlan([
      { kind: 'refuse_user', usernames: [username()], reason: 'private' }
    ]);
    const refused = await post(`${USER}?fields=display_name`, {
      username: username()
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toBe(
      `\`username: ${username()}\` is private`
    );
    await setPlan([{ kind: 'refuse_user', usernames: [username()] }]);
    const cannot = await post(`${USER}?fields=display_name`, {
      username: username()
    });
    expect(cannot.json().error.message).toBe(
      "API cannot return this user's information"
    );
    const other = data.db
      .prepare('SELECT username FROM users WHERE username != ? LIMIT 1')
      .pluck()
      .get(username()) as string;
    expect(
      (await post(`${USER}?fields=display_name`, { username: other }))
        .statusCode
    ).toBe(200);
  });

  it('large_counts: follower_count past 2^32', async () => {
    await setPlan([{ kind: 'large_counts' }]);
    const response = await post(`${USER}?fields=follower_count`, {
      username: username()
    });
    const truth = data.db
      .prepare('SELECT follower_count FROM users WHERE username = ?')
      .pluck()
      .get(username()) as number;
    expect(response.json().data.follower_count).toBe(
      truth + LARGE_COUNT_OFFSET
    );
  });

  it('internal_error on user info', async () => {
    await setPlan([{ kind: 'internal_error', endpoints: ['user/info'] }]);
    const response = await post(`${USER}?fields=display_name`, {
      username: username()
    });
    expect(response.statusCode).toBe(500);
    // The video query is not in the fault's endpoints.
    expect((await post(`${VIDEO}?fields=id`, JANUARY_SEARCH)).statusCode).toBe(
      200
    );
  });
});

describe('faults on the user lists (the rest: user-lists.test.ts)', () => {
  /** The user with the longest derived list of a kind. */
  const userWith = (length: (id: number) => number) =>
    (
      data.db.prepare('SELECT id, username FROM users').all() as {
        id: number;
        username: string;
      }[]
    ).reduce((best, user) => (length(user.id) > length(best.id) ? user : best))
      .username;
  const follower = () =>
    userWith(id => followList(data, id, 'followers').length);
  const reposter = () => userWith(id => repostedVideos(data, id).length);

  it('a refusal narrowed to the followers leaves the following alone', async () => {
    await setPlan([
      {
        kind: 'refuse_user',
        usernames: [follower()],
        reason: 'not_found',
        endpoints: ['user/followers']
      }
    ]);
    const refused = await post('/v2/research/user/followers/', {
      username: follower()
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toBe(
      `\`username: ${follower()}\` is invalid: cannot find the user`
    );
    expect(
      (await post('/v2/research/user/following/', { username: follower() }))
        .statusCode
    ).toBe(200);
  });

  it('large_counts on the reposted videos', async () => {
    await setPlan([{ kind: 'large_counts' }]);
    const large = await post(
      `/v2/research/user/reposted_videos/?fields=id,like_count`,
      { username: reposter() }
    );
    const videos = large.json().data.reposted_videos as {
      like_count: number;
    }[];
    expect(videos.length).toBeGreaterThan(0);
    expect(videos.every(video => video.like_count >= LARGE_COUNT_OFFSET)).toBe(
      true
    );
  });
});

describe('token_error_200', () => {
  const wrongSecret = (clientKey: string) =>
    call(platform.app, {
      method: 'POST',
      url: '/v2/oauth/token/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        client_key: clientKey,
        client_secret: 'not-the-secret',
        grant_type: 'client_credentials'
      }).toString()
    });

  it('answers wrong credentials at HTTP 200 with the flat error, for the plan client only', async () => {
    expect((await wrongSecret(ALICE.clientKey)).statusCode).toBe(401);
    await setPlan([{ kind: 'token_error_200' }]);
    const faulted = await wrongSecret(ALICE.clientKey);
    expect(faulted.statusCode).toBe(200);
    expect(faulted.json()).toEqual({
      error: 'invalid_client',
      error_description: expect.stringContaining(
        'Client key or secret is incorrect.'
      ),
      log_id: expect.stringMatching(/^[0-9]{14}[0-9A-F]{20}$/)
    });
    expect((await wrongSecret(BOB.clientKey)).statusCode).toBe(401);
    // Right credentials still sign in.
    expect(await signIn(platform.app, ALICE)).toMatch(/^clt\./);
  });
});

describe('a fault never hides a caller mistake', () => {
  it.each([
    [
      'an unknown search id',
      VIDEO,
      { ...JANUARY_SEARCH, cursor: 10, search_id: '7000000000000000005' },
      'Search Id 7000000000000000005 is invalid or expired'
    ],
    [
      'a video no one has',
      COMMENTS,
      { video_id: 1 },
      'video_id 1 is invalid: cannot find the video.'
    ],
    [
      'a comment no one has',
      COMMENTS,
      { comment_id: 2 },
      'comment_id 2 is invalid: cannot find the comment.'
    ],
    [
      'a user no one has',
      USER,
      { username: 'no_such_user_anywhere' },
      '`username: no_such_user_anywhere` is invalid: cannot find the user'
    ],
    [
      'a user no one has, in a list',
      '/v2/research/user/followers/',
      { username: 'no_such_user_anywhere' },
      '`username: no_such_user_anywhere` is invalid: cannot find the user'
    ]
  ])(
    '%s: 400 naming it, though every request draws a 500',
    async (_what, url, body, message) => {
      await setPlan([{ kind: 'internal_error' }]);
      const fields =
        url === '/v2/research/user/followers/'
          ? ''
          : '?fields=id'.replace('id', url === USER ? 'display_name' : 'id');
      const response = await post(`${url}${fields}`, body);
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({
        code: 'invalid_params',
        message
      });
    }
  );

  it('a playlist no one has: 400, though every request draws a 429', async () => {
    await setPlan([{ kind: 'rate_limit', retry_after: 5 }]);
    const response = await post('/v2/research/playlist/info/', {
      playlist_id: 5
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_params');
  });
});
