import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFixtureData } from '../../src/data/fixture';
import { bearer, makePlatform, signIn } from '../helpers/helpers';
import { call } from '../helpers/openapi-conformance';

/** test-vectors/queries.json: the cases the SDK's pytest suite runs too. */
interface Case {
  name: string;
  request: unknown;
  expect: {
    status: number;
    ids?: number[];
    count?: number;
    error_code?: string;
    message_contains?: string;
  };
}

const VECTORS = join(__dirname, '..', '..', 'test-vectors');
const { cases } = JSON.parse(
  readFileSync(join(VECTORS, 'queries.json'), 'utf8')
) as { cases: Case[] };

describe('shared query vectors', () => {
  const platform = makePlatform({
    publicData: loadFixtureData(join(VECTORS, 'fixture-data.json')),
    dailyLimit: 1_000_000
  });
  let token: string;
  beforeAll(async () => {
    token = await signIn(platform.app);
  });
  afterAll(() => platform.close());

  it('has valid and invalid cases', () => {
    expect(cases.filter(c => c.expect.status === 200).length).toBeGreaterThan(
      40
    );
    expect(cases.filter(c => c.expect.status === 400).length).toBeGreaterThan(
      20
    );
  });

  it.each(cases.map(c => [c.name, c] as const))('%s', async (_name, vector) => {
    const response = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query/',
      headers: bearer(token),
      payload: vector.request as object
    });
    const body = response.json();
    expect({
      status: response.statusCode,
      message: body.error.message
    }).toMatchObject({ status: vector.expect.status });
    if (vector.expect.status === 200) {
      expect(body.data.count).toBe(vector.expect.count);
      const fields = (vector.request as { fields: string | string[] }).fields;
      const names = Array.isArray(fields) ? fields : fields.split(',');
      if (names.includes('id')) {
        const ids = (body.data.records as { id: number }[])
          .map(record => record.id)
          .sort((a, b) => a - b);
        expect(ids).toEqual(vector.expect.ids);
      }
      for (const record of body.data.records as Record<string, unknown>[]) {
        expect(Object.keys(record).every(key => names.includes(key))).toBe(
          true
        );
      }
    } else {
      expect(body.error.code).toBe(vector.expect.error_code);
      if (vector.expect.message_contains) {
        expect(body.error.message).toContain(vector.expect.message_contains);
      }
    }
  });
});
