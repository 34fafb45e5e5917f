import { ALICE, bearer, makePlatform, signIn } from './helpers/helpers';
import { call } from './helpers/openapi-conformance';

const form = (fields: Record<string, string>) => ({
  payload: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' }
});

describe('POST /v2/oauth/token/', () => {
  let platform: ReturnType<typeof makePlatform>;
  beforeEach(() => (platform = makePlatform({ tokenTtlSeconds: 7200 })));
  afterEach(() => platform.close());

  it('issues an expiring bearer token for a form body, as the platform does', async () => {
    const response = await call(platform.app, {
      method: 'POST',
      url: '/v2/oauth/token/',
      ...form({
        client_key: ALICE.clientKey,
        client_secret: ALICE.clientSecret,
        grant_type: 'client_credentials'
      })
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body.access_token).toMatch(/^clt\.[A-Za-z0-9_-]{43}$/);
    expect(body).toMatchObject({
      expires_in: 7200,
      token_type: 'Bearer',
      scope: 'research.vce'
    });
  });

  it('accepts a JSON body too', async () => {
    const response = await call(platform.app, {
      method: 'POST',
      url: '/v2/oauth/token/',
      payload: {
        client_key: ALICE.clientKey,
        client_secret: ALICE.clientSecret,
        grant_type: 'client_credentials'
      }
    });
    expect(response.statusCode).toBe(200);
  });

  it('issues a different token each time', async () => {
    expect(await signIn(platform.app)).not.toBe(await signIn(platform.app));
  });

  it.each([
    [
      { client_secret: 's', grant_type: 'client_credentials' },
      'Client key is missed in request'
    ],
    [
      { client_key: 'alice-lab', grant_type: 'client_credentials' },
      'Client secret is missed in request'
    ],
    [
      { client_key: 'alice-lab', client_secret: 's' },
      'Grant type is missed in request'
    ]
  ])('names the missing field (%o)', async (fields, message) => {
    const response = await call(platform.app, {
      method: 'POST',
      url: '/v2/oauth/token/',
      ...form(fields)
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
    expect(response.json().error_description).toContain(message);
  });

  it('refuses another grant type with invalid_request and says which one to use', async () => {
    const response = await call(platform.app, {
      method: 'POST',
      url: '/v2/oauth/token/',
      ...form({
        client_key: ALICE.clientKey,
        client_secret: ALICE.clientSecret,
        grant_type: 'password'
      })
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
    expect(response.json().error_description).toContain(
      'grant_type=client_credentials'
    );
  });

  it.each([
    ['a wrong secret', ALICE.clientKey, 'not-the-secret'],
    ['an unknown key', 'mallory', ALICE.clientSecret]
  ])(
    'refuses %s with invalid_client, the same way for both',
    async (_label, key, secret) => {
      const response = await call(platform.app, {
        method: 'POST',
        url: '/v2/oauth/token/',
        ...form({
          client_key: key,
          client_secret: secret,
          grant_type: 'client_credentials'
        })
      });
      expect(response.statusCode).toBe(401);
      // Flat, as the platform's token route (docs/research/research-clients.md §1), with a 34-character log id.
      expect(Object.keys(response.json()).sort()).toEqual([
        'error',
        'error_description',
        'log_id'
      ]);
      expect(response.json().log_id).toMatch(/^\d{14}[0-9A-F]{20}$/);
      expect(response.json().error).toBe('invalid_client');
      expect(response.json().error_description).toBe(
        'Client key or secret is incorrect. Check them on your Research projects page.'
      );
      expect(response.body).not.toContain(secret);
    }
  );

  it('refuses a body field of the wrong type with the field named', async () => {
    const response = await call(platform.app, {
      method: 'POST',
      url: '/v2/oauth/token/',
      payload: {
        client_key: 42,
        client_secret: ['x'],
        grant_type: 'client_credentials'
      }
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error_description).toMatch(
      /client_secret must be string/
    );
  });
});

describe('bearer tokens', () => {
  let platform: ReturnType<typeof makePlatform>;
  beforeEach(() => (platform = makePlatform({ tokenTtlSeconds: 60 })));
  afterEach(() => platform.close());

  it('opens the routes while valid and not after expiry', async () => {
    const token = await signIn(platform.app);
    platform.clock.advance(59);
    expect(
      (await call(platform.app, { url: '/v2/vce/me/', headers: bearer(token) }))
        .statusCode
    ).toBe(200);
    platform.clock.advance(1);
    const expired = await call(platform.app, {
      url: '/v2/vce/me/',
      headers: bearer(token)
    });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error).toMatchObject({
      code: 'access_token_invalid'
    });
    expect(expired.json().error.message).toContain('has expired');
    const fresh = await signIn(platform.app);
    expect(
      (await call(platform.app, { url: '/v2/vce/me/', headers: bearer(fresh) }))
        .statusCode
    ).toBe(200);
  });

  it.each([
    ['no header', {}, 'has no access token'],
    [
      'a malformed header',
      { authorization: 'Token abc' },
      'is not "Bearer <token>"'
    ],
    ['an unknown token', { authorization: 'Bearer clt.forged' }, 'is not valid']
  ])(
    'answers %s with access_token_invalid saying what is wrong',
    async (_label, headers, message) => {
      for (const url of ['/v2/vce/me/', '/v2/vce/quota/']) {
        const response = await call(platform.app, { url, headers });
        expect(response.statusCode).toBe(401);
        expect(response.json().error.code).toBe('access_token_invalid');
        expect(response.json().error.message).toContain(message);
      }
    }
  );

  it('keeps an audit trail of sign-ins without secrets', async () => {
    await signIn(platform.app);
    const trail = platform.store.auditTrail(ALICE.clientKey);
    expect(trail.map(entry => entry.action)).toEqual(['token_issued']);
    expect(JSON.stringify(trail)).not.toContain(ALICE.clientSecret);
  });
});
