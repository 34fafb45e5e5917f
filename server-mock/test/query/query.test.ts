import { seededRandomInt, sampleIds } from '../../src/query/engine';
import { validateQuery } from '../../src/query/validate';
import {
  ALICE,
  bearer,
  fixtureData,
  makePlatform,
  signIn
} from '../helpers/helpers';
import { assertConforms, call } from '../helpers/openapi-conformance';

const SEED_BODY = {
  category: 'video',
  condition_groups: [
    {
      operator: 'and',
      conditions: [
        { field: 'like_count', operator: 'gte', field_values: ['10'] }
      ]
    }
  ],
  fields: 'display_name,video_description,create_time,id',
  limit: 10
};

function queryPlatform(options: Parameters<typeof makePlatform>[0] = {}) {
  return makePlatform({
    publicData: fixtureData(),
    random: seededRandomInt(42),
    ...options
  });
}

describe('POST /v2/vce/query/ (test stage)', () => {
  it("answers the seed's example verbatim: 10 records, the four fields, charged", async () => {
    const platform = queryPlatform();
    const token = await signIn(platform.app);
    const response = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query/',
      headers: bearer(token),
      payload: SEED_BODY
    });
    expect(response.statusCode).toBe(200);
    const { data } = response.json();
    expect(data.category).toBe('video');
    expect(data.count).toBe(10);
    expect(data.records).toHaveLength(10);
    for (const record of data.records) {
      expect(Object.keys(record).sort()).toEqual([
        'create_time',
        'display_name',
        'id',
        'video_description'
      ]);
      expect(typeof record.id).toBe('number');
    }
    expect(new Set(data.records.map((r: { id: number }) => r.id)).size).toBe(
      10
    );
    expect(data.quota).toMatchObject({
      used: 10,
      remaining: 4990,
      daily_limit: 5000
    });
    await platform.close();
  });

  it('decodes lists, makes booleans, omits absent values', async () => {
    const platform = queryPlatform();
    const token = await signIn(platform.app);
    const response = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query/',
      headers: bearer(token),
      payload: {
        category: 'video',
        fields: [
          'id',
          'playlist_id',
          'hashtag_names',
          'effect_ids',
          'is_stem_verified'
        ],
        limit: 100
      }
    });
    const records = response.json().data.records as Record<string, unknown>[];
    expect(records).toHaveLength(30);
    expect(records.some(r => !('playlist_id' in r))).toBe(true);
    expect(records.some(r => typeof r.playlist_id === 'number')).toBe(true);
    expect(
      records.some(
        r =>
          Array.isArray(r.hashtag_names) &&
          (r.hashtag_names as string[]).length > 0
      )
    ).toBe(true);
    expect(records.every(r => typeof r.is_stem_verified === 'boolean')).toBe(
      true
    );
    await platform.close();
  });

  it('samples uniformly (chi-square over many draws, fixed seed)', () => {
    const data = fixtureData();
    const random = seededRandomInt(7);
    for (const body of [
      { ...SEED_BODY, limit: 5 }, // broad: the rejection path
      {
        category: 'video',
        fields: 'id',
        limit: 3,
        condition_groups: [
          {
            operator: 'and',
            conditions: [
              {
                field: 'region_code',
                operator: 'in',
                field_values: ['US', 'GB']
              }
            ]
          }
        ]
      },
      { category: 'video', fields: 'id', limit: 4 } // no condition: direct draw
    ]) {
      const validation = validateQuery(body, 'test');
      if (!validation.ok) throw new Error('invalid');
      const counts = new Map<number, number>();
      const draws = 4000;
      for (let i = 0; i < draws; i++) {
        const ids = sampleIds(data, validation.query, random);
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      const matches = counts.size;
      const expected = (draws * validation.query.limit) / matches;
      const chi = [...counts.values()].reduce(
        (sum, n) => sum + (n - expected) ** 2 / expected,
        0
      );
      // df = matches - 1 ≤ 29: the 99.9% quantile of chi-square(29) is 58.3.
      expect(chi).toBeLessThan(58.3);
    }
    data.db.close();
  });

  it('charges exactly, refuses whole at the limit with the quota and reset, resets at UTC midnight', async () => {
    const platform = queryPlatform({ dailyLimit: 25 });
    const token = await signIn(platform.app);
    const post = (limit: number) =>
      call(platform.app, {
        method: 'POST',
        url: '/v2/vce/query/',
        headers: bearer(token),
        payload: { category: 'video', fields: 'id', limit }
      });
    expect((await post(10)).json().data.quota.used).toBe(10);
    expect((await post(10)).json().data.quota.used).toBe(20);
    const refused = await post(10);
    expect(refused.statusCode).toBe(429);
    const body = refused.json();
    expect(body.error.code).toBe('daily_quota_limit_exceeded');
    expect(body.error.message).toContain('5 of today');
    expect(body.error.message).toContain('2026-11-26T00:00:00Z');
    expect(body.data.quota).toMatchObject({ used: 20, remaining: 5 });
    expect(platform.store.usedOn(ALICE.clientKey, '2026-11-25')).toBe(20);
    expect((await post(5)).json().data.quota).toMatchObject({
      used: 25,
      remaining: 0
    });
    expect((await post(1)).statusCode).toBe(429);
    // A query with no matches returns nothing and costs nothing, even at the limit.
    const none = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query/',
      headers: bearer(token),
      payload: {
        category: 'video',
        fields: 'id',
        condition_groups: [
          {
            operator: 'and',
            conditions: [
              {
                field: 'like_count',
                operator: 'gt',
                field_values: ['99999999']
              }
            ]
          }
        ]
      }
    });
    expect(none.statusCode).toBe(200);
    platform.clock.current = new Date('2026-11-26T00:00:00Z');
    const fresh = await signIn(platform.app);
    const next = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query/',
      headers: bearer(fresh),
      payload: { category: 'video', fields: 'id', limit: 10 }
    });
    expect(next.json().data.quota).toMatchObject({
      day: '2026-11-26',
      used: 10,
      remaining: 15
    });
    await platform.close();
  });

  it('never answers bad input with a 5xx, and never charges it', async () => {
    const platform = queryPlatform();
    const token = await signIn(platform.app);
    const bodies: unknown[] = [
      null,
      1,
      'video',
      [],
      {},
      { category: null },
      { category: 'video', fields: 5 },
      { category: 'video', fields: [1, null] },
      { category: 'video', fields: 'id', condition_groups: {} },
      { category: 'video', fields: 'id', condition_groups: [null] },
      {
        category: 'video',
        fields: 'id',
        condition_groups: [{ operator: 1, conditions: [1] }]
      },
      {
        category: 'video',
        fields: 'id',
        condition_groups: [
          {
            operator: 'and',
            conditions: [{ field: 'id', operator: 'in', field_values: [{}] }]
          }
        ]
      },
      {
        category: 'video',
        fields: 'id',
        condition_groups: [
          {
            operator: 'and',
            conditions: [
              {
                field: 'id',
                operator: 'eq',
                field_values: ['99999999999999999999']
              }
            ]
          }
        ]
      },
      {
        category: 'video',
        fields: 'id',
        condition_groups: [
          {
            operator: 'and',
            conditions: [
              { field: 'create_time', operator: 'gt', field_values: ['-5'] }
            ]
          }
        ]
      },
      {
        category: 'video',
        fields: 'id',
        condition_groups: [
          {
            operator: 'and',
            conditions: [
              { field: 'keyword', operator: 'eq', field_values: ['"*^:'] }
            ]
          }
        ]
      },
      { category: 'video', fields: 'id', limit: 1e300 },
      { category: 'video', fields: 'id', limit: true },
      { category: 'video', fields: 'id', start_date: 20240101 },
      { category: 'video', fields: 'id', cursor: 5 },
      {
        category: 'video',
        fields: 'id',
        condition_groups: [
          {
            operator: 'and',
            conditions: [
              { field: '__proto__', operator: 'eq', field_values: ['1'] }
            ]
          }
        ]
      },
      { category: 'video', fields: 'constructor' }
    ];
    for (const payload of bodies) {
      const response = await platform.app.inject({
        method: 'POST',
        url: '/v2/vce/query/',
        headers: { ...bearer(token), 'content-type': 'application/json' },
        payload: JSON.stringify(payload)
      });
      expect([
        JSON.stringify(payload),
        response.statusCode,
        response.json().error.message
      ]).toEqual([JSON.stringify(payload), 400, expect.any(String)]);
      assertConforms('POST', '/v2/vce/query/', response);
      expect(response.json().error.code).toBe('invalid_params');
      expect(response.json().data.problems.length).toBeGreaterThan(0);
    }
    const malformed = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query/',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: '{"category":'
    });
    expect(malformed.statusCode).toBe(400);
    expect(platform.store.usedOn(ALICE.clientKey, '2026-11-25')).toBe(0);
    await platform.close();
  });

  it('names the field, operation, value and what is allowed', async () => {
    const platform = queryPlatform();
    const token = await signIn(platform.app);
    const response = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query/',
      headers: bearer(token),
      payload: {
        category: 'video',
        fields: 'id',
        condition_groups: [
          {
            operator: 'and',
            conditions: [
              { field: 'username', operator: 'like', field_values: ['x'] }
            ]
          }
        ]
      }
    });
    expect(response.json().error.message).toContain(
      'LIKE is not allowed on username; it takes EQ, IN'
    );
    expect(response.json().data.problems[0]).toMatchObject({
      field: 'condition_groups[0].conditions[0].operator',
      operation: 'LIKE'
    });
    await platform.close();
  });

  it('needs a token, and answers 503 with no data set', async () => {
    const platform = makePlatform();
    const anonymous = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query/',
      payload: SEED_BODY
    });
    expect(anonymous.statusCode).toBe(401);
    const token = await signIn(platform.app);
    const response = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query/',
      headers: bearer(token),
      payload: SEED_BODY
    });
    expect(response.statusCode).toBe(503);
    expect(response.json().error.code).toBe('data_unavailable');
    const wrong = await call(platform.app, {
      method: 'GET',
      url: '/v2/vce/query/',
      headers: bearer(token)
    });
    expect(wrong.statusCode).toBe(405);
    await platform.close();
  });
});

describe('POST /v2/vce/query/ (job token)', () => {
  it('pages every match in id order with a cursor, uncharged', async () => {
    const platform = queryPlatform({ dailyLimit: 1 });
    const job = platform.store.issueJobToken(
      ALICE.clientKey,
      platform.clock.now()
    );
    const body = { ...SEED_BODY, limit: 3 };
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await call(platform.app, {
        method: 'POST',
        url: '/v2/vce/query/',
        headers: bearer(job),
        payload: cursor ? { ...body, cursor } : body
      });
      expect(response.statusCode).toBe(200);
      const data = response.json().data;
      expect(data.count).toBe(data.records.length);
      expect(data.has_more).toBe(data.cursor !== null);
      seen.push(...data.records.map((r: { id: number }) => r.id));
      cursor = data.cursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen).toHaveLength(20);
    expect(pages).toBe(7);
    expect(platform.store.usedOn(ALICE.clientKey, '2026-11-25')).toBe(0);

    const first = (
      await call(platform.app, {
        method: 'POST',
        url: '/v2/vce/query/',
        headers: bearer(job),
        payload: body
      })
    ).json().data.cursor;
    const other = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query/',
      headers: bearer(job),
      payload: { ...body, fields: 'id', cursor: first }
    });
    expect(other.statusCode).toBe(400);
    expect(other.json().error.message).toContain('another query');
    const junk = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query/',
      headers: bearer(job),
      payload: { ...body, cursor: 'not-a-cursor' }
    });
    expect(junk.statusCode).toBe(400);
    const big = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query/',
      headers: bearer(job),
      payload: { ...body, limit: 100000 }
    });
    expect(big.json().data).toMatchObject({
      count: 20,
      has_more: false,
      cursor: null
    });
    await platform.close();
  });
});
