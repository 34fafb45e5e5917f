import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chargeQuota } from '../src/quota';
import { Store } from '../src/store';

/** The one quota charge of the query route and the query tasks (src/quota.ts): all the records or none. */

let dir: string;
let store: Store;
const NOON = new Date('2026-11-25T12:00:00Z');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vce-charge-'));
  store = new Store(join(dir, 'db.sqlite'));
  for (const clientKey of ['alice', 'bob']) {
    store.upsertClient(
      {
        clientKey,
        clientSecret: `${clientKey}-secret`,
        email: `${clientKey}@vce.localhost`
      },
      NOON
    );
  }
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a charge within the limit is granted and the quota after it is reported', () => {
  expect(chargeQuota(store, 'alice', 30, 100, NOON)).toEqual({
    granted: true,
    quota: {
      day: '2026-11-25',
      daily_limit: 100,
      used: 30,
      remaining: 70,
      resets_at: '2026-11-26T00:00:00Z'
    }
  });
  expect(chargeQuota(store, 'alice', 70, 100, NOON).quota).toMatchObject({
    used: 100,
    remaining: 0
  });
  expect(store.usedOn('alice', '2026-11-25')).toBe(100);
});

test('a charge over the limit is refused whole: nothing is charged and the quota is unchanged', () => {
  chargeQuota(store, 'alice', 60, 100, NOON);
  const refused = chargeQuota(store, 'alice', 41, 100, NOON);
  expect(refused).toEqual({
    granted: false,
    quota: {
      day: '2026-11-25',
      daily_limit: 100,
      used: 60,
      remaining: 40,
      resets_at: '2026-11-26T00:00:00Z'
    }
  });
  expect(store.usedOn('alice', '2026-11-25')).toBe(60);
});

test('each client has its own quota, and each UTC day starts again', () => {
  chargeQuota(store, 'alice', 100, 100, NOON);
  expect(chargeQuota(store, 'bob', 100, 100, NOON).granted).toBe(true);
  const nextDay = chargeQuota(
    store,
    'alice',
    100,
    100,
    new Date('2026-11-26T00:00:00Z')
  );
  expect(nextDay).toMatchObject({
    granted: true,
    quota: { day: '2026-11-26', used: 100 }
  });
  expect(store.usedOn('alice', '2026-11-25')).toBe(100);
});

test("a granted charge reaches the store's usage listener (the event stream); a refused one does not", () => {
  const heard: [string, string, number][] = [];
  store.onUsage = (clientKey, day, used) => heard.push([clientKey, day, used]);
  chargeQuota(store, 'alice', 5, 10, NOON);
  chargeQuota(store, 'alice', 6, 10, NOON);
  expect(heard).toEqual([['alice', '2026-11-25', 5]]);
});
