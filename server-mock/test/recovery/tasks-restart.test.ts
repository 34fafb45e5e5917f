/**
 * Issue 18 defect 1: a query task caught by a crash stayed Created, Validating
 * or Processing forever (its steps live in the process that died). A restart
 * ends it AnalysisFailed saying the platform restarted and nothing was
 * charged; a finished task is left as it was.
 */
import { buildApp } from '../../src/app';
import { seededRandomInt } from '../../src/query/engine';
import {
  RESTARTED_CODE,
  RESTARTED_MESSAGE
} from '../../src/query/task-recovery';
import type { QueryTaskRecord, TaskStatus } from '../../src/store';
import {
  ALICE,
  bearer,
  fixtureData,
  makePlatform,
  signIn
} from '../helpers/helpers';
import { call } from '../helpers/openapi-conformance';

const REQUEST = JSON.stringify({
  category: 'video',
  fields: 'id,like_count',
  limit: 5
});

/** A task as a process killed at that step left it in the store. */
function leftBehind(status: TaskStatus, taskId: string): QueryTaskRecord {
  const at = '2026-11-25T21:29:00.000Z';
  return {
    taskId,
    clientKey: ALICE.clientKey,
    stage: 'test',
    request: REQUEST,
    status,
    createdAt: at,
    updatedAt: at,
    count: status === 'Completed' ? 2 : null,
    errorCode: null,
    errorMessage: null,
    resultIds: status === 'Completed' ? '[1,2]' : null,
    jobId: null
  };
}

describe('query tasks after a restart', () => {
  it('ends every task a crash left mid-way AnalysisFailed (nothing charged) and keeps the finished ones', async () => {
    const publicData = fixtureData();
    const platform = makePlatform({ publicData, random: seededRandomInt(5) });
    for (const status of [
      'Created',
      'Validating',
      'Processing',
      'Completed'
    ] as const) {
      platform.store.createTask(leftBehind(status, `qt_left_${status}`));
    }
    // The restart: a new platform process on the same database.
    const restarted = buildApp({
      store: platform.store,
      now: platform.clock.now,
      publicData,
      random: seededRandomInt(5)
    });
    try {
      const token = await signIn(restarted);
      for (const status of ['Created', 'Validating', 'Processing']) {
        const task = await call(restarted, {
          method: 'GET',
          url: `/v2/vce/query_tasks/qt_left_${status}/`,
          headers: bearer(token)
        });
        expect(task.statusCode).toBe(200);
        expect(task.json().data).toMatchObject({
          status: 'AnalysisFailed',
          updated_at: platform.clock.now().toISOString(),
          error: { code: RESTARTED_CODE, message: RESTARTED_MESSAGE }
        });
        expect(task.json().data.error.message).toMatch(
          /platform restarted.*nothing was charged/
        );
        const result = await call(restarted, {
          method: 'GET',
          url: `/v2/vce/query_tasks/qt_left_${status}/result/`,
          headers: bearer(token)
        });
        expect(result.statusCode).toBe(409);
        expect(result.json().error.message).toMatch(/is AnalysisFailed/);
      }
      const done = await call(restarted, {
        method: 'GET',
        url: '/v2/vce/query_tasks/qt_left_Completed/',
        headers: bearer(token)
      });
      expect(done.json().data).toMatchObject({ status: 'Completed', count: 2 });
      const quota = await call(restarted, {
        method: 'GET',
        url: '/v2/vce/quota/',
        headers: bearer(token)
      });
      expect(quota.json().data.used).toBe(0);
    } finally {
      await restarted.close();
      await platform.close();
    }
  });
});
