import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/app';
import { loadFixtureData } from '../../src/data/fixture';
import { Store, type ClientSpec } from '../../src/store';
import { call } from './openapi-conformance';

export const ALICE: ClientSpec = {
  clientKey: 'alice-lab',
  clientSecret: 'alice:secret:with:colons',
  email: 'alice@uni.example'
};

/** A controllable clock. */
export class TestClock {
  constructor(public current = new Date('2026-11-25T21:30:00Z')) {}
  now = (): Date => new Date(this.current);
  advance(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

/** A platform on a fresh database in a temporary folder. */
/** The shared test vectors' small data set (test-vectors/fixture-data.json), loaded fresh. */
export function fixtureData() {
  return loadFixtureData(
    join(__dirname, '..', '..', 'test-vectors', 'fixture-data.json')
  );
}

export function makePlatform(options: Partial<AppOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'vce-mock-test-'));
  const dbPath = join(dir, 'vce-mock.sqlite');
  const clock = new TestClock();
  const store = new Store(dbPath);
  store.upsertClient(ALICE, clock.now());
  const app = buildApp({ store, now: clock.now, ...options });
  return {
    app,
    store,
    clock,
    dbPath,
    async close() {
      await app.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** Sign in as a client with a form body, as the SDK does. */
export async function signIn(
  app: FastifyInstance,
  spec: ClientSpec = ALICE
): Promise<string> {
  const response = await call(app, {
    method: 'POST',
    url: '/v2/oauth/token/',
    payload: new URLSearchParams({
      client_key: spec.clientKey,
      client_secret: spec.clientSecret,
      grant_type: 'client_credentials'
    }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' }
  });
  if (response.statusCode !== 200) {
    throw new Error(`sign-in failed: ${response.body}`);
  }
  return response.json().access_token as string;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
