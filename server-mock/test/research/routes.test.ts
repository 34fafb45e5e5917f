import type { PublicData } from '../../src/data/schema';
import { seededRandomInt } from '../../src/query/engine';
import { ALICE, bearer, makePlatform, signIn } from '../helpers/helpers';
import { jobTestData, REVIEWER } from '../helpers/jobs-helpers';
import { call } from '../helpers/openapi-conformance';
import { JANUARY_SEARCH } from '../helpers/research-fixtures';

/**
 * The public Research API's door (docs/research/research-api.md §2, §4, §5):
 * every response checked against openapi.yaml by `call`; the records a crawl
 * collects compared with plain SQL over the same data (an oracle written
 * apart from the engine).
 */

const VIDEO = '/v2/research/video/query/';
const COMMENTS = '/v2/research/video/comment/list/';
const USER = '/v2/research/user/info/';

let platform: ReturnType<typeof makePlatform>;
let data: PublicData;
let token: string;

beforeAll(async () => {
  data = jobTestData();
  platform = makePlatform({
    publicData: data,
    random: seededRandomInt(3),
    clients: [REVIEWER]
  });
  token = await signIn(platform.app);
});
afterAll(() => platform.close());

const day = (text: string) =>
  Date.UTC(+text.slice(0, 4), +text.slice(4, 6) - 1, +text.slice(6, 8)) / 1000;

/** The ids of videos in [start, end] (days, both included) matching `where`, by plain SQL, newest id first. */
function oracleIds(
  where: string,
  params: unknown[],
  start: string,
  end: string
): number[] {
  return data.db
    .prepare(
      `SELECT id FROM videos WHERE ${where} AND create_time >= ? AND create_time < ? ORDER BY id DESC`
    )
    .pluck()
    .all(...params, day(start), day(end) + 86_400) as number[];
}

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {}
) {
  return call(platform.app, {
    method: 'POST',
    url,
    headers: { ...bearer(token), ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
    ...(typeof body === 'string'
      ? {}
      : {
          headers: {
            ...bearer(token),
            'content-type': 'application/json',
            ...headers
          }
        })
  });
}

/** Crawl a search as the clients do: cursor and search id from each page, until has_more is false. */
async function crawl(
  body: Record<string, unknown>,
  fields = 'id,create_time,region_code'
) {
  const ids: number[] = [];
  let page = { ...body, cursor: null, search_id: null } as Record<
    string,
    unknown
  >;
  for (let pages = 0; pages < 1000; pages++) {
    const response = await post(`${VIDEO}?fields=${fields}`, page);
    expect(response.statusCode).toBe(200);
    const answer = response.json().data;
    ids.push(...answer.videos.map((video: { id: number }) => video.id));
    if (!answer.has_more) {
      return { ids, pages: pages + 1 };
    }
    page = { ...page, cursor: answer.cursor, search_id: answer.search_id };
  }
  throw new Error('the crawl did not end');
}

describe('POST /v2/research/video/query/', () => {
  it('pages every match once, newest id first, as plain SQL finds them', async () => {
    const expected = oracleIds(
      "video_length IN ('SHORT', 'MID', 'LONG', 'EXTRA_LONG')",
      [],
      '20240101',
      '20240131'
    );
    expect(expected.length).toBeGreaterThan(30);
    const { ids, pages } = await crawl(JANUARY_SEARCH);
    expect(ids).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 10));
  });

  it('advances the cursor by max_count and keeps the search id', async () => {
    const first = (
      await post(`${VIDEO}?fields=id`, { ...JANUARY_SEARCH, max_count: 7 })
    ).json().data;
    expect(first).toMatchObject({ cursor: 7, has_more: true });
    expect(first.videos).toHaveLength(7);
    const second = (
      await post(`${VIDEO}?fields=id`, {
        ...JANUARY_SEARCH,
        max_count: 7,
        cursor: first.cursor,
        search_id: first.search_id
      })
    ).json().data;
    expect(second.cursor).toBe(14);
    expect(second.search_id).toBe(first.search_id);
    expect(second.videos[0].id).toBeLessThan(first.videos[6].id);
  });

  it('combines and, or and not as the platform does', async () => {
    const body = {
      query: {
        or: [
          { operation: 'EQ', field_name: 'region_code', field_values: ['US'] },
          { operation: 'EQ', field_name: 'region_code', field_values: ['FR'] }
        ],
        not: [
          {
            operation: 'EQ',
            field_name: 'video_length',
            field_values: ['SHORT']
          }
        ],
        and: [
          {
            operation: 'GTE',
            field_name: 'create_date',
            field_values: ['20240110']
          }
        ]
      },
      start_date: '20240101',
      end_date: '20240131',
      max_count: 100
    };
    const { ids } = await crawl(body);
    expect(ids).toEqual(
      oracleIds(
        "region_code IN ('US', 'FR') AND video_length <> 'SHORT' AND create_time >= ?",
        [day('20240110')],
        '20240101',
        '20240131'
      )
    );
  });

  it('accepts what real clients send: text/plain JSON, %2C in fields, null cursor and search_id', async () => {
    const response = await post(
      `${VIDEO}?fields=id%2Cregion_code%2C%20create_time`,
      JSON.stringify({
        ...JANUARY_SEARCH,
        cursor: null,
        search_id: null,
        is_random: null,
        max_count: 5
      }),
      { 'content-type': 'text/plain; charset=utf-8' }
    );
    expect(response.statusCode).toBe(200);
    const videos = response.json().data.videos;
    expect(videos).toHaveLength(5);
    expect(Object.keys(videos[0]).sort()).toEqual([
      'create_time',
      'id',
      'region_code'
    ]);
  });

  it('omits absent values and writes ids as JSON numbers', async () => {
    const response = await post(
      `${VIDEO}?fields=id,playlist_id,effect_ids,video_label`,
      {
        ...JANUARY_SEARCH,
        max_count: 100
      }
    );
    const videos = response.json().data.videos as Record<string, unknown>[];
    expect(response.body).toMatch(/"id":\d{16}[,}]/);
    // Some videos have no playlist and no effects: those keys are left out, never null or [].
    expect(videos.some(video => !('playlist_id' in video))).toBe(true);
    expect(videos.some(video => !('effect_ids' in video))).toBe(true);
    expect(response.body).not.toMatch(/null|\[\]|video_label/);
  });

  it('draws is_random samples among the matches, in one page', async () => {
    const expected = new Set(
      oracleIds(
        "video_length IN ('SHORT', 'MID', 'LONG', 'EXTRA_LONG')",
        [],
        '20240101',
        '20240131'
      )
    );
    const answer = (
      await post(`${VIDEO}?fields=id`, {
        ...JANUARY_SEARCH,
        max_count: 10,
        is_random: true
      })
    ).json().data;
    expect(answer.videos).toHaveLength(10);
    expect(answer.has_more).toBe(false);
    for (const video of answer.videos) {
      expect(expected.has(video.id)).toBe(true);
    }
  });

  it('answers an unknown search id, or one of another query, with the platform words', async () => {
    const unknown = await post(`${VIDEO}?fields=id`, {
      ...JANUARY_SEARCH,
      cursor: 100,
      search_id: '7201388525814961198'
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({
      code: 'invalid_params',
      message: 'Search Id 7201388525814961198 is invalid or expired'
    });
    const first = (await post(`${VIDEO}?fields=id`, JANUARY_SEARCH)).json()
      .data;
    const other = await post(`${VIDEO}?fields=id`, {
      ...JANUARY_SEARCH,
      end_date: '20240120',
      cursor: 100,
      search_id: first.search_id
    });
    expect(other.json().error.message).toBe(
      `Search Id ${first.search_id} is invalid or expired`
    );
  });

  it('expires a search an hour after its last use', async () => {
    const first = (await post(`${VIDEO}?fields=id`, JANUARY_SEARCH)).json()
      .data;
    platform.clock.advance(3601);
    const late = await post(`${VIDEO}?fields=id`, {
      ...JANUARY_SEARCH,
      cursor: 100,
      search_id: first.search_id
    });
    expect(late.json().error.message).toBe(
      `Search Id ${first.search_id} is invalid or expired`
    );
  });

  it.each([
    [
      { ...JANUARY_SEARCH, end_date: '20240301' },
      /end_date 20240301 is more than 30 days after start_date 20240101/
    ],
    [
      { ...JANUARY_SEARCH, end_date: '20231231' },
      /end_date 20231231 is before start_date/
    ],
    [
      { ...JANUARY_SEARCH, start_date: '2024-01-01' },
      /^start_date must be a real date written YYYYMMDD \(UTC\), e\.g\. "20240601", not "2024-01-01"\.$/
    ],
    [
      { ...JANUARY_SEARCH, max_count: 101 },
      /^max_count must be an integer from 1 to 100/
    ],
    [{ ...JANUARY_SEARCH, cursor: -1 }, /^cursor must be an integer from 0/],
    [{ ...JANUARY_SEARCH, query: {} }, /query needs at least one condition/],
    [
      {
        ...JANUARY_SEARCH,
        query: {
          and: [
            {
              operation: 'LIKE',
              field_name: 'region_code',
              field_values: ['US']
            }
          ]
        }
      },
      /query\.and\[0\]\.operation "LIKE" is not allowed on region_code; it takes EQ, IN/
    ],
    [
      {
        ...JANUARY_SEARCH,
        query: {
          and: [
            { operation: 'EQ', field_name: 'colour', field_values: ['red'] }
          ]
        }
      },
      /query\.and\[0\]\.field_name "colour" is not a video query field/
    ],
    [
      {
        ...JANUARY_SEARCH,
        query: {
          and: [
            { operation: 'EQ', field_name: 'region_code', field_values: ['ZZ'] }
          ]
        }
      },
      /query\.and\[0\]\.field_values\[0\]: region_code takes a two-letter region code/
    ],
    [
      {
        ...JANUARY_SEARCH,
        query: {
          and: [
            {
              operation: 'GT',
              field_name: 'create_date',
              field_values: ['1704067200']
            }
          ]
        }
      },
      /create_date takes a date written YYYYMMDD/
    ],
    [
      { ...JANUARY_SEARCH, max_results: 5 },
      /"max_results" is not a key of this request; it takes query, start_date/
    ]
  ])(
    'answers a mistake with 400 invalid_params naming it (%#)',
    async (body, message) => {
      const response = await post(`${VIDEO}?fields=id`, body);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('invalid_params');
      expect(response.json().error.message).toMatch(message);
    }
  );

  it('names a missing or unknown field to return', async () => {
    const missing = await post(VIDEO, JANUARY_SEARCH);
    expect(missing.json().error.message).toMatch(
      /^fields is required in the query string/
    );
    const unknown = await post(`${VIDEO}?fields=id,colour`, JANUARY_SEARCH);
    expect(unknown.json().error.message).toMatch(
      /^fields: "colour" is not a video field/
    );
  });

  it('answers a control character in fields with 400 naming it, in the documented shape', async () => {
    const response = await post(`${VIDEO}?fields=%0F`, JANUARY_SEARCH);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_params');
    expect(response.json().data.problems[0].field).toBe('fields');
  });

  it.each(['application/json', 'text/plain'])(
    'answers a body that is not JSON, sent as %s, with 400 invalid_params',
    async type => {
      for (const payload of ['{"query": ', '']) {
        const response = await post(`${VIDEO}?fields=id`, payload, {
          'content-type': type
        });
        expect(response.statusCode).toBe(400);
        expect(response.json().error.code).toBe('invalid_params');
      }
    }
  );

  it('answers a body that is not JSON with 400', async () => {
    const response = await post(`${VIDEO}?fields=id`, '{"query": ', {
      'content-type': 'text/plain'
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_params');
  });

  it('refuses a reviewer client as the platform refuses a scope: 401 scope_not_authorized', async () => {
    const reviewer = await signIn(platform.app, REVIEWER);
    const response = await call(platform.app, {
      method: 'POST',
      url: `${VIDEO}?fields=id`,
      headers: bearer(reviewer),
      payload: JANUARY_SEARCH
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('scope_not_authorized');
  });

  it('writes log ids in the platform form: 14 digits of UTC time and 20 hex', async () => {
    const response = await post(`${VIDEO}?fields=id`, {
      ...JANUARY_SEARCH,
      max_count: 1
    });
    expect(response.json().error.log_id).toMatch(/^2026112\d{7}[0-9A-F]{20}$/);
  });
});

describe('POST /v2/research/video/comment/list/', () => {
  const busiest = () =>
    data.db
      .prepare(
        'SELECT video_id, count(*) AS n FROM comments GROUP BY video_id ORDER BY n DESC LIMIT 1'
      )
      .get() as { video_id: number; n: number };

  it("pages a video's comments in id order, every one once", async () => {
    const { video_id: videoId, n } = busiest();
    expect(n).toBeGreaterThan(10);
    const ids: number[] = [];
    let cursor: number | null = null;
    for (;;) {
      const response = await post(
        `${COMMENTS}?fields=id,video_id,parent_comment_id`,
        {
          video_id: videoId,
          max_count: 10,
          cursor
        }
      );
      expect(response.statusCode).toBe(200);
      const answer = response.json().data;
      ids.push(...answer.comments.map((comment: { id: number }) => comment.id));
      if (!answer.has_more) break;
      cursor = answer.cursor;
    }
    const expected = data.db
      .prepare(
        'SELECT id FROM comments WHERE video_id = ? ORDER BY id LIMIT 1000'
      )
      .pluck()
      .all(videoId);
    expect(ids).toEqual(expected);
  });

  it('refuses cursor + max_count past the top 1,000 and an unknown video, naming them', async () => {
    const past = await post(`${COMMENTS}?fields=id`, {
      video_id: busiest().video_id,
      cursor: 950,
      max_count: 100
    });
    expect(past.json().error.message).toMatch(
      /^cursor \+ max_count is 1050: only the top 1,000 comments/
    );
    const unknown = await post(`${COMMENTS}?fields=id`, { video_id: 1 });
    expect(unknown.json().error.message).toBe(
      'video_id 1 is invalid: cannot find the video.'
    );
    const both = await post(`${COMMENTS}?fields=id`, {
      video_id: 1,
      comment_id: 2
    });
    expect(both.json().error.message).toMatch(
      /^Send video_id .* or comment_id .*, one of them/
    );
  });
});

describe('POST /v2/research/user/info/', () => {
  it("returns the user's profile flat in data, without the username", async () => {
    const user = data.db
      .prepare(
        'SELECT username, display_name, follower_count, is_verified FROM users LIMIT 1 OFFSET 5'
      )
      .get() as {
      username: string;
      display_name: string;
      follower_count: number;
      is_verified: number;
    };
    const response = await post(
      `${USER}?fields=display_name,follower_count,is_verified,username`.replace(
        ',username',
        ''
      ),
      {
        username: user.username
      }
    );
    expect(response.json().data).toEqual({
      display_name: user.display_name,
      follower_count: user.follower_count,
      is_verified: user.is_verified === 1
    });
  });

  it('answers an unknown user in the platform words', async () => {
    const response = await post(`${USER}?fields=display_name`, {
      username: 'no_such_user_anywhere'
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toBe(
      '`username: no_such_user_anywhere` is invalid: cannot find the user'
    );
  });
});

test('the research door leaves the VCE test stage quota alone', async () => {
  await post(`${VIDEO}?fields=id`, {
    query: {
      and: [
        { operation: 'EQ', field_name: 'region_code', field_values: ['US'] }
      ]
    },
    start_date: '20240101',
    end_date: '20240131',
    max_count: 100
  });
  const quota = await call(platform.app, {
    url: '/v2/vce/quota/',
    headers: bearer(token)
  });
  expect(quota.json().data.used).toBe(0);
  expect(ALICE.clientKey).toBe('alice-lab');
});
