import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPublicData } from '../../src/data/open';
import type { PublicData } from '../../src/data/schema';
import { candidatesOf, listLookup } from '../../src/query/candidates';
import { compileWhere } from '../../src/query/compile';
import {
  matchCacheOf,
  sampleIds,
  seededRandomInt,
  sharedEngineState,
  warmUp
} from '../../src/query/engine';
import { rangeSlice, type IdList } from '../../src/query/id-lists';
import type { TypedQuery } from '../../src/query/typed-query';
import { validateQuery } from '../../src/query/validate';

/** Pearson's chi-square of counts against a uniform expectation (as test/query/sampling.test.ts). */
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

const cond = (field: string, operator: string, ...values: string[]) => ({
  field,
  operator,
  field_values: values
});
const and = (...conditions: object[]) => ({ operator: 'and', conditions });

describe('rangeSlice', () => {
  const list: IdList = {
    table: 't',
    termColumn: null,
    sortColumn: 'v',
    terms: null,
    offsets: null,
    positions: Uint32Array.from([0, 1, 2, 3, 4, 5, 6]),
    values: Uint32Array.from([1, 2, 2, 2, 5, 7, 7])
  };
  it('finds inclusive and exclusive bounds among equal values', () => {
    expect(rangeSlice(list, { min: { value: 2, inclusive: true } })).toEqual({
      start: 1,
      end: 7
    });
    expect(rangeSlice(list, { min: { value: 2, inclusive: false } })).toEqual({
      start: 4,
      end: 7
    });
    expect(rangeSlice(list, { max: { value: 2, inclusive: true } })).toEqual({
      start: 0,
      end: 4
    });
    expect(rangeSlice(list, { max: { value: 2, inclusive: false } })).toEqual({
      start: 0,
      end: 1
    });
    expect(
      rangeSlice(list, {
        min: { value: 3, inclusive: true },
        max: { value: 4, inclusive: true }
      })
    ).toEqual({ start: 4, end: 4 });
    expect(rangeSlice(list, { min: { value: 8, inclusive: true } })).toEqual({
      start: 7,
      end: 7
    });
  });
});

describe('sampling from the id lists (a generated data set)', () => {
  let dir: string;
  let data: PublicData;
  let listed: PublicData;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vce-id-lists-'));
    const open = () =>
      openPublicData({
        dataDir: dir,
        seed: 5,
        videos: 4000,
        log: () => undefined
      });
    data = open();
    listed = open();
    warmUp(listed); // builds the id lists on this connection only
  });
  afterAll(() => {
    data.db.close();
    listed.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function allMatches(query: TypedQuery): number[] {
    const compiled = compileWhere(query);
    return data.db
      .prepare(`SELECT t.id FROM ${compiled.table} t WHERE ${compiled.where}`)
      .pluck()
      .all(...compiled.params) as number[];
  }

  function candidates(query: TypedQuery) {
    const lists = sharedEngineState(listed).lists;
    return candidatesOf(query, listLookup(lists), false);
  }

  const one = (field: string, operator: string, value: string) => ({
    category: 'video',
    fields: 'id',
    limit: 4,
    condition_groups: [and(cond(field, operator, value))]
  });

  const likeFor = (wanted: number, table = 'videos') =>
    String(
      data.db
        .prepare(
          `SELECT like_count FROM ${table} ORDER BY like_count DESC LIMIT 1 OFFSET ?`
        )
        .pluck()
        .get(wanted - 1)
    );
  const tag = () =>
    data.db
      .prepare(
        'SELECT hashtag_name FROM video_hashtags GROUP BY hashtag_name HAVING count(*) BETWEEN 20 AND 60 ORDER BY hashtag_name LIMIT 1'
      )
      .pluck()
      .get() as string;
  const region = () =>
    data.db
      .prepare(
        'SELECT region_code FROM videos GROUP BY region_code ORDER BY count(*) DESC LIMIT 1'
      )
      .pluck()
      .get() as string;

  it('gives the exact set of a range, a hashtag, a region with a date range, a comment range', () => {
    const queries = [
      typed(one('like_count', 'gte', likeFor(50))),
      typed(one('like_count', 'gt', likeFor(50))),
      typed(one('like_count', 'lt', '3')),
      typed(one('like_count', 'lte', '3')),
      typed(one('like_count', 'eq', '3')),
      typed(one('create_time', 'gte', '20230101')),
      typed(one('create_time', 'lt', '20210615')),
      typed(one('create_time', 'eq', '20220314')),
      typed(one('hashtag_names', 'contains', tag())),
      typed({
        category: 'video',
        fields: 'id',
        limit: 4,
        condition_groups: [
          and(
            cond('region_code', 'in', region(), 'GB', 'FR'),
            cond('create_time', 'gte', '20220101')
          )
        ]
      }),
      typed({
        category: 'video',
        fields: 'id',
        limit: 4,
        start_date: '20220101',
        end_date: '20231231',
        condition_groups: [and(cond('create_time', 'gte', '20230301'))]
      }),
      typed({
        category: 'comment',
        fields: 'id',
        limit: 4,
        condition_groups: [
          and(cond('like_count', 'gte', likeFor(40, 'comments')))
        ]
      }),
      // A region alone: its slice of the region+date list.
      typed(one('region_code', 'eq', region())),
      typed({
        category: 'video',
        fields: 'id',
        limit: 4,
        condition_groups: [and(cond('region_code', 'in', region(), 'GB'))]
      })
    ];
    for (const [index, query] of queries.entries()) {
      const found = candidates(query);
      expect([index, found?.exact]).toEqual([index, true]);
      const universe = sharedEngineState(listed).ids[compileWhere(query).table];
      const ids = [...found!.positions].map(position => universe[position]);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort((a, b) => a - b)).toEqual(
        allMatches(query).sort((a, b) => a - b)
      );
    }
  });

  it('is a superset, not exact, when another condition or a stage rule must be tested; none for a keyword', () => {
    const two = typed({
      category: 'video',
      fields: 'id',
      limit: 4,
      condition_groups: [
        and(cond('like_count', 'gte', '5'), cond('view_count', 'gte', '500'))
      ]
    });
    const found = candidates(two)!;
    expect(found.exact).toBe(false);
    const universe = sharedEngineState(listed).ids.videos;
    const superset = new Set([...found.positions].map(p => universe[p]));
    expect(allMatches(two).every(id => superset.has(id))).toBe(true);
    expect(
      candidatesOf(
        typed(one('like_count', 'gte', '5')),
        (table, term, sort) =>
          sharedEngineState(listed).lists.find(
            list =>
              list.table === table &&
              list.termColumn === term &&
              list.sortColumn === sort
          ),
        true
      )?.exact
    ).toBe(false);
    expect(candidates(typed(one('keyword', 'eq', 'recipe')))).toBeNull();
    const negated = typed({
      category: 'video',
      fields: 'id',
      limit: 4,
      condition_groups: [
        and(cond('like_count', 'gte', '5')),
        { operator: 'not', conditions: [cond('region_code', 'eq', 'US')] }
      ]
    });
    expect(candidates(negated)?.exact).toBe(false);
    const dated = typed({
      category: 'video',
      fields: 'id',
      limit: 4,
      start_date: '20220101',
      end_date: '20231231',
      condition_groups: [and(cond('like_count', 'gte', '10'))]
    });
    expect(candidates(dated)?.exact).toBe(false);
  });

  it.each([
    ['a range', () => one('like_count', 'gte', likeFor(40))],
    ['a hashtag', () => one('hashtag_names', 'contains', tag())],
    [
      'a region and a date range',
      () => ({
        category: 'video',
        fields: 'id',
        limit: 4,
        condition_groups: [
          and(
            cond('region_code', 'eq', region()),
            cond('create_time', 'gte', '20250601')
          )
        ]
      })
    ],
    [
      'a range tested against another condition',
      () => ({
        category: 'video',
        fields: 'id',
        limit: 4,
        condition_groups: [
          and(
            cond('like_count', 'gte', likeFor(120)),
            cond('comment_count', 'gte', '1')
          )
        ]
      })
    ]
  ])('draws uniformly from %s, only matches, and lists nothing', (_, body) => {
    const query = typed(body());
    const matches = allMatches(query);
    expect(matches.length).toBeGreaterThan(8);
    expect(matches.length).toBeLessThan(400);
    const cache = matchCacheOf(listed);
    const before = cache.size;
    const random = seededRandomInt(31);
    const counts = new Map<number, number>();
    const draws = 3000;
    const set = new Set(matches);
    for (let i = 0; i < draws; i++) {
      const ids = sampleIds(listed, query, random);
      expect(ids).toHaveLength(4);
      expect(new Set(ids).size).toBe(4);
      for (const id of ids) {
        expect(set.has(id)).toBe(true);
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
    }
    if (candidates(query)!.exact) {
      expect(cache.size).toBe(before); // drawn from the list, never listed
    }
    expect(
      chiSquare(counts, matches, (draws * 4) / matches.length)
    ).toBeLessThan(chiSquare999(matches.length - 1));
  });

  it('gives every match when fewer than the limit, and none when none match', () => {
    const few = typed({
      ...one('like_count', 'gte', likeFor(3)),
      limit: 50
    });
    expect(sampleIds(listed, few, seededRandomInt(1)).sort()).toEqual(
      allMatches(few).sort()
    );
    const none = typed(one('like_count', 'gt', '999999999'));
    expect(sampleIds(listed, none, seededRandomInt(1))).toEqual([]);
  });
});
