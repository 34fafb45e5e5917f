import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { ApiError } from '../../src/http/errors';
import { parseJobListQuery } from '../../src/jobs/list-query';
import { checkSubmission } from '../../src/jobs/submission';
import { seededRandomInt } from '../../src/query/engine';
import { bearer, fixtureData, makePlatform, signIn } from '../helpers/helpers';
import { call, openapi } from '../helpers/openapi-conformance';

/**
 * openapi.yaml and the validators agree: each input below is valid by the
 * document exactly when the stand-in accepts it (issue 18, defect 5).
 */

const DOC = 'openapi.json';
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(openapi, DOC);

const pointer = (path: string) => path.replace(/~/g, '~0').replace(/\//g, '~1');

function documentAccepts(where: string, value: unknown): boolean {
  const validate = ajv.getSchema(`${DOC}#${where}`);
  if (!validate) {
    throw new Error(`no schema at ${where}`);
  }
  return validate(value) as boolean;
}

/** The schema of a documented parameter, by path, method and name. */
function parameterSchema(path: string, method: string, name: string): string {
  const operation = (
    openapi.paths[path] as unknown as Record<
      string,
      { parameters: { name: string }[] }
    >
  )[method];
  const index = operation.parameters.findIndex(
    parameter => parameter.name === name
  );
  if (index < 0) {
    throw new Error(`${method} ${path} has no parameter ${name}`);
  }
  return `/paths/${pointer(path)}/${method}/parameters/${index}/schema`;
}

const BASE = {
  category: 'video',
  condition_groups: [
    {
      operator: 'and',
      conditions: [
        { field: 'like_count', operator: 'gte', field_values: ['10'] }
      ]
    }
  ],
  fields: 'id',
  limit: 5
};

describe('query bodies: valid by openapi.yaml exactly when the stand-in accepts them', () => {
  let platform: ReturnType<typeof makePlatform>;
  let token: string;
  beforeAll(async () => {
    platform = makePlatform({
      publicData: fixtureData(),
      random: seededRandomInt(5)
    });
    token = await signIn(platform.app);
  });
  afterAll(() => platform.close());

  it.each([
    ['start_date 00000000', { start_date: '00000000' }, false],
    ['start_date 19691231', { start_date: '19691231' }, false],
    ['end_date 20230229 (not a leap year)', { end_date: '20230229' }, false],
    ['end_date 20240229 (a leap year)', { end_date: '20240229' }, true],
    ['end_date 20000229 (a leap century)', { end_date: '20000229' }, true],
    ['end_date 21000229 (not a leap century)', { end_date: '21000229' }, false],
    ['end_date 20240431', { end_date: '20240431' }, false],
    ['start_date 19700101', { start_date: '19700101' }, true],
    [
      '"cursor": null (clients send it on a first page)',
      { cursor: null },
      true
    ],
    ['"limit": null', { limit: null }, true],
    ['"start_date": null', { start_date: null }, true],
    ['an empty category', { category: '' }, false],
    ['category in capitals', { category: 'VIDEO' }, true],
    ['an empty fields string', { fields: '' }, false],
    ['an empty fields list', { fields: [] }, false],
    ['an unknown key', { search_id: null }, false],
    ['limit 0', { limit: 0 }, false],
    ['limit 100,001', { limit: 100_001 }, false],
    [
      'a group operator that is not one',
      {
        condition_groups: [{ ...BASE.condition_groups[0], operator: 'xor' }]
      },
      false
    ],
    [
      'an operation in any case',
      {
        condition_groups: [
          {
            operator: 'AND',
            conditions: [
              { field: 'like_count', operator: 'Gte', field_values: ['10'] }
            ]
          }
        ]
      },
      true
    ],
    [
      'an unknown condition key',
      {
        condition_groups: [
          {
            operator: 'and',
            conditions: [
              {
                field: 'like_count',
                operator: 'gte',
                field_values: ['10'],
                extra: 1
              }
            ]
          }
        ]
      },
      false
    ]
  ])('%s', async (_name, change, valid) => {
    const body = { ...BASE, ...change };
    expect(documentAccepts('/components/schemas/QueryRequest', body)).toBe(
      valid
    );
    const response = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query/',
      headers: bearer(token),
      payload: body
    });
    expect(response.statusCode).toBe(valid ? 200 : 400);
  });

  it('the token route: an empty client key is invalid by both', async () => {
    const body = {
      client_key: '',
      client_secret: 'x',
      grant_type: 'client_credentials'
    };
    expect(documentAccepts('/components/schemas/TokenRequest', body)).toBe(
      false
    );
    const response = await call(platform.app, {
      method: 'POST',
      url: '/v2/oauth/token/',
      payload: body
    });
    expect(response.statusCode).toBe(400);
  });

  it('a task result page: an empty page_size= is invalid by both', async () => {
    const created = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query_tasks/',
      headers: bearer(token),
      payload: BASE
    });
    const taskId = created.json().data.task_id;
    const schema = parameterSchema(
      '/v2/vce/query_tasks/{task_id}/result/',
      'get',
      'page_size'
    );
    expect(documentAccepts(schema, '')).toBe(false);
    const response = await call(platform.app, {
      method: 'GET',
      url: `/v2/vce/query_tasks/${taskId}/result/?page_size=`,
      headers: bearer(token)
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(
      /page_size "" is not allowed/
    );
  });
});

describe('job lists and submissions: the document and the validators agree', () => {
  const listAccepts = (query: Record<string, string>) => {
    try {
      parseJobListQuery(query);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.statusCode === 400) {
        return false;
      }
      throw error;
    }
  };

  it.each([
    ['page_size', '', false],
    ['page_size', '5', true],
    ['page_size', '1e1', false],
    ['page_size', '101', false],
    ['stage', '', false],
    ['stage', 'test', true]
  ])('GET /v2/vce/jobs/?%s=%j', (name, value, valid) => {
    const schema = parameterSchema('/v2/vce/jobs/', 'get', name);
    // A query parameter arrives as text: the document reads digits as its integer.
    const asDocumented =
      name === 'page_size' && /^\d+$/.test(value) ? Number(value) : value;
    expect(documentAccepts(schema, asDocumented)).toBe(valid);
    expect(listAccepts({ [name]: value })).toBe(valid);
  });

  const submission = (name: string) => ({
    entry: 'a.py',
    files: [
      {
        name: 'a.py',
        content_base64: Buffer.from('print(1)\n').toString('base64')
      },
      { name, content_base64: 'eA==' }
    ]
  });

  it.each([
    ['A.PY', true],
    ['study.ipynb', true],
    ['notes.txt', false],
    ['py', false],
    ['.py', false]
  ])('an entry named %j', (entry, valid) => {
    const body = {
      entry,
      files: [
        {
          name: entry,
          content_base64: Buffer.from('print(1)\n').toString('base64')
        }
      ]
    };
    if (entry.endsWith('.ipynb')) {
      body.files[0].content_base64 = Buffer.from(
        JSON.stringify({
          nbformat: 4,
          nbformat_minor: 5,
          metadata: {},
          cells: [
            {
              cell_type: 'code',
              metadata: {},
              execution_count: null,
              outputs: [],
              source: 'print(1)'
            }
          ]
        })
      ).toString('base64');
    }
    expect(documentAccepts('/components/schemas/JobSubmission', body)).toBe(
      valid
    );
    expect(checkSubmission(body).ok).toBe(valid);
  });

  it.each([
    ['', false],
    ['/etc/passwd', false],
    ['a\\b.py', false],
    ['.env', false],
    ['data/.hidden/x.csv', false],
    ['a//b.py', false],
    ['data/', false],
    ['../x.py', false],
    ['helpers/stats.py', true],
    ['données (2).csv', true]
  ])('a companion file named %j', (name, valid) => {
    expect(
      documentAccepts('/components/schemas/JobSubmission', submission(name))
    ).toBe(valid);
    expect(checkSubmission(submission(name)).ok).toBe(valid);
  });
});
