import Database from 'better-sqlite3';
import { QUERY_LIMITS } from '../../src/query/catalogue';
import { anyOf, compileWhere } from '../../src/query/compile';
import { seededRandomInt } from '../../src/query/engine';
import { validateQuery } from '../../src/query/validate';
import { bearer, fixtureData, makePlatform, signIn } from '../helpers/helpers';
import { call, openapi } from '../helpers/openapi-conformance';

const many = <T>(count: number, value: (index: number) => T): T[] =>
  Array.from({ length: count }, (_, index) => value(index));

const query = (
  conditions: { field: string; operator: string; field_values: string[] }[],
  operator = 'and'
) => ({
  category: 'video',
  condition_groups: [{ operator, conditions }],
  fields: 'id',
  limit: 10
});

describe('query limits are the engine limits', () => {
  let platform: ReturnType<typeof makePlatform>;
  let token: string;
  beforeAll(async () => {
    platform = makePlatform({
      publicData: fixtureData(),
      random: seededRandomInt(3)
    });
    token = await signIn(platform.app);
  });
  afterAll(() => platform.close());

  const post = (body: unknown) =>
    call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query/',
      headers: bearer(token),
      payload: body as Record<string, unknown>
    });

  it('33 IN conditions of 1,000 values: a 400 naming the total, not "too many SQL variables"', async () => {
    const response = await post(
      query(
        many(33, () => ({
          field: 'like_count',
          operator: 'IN',
          field_values: many(1000, String)
        }))
      )
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(
      /33,000 field_values together; at most 10,000/
    );
  });

  it('the most values allowed, on the fields that bind two variables a value, run', async () => {
    const perCondition = QUERY_LIMITS.maxFieldValues;
    const conditions = many(QUERY_LIMITS.maxTotalValues / perCondition, () => ({
      field: 'create_time',
      operator: 'IN',
      field_values: many(perCondition, index => String(1_700_000_000 + index))
    }));
    // `not` is the costliest (every row tested against every value): ~8 s on the fixture.
    for (const operator of ['not']) {
      const response = await post(query(conditions, operator));
      expect([operator, response.statusCode]).toEqual([operator, 200]);
    }
  });

  it('1,000 LIKE values and 1,000 time values in one condition run (the OR tree is balanced)', async () => {
    for (const operator of ['and', 'not']) {
      for (const condition of [
        {
          field: 'video_description',
          operator: 'LIKE',
          field_values: many(1000, index => `zq${index}`)
        },
        {
          field: 'create_time',
          operator: 'IN',
          field_values: many(1000, index => String(1_600_000_000 + index))
        }
      ]) {
        const response = await post(query([condition], operator));
        expect([condition.field, operator, response.statusCode]).toEqual([
          condition.field,
          operator,
          200
        ]);
      }
    }
  });

  it('openapi.yaml states the same limits', () => {
    const request = (
      openapi as unknown as {
        components: { schemas: Record<string, Record<string, unknown>> };
      }
    ).components.schemas.QueryRequest;
    expect(request['x-vce-query-limits']).toEqual({
      max_condition_groups: QUERY_LIMITS.maxConditionGroups,
      max_conditions: QUERY_LIMITS.maxConditions,
      max_field_values: QUERY_LIMITS.maxFieldValues,
      max_total_field_values: QUERY_LIMITS.maxTotalValues,
      max_value_length: QUERY_LIMITS.maxValueLength
    });
    // Two variables a time value, and a few for the time range, stage rule and paging.
    expect(2 * QUERY_LIMITS.maxTotalValues + 16).toBeLessThan(32_766);
  });
});

describe('anyOf', () => {
  it('nests ORs at most log2(n) deep', () => {
    const sql = anyOf(many(1000, index => `c${index}`));
    let depth = 0;
    let deepest = 0;
    for (const char of sql) {
      depth += char === '(' ? 1 : char === ')' ? -1 : 0;
      deepest = Math.max(deepest, depth);
    }
    expect(deepest).toBe(10);
    expect(sql.match(/c\d+/g)).toHaveLength(1000);
  });
});

describe('LIKE matches the whole text, literally', () => {
  const rows = [
    'a%b',
    'axb',
    'a_b',
    'a\\b',
    'A_B and more',
    'a\\%b',
    'ab',
    '100% sure'
  ];
  const db = new Database(':memory:');
  db.exec(
    'CREATE TABLE videos (id INTEGER PRIMARY KEY, video_description TEXT)'
  );
  const insert = db.prepare('INSERT INTO videos VALUES (?, ?)');
  rows.forEach((text, index) => insert.run(index, text));
  afterAll(() => db.close());

  const matches = (pattern: string) => {
    const validation = validateQuery(
      query([
        {
          field: 'video_description',
          operator: 'LIKE',
          field_values: [pattern]
        }
      ]),
      'test'
    );
    if (!validation.ok) {
      throw new Error(JSON.stringify(validation.problems));
    }
    const compiled = compileWhere(validation.query);
    return (
      db
        .prepare(`SELECT id FROM videos t WHERE ${compiled.where} ORDER BY id`)
        .pluck()
        .all(...compiled.params) as number[]
    ).map(id => rows[id]);
  };

  it.each([
    ['a%b', ['a%b']],
    ['a_b', ['a_b', 'A_B and more']],
    ['a\\b', ['a\\b']],
    ['\\%', ['a\\%b']],
    ['0% s', ['100% sure']],
    ['%', ['a%b', 'a\\%b', '100% sure']],
    ['ab', ['ab']]
  ])('%j matches %j only', (pattern, expected) => {
    expect(matches(pattern)).toEqual(expected);
  });
});
