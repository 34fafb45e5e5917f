import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPublicData } from '../../src/data/open';
import type { PublicData } from '../../src/data/schema';
import { ApiError } from '../../src/http/errors';
import { QueryPool, STREAM_CREDIT } from '../../src/query/pool';
import { InlineRunner, queryRunner } from '../../src/query/runners';
import { seededRandomInt } from '../../src/query/engine';
import type { TypedQuery } from '../../src/query/typed-query';
import { validateQuery } from '../../src/query/validate';
import { runOp } from '../../src/query/worker-ops';
import {
  ALICE,
  bearer,
  fixtureData,
  makePlatform,
  signIn
} from '../helpers/helpers';
import { call } from '../helpers/openapi-conformance';

const EXTRA_OPS = join(__dirname, 'fixtures', 'pool-test-ops.ts');

function typed(body: object, stage: 'test' | 'job' = 'test'): TypedQuery {
  const validation = validateQuery(body, stage);
  if (!validation.ok) throw new Error(JSON.stringify(validation.problems));
  return validation.query;
}

const and = (field: string, operator: string, ...values: string[]) => ({
  operator: 'and',
  conditions: [{ field, operator, field_values: values }]
});

/** The shapes of the bench's mixes, on a small data set. */
const QUERIES: TypedQuery[] = [
  typed({ category: 'video', fields: 'id,like_count', limit: 20 }),
  typed({
    category: 'video',
    fields: 'id,like_count',
    limit: 20,
    condition_groups: [and('like_count', 'gte', '100')]
  }),
  typed({
    category: 'video',
    fields: 'id,video_description',
    limit: 20,
    condition_groups: [and('keyword', 'eq', 'recipe')]
  }),
  typed({
    category: 'video',
    fields: 'id,hashtag_names',
    limit: 20,
    condition_groups: [and('hashtag_names', 'contains', 'cooking')]
  }),
  typed({
    category: 'comment',
    fields: 'id,text',
    limit: 20,
    condition_groups: [and('like_count', 'gte', '5')]
  })
];

/** Open a fresh connection to the same file: its own caches, as a worker has. */
function reopen(dir: string): PublicData {
  return openPublicData({
    dataDir: dir,
    seed: 5,
    videos: 3000,
    log: () => undefined
  });
}

async function drain(stream: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

describe('QueryPool (real worker threads)', () => {
  let dir: string;
  let data: PublicData;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vce-pool-'));
    data = reopen(dir);
  });
  afterAll(() => {
    data.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the inline results for the same seed: samples, counts, records, pages', async () => {
    const pool = new QueryPool(data, { workers: 1 });
    const inline = reopen(dir);
    try {
      for (const [index, query] of QUERIES.entries()) {
        // The same sequence on one worker and one fresh inline connection: same caches, same draws.
        for (let round = 0; round < 3; round++) {
          const seed = 100 * index + round;
          expect(await pool.run('sample', { query, seed })).toEqual(
            runOp(inline, 'sample', { query, seed })
          );
          expect(await pool.run('sampleIds', { query, seed })).toEqual(
            runOp(inline, 'sampleIds', { query, seed })
          );
        }
        expect(await pool.run('count', { query })).toBe(
          runOp(inline, 'count', { query })
        );
        const page = { query, afterId: 10, limit: 50 };
        expect(await pool.run('pageRecords', page)).toEqual(
          runOp(inline, 'pageRecords', page)
        );
      }
      const fetch = {
        category: 'video' as const,
        ids: [5, 3, 99999, 7],
        fields: ['id', 'like_count']
      };
      expect(await pool.run('fetch', fetch)).toEqual(
        runOp(inline, 'fetch', fetch)
      );
    } finally {
      inline.db.close();
      await pool.close();
    }
  });

  it('streams a page in chunks equal to the inline stream, with its summary', async () => {
    const pool = new QueryPool(data, { workers: 2 });
    const inline = new InlineRunner(data);
    try {
      const args = {
        query: typed(
          {
            category: 'video',
            fields: 'id,like_count',
            limit: 1000,
            condition_groups: [and('like_count', 'gte', '10')]
          },
          'job'
        ),
        afterId: null,
        limit: 700,
        chunkRecords: 64
      };
      const fromPool = pool.stream('page', args);
      const fromInline = inline.stream('page', args);
      expect(await drain(fromPool)).toBe(await drain(fromInline));
      const summary = await fromPool.summary;
      expect(summary).toEqual(await fromInline.summary);
      expect(summary!.count).toBeGreaterThan(0);
      // The summary is also the iterator's final value, from the pool and inline alike.
      for (const runner of [pool, inline]) {
        const iterator = runner.stream('page', args)[Symbol.asyncIterator]();
        let step = await iterator.next();
        while (!step.done) step = await iterator.next();
        expect(step.value).toEqual(summary);
      }
    } finally {
      await pool.close();
    }
  });

  it('produces a stream chunk only when the consumer took one (backpressure), and stops when it stops', async () => {
    const pool = new QueryPool(data, { workers: 1, extraOps: EXTRA_OPS });
    try {
      const made = new Int32Array(new SharedArrayBuffer(4));
      const counted = (
        pool as unknown as {
          stream: (
            op: string,
            args: unknown
          ) => AsyncIterable<Buffer> & {
            summary: Promise<unknown>;
          };
        }
      ).stream('counted', { chunks: 50, made });
      const reader = counted[Symbol.asyncIterator]();
      await reader.next();
      await reader.next();
      // Whatever the wait, the worker holds no more than its credit ahead of the reader.
      await new Promise(resolve => setTimeout(resolve, 200));
      expect(Atomics.load(made, 0)).toBeLessThanOrEqual(2 + STREAM_CREDIT);
      await reader.return!();
      expect(await counted.summary).toBeNull();
      // The worker is free again.
      expect(await pool.run('count', { query: QUERIES[0] })).toBe(3000);
      expect(Atomics.load(made, 0)).toBeLessThan(50);
    } finally {
      await pool.close();
    }
  });

  it('turns an error in a worker into the same error: an ApiError keeps status, code, message and data', async () => {
    const pool = new QueryPool(data, { workers: 1, extraOps: EXTRA_OPS });
    const run = pool.run.bind(pool) as (
      op: string,
      args: unknown
    ) => Promise<unknown>;
    try {
      const refusal = await run('refuse', {}).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(ApiError);
      expect(refusal).toMatchObject({
        statusCode: 429,
        code: 'daily_quota_limit_exceeded',
        message: 'no more today',
        data: { quota: { remaining: 0 } }
      });
      const crash = (await run('crash', {}).catch(
        (error: unknown) => error
      )) as Error;
      expect(crash).not.toBeInstanceOf(ApiError);
      expect(crash.name).toBe('TypeError');
      expect(crash.message).toBe('something broke in the worker');
      await expect(run('no-such-op', {})).rejects.toThrow(
        'unknown query operation no-such-op'
      );
    } finally {
      await pool.close();
    }
  });

  it('replaces a worker that dies; its request fails with a 503, the next one is answered', async () => {
    const pool = new QueryPool(data, { workers: 1, extraOps: EXTRA_OPS });
    const run = pool.run.bind(pool) as (
      op: string,
      args: unknown
    ) => Promise<unknown>;
    try {
      await pool.ready();
      const before = pool.threadIds;
      const queued = pool.run('count', { query: QUERIES[0] });
      const lost = (await run('die', {}).catch(
        (error: unknown) => error
      )) as ApiError;
      // The count was answered first (FIFO), the crash took only its own request.
      expect(await queued).toBe(3000);
      expect(lost).toBeInstanceOf(ApiError);
      expect(lost.statusCode).toBe(503);
      expect(lost.code).toBe('data_unavailable');
      expect(lost.message).toMatch(/stopped with code 3 and was replaced/);
      expect(await pool.run('count', { query: QUERIES[0] })).toBe(3000);
      expect(pool.threadIds).not.toEqual(before);
    } finally {
      await pool.close();
    }
  });

  it('fails a stream whose worker dies with the same 503', async () => {
    const pool = new QueryPool(data, { workers: 1, extraOps: EXTRA_OPS });
    try {
      const dying = (
        pool as unknown as {
          stream: (
            op: string,
            args: unknown
          ) => AsyncIterable<Buffer> & {
            summary: Promise<unknown>;
          };
        }
      ).stream('dying', {});
      const reader = dying[Symbol.asyncIterator]();
      expect((await reader.next()).value.toString()).toBe('first,');
      await expect(reader.next()).rejects.toMatchObject({
        statusCode: 503,
        code: 'data_unavailable'
      });
      await expect(dying.summary).rejects.toMatchObject({ statusCode: 503 });
      expect(await pool.run('count', { query: QUERIES[0] })).toBe(3000);
    } finally {
      await pool.close();
    }
  });

  it('closes: workers stop, queued and later requests fail with a 503', async () => {
    const pool = new QueryPool(data, { workers: 1, depth: 1 });
    await pool.ready();
    const running = pool.run('count', { query: QUERIES[1] });
    const queued = pool.run('count', { query: QUERIES[2] });
    const closed = pool.close();
    await expect(queued).rejects.toMatchObject({ statusCode: 503 });
    await closed;
    // The one running was either answered before the stop or failed with the 503.
    await running.then(
      count => expect(typeof count).toBe('number'),
      error => expect(error).toMatchObject({ statusCode: 503 })
    );
    await expect(
      pool.run('count', { query: QUERIES[0] })
    ).rejects.toMatchObject({ statusCode: 503, code: 'data_unavailable' });
    expect(pool.threadIds.length).toBe(1);
  });

  it('refuses a seeded sampler with workers (it cannot cross threads), runs it inline with 0', async () => {
    expect(() => queryRunner(data, 2, seededRandomInt(1))).toThrow(
      /runs inline/
    );
    const inline = queryRunner(data, 0, seededRandomInt(1));
    expect(inline.size).toBe(0);
    expect(await inline.run('count', { query: QUERIES[0] })).toBe(3000);
  });
});

describe('the query routes on the pool', () => {
  it('answers samples and tasks from worker threads, charging the quota on the main thread', async () => {
    const platform = makePlatform({
      publicData: fixtureData(),
      queryWorkers: 2
    });
    try {
      const token = await signIn(platform.app);
      const responses = await Promise.all(
        Array.from({ length: 6 }, () =>
          call(platform.app, {
            method: 'POST',
            url: '/v2/vce/query/',
            headers: bearer(token),
            payload: { category: 'video', fields: 'id,like_count', limit: 3 }
          })
        )
      );
      for (const response of responses) {
        expect(response.statusCode).toBe(200);
        expect(response.json().data.count).toBe(3);
      }
      expect(platform.store.usedOn(ALICE.clientKey, '2026-11-25')).toBe(18);

      const created = await call(platform.app, {
        method: 'POST',
        url: '/v2/vce/query_tasks/',
        headers: bearer(token),
        payload: { category: 'video', fields: 'id', limit: 2 }
      });
      expect(created.statusCode).toBe(200);
      const taskId = created.json().data.task_id as string;
      let status = '';
      for (let i = 0; i < 200 && status !== 'Completed'; i++) {
        await new Promise(resolve => setTimeout(resolve, 10));
        status = (
          await call(platform.app, {
            method: 'GET',
            url: `/v2/vce/query_tasks/${taskId}/`,
            headers: bearer(token)
          })
        ).json().data.status;
      }
      expect(status).toBe('Completed');
      const result = await call(platform.app, {
        method: 'GET',
        url: `/v2/vce/query_tasks/${taskId}/result/`,
        headers: bearer(token)
      });
      expect(result.statusCode).toBe(200);
      expect(result.json().data.count).toBe(2);
      expect(platform.store.usedOn(ALICE.clientKey, '2026-11-25')).toBe(20);
    } finally {
      await platform.close();
    }
  });
});
