import { seededRandomInt } from '../../src/query/engine';
import { inputProblem, MAX_INPUT_DEPTH } from '../../src/http/input-guard';
import { bearer, fixtureData, makePlatform, signIn } from '../helpers/helpers';
import { startJobsPlatform } from '../helpers/jobs-helpers';
import { call } from '../helpers/openapi-conformance';

function queryPlatform() {
  return makePlatform({
    publicData: fixtureData(),
    random: seededRandomInt(7)
  });
}

const videoQuery = (field: string, operator: string, values: unknown[]) => ({
  category: 'video',
  condition_groups: [
    {
      operator: 'and',
      conditions: [{ field, operator, field_values: values }]
    }
  ],
  fields: 'id,video_description',
  limit: 100
});

describe('inputProblem', () => {
  it('names the first string with a control character, values and keys alike', () => {
    expect(inputProblem({ a: ['ok', 'x\u0000y'] })).toEqual({
      field: 'a[1]',
      message: expect.stringContaining(
        'U+0000 ) at position 1'.replace(' ', '')
      )
    });
    expect(inputProblem({ 'b\u001bc': 1 })?.message).toMatch(
      /has a key that contains a control character \(U\+001B\)/
    );
    expect(inputProblem({ t: 'x\u007f' })?.field).toBe('t');
  });

  it('lets tab, line feed, carriage return and any other text through', () => {
    expect(
      inputProblem({ text: 'a\tb\nc\r\nd é 😀 \u2028', n: 1, b: null })
    ).toBeNull();
  });

  it('bounds nesting without recursing (a value 100,000 deep)', () => {
    let deep: unknown = 'x';
    for (let level = 0; level < 100_000; level += 1) {
      deep = [deep];
    }
    const problem = inputProblem({ v: deep });
    expect(problem?.message).toMatch(
      new RegExp(`nested deeper than ${MAX_INPUT_DEPTH} levels`)
    );
    let shallow: unknown = 'x';
    for (let level = 1; level < MAX_INPUT_DEPTH; level += 1) {
      shallow = [shallow];
    }
    expect(inputProblem(shallow)).toBeNull();
  });
});

describe('every route refuses control characters and deep bodies with a 400 naming the field', () => {
  let platform: ReturnType<typeof queryPlatform>;
  let token: string;
  beforeAll(async () => {
    platform = queryPlatform();
    token = await signIn(platform.app);
  });
  afterAll(() => platform.close());

  it('a keyword with NUL is a 400, not a 500 from SQLite', async () => {
    const response = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query/',
      headers: bearer(token),
      payload: videoQuery('keyword', 'IN', ['recipe\u0000x'])
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().data.problems[0].field).toBe(
      'condition_groups[0].conditions[0].field_values[0]'
    );
  });

  it('a LIKE pattern with NUL is refused, not cut short and charged', async () => {
    const quota = async () =>
      (
        await call(platform.app, {
          method: 'GET',
          url: '/v2/vce/quota/',
          headers: bearer(token)
        })
      ).json().data.used;
    const before = await quota();
    const response = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query/',
      headers: bearer(token),
      payload: videoQuery('video_description', 'LIKE', ['a\u0000zzqqxx'])
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/U\+0000/);
    expect(await quota()).toBe(before);
  });

  it('a query task with NUL is refused at once, not failed later', async () => {
    const response = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query_tasks/',
      headers: bearer(token),
      payload: videoQuery('keyword', 'IN', ['a\u0000'])
    });
    expect(response.statusCode).toBe(400);
  });

  it('a value nested 5,000 deep is a 400 that echoes nothing of it', async () => {
    const deep = `${'['.repeat(5000)}"10"${']'.repeat(5000)}`;
    const response = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query/',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: `{"category":"video","fields":"id","condition_groups":[{"operator":"and","conditions":[{"field":"like_count","operator":"IN","field_values":[${deep}]}]}]}`
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/nested deeper than 32/);
    expect(response.body.length).toBeLessThan(2000);
  });

  it.each([
    ['token form', 'POST', '/v2/oauth/token/', 'client_key'],
    [
      'query string',
      'GET',
      '/v2/vce/query_tasks/t1/result/?cursor=a%00b',
      'cursor'
    ],
    ['path parameter', 'GET', '/v2/vce/query_tasks/a%01b/', 'task_id']
  ])('%s: %s %s names %s', async (_what, method, url, field) => {
    const response = await call(platform.app, {
      method: method as 'GET' | 'POST',
      url,
      headers:
        method === 'POST'
          ? { 'content-type': 'application/x-www-form-urlencoded' }
          : bearer(token),
      payload:
        method === 'POST'
          ? 'client_key=alice%00lab&client_secret=x&grant_type=client_credentials'
          : undefined
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    // The token route answers the flat OAuth body (docs/research/research-clients.md §1): the field is in its words.
    if (typeof body.error === 'string') {
      expect(body.error_description).toContain(field);
    } else {
      expect(body.data.problems[0].field).toBe(field);
    }
  });
});

describe('a key given twice in a query string or a form is a 400 naming it', () => {
  let platform: ReturnType<typeof queryPlatform>;
  beforeAll(() => {
    platform = queryPlatform();
  });
  afterAll(() => platform.close());

  it('?status=running&status=queued (parsed as a list; it was a 500 from split)', async () => {
    const jobs = await startJobsPlatform();
    try {
      const response = await jobs.call(
        'GET',
        '/v2/vce/jobs/?status=running&status=queued',
        { token: await jobs.signIn() }
      );
      expect(response.status).toBe(400);
      expect(response.json().data.problems[0]).toEqual({
        field: 'status',
        message: expect.stringMatching(
          /^status is given 2 times in the query string: give it once/
        )
      });
    } finally {
      await jobs.close();
    }
  });

  it('a token request whose form repeats client_key', async () => {
    const response = await platform.app.inject({
      method: 'POST',
      url: '/v2/oauth/token/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload:
        'client_key=a&client_key=b&client_secret=s&grant_type=client_credentials'
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/client_key is given 2 times in the form/);
  });
});

describe('405 with Allow on every route, whatever the method', () => {
  let platform: ReturnType<typeof queryPlatform>;
  beforeAll(() => {
    platform = queryPlatform();
  });
  afterAll(() => platform.close());

  it('QUERY, DELETE, PATCH and PUT on each path: 405 naming the methods it takes, before any body is read', async () => {
    await platform.app.ready();
    const byPath = new Map<string, string[]>();
    for (const route of platform.app.platformRoutes) {
      byPath.set(route.url, [...(byPath.get(route.url) ?? []), route.method]);
    }
    expect(byPath.size).toBeGreaterThanOrEqual(20);
    for (const [template, methods] of byPath) {
      const url = template.replace(/\{[^}]+\}/g, 'x1');
      for (const method of ['QUERY', 'DELETE', 'PATCH', 'PUT', 'POST', 'GET']) {
        if (
          methods.includes(method) ||
          (method === 'GET' && methods.includes('HEAD'))
        ) {
          continue;
        }
        const response = await call(platform.app, {
          method: method as 'GET',
          url
        });
        expect([url, method, response.statusCode]).toEqual([url, method, 405]);
        expect(response.headers.allow).toBe(methods.join(', '));
        expect(response.json().error.code).toBe('method_not_allowed');
      }
    }
  });
});
