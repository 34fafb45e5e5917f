import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PublicData } from '../../src/data/schema';
import {
  CATALOGUE,
  CATEGORIES,
  type Category
} from '../../src/query/catalogue';
import { pageRecords } from '../../src/query/engine';
import { pageChunks, type PageSummary } from '../../src/query/page-stream';
import type { TypedQuery } from '../../src/query/typed-query';
import { validateQuery } from '../../src/query/validate';
import { fixtureData } from '../helpers/helpers';

/** Every chunk and the summary of a page. */
function drain(
  data: PublicData,
  query: TypedQuery,
  afterId: number | null,
  limit: number,
  options: Parameters<typeof pageChunks>[4] = {}
): { chunks: string[]; bytes: Buffer; summary: PageSummary } {
  const generator = pageChunks(data, query, afterId, limit, options);
  const raw: Buffer[] = [];
  for (;;) {
    const step = generator.next();
    if (step.done) {
      return {
        chunks: raw.map(chunk => chunk.toString('utf8')),
        bytes: Buffer.concat(raw),
        summary: step.value
      };
    }
    raw.push(step.value);
  }
}

function typed(body: Record<string, unknown>): TypedQuery {
  const validation = validateQuery(body, 'job');
  if (!validation.ok) {
    throw new Error(JSON.stringify(validation.problems));
  }
  return validation.query;
}

/** The streamed page equals today's pageRecords, record for record, with the same summary. */
function expectSame(
  data: PublicData,
  query: TypedQuery,
  afterId: number | null,
  limit: number,
  options: Parameters<typeof pageChunks>[4] = {}
): PageSummary {
  const expected = pageRecords(data, query, afterId, limit);
  const { chunks, bytes, summary } = drain(
    data,
    query,
    afterId,
    limit,
    options
  );
  const records = JSON.parse(`[${chunks.join('')}]`) as unknown[];
  // What a client of today received: the records through JSON.stringify (-0 → 0, Infinity → null).
  const wire = JSON.stringify(expected.records);
  expect(records).toEqual(JSON.parse(wire));
  expect(JSON.stringify(records)).toBe(wire);
  // Byte for byte: the same escapes, and valid UTF-8 where a stored text is not.
  expect(bytes.equals(Buffer.from(wire.slice(1, -1), 'utf8'))).toBe(true);
  expect(summary).toEqual({
    count: expected.records.length,
    lastId: expected.lastId,
    hasMore: expected.hasMore
  });
  return summary;
}

const WAYS = [undefined, 'keyset', 'rows'] as const;
const vectors = JSON.parse(
  readFileSync(
    join(__dirname, '..', '..', 'test-vectors', 'queries.json'),
    'utf8'
  )
) as {
  cases: {
    name: string;
    request: Record<string, unknown>;
    expect: { status: number };
  }[];
};

describe('pageChunks: the same records as pageRecords', () => {
  const data = fixtureData();
  afterAll(() => data.db.close());

  const accepted = vectors.cases.filter(
    item => item.expect.status === 200 && validateQuery(item.request, 'job').ok
  );

  it.each(accepted.map(item => [item.name, item.request] as const))(
    'shared vector %s: every limit, chunk size and way',
    (_name, request) => {
      const query = typed(request);
      for (const way of WAYS) {
        for (const limit of [1, 2, 7, 100_000]) {
          for (const chunkRecords of [1, 3, 1000]) {
            expectSame(data, query, null, limit, { way, chunkRecords });
          }
        }
      }
    }
  );

  it.each(CATEGORIES.map(category => [category] as const))(
    '%s: every returnable field alone, all together, and in reverse order',
    (category: Category) => {
      const returnable = Object.keys(CATALOGUE[category].returnable);
      const shapes = [
        ...returnable.map(field => [field]),
        returnable,
        [...returnable].reverse()
      ];
      for (const fields of shapes) {
        const query = typed({
          category,
          fields: fields.join(','),
          limit: 100_000
        });
        for (const way of WAYS) {
          expectSame(data, query, null, 100_000, { way, chunkRecords: 4 });
        }
      }
    }
  );

  it('cursor continuity: pages chained by lastId give every match once, in id order', () => {
    const query = typed({
      category: 'video',
      fields: 'id,create_time',
      limit: 4
    });
    const all = pageRecords(data, query, null, 100_000).records;
    for (const way of WAYS) {
      const seen: unknown[] = [];
      let after: number | null = null;
      let pages = 0;
      for (;;) {
        const { chunks, summary } = drain(data, query, after, 4, {
          way,
          chunkRecords: 3
        });
        seen.push(...(JSON.parse(`[${chunks.join('')}]`) as unknown[]));
        pages++;
        if (!summary.hasMore) break;
        after = summary.lastId;
      }
      expect(seen).toEqual(all);
      expect(pages).toBe(
        Math.ceil(all.length / 4) + (all.length % 4 === 0 ? 1 : 0)
      );
    }
  });

  it('chunks hold at most chunkRecords records and concatenate to the array inside', () => {
    const query = typed({ category: 'video', fields: 'id', limit: 100_000 });
    for (const way of WAYS) {
      const { chunks, summary } = drain(data, query, null, 100_000, {
        way,
        chunkRecords: 7
      });
      expect(chunks.length).toBe(Math.ceil(summary.count / 7));
      chunks.forEach((chunk, index) => {
        const inner = index === 0 ? chunk : chunk.slice(1);
        if (index > 0) expect(chunk[0]).toBe(',');
        expect(
          (JSON.parse(`[${inner}]`) as unknown[]).length
        ).toBeLessThanOrEqual(7);
      });
    }
  });

  it('an empty page: no chunk, count 0, no more', () => {
    const query = typed({
      category: 'video',
      condition_groups: [
        {
          operator: 'and',
          conditions: [
            {
              field: 'like_count',
              operator: 'gt',
              field_values: ['999999999999']
            }
          ]
        }
      ],
      fields: 'id',
      limit: 10
    });
    for (const way of WAYS) {
      const { chunks, summary } = drain(data, query, null, 10, { way });
      expect({ chunks, summary }).toEqual({
        chunks: [],
        summary: { count: 0, lastId: null, hasMore: false }
      });
    }
  });
});

describe('pageChunks: values SQLite and JavaScript could write differently', () => {
  const data = fixtureData();
  afterAll(() => data.db.close());
  const db = data.db;
  const template = db
    .prepare('SELECT * FROM videos ORDER BY id LIMIT 1')
    .get() as Record<string, unknown>;
  const columns = Object.keys(template);
  const insert = db.prepare(
    `INSERT INTO videos (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`
  );
  let nextId = 9_000_000_000_000_000;
  function video(values: Record<string, unknown>): void {
    const row: Record<string, unknown> = {
      ...template,
      ...values,
      id: nextId++
    };
    const raw = Object.entries(values).filter(
      ([, value]) =>
        typeof value === 'object' && value !== null && 'sql' in value
    );
    insert.run(
      ...columns.map(column =>
        raw.some(([name]) => name === column) ? template[column] : row[column]
      )
    );
    for (const [name, value] of raw) {
      data.db
        .prepare(
          `UPDATE videos SET ${name} = ${(value as { sql: string }).sql} WHERE id = ?`
        )
        .run(row.id as number);
    }
  }
  const strange: Record<string, unknown>[] = [
    { playlist_id: null },
    { like_count: 1.5 },
    { like_count: 0.1 + 0.2 },
    { like_count: 2 ** 60 },
    { like_count: -(2 ** 53) + 1 },
    { like_count: 2n ** 62n },
    { like_count: 'not a number' },
    { like_count: Buffer.from([1, 2, 3]) },
    { like_count: -0 },
    { view_count: 1e300 },
    {
      video_description:
        'quotes " and \\ backslash \n newline \t tab \u0000 nul \u001f unit'
    },
    { video_description: 'unicode é ü 中文 😀 \u2028 \u2029 \u007f' },
    { video_description: '' },
    { video_description: 12345 },
    { video_description: 1.25 },
    { username: Buffer.from('bytes') },
    { is_stem_verified: 0 },
    { is_stem_verified: 1 },
    { is_stem_verified: 2 },
    { is_stem_verified: 1.0 },
    { is_stem_verified: 0.5 },
    { is_stem_verified: 'yes' },
    { is_stem_verified: Buffer.from([1]) },
    { hashtag_names: '[]' },
    { hashtag_names: '[ ]' },
    { hashtag_names: '["a","b"]' },
    { hashtag_names: ' [ "spaced" , "x" ] ' },
    { hashtag_names: '["\\u00e9\\u0000\\"q\\"", "\\ud83d\\ude00"]' },
    { hashtag_names: '["\\ud800"]' },
    { hashtag_names: '[1,2.50,-0,1e400,12345678901234567890]' },
    { hashtag_names: '[["nested"],{"a":1},null,true]' },
    { hashtag_names: '{"a":1}' },
    { hashtag_names: '"a string"' },
    { hashtag_names: '7' },
    { hashtag_names: 7 },
    { hashtag_names: Buffer.from('["a"]') },
    { effect_ids: '[]' },
    { effect_ids: '["e1"]' },
    { hashtag_names: '["\\u0041","caf\\u00e9","a\\/b"]' },
    // Text that is not valid UTF-8 (stored by another writer): written as the old way wrote it (U+FFFD).
    { video_description: { sql: "CAST(x'61eda08062ff' AS TEXT)" } },
    { username: { sql: "CAST(x'c3' AS TEXT)" } },
    { hashtag_names: { sql: "CAST(x'5b2261ff225d' AS TEXT)" } }
  ];
  for (const values of strange) {
    video(values);
  }
  const first = 9_000_000_000_000_000 - 1;

  it('every strange row gives the record toRecord gives, in every way and chunk size', () => {
    const returnable = Object.keys(CATALOGUE.video.returnable);
    for (const fields of [
      returnable,
      ['id', 'like_count'],
      ['hashtag_names', 'is_stem_verified', 'id']
    ]) {
      const query = typed({
        category: 'video',
        fields: fields.join(','),
        limit: 100_000
      });
      for (const way of WAYS) {
        for (const chunkRecords of [1, 4, 1000]) {
          expectSame(data, query, first, 100_000, { way, chunkRecords });
          expectSame(data, query, null, 100_000, { way, chunkRecords });
        }
      }
    }
  });

  it('a list that is not JSON fails as pageRecords fails', () => {
    video({ hashtag_names: 'not json' });
    const query = typed({
      category: 'video',
      fields: 'id,hashtag_names',
      limit: 100_000
    });
    expect(() => pageRecords(data, query, first, 100_000)).toThrow(SyntaxError);
    for (const way of WAYS) {
      expect(() => drain(data, query, first, 100_000, { way })).toThrow(
        SyntaxError
      );
    }
  });
});
