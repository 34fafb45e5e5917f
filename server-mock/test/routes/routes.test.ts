import { ALICE, bearer, makePlatform, signIn } from '../helpers/helpers';
import { call } from '../helpers/openapi-conformance';

describe('identity and quota', () => {
  let platform: ReturnType<typeof makePlatform>;
  let token: string;
  beforeEach(async () => {
    platform = makePlatform();
    token = await signIn(platform.app);
  });
  afterEach(() => platform.close());

  it('names the client, its project and the primary researcher', async () => {
    const response = await call(platform.app, {
      url: '/v2/vce/me/',
      headers: bearer(token)
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.error).toMatchObject({ code: 'ok', message: '' });
    expect(body.data).toEqual({
      client_key: ALICE.clientKey,
      role: 'researcher',
      project: {
        id: expect.stringMatching(/^prj-[0-9a-f]{10}$/),
        name: 'Local rehearsal project'
      },
      primary_researcher_email: 'alice@uni.example'
    });
  });

  it('starts the day at 0 of 5,000 and resets at the next 00:00 UTC', async () => {
    const response = await call(platform.app, {
      url: '/v2/vce/quota',
      headers: bearer(token)
    });
    expect(response.json().data).toEqual({
      day: '2026-11-25',
      daily_limit: 5000,
      used: 0,
      remaining: 5000,
      resets_at: '2026-11-26T00:00:00Z'
    });
  });

  it('counts usage per UTC day and starts again after midnight', async () => {
    expect(
      platform.store.recordUsage(ALICE.clientKey, '2026-11-25', 1234, 5000)
    ).toEqual({ granted: true, used: 1234 });
    let quota = (
      await call(platform.app, {
        url: '/v2/vce/quota/',
        headers: bearer(token)
      })
    ).json().data;
    expect(quota).toMatchObject({ used: 1234, remaining: 3766 });
    platform.clock.current = new Date('2026-11-26T00:00:00Z');
    token = await signIn(platform.app);
    quota = (
      await call(platform.app, {
        url: '/v2/vce/quota/',
        headers: bearer(token)
      })
    ).json().data;
    expect(quota).toMatchObject({
      day: '2026-11-26',
      used: 0,
      remaining: 5000,
      resets_at: '2026-11-27T00:00:00Z'
    });
  });

  it('honours a configured daily limit', async () => {
    await platform.close();
    platform = makePlatform({ dailyLimit: 50 });
    token = await signIn(platform.app);
    const quota = (
      await call(platform.app, {
        url: '/v2/vce/quota/',
        headers: bearer(token)
      })
    ).json().data;
    expect(quota).toMatchObject({ daily_limit: 50, remaining: 50 });
  });
});

describe('bad input never gets a 5xx', () => {
  let platform: ReturnType<typeof makePlatform>;
  beforeEach(() => (platform = makePlatform({ bodyLimit: 1024 })));
  afterEach(() => platform.close());

  it('answers an unknown route with 404 in the error shape', async () => {
    const response = await call(platform.app, {
      url: '/v2/research/video/search/'
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });

  it('answers a wrong method with 405 and the allowed one', async () => {
    const response = await call(platform.app, {
      method: 'DELETE',
      url: '/v2/vce/quota/'
    });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET');
    expect(response.json().error.message).toBe(
      'DELETE is not allowed on /v2/vce/quota/: use GET.'
    );
  });

  it('answers malformed JSON with 400', async () => {
    const response = await call(platform.app, {
      method: 'POST',
      url: '/v2/oauth/token/',
      payload: '{"client_key": ',
      headers: { 'content-type': 'application/json' }
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error_description).toMatch(
      /^The body is not valid JSON/
    );
    expect(response.body).not.toMatch(/at .*\.js:\d+/);
  });

  it('answers another content type with 415 saying what to send', async () => {
    for (const type of ['text/plain', 'application/xml']) {
      const response = await call(platform.app, {
        method: 'POST',
        url: '/v2/oauth/token/',
        payload: 'client_key=a',
        headers: { 'content-type': type }
      });
      expect(response.statusCode).toBe(415);
      expect(response.json().error_description).toContain(
        'application/json or application/x-www-form-urlencoded'
      );
    }
  });

  it('answers an oversized body with 413 naming the limit', async () => {
    const response = await call(platform.app, {
      method: 'POST',
      url: '/v2/oauth/token/',
      payload: {
        client_key: 'x'.repeat(4096),
        client_secret: 's',
        grant_type: 'client_credentials'
      }
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({
      error: 'payload_too_large',
      error_description:
        'The request body is larger than the 1024 bytes this route accepts: send a smaller body.'
    });
  });

  it('answers a missing body with 400 saying what to send', async () => {
    const response = await call(platform.app, {
      method: 'POST',
      url: '/v2/oauth/token/'
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error_description).toBe(
      'The request needs a body that is an object: send a JSON object (application/json) or a form (application/x-www-form-urlencoded).'
    );
  });

  it('answers a JSON body that is not an object with 400', async () => {
    for (const payload of ['null', '[1]', '"text"']) {
      const response = await call(platform.app, {
        method: 'POST',
        url: '/v2/oauth/token/',
        payload,
        headers: { 'content-type': 'application/json' }
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toBe('invalid_params');
    }
  });

  it('answers a URL with broken percent-encoding with 400 in the error shape', async () => {
    const response = await call(platform.app, { url: '/v2/vce/%E0%A4%A' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'invalid_request' });
    expect(response.json().error.message).toContain('encodeURIComponent');
  });

  it('answers an overlong path parameter with 404 in the error shape', async () => {
    const token = await signIn(platform.app);
    const response = await call(platform.app, {
      url: `/v2/vce/query_tasks/${'x'.repeat(500)}/`,
      headers: bearer(token)
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });
});
