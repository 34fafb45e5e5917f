import { Store } from '../src/store';
import {
  ALICE,
  bearer,
  fixtureData,
  makePlatform,
  signIn
} from './helpers/helpers';
import { call } from './helpers/openapi-conformance';

describe('quota under concurrency', () => {
  it('50 concurrent clients racing for the last records are never over-granted', async () => {
    const platform = makePlatform({
      publicData: fixtureData(),
      dailyLimit: 100
    });
    const token = await signIn(platform.app);
    // Use up all but 12 records: 88 used.
    platform.store.recordUsage(ALICE.clientKey, '2026-11-25', 88, 100);
    const body = { category: 'video', fields: 'id', limit: 5 };
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        call(platform.app, {
          method: 'POST',
          url: '/v2/vce/query/',
          headers: bearer(token),
          payload: body
        })
      )
    );
    const granted = responses.filter(response => response.statusCode === 200);
    const refused = responses.filter(response => response.statusCode === 429);
    expect(granted.length + refused.length).toBe(50);
    expect(granted).toHaveLength(2); // 5 + 5 ≤ 12 < 15
    const charged = granted.reduce(
      (sum, response) => sum + response.json().data.count,
      0
    );
    expect(platform.store.usedOn(ALICE.clientKey, '2026-11-25')).toBe(
      88 + charged
    );
    expect(
      platform.store.usedOn(ALICE.clientKey, '2026-11-25')
    ).toBeLessThanOrEqual(100);
    for (const response of refused) {
      expect(response.json().data.quota.remaining).toBe(2);
    }
    await platform.close();
  });

  it('two stores on one file (two processes) never over-grant either', async () => {
    const platform = makePlatform();
    const other = new Store(platform.dbPath);
    const grants = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        Promise.resolve().then(() =>
          (i % 2 ? platform.store : other).recordUsage(
            ALICE.clientKey,
            '2026-11-25',
            3,
            100
          )
        )
      )
    );
    expect(grants.filter(grant => grant.granted)).toHaveLength(33);
    expect(platform.store.usedOn(ALICE.clientKey, '2026-11-25')).toBe(99);
    other.close();
    await platform.close();
  });
});
