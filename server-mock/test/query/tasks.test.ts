import type { FastifyInstance } from 'fastify';
import { seededRandomInt } from '../../src/query/engine';
import {
  ALICE,
  bearer,
  fixtureData,
  makePlatform,
  signIn
} from '../helpers/helpers';
import { call } from '../helpers/openapi-conformance';

const BODY = {
  category: 'video',
  condition_groups: [
    {
      operator: 'and',
      conditions: [
        { field: 'like_count', operator: 'gte', field_values: ['10'] }
      ]
    }
  ],
  fields: 'id,like_count',
  limit: 15
};

async function waitFor(
  app: FastifyInstance,
  token: string,
  taskId: string,
  done: (status: string) => boolean
) {
  const seen: string[] = [];
  for (let i = 0; i < 200; i++) {
    const response = await call(app, {
      method: 'GET',
      url: `/v2/vce/query_tasks/${taskId}/`,
      headers: bearer(token)
    });
    const data = response.json().data;
    if (seen[seen.length - 1] !== data.status) seen.push(data.status);
    if (done(data.status)) return { data, seen };
    await new Promise(resolve => setImmediate(resolve));
  }
  throw new Error(`task ${taskId} stuck: ${seen.join(' → ')}`);
}

describe('query tasks', () => {
  const final = (status: string) =>
    ['Completed', 'AnalysisFailed', 'Cancelled'].includes(status);

  it('runs Created → Validating → Processing → Completed, charges once, pages its result', async () => {
    const platform = makePlatform({
      publicData: fixtureData(),
      random: seededRandomInt(3)
    });
    const token = await signIn(platform.app);
    const created = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query_tasks/',
      headers: bearer(token),
      payload: BODY
    });
    expect(created.statusCode).toBe(200);
    const { task_id: taskId, status } = created.json().data;
    expect(status).toBe('Created');
    const early = await call(platform.app, {
      method: 'GET',
      url: `/v2/vce/query_tasks/${taskId}/result/`,
      headers: bearer(token)
    });
    expect(early.statusCode).toBe(409);
    const { data, seen } = await waitFor(platform.app, token, taskId, final);
    expect(seen).toEqual(['Created', 'Validating', 'Processing', 'Completed']);
    expect(data.count).toBe(15);
    expect(platform.store.usedOn(ALICE.clientKey, '2026-11-25')).toBe(15);

    const ids: number[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v2/vce/query_tasks/${taskId}/result/?page_size=4${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (
        await call(platform.app, { method: 'GET', url, headers: bearer(token) })
      ).json().data;
      expect(
        Object.keys(page.records[0] ?? { id: 0, like_count: 0 }).sort()
      ).toEqual(['id', 'like_count']);
      ids.push(...page.records.map((r: { id: number }) => r.id));
      cursor = page.cursor;
    } while (cursor);
    expect(new Set(ids).size).toBe(15);
    expect(platform.store.usedOn(ALICE.clientKey, '2026-11-25')).toBe(15); // reading is free

    const cancelDone = await call(platform.app, {
      method: 'POST',
      url: `/v2/vce/query_tasks/${taskId}/cancel/`,
      headers: bearer(token)
    });
    expect(cancelDone.statusCode).toBe(409);
    const bad = await call(platform.app, {
      method: 'GET',
      url: `/v2/vce/query_tasks/${taskId}/result/?page_size=0`,
      headers: bearer(token)
    });
    expect(bad.statusCode).toBe(400);
    await platform.close();
  });

  it('cancels before processing: nothing charged', async () => {
    const platform = makePlatform({ publicData: fixtureData() });
    const token = await signIn(platform.app);
    const taskId = (
      await call(platform.app, {
        method: 'POST',
        url: '/v2/vce/query_tasks/',
        headers: bearer(token),
        payload: BODY
      })
    ).json().data.task_id;
    const cancelled = await call(platform.app, {
      method: 'POST',
      url: `/v2/vce/query_tasks/${taskId}/cancel/`,
      headers: bearer(token)
    });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().data.status).toBe('Cancelled');
    await new Promise(resolve => setTimeout(resolve, 20));
    const { data } = await waitFor(platform.app, token, taskId, final);
    expect(data.status).toBe('Cancelled');
    expect(platform.store.usedOn(ALICE.clientKey, '2026-11-25')).toBe(0);
    await platform.close();
  });

  it('fails over quota (AnalysisFailed, nothing charged); refuses bad queries at once; hides other tasks', async () => {
    const platform = makePlatform({
      publicData: fixtureData(),
      dailyLimit: 10
    });
    const token = await signIn(platform.app);
    const taskId = (
      await call(platform.app, {
        method: 'POST',
        url: '/v2/vce/query_tasks/',
        headers: bearer(token),
        payload: BODY
      })
    ).json().data.task_id;
    const { data } = await waitFor(platform.app, token, taskId, final);
    expect(data.status).toBe('AnalysisFailed');
    expect(data.error.code).toBe('daily_quota_limit_exceeded');
    expect(data.error.message).toContain('2026-11-26T00:00:00Z');
    expect(platform.store.usedOn(ALICE.clientKey, '2026-11-25')).toBe(0);

    const invalid = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query_tasks/',
      headers: bearer(token),
      payload: { ...BODY, limit: 0 }
    });
    expect(invalid.statusCode).toBe(400);
    const missing = await call(platform.app, {
      method: 'GET',
      url: '/v2/vce/query_tasks/qt_nope/',
      headers: bearer(token)
    });
    expect(missing.statusCode).toBe(404);
    platform.store.upsertClient(
      {
        clientKey: 'bob',
        clientSecret: 'bob-secret',
        email: 'bob@uni.example'
      },
      platform.clock.now()
    );
    const bob = await signIn(platform.app, {
      clientKey: 'bob',
      clientSecret: 'bob-secret',
      email: 'bob@uni.example'
    });
    const stolen = await call(platform.app, {
      method: 'GET',
      url: `/v2/vce/query_tasks/${taskId}/`,
      headers: bearer(bob)
    });
    expect(stolen.statusCode).toBe(404);
    await platform.close();
  });

  it("a job's task covers every match, paged in id order, uncharged", async () => {
    const platform = makePlatform({
      publicData: fixtureData(),
      dailyLimit: 1
    });
    const job = platform.store.issueJobToken(
      ALICE.clientKey,
      platform.clock.now()
    );
    const taskId = (
      await call(platform.app, {
        method: 'POST',
        url: '/v2/vce/query_tasks/',
        headers: bearer(job),
        payload: { ...BODY, limit: 1000 }
      })
    ).json().data.task_id;
    const { data } = await waitFor(platform.app, job, taskId, final);
    expect(data).toMatchObject({ status: 'Completed', count: 20 });
    const ids: number[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v2/vce/query_tasks/${taskId}/result/?page_size=6${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (
        await call(platform.app, { method: 'GET', url, headers: bearer(job) })
      ).json().data;
      ids.push(...page.records.map((r: { id: number }) => r.id));
      cursor = page.cursor;
    } while (cursor);
    expect(ids).toHaveLength(20);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(platform.store.usedOn(ALICE.clientKey, '2026-11-25')).toBe(0);
    await platform.close();
  });

  it("ends a task the engine fails AnalysisFailed quoting a log id, never the engine's words", async () => {
    const publicData = fixtureData();
    const platform = makePlatform({ publicData, random: seededRandomInt(3) });
    const token = await signIn(platform.app);
    const logged: string[] = [];
    platform.app.log.error = ((fields: { logId?: string }) => {
      logged.push(fields.logId ?? '');
    }) as typeof platform.app.log.error;
    publicData.db.close(); // the engine fails: "The database connection is not open"
    const created = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query_tasks/',
      headers: bearer(token),
      payload: BODY
    });
    expect(created.statusCode).toBe(200);
    const { data } = await waitFor(
      platform.app,
      token,
      created.json().data.task_id,
      final
    );
    expect(data.status).toBe('AnalysisFailed');
    expect(data.error.code).toBe('internal_error');
    expect(data.error.message).not.toMatch(/database|sqlite/i);
    expect(data.error.message).toMatch(/nothing was charged; quote log id \S+/);
    expect(logged).toHaveLength(1);
    expect(data.error.message).toContain(logged[0]);
    expect(platform.store.usedOn(ALICE.clientKey, '2026-11-25')).toBe(0);
  });

  it('answers 503 without a data set', async () => {
    const platform = makePlatform();
    const token = await signIn(platform.app);
    const response = await call(platform.app, {
      method: 'POST',
      url: '/v2/vce/query_tasks/',
      headers: bearer(token),
      payload: BODY
    });
    expect(response.statusCode).toBe(503);
    await platform.close();
  });
});
