import { randomBytes } from 'node:crypto';
import type { PlatformContext } from '../context';
import { newLogId } from '../http/errors';
import { chargeQuota, utcDay } from '../quota';
import type { QueryTaskRecord, TaskStatus } from '../store';
import { encodeCursor, queryFingerprint } from './paging';
import type { QueryRunner } from './pool';
import { testRunSampleSize, validationStage } from './test-run';
import type { TypedQuery } from './typed-query';
import { validateQuery } from './validate';

/**
 * The query tasks of the SDK (docs/research/vce-sdk.md: create, check status,
 * get result, cancel): their states and their result pages. The routes in
 * src/routes/tasks.ts only wire these to HTTP.
 */

/**
 * What a task needs of the platform: its store, clock, data and the daily
 * limit, and the query runner (../query/pool.ts) that counts and samples.
 */
export type TaskPlatform = Pick<
  PlatformContext,
  'store' | 'now' | 'publicData' | 'dailyLimit'
> & { queries: QueryRunner | null };

/** docs/research/vce-sdk.md: results paged, up to 100,000 records a page (execution stage); default 1,000. */
export const TASK_PAGE_DEFAULT = 1000;
export const TASK_PAGE_MAX = 100_000;

export const ACTIVE: TaskStatus[] = ['Created', 'Validating', 'Processing'];

/** Where a task's unexpected failure goes (the platform's log), under the log id its message quotes. */
export type TaskFaultLog = (error: unknown, logId: string) => void;

export function newTaskId(): string {
  return `qt_${randomBytes(12).toString('hex')}`;
}

/** A task as the API shows it. */
export function taskView(task: QueryTaskRecord) {
  return {
    task_id: task.taskId,
    status: task.status,
    created_at: task.createdAt,
    updated_at: task.updatedAt,
    ...(task.count !== null ? { count: task.count } : {}),
    ...(task.errorCode
      ? { error: { code: task.errorCode, message: task.errorMessage ?? '' } }
      : {})
  };
}

/**
 * A task's life, one step a turn of the event loop (so a status can be seen
 * and a cancel can land between steps): Created → Validating → Processing →
 * Completed | AnalysisFailed. A test-stage task charges the quota when it
 * completes, in the same transaction that records its sample.
 */
export function runTask(
  context: TaskPlatform,
  taskId: string,
  isClosed: () => boolean,
  logFault: TaskFaultLog
): void {
  const stamp = () => context.now().toISOString();
  const store = context.store;
  const step = (work: () => unknown) =>
    setImmediate(() => {
      if (isClosed()) {
        return;
      }
      const fault = (error: unknown) => {
        if (isClosed()) {
          return;
        }
        // The engine's words (SQLite's) go to the log, never to the researcher.
        const logId = newLogId(context.now());
        logFault(error, logId);
        store.updateTask(taskId, ACTIVE, {
          status: 'AnalysisFailed',
          updatedAt: stamp(),
          errorCode: 'internal_error',
          errorMessage: `The task failed unexpectedly and nothing was charged; quote log id ${logId} when you report it.`
        });
      };
      try {
        const done = work();
        if (done instanceof Promise) {
          done.catch(fault);
        }
      } catch (error) {
        fault(error);
      }
    });

  step(() => {
    if (
      !store.updateTask(taskId, ['Created'], {
        status: 'Validating',
        updatedAt: stamp()
      })
    ) {
      return false;
    }
    step(() => {
      const task = store.getTask(taskId);
      if (!task) {
        return false;
      }
      const validation = validateQuery(
        JSON.parse(task.request),
        validationStage(task.stage, task.jobId ?? null)
      );
      if (!validation.ok) {
        store.updateTask(taskId, ['Validating'], {
          status: 'AnalysisFailed',
          updatedAt: stamp(),
          errorCode: 'invalid_params',
          errorMessage: validation.problems
            .map(problem => problem.message)
            .join(' ')
        });
        return false;
      }
      if (
        !store.updateTask(taskId, ['Validating'], {
          status: 'Processing',
          updatedAt: stamp()
        })
      ) {
        return false;
      }
      step(() => processTask(context, task, validation.query, stamp, isClosed));
      return true;
    });
    return true;
  });
}

/** A task's query, run by the query workers; its result (and a test stage's charge) recorded here. */
async function processTask(
  context: TaskPlatform,
  task: QueryTaskRecord,
  query: TypedQuery,
  stamp: () => string,
  isClosed: () => boolean
): Promise<boolean> {
  const data = context.publicData;
  const queries = context.queries;
  const store = context.store;
  if (!data || !queries) {
    store.updateTask(task.taskId, ACTIVE, {
      status: 'AnalysisFailed',
      updatedAt: stamp(),
      errorCode: 'data_unavailable',
      errorMessage: 'No public data set is loaded.'
    });
    return false;
  }
  if (task.stage === 'job') {
    const count = await queries.run('count', { query });
    if (isClosed()) {
      return false;
    }
    store.updateTask(task.taskId, ['Processing'], {
      status: 'Completed',
      updatedAt: stamp(),
      count
    });
    return false;
  }
  // A test run's task reads the sample, within what remains of today's quota (./test-run.ts).
  const sampled = task.jobId
    ? {
        ...query,
        limit: Math.max(
          1,
          testRunSampleSize(
            query.limit,
            context.dailyLimit -
              store.usedOn(task.clientKey, utcDay(context.now()))
          )
        )
      }
    : query;
  const ids = await queries.run('sampleIds', { query: sampled });
  if (isClosed()) {
    return false;
  }
  store.immediate(() => {
    if (store.getTask(task.taskId)?.status !== 'Processing') {
      return; // cancelled meanwhile: nothing charged
    }
    const charge = chargeQuota(
      store,
      task.clientKey,
      ids.length,
      context.dailyLimit,
      context.now(),
      task.jobId ?? null
    );
    if (!charge.granted) {
      const quota = charge.quota;
      store.updateTask(task.taskId, ['Processing'], {
        status: 'AnalysisFailed',
        updatedAt: stamp(),
        errorCode: 'daily_quota_limit_exceeded',
        errorMessage: `The task would return ${ids.length} records but ${quota.remaining} of today's ${quota.daily_limit} remain; the quota resets at ${quota.resets_at}.`
      });
      return;
    }
    store.updateTask(task.taskId, ['Processing'], {
      status: 'Completed',
      updatedAt: stamp(),
      count: ids.length,
      resultIds: JSON.stringify(ids)
    });
  });
  return false;
}

/**
 * Record a new task (status Created) and start its life; `isClosed` stops it
 * when the platform closes, `logFault` logs what a failure was.
 */
export function createTask(
  context: TaskPlatform,
  from: {
    clientKey: string;
    stage: QueryTaskRecord['stage'];
    request: unknown;
    jobId: string | null;
  },
  isClosed: () => boolean,
  logFault: TaskFaultLog
): QueryTaskRecord {
  const now = context.now().toISOString();
  const task: QueryTaskRecord = {
    taskId: newTaskId(),
    clientKey: from.clientKey,
    stage: from.stage,
    request: JSON.stringify(from.request),
    status: 'Created',
    createdAt: now,
    updatedAt: now,
    count: null,
    errorCode: null,
    errorMessage: null,
    resultIds: null,
    jobId: from.jobId
  };
  context.store.createTask(task);
  runTask(context, task.taskId, isClosed, logFault);
  return task;
}

/**
 * One page of a completed task's result from a position (a test-stage task
 * pages the ids of its sample, a job's task every match in id order), with
 * the cursor of the next page bound to the task and its query.
 */
export async function taskResultPage(
  queries: QueryRunner,
  task: QueryTaskRecord,
  query: TypedQuery,
  position: number | null,
  pageSize: number
) {
  const fingerprint = taskFingerprint(task, query);
  let records;
  let next: number | null = null;
  let hasMore: boolean;
  if (task.stage === 'test') {
    const ids = JSON.parse(task.resultIds ?? '[]') as number[];
    const start = position ?? 0;
    records = await queries.run('fetch', {
      category: query.category,
      ids: ids.slice(start, start + pageSize),
      fields: query.fields
    });
    hasMore = start + pageSize < ids.length;
    next = hasMore ? start + pageSize : null;
  } else {
    const page = await queries.run('pageRecords', {
      query,
      afterId: position,
      limit: pageSize
    });
    records = page.records;
    hasMore = page.hasMore;
    next = hasMore ? page.lastId : null;
  }
  return {
    task_id: task.taskId,
    category: query.category,
    records,
    count: records.length,
    cursor: next !== null ? encodeCursor(next, fingerprint) : null,
    has_more: hasMore
  };
}

/** What a task's result cursor is bound to: the task and its query. */
export function taskFingerprint(
  task: QueryTaskRecord,
  query: TypedQuery
): string {
  return `${task.taskId}:${queryFingerprint(query)}`;
}
