import { fixtureData } from '../helpers/helpers';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPublicData } from '../../src/data/open';
import type { PublicData } from '../../src/data/schema';
import { compileWhere } from '../../src/query/compile';
import {
  countMatches,
  LIST_ON_REPEAT_DRAWN,
  matchCacheOf,
  rejectionBudget,
  sampleIds,
  seededRandomInt,
  SMALL_LIST
} from '../../src/query/engine';
import { MatchCache, matchKey } from '../../src/query/match-cache';
import { firstMatches, pickUniform } from '../../src/query/sample';
import type { TypedQuery } from '../../src/query/typed-query';
import { validateQuery } from '../../src/query/validate';

/** Pearson's chi-square of counts against a uniform expectation. */
function chiSquare(
  counts: Map<number, number>,
  universe: number[],
  expectedEach: number
): number {
  return universe.reduce(
    (sum, item) =>
      sum + ((counts.get(item) ?? 0) - expectedEach) ** 2 / expectedEach,
    0
  );
}

/** The 99.9% quantile of chi-square with df degrees of freedom (Wilson–Hilferty). */
function chiSquare999(df: number): number {
  const z = 3.0902;
  return df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3;
}

function typed(body: object): TypedQuery {
  const validation = validateQuery(body, 'test');
  if (!validation.ok) throw new Error(JSON.stringify(validation.problems));
  return validation.query;
}

describe('MatchCache', () => {
  it('evicts the least recently used by bytes and never keeps a set larger than itself', () => {
    const cache = new MatchCache(8 * 10); // ten ids
    cache.set('a', new Float64Array(4));
    cache.set('b', new Float64Array(4));
    expect(cache.get('a')).toHaveLength(4); // a is now the most recent
    cache.set('c', new Float64Array(4)); // 12 ids: b goes
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toHaveLength(4);
    expect(cache.get('c')).toHaveLength(4);
    expect(cache.bytes).toBe(64);
    cache.set('huge', new Float64Array(11));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.size).toBe(2);
    cache.set('a', new Float64Array(1)); // replacing an entry frees its bytes
    expect(cache.bytes).toBe(40);
  });

  it('keys by table, SQL and typed values', () => {
    const keys = new Set([
      matchKey('videos', 't.id = ?', [5]),
      matchKey('videos', 't.id = ?', [BigInt(5)]),
      matchKey('videos', 't.id = ?', ['5']),
      matchKey('comments', 't.id = ?', [5]),
      matchKey('videos', 't.id = ?', [6])
    ]);
    expect(keys.size).toBe(5);
    expect(matchKey('videos', 't.id = ?', [5])).toBe(
      matchKey('videos', 't.id = ?', [5])
    );
  });
});

describe('sampling primitives', () => {
  const universe = Array.from({ length: 700 }, (_, index) => index);
  const isMatch = (item: number) => item % 20 === 3; // 35 matches
  const matches = universe.filter(isMatch);
  const test = (candidates: number[]) => new Set(candidates.filter(isMatch));

  it('pickUniform draws min(k, n) distinct items, uniformly', () => {
    const random = seededRandomInt(11);
    expect(pickUniform([1, 2, 3], 10, random).sort()).toEqual([1, 2, 3]);
    const counts = new Map<number, number>();
    const draws = 3000;
    for (let i = 0; i < draws; i++) {
      const picked = pickUniform(matches, 4, random);
      expect(new Set(picked).size).toBe(4);
      for (const item of picked) counts.set(item, (counts.get(item) ?? 0) + 1);
    }
    expect(
      chiSquare(counts, matches, (draws * 4) / matches.length)
    ).toBeLessThan(chiSquare999(matches.length - 1));
  });

  it('firstMatches keeps k matches uniformly, gives up past its budget, returns every match when it drew all', () => {
    const random = seededRandomInt(12);
    const counts = new Map<number, number>();
    const draws = 3000;
    for (let i = 0; i < draws; i++) {
      const { kept } = firstMatches(
        universe,
        { k: 4, budget: 700, firstBatch: 16 },
        random,
        test
      );
      expect(kept).toHaveLength(4);
      expect(kept!.every(isMatch)).toBe(true);
      expect(new Set(kept).size).toBe(4);
      for (const item of kept!) counts.set(item, (counts.get(item) ?? 0) + 1);
    }
    expect(
      chiSquare(counts, matches, (draws * 4) / matches.length)
    ).toBeLessThan(chiSquare999(matches.length - 1));

    // 10 matches need ~200 draws: a budget of 20 gives up.
    expect(
      firstMatches(universe, { k: 10, budget: 20, firstBatch: 8 }, random, test)
    ).toMatchObject({ kept: null, drawn: 20 });
    // More wanted than there are: the whole universe drawn, every match returned.
    const all = firstMatches(
      universe,
      { k: 100, budget: 10_000, firstBatch: 64 },
      random,
      test
    );
    expect(all.drawn).toBe(700);
    expect(all.kept!.sort((a, b) => a - b)).toEqual(matches);
  });

  it('stays uniform when it gives up and the caller draws from the full list instead', () => {
    // A budget that runs out about half the time: the mixture of the two paths must still be uniform.
    const random = seededRandomInt(13);
    const counts = new Map<number, number>();
    let gaveUp = 0;
    const draws = 4000;
    for (let i = 0; i < draws; i++) {
      let { kept } = firstMatches(
        universe,
        { k: 3, budget: 60, firstBatch: 20 },
        random,
        test
      );
      if (!kept) {
        gaveUp += 1;
        kept = pickUniform(matches, 3, random);
      }
      for (const item of kept) counts.set(item, (counts.get(item) ?? 0) + 1);
    }
    expect(gaveUp).toBeGreaterThan(draws * 0.2);
    expect(gaveUp).toBeLessThan(draws * 0.8);
    expect(
      chiSquare(counts, matches, (draws * 3) / matches.length)
    ).toBeLessThan(chiSquare999(matches.length - 1));
  });
});

describe('compiling for probes', () => {
  it('matches exactly the rows the scan form matches, with a primary-key lookup per row', () => {
    const data = fixtureData();
    const cond = (
      field: string,
      operator: string,
      ...field_values: string[]
    ) => ({ field, operator, field_values });
    const bodies = [
      {
        condition_groups: [
          {
            operator: 'and',
            conditions: [cond('hashtag_names', 'contains', 'cooking', 'fyp')]
          }
        ]
      },
      {
        condition_groups: [
          {
            operator: 'or',
            conditions: [
              cond('effect_ids', 'contains', '1001'),
              cond('region_code', 'eq', 'US')
            ]
          }
        ]
      },
      {
        condition_groups: [
          {
            operator: 'not',
            conditions: [cond('hashtag_name', 'in', 'cooking', 'dance')]
          }
        ]
      },
      {
        condition_groups: [
          { operator: 'and', conditions: [cond('like_count', 'gte', '10')] },
          {
            operator: 'not',
            conditions: [cond('hashtag_names', 'contains', 'fyp')]
          }
        ]
      }
    ];
    for (const body of bodies) {
      const query = typed({
        category: 'video',
        fields: 'id',
        limit: 100,
        ...body
      });
      const scan = compileWhere(query);
      const probe = compileWhere(query, 'probe');
      expect(probe.cheapProbe).toBe(true);
      expect(probe.params).toEqual(scan.params);
      const ids = (compiled: typeof scan) =>
        data.db
          .prepare(
            `SELECT t.id FROM videos t WHERE ${compiled.where} ORDER BY t.id`
          )
          .pluck()
          .all(...compiled.params) as number[];
      expect(ids(probe)).toEqual(ids(scan));
      if (
        JSON.stringify(body).includes('contains') ||
        JSON.stringify(body).includes('hashtag_name')
      ) {
        expect(probe.where).toContain('EXISTS (SELECT 1 FROM');
        const plan = (
          data.db
            .prepare(
              `EXPLAIN QUERY PLAN SELECT t.id FROM videos t WHERE t.id IN (SELECT value FROM json_each(?)) AND (${probe.where})`
            )
            .all('[]', ...probe.params) as { detail: string }[]
        )
          .map(row => row.detail)
          .join(' | ');
        expect(plan).not.toMatch(/LIST SUBQUERY 2/); // no side-table list built per run
      }
    }
    // A keyword condition cannot be tested cheaply row by row.
    expect(
      compileWhere(
        typed({
          category: 'video',
          fields: 'id',
          condition_groups: [
            { operator: 'and', conditions: [cond('keyword', 'eq', 'recipe')] }
          ]
        }),
        'probe'
      ).cheapProbe
    ).toBe(false);
    data.db.close();
  });
});

describe('listing the ids of a single keyword or side-table condition', () => {
  it('lists from the index alone exactly the rows the WHERE form matches', () => {
    const data = fixtureData();
    const one = (field: string, operator: string, ...field_values: string[]) =>
      typed({
        category: 'video',
        fields: 'id',
        condition_groups: [
          { operator: 'or', conditions: [{ field, operator, field_values }] }
        ]
      });
    const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
    let nonEmpty = 0;
    for (const query of [
      one('keyword', 'eq', 'recipe'),
      one('keyword', 'in', 'recipe', 'dance', 'nothing-matches-this'),
      one('hashtag_names', 'contains', 'cooking', 'fyp'),
      one('hashtag_name', 'eq', 'cooking'),
      one('effect_ids', 'contains', '1001', '1002')
    ]) {
      const compiled = compileWhere(query);
      expect(compiled.idsSql).toBeDefined();
      const direct = data.db
        .prepare(compiled.idsSql!)
        .pluck()
        .all(...compiled.params) as number[];
      const viaWhere = data.db
        .prepare(`SELECT t.id FROM videos t WHERE ${compiled.where}`)
        .pluck()
        .all(...compiled.params) as number[];
      expect(sorted(direct)).toEqual(sorted(viaWhere));
      expect(new Set(direct).size).toBe(direct.length);
      nonEmpty += direct.length > 0 ? 1 : 0;
    }
    expect(nonEmpty).toBeGreaterThanOrEqual(3);
    // Anything more than one such condition goes through the WHERE form.
    expect(
      compileWhere(
        typed({
          category: 'video',
          fields: 'id',
          condition_groups: [
            {
              operator: 'not',
              conditions: [
                { field: 'keyword', operator: 'eq', field_values: ['recipe'] }
              ]
            }
          ]
        })
      ).idsSql
    ).toBeUndefined();
    expect(
      compileWhere(
        typed({
          category: 'video',
          fields: 'id',
          condition_groups: [
            {
              operator: 'and',
              conditions: [
                { field: 'keyword', operator: 'eq', field_values: ['recipe'] },
                { field: 'like_count', operator: 'gte', field_values: ['1'] }
              ]
            }
          ]
        })
      ).idsSql
    ).toBeUndefined();
    expect(
      compileWhere(
        typed({
          category: 'video',
          fields: 'id',
          start_date: '20200101',
          condition_groups: [
            {
              operator: 'and',
              conditions: [
                { field: 'keyword', operator: 'eq', field_values: ['recipe'] }
              ]
            }
          ]
        })
      ).idsSql
    ).toBeUndefined();
    data.db.close();
  });
});

describe('sampleIds on a generated data set (every path)', () => {
  let dir: string;
  let data: PublicData;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vce-sampling-'));
    data = openPublicData({
      dataDir: dir,
      seed: 5,
      videos: 4000,
      log: () => undefined
    });
  });
  afterAll(() => {
    data.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A like_count threshold with about `wanted` videos at or above it. */
  function thresholdFor(wanted: number): number {
    return data.db
      .prepare(
        'SELECT like_count FROM videos ORDER BY like_count DESC LIMIT 1 OFFSET ?'
      )
      .pluck()
      .get(wanted - 1) as number;
  }

  function allMatches(query: TypedQuery): number[] {
    const compiled = compileWhere(query);
    return data.db
      .prepare(`SELECT t.id FROM ${compiled.table} t WHERE ${compiled.where}`)
      .pluck()
      .all(...compiled.params) as number[];
  }

  it('lists a narrow query once, keeps the list, and draws uniformly from it', () => {
    const query = typed({
      category: 'video',
      fields: 'id',
      limit: 30,
      condition_groups: [
        {
          operator: 'and',
          conditions: [
            {
              field: 'like_count',
              operator: 'gte',
              field_values: [String(thresholdFor(40))]
            }
          ]
        }
      ]
    });
    const matches = allMatches(query);
    expect(matches.length).toBeGreaterThanOrEqual(40);
    expect(matches.length).toBeLessThan(60);
    // 30 of ~40 in 4,000 rows needs ~3,000 tests, past the budget: listed and cached.
    expect(rejectionBudget(30)).toBeLessThan((30 * 4000) / matches.length);
    const cache = matchCacheOf(data);
    const before = cache.size;
    const random = seededRandomInt(21);
    const counts = new Map<number, number>();
    const draws = 3000;
    for (let i = 0; i < draws; i++) {
      const ids = sampleIds(data, query, random);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
      for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect(cache.size).toBe(before + 1);
    expect(countMatches(data, query)).toBe(matches.length); // answered from the cache
    expect([...counts.keys()].every(id => matches.includes(id))).toBe(true);
    expect(
      chiSquare(counts, matches, (draws * 30) / matches.length)
    ).toBeLessThan(chiSquare999(matches.length - 1));
  });

  it('samples a broad query by rejection, uncached, and lists it on its second costly run', () => {
    const broad = typed({
      category: 'video',
      fields: 'id',
      limit: 5,
      condition_groups: [
        {
          operator: 'and',
          conditions: [
            {
              field: 'like_count',
              operator: 'gte',
              field_values: [String(thresholdFor(2000))]
            }
          ]
        }
      ]
    });
    const cache = matchCacheOf(data);
    const size = cache.size;
    const random = seededRandomInt(22);
    for (let i = 0; i < 20; i++) {
      sampleIds(data, broad, random); // ~10 tests each: cheap, never listed
    }
    expect(cache.size).toBe(size);

    // ~1.5% of rows, 8 wanted: ~530 tests, past LIST_ON_REPEAT_DRAWN, within the budget.
    const costly = typed({
      category: 'video',
      fields: 'id',
      limit: 8,
      condition_groups: [
        {
          operator: 'and',
          conditions: [
            {
              field: 'like_count',
              operator: 'gte',
              field_values: [String(thresholdFor(60))]
            }
          ]
        }
      ]
    });
    expect((8 * 4000) / 60).toBeGreaterThan(LIST_ON_REPEAT_DRAWN);
    let runs = 0;
    while (cache.size === size && runs < 10) {
      expect(sampleIds(data, costly, random)).toHaveLength(8);
      runs += 1;
    }
    expect(cache.size).toBe(size + 1);
    expect(runs).toBeGreaterThanOrEqual(2);
  });

  it('lists a single hashtag condition from its index at once when it has few matches', () => {
    const tag = data.db
      .prepare(
        'SELECT hashtag_name FROM video_hashtags GROUP BY hashtag_name HAVING count(*) BETWEEN 15 AND 40 ORDER BY hashtag_name LIMIT 1'
      )
      .pluck()
      .get() as string;
    const query = typed({
      category: 'video',
      fields: 'id',
      limit: 2,
      condition_groups: [
        {
          operator: 'and',
          conditions: [
            {
              field: 'hashtag_names',
              operator: 'contains',
              field_values: [tag]
            }
          ]
        }
      ]
    });
    const matches = allMatches(query);
    expect(matches.length).toBeLessThanOrEqual(SMALL_LIST);
    const cache = matchCacheOf(data);
    const size = cache.size;
    const random = seededRandomInt(24);
    const counts = new Map<number, number>();
    const draws = 3000;
    for (let i = 0; i < draws; i++) {
      for (const id of sampleIds(data, query, random))
        counts.set(id, (counts.get(id) ?? 0) + 1);
      expect(cache.size).toBe(size + 1); // listed on the first draw
    }
    expect(
      chiSquare(counts, matches, (draws * 2) / matches.length)
    ).toBeLessThan(chiSquare999(matches.length - 1));
  });

  it('is uniform over a mid-size match set, whichever path each draw takes', () => {
    const query = typed({
      category: 'video',
      fields: 'id',
      limit: 3,
      condition_groups: [
        {
          operator: 'and',
          conditions: [
            {
              field: 'like_count',
              operator: 'gte',
              field_values: [String(thresholdFor(50))]
            }
          ]
        }
      ]
    });
    const matches = allMatches(query);
    const random = seededRandomInt(23);
    const counts = new Map<number, number>();
    const draws = 3000;
    for (let i = 0; i < draws; i++) {
      for (const id of sampleIds(data, query, random))
        counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect(
      chiSquare(counts, matches, (draws * 3) / matches.length)
    ).toBeLessThan(chiSquare999(matches.length - 1));
  });

  it("has the statistics that let SQLite choose an index by a range's value (STAT4)", () => {
    const db = new Database(join(dir, 'public-data-s5-v4000.sqlite'), {
      readonly: true
    });
    expect(
      db.prepare('SELECT count(*) FROM sqlite_stat4').pluck().get()
    ).toBeGreaterThan(0);
    db.close();
  });
});
