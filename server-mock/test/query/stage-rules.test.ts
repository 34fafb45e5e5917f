import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPublicData } from '../../src/data/open';
import type { PublicData } from '../../src/data/schema';
import {
  compileWhere,
  GUIDE_TEST_STAGE_MIN_FOLLOWERS
} from '../../src/query/compile';
import {
  pageRecords,
  sampleIds,
  seededRandomInt
} from '../../src/query/engine';
import type { TypedQuery } from '../../src/query/typed-query';
import { validateQuery } from '../../src/query/validate';
import { ALICE, bearer, makePlatform, signIn } from '../helpers/helpers';
import { call } from '../helpers/openapi-conformance';

/** The opt-in test-stage rule: only creators with ≥ 25,000 followers (docs/research/research-api.md §7). */

function typed(body: object, stage: 'test' | 'job' = 'test'): TypedQuery {
  const validation = validateQuery(body, stage);
  if (!validation.ok) throw new Error(JSON.stringify(validation.problems));
  return validation.query;
}

describe('test stage limited to creators with at least 25,000 followers (opt-in)', () => {
  let dir: string;
  let everyone: PublicData;
  let ruled: PublicData;
  let bigCreators: Set<number>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vce-rules-'));
    everyone = openPublicData({
      dataDir: dir,
      seed: 9,
      videos: 3000,
      log: () => undefined
    });
    ruled = openPublicData({
      dataDir: dir,
      seed: 9,
      videos: 3000,
      testStageMinFollowers: GUIDE_TEST_STAGE_MIN_FOLLOWERS
    });
    bigCreators = new Set(
      everyone.db
        .prepare('SELECT id FROM users WHERE follower_count >= ?')
        .pluck()
        .all(GUIDE_TEST_STAGE_MIN_FOLLOWERS) as number[]
    );
  });
  afterAll(() => {
    everyone.db.close();
    ruled.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const creatorOfVideo = (id: number) =>
    everyone.db
      .prepare('SELECT user_id FROM videos WHERE id = ?')
      .pluck()
      .get(id) as number;
  const creatorOfComment = (id: number) =>
    everyone.db
      .prepare(
        'SELECT v.user_id FROM comments c JOIN videos v ON v.id = c.video_id WHERE c.id = ?'
      )
      .pluck()
      .get(id) as number;

  it('is off by default, and the data hold creators on both sides of the line', () => {
    expect(everyone.testStageMinFollowers).toBeUndefined();
    expect(ruled.testStageMinFollowers).toBe(25_000);
    const users = everyone.db
      .prepare('SELECT count(*) FROM users')
      .pluck()
      .get() as number;
    expect(bigCreators.size).toBeGreaterThan(0);
    expect(bigCreators.size).toBeLessThan(users);
    const random = seededRandomInt(1);
    const sample = sampleIds(
      everyone,
      typed({ category: 'video', fields: 'id', limit: 500 }),
      random
    );
    expect(sample.some(id => !bigCreators.has(creatorOfVideo(id)))).toBe(true);
  });

  it('samples only their videos, comments on their videos and themselves, and every such video can come', () => {
    const random = seededRandomInt(2);
    const broad = typed({
      category: 'video',
      fields: 'id',
      limit: 50,
      condition_groups: [
        {
          operator: 'and',
          conditions: [
            { field: 'like_count', operator: 'gte', field_values: ['0'] }
          ]
        }
      ]
    });
    const seen = new Set<number>();
    for (let i = 0; i < 40; i++) {
      for (const id of sampleIds(ruled, broad, random)) {
        expect(bigCreators.has(creatorOfVideo(id))).toBe(true);
        seen.add(id);
      }
    }
    // Narrow enough to be listed (and cached): the listed set is exactly the big creators' matches.
    const narrow = typed({
      category: 'video',
      fields: 'id',
      limit: 5000,
      condition_groups: [
        {
          operator: 'and',
          conditions: [
            {
              field: 'hashtag_names',
              operator: 'contains',
              field_values: ['fyp']
            }
          ]
        }
      ]
    });
    const listed = sampleIds(ruled, narrow, random);
    const expected = everyone.db
      .prepare(
        "SELECT DISTINCT h.video_id FROM video_hashtags h JOIN videos v ON v.id = h.video_id JOIN users u ON u.id = v.user_id WHERE h.hashtag_name = 'fyp' AND u.follower_count >= 25000"
      )
      .pluck()
      .all() as number[];
    expect(expected.length).toBeGreaterThan(0);
    expect([...listed].sort((a, b) => a - b)).toEqual(
      [...expected].sort((a, b) => a - b)
    );

    for (const id of sampleIds(
      ruled,
      typed({ category: 'comment', fields: 'id', limit: 200 }),
      random
    )) {
      expect(bigCreators.has(creatorOfComment(id))).toBe(true);
    }
    const users = sampleIds(
      ruled,
      typed({ category: 'user', fields: 'username', limit: 5000 }),
      random
    );
    expect(new Set(users)).toEqual(bigCreators);
  });

  it('leaves the execution stage (paging every match) untouched', () => {
    const query = typed(
      { category: 'user', fields: 'username', limit: 100_000 },
      'job'
    );
    const all = everyone.db
      .prepare('SELECT count(*) FROM users')
      .pluck()
      .get() as number;
    expect(pageRecords(ruled, query, null, 100_000).records).toHaveLength(all);
    expect(compileWhere(query).where).toBe('1');
  });

  it('holds over HTTP: the records a researcher gets are of big creators only', async () => {
    const platform = makePlatform({ publicData: ruled });
    const token = await signIn(platform.app);
    const response = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query/',
      headers: bearer(token),
      payload: { category: 'video', fields: 'id,username', limit: 100 }
    });
    expect(response.statusCode).toBe(200);
    const records = response.json().data.records as {
      id: number;
      username: string;
    }[];
    expect(records).toHaveLength(100);
    for (const record of records) {
      expect(bigCreators.has(creatorOfVideo(record.id))).toBe(true);
    }
    expect(
      platform.store.usedOn(
        ALICE.clientKey,
        platform.clock.now().toISOString().slice(0, 10)
      )
    ).toBe(100);
    await platform.close();
  });
});
