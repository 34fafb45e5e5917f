import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ok, type PlatformContext } from '../context';
import { ApiError } from '../errors';
import { countMatches, fetchRecords, pageRecords, sampleIds } from '../query/engine';
import { validateQuery, type TypedQuery } from '../query/validate';
import { quotaView, utcDay } from '../quota';
import type { QueryTaskRecord, TaskStatus } from '../store';
import { decodeCursor, encodeCursor, queryFingerprint, RECORD_COUNT_HEADER, requireData, sendProblems, stageOf } from './query';

export const TASKS_PATH = '/v2/vce/query_tasks/';
export const TASK_PATH = '/v2/vce/query_tasks/:task_id/';
export const TASK_RESULT_PATH = '/v2/vce/query_tasks/:task_id/result/';
export const TASK_CANCEL_PATH = '/v2/vce/query_tasks/:task_id/cancel/';

/** vce-sdk.md: results paged, up to 100,000 records a page (execution stage); default 1,000. */
export const TASK_PAGE_DEFAULT = 1000;
export const TASK_PAGE_MAX = 100_000;

const ACTIVE: TaskStatus[] = ['Created', 'Validating', 'Processing'];

function newTaskId(): string {
  return `qt_${randomBytes(12).toString('hex')}`;
}

/** A task as the API shows it. */
function taskView(task: QueryTaskRecord) {
  return {
    task_id: task.taskId,
    status: task.status,
    created_at: task.createdAt,
    updated_at: task.updatedAt,
    ...(task.count !== null ? { count: task.count } : {}),
    ...(task.errorCode ? { error: { code: task.errorCode, message: task.errorMessage ?? '' } } : {})
  };
}

/**
 * A task's life, one step a turn of the event loop (so a status can be seen
 * and a cancel can land between steps): Created → Validating → Processing →
 * Completed | AnalysisFailed. A test-stage task charges the quota when it
 * completes, in the same transaction that records its sample.
 */
function runTask(context: PlatformContext, taskId: string, isClosed: () => boolean): void {
  const stamp = () => context.now().toISOString();
  const store = context.store;
  const step = (work: () => unknown) =>
    setImmediate(() => {
      if (isClosed()) {
        return;
      }
      try {
        work();
      } catch (error) {
        if (isClosed()) {
          return;
        }
        store.updateTask(taskId, ACTIVE, {
          status: 'AnalysisFailed',
          updatedAt: stamp(),
          errorCode: 'internal_error',
          errorMessage: `The task failed unexpectedly: ${(error as Error).message}`
        });
      }
    });

  step(() => {
    if (!store.updateTask(taskId, ['Created'], { status: 'Validating', updatedAt: stamp() })) {
      return false;
    }
    step(() => {
      const task = store.getTask(taskId);
      if (!task) {
        return false;
      }
      const validation = validateQuery(JSON.parse(task.request), task.stage);
      if (!validation.ok) {
        store.updateTask(taskId, ['Validating'], {
          status: 'AnalysisFailed',
          updatedAt: stamp(),
          errorCode: 'invalid_params',
          errorMessage: validation.problems.map(problem => problem.message).join(' ')
        });
        return false;
      }
      if (!store.updateTask(taskId, ['Validating'], { status: 'Processing', updatedAt: stamp() })) {
        return false;
      }
      step(() => processTask(context, task, validation.query, stamp));
      return true;
    });
    return true;
  });
}

function processTask(context: PlatformContext, task: QueryTaskRecord, query: TypedQuery, stamp: () => string): boolean {
  const data = context.publicData;
  const store = context.store;
  if (!data) {
    store.updateTask(task.taskId, ACTIVE, { status: 'AnalysisFailed', updatedAt: stamp(), errorCode: 'data_unavailable', errorMessage: 'No public data set is loaded.' });
    return false;
  }
  if (task.stage === 'job') {
    const count = countMatches(data, query);
    store.updateTask(task.taskId, ['Processing'], { status: 'Completed', updatedAt: stamp(), count });
    return false;
  }
  const ids = sampleIds(data, query, context.random);
  store.immediate(() => {
    if (store.getTask(task.taskId)?.status !== 'Processing') {
      return; // cancelled meanwhile: nothing charged
    }
    const now = context.now();
    const grant = store.recordUsage(task.clientKey, utcDay(now), ids.length, context.dailyLimit);
    if (!grant.granted) {
      const quota = quotaView(grant.used, context.dailyLimit, now);
      store.updateTask(task.taskId, ['Processing'], {
        status: 'AnalysisFailed',
        updatedAt: stamp(),
        errorCode: 'daily_quota_limit_exceeded',
        errorMessage: `The task would return ${ids.length} records but ${quota.remaining} of today's ${quota.daily_limit} remain; the quota resets at ${quota.resets_at}.`
      });
      return;
    }
    store.updateTask(task.taskId, ['Processing'], { status: 'Completed', updatedAt: stamp(), count: ids.length, resultIds: JSON.stringify(ids) });
  });
  return false;
}

/** The task routes (vce-sdk.md: create, check status, get result, cancel). */
export function registerTaskRoutes(app: FastifyInstance, context: PlatformContext): void {
  let closed = false;
  app.addHook('onClose', async () => {
    closed = true;
  });

  // A task is its creator's: a researcher's token never reads a job's task (it pages all data),
  // and a job reads only its own.
  const findTask = (request: FastifyRequest, taskId: string): QueryTaskRecord => {
    const task = context.store.getTask(taskId, request.clientKey);
    if (!task || (task.jobId ?? null) !== request.tokenJobId) {
      throw new ApiError(404, 'not_found', `There is no query task ${taskId} of this client: create one with POST ${TASKS_PATH}.`);
    }
    return task;
  };

  app.post(TASKS_PATH, { config: { jobToken: true } }, async (request, reply) => {
    requireData(context);
    const stage = stageOf(request);
    const validation = validateQuery(request.body, stage);
    if (!validation.ok) {
      return sendProblems(request, reply, validation.problems);
    }
    if (validation.query.cursor) {
      return sendProblems(request, reply, [{ field: 'cursor', message: 'A query task takes no cursor: page its result with GET .../result/?cursor=.' }]);
    }
    const now = context.now().toISOString();
    const task: QueryTaskRecord = {
      taskId: newTaskId(),
      clientKey: request.clientKey,
      stage,
      request: JSON.stringify(request.body),
      status: 'Created',
      createdAt: now,
      updatedAt: now,
      count: null,
      errorCode: null,
      errorMessage: null,
      resultIds: null,
      jobId: request.tokenJobId
    };
    context.store.createTask(task);
    runTask(context, task.taskId, () => closed);
    return ok({ task_id: task.taskId, status: task.status }, request.id);
  });

  app.get<{ Params: { task_id: string } }>(TASK_PATH, { config: { jobToken: true } }, async request => {
    return ok(taskView(findTask(request, request.params.task_id)), request.id);
  });

  app.post<{ Params: { task_id: string } }>(TASK_CANCEL_PATH, { config: { jobToken: true } }, async request => {
    const task = findTask(request, request.params.task_id);
    if (!context.store.updateTask(task.taskId, ACTIVE, { status: 'Cancelled', updatedAt: context.now().toISOString() })) {
      const now = findTask(request, task.taskId);
      throw new ApiError(409, 'task_not_finished', `Task ${task.taskId} is already ${now.status}; only Created, Validating or Processing tasks can be cancelled.`);
    }
    return ok(taskView(findTask(request, task.taskId)), request.id);
  });

  app.get<{ Params: { task_id: string }; Querystring: Record<string, string | undefined> }>(TASK_RESULT_PATH, { config: { jobToken: true } }, async (request, reply) => {
    const data = requireData(context);
    const task = findTask(request, request.params.task_id);
    const pageSizeRaw = request.query.page_size;
    let pageSize = TASK_PAGE_DEFAULT;
    if (pageSizeRaw !== undefined && pageSizeRaw !== '') {
      const parsed = /^\d+$/.test(pageSizeRaw) ? Number(pageSizeRaw) : NaN;
      if (!Number.isInteger(parsed) || parsed < 1 || parsed > TASK_PAGE_MAX) {
        return sendProblems(request, reply, [
          { field: 'page_size', value: pageSizeRaw, message: `page_size ${JSON.stringify(pageSizeRaw)} is not allowed: use an integer from 1 to ${TASK_PAGE_MAX} (default ${TASK_PAGE_DEFAULT}).` }
        ]);
      }
      pageSize = parsed;
    }
    if (task.status !== 'Completed') {
      throw new ApiError(409, 'task_not_finished', `Task ${task.taskId} is ${task.status}: results are available once its status is Completed.`);
    }
    const validation = validateQuery(JSON.parse(task.request), task.stage);
    if (!validation.ok) {
      throw new Error('a completed task has an invalid query');
    }
    const query = validation.query;
    const fingerprint = `${task.taskId}:${queryFingerprint(query)}`;
    let position: number | null = null;
    const cursor = request.query.cursor;
    if (cursor) {
      const decoded = decodeCursor(cursor, fingerprint);
      if (typeof decoded !== 'number') {
        return sendProblems(request, reply, [decoded]);
      }
      position = decoded;
    }
    let records;
    let next: number | null = null;
    let hasMore: boolean;
    if (task.stage === 'test') {
      const ids = JSON.parse(task.resultIds ?? '[]') as number[];
      const start = position ?? 0;
      records = fetchRecords(data, query.category, ids.slice(start, start + pageSize), query.fields);
      hasMore = start + pageSize < ids.length;
      next = hasMore ? start + pageSize : null;
    } else {
      const page = pageRecords(data, query, position, pageSize);
      records = page.records;
      hasMore = page.hasMore;
      next = hasMore ? page.lastId : null;
    }
    reply.header(RECORD_COUNT_HEADER, String(records.length));
    return ok(
      {
        task_id: task.taskId,
        category: query.category,
        records,
        count: records.length,
        cursor: next !== null ? encodeCursor(next, fingerprint) : null,
        has_more: hasMore
      },
      request.id
    );
  });
}
