import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformContext } from '../context';
import { ApiError } from '../http/errors';
import { requireData, stageOf } from '../http/guards';
import { ok, sendProblems } from '../http/reply';
import { decodeCursor, RECORD_COUNT_HEADER } from '../query/paging';
import type { QueryRunner } from '../query/pool';
import {
  ACTIVE,
  createTask,
  TASK_PAGE_DEFAULT,
  TASK_PAGE_MAX,
  taskFingerprint,
  taskResultPage,
  taskView
} from '../query/tasks';
import { validationStage } from '../query/test-run';
import { validateQuery } from '../query/validate';
import type { QueryTaskRecord } from '../store';

export const TASKS_PATH = '/v2/vce/query_tasks/';
export const TASK_PATH = '/v2/vce/query_tasks/:task_id/';
export const TASK_RESULT_PATH = '/v2/vce/query_tasks/:task_id/result/';
export const TASK_CANCEL_PATH = '/v2/vce/query_tasks/:task_id/cancel/';

/** The task routes (docs/research/vce-sdk.md: create, check status, get result, cancel). */
export function registerTaskRoutes(
  app: FastifyInstance,
  context: PlatformContext,
  queries: QueryRunner | null
): void {
  let closed = false;
  app.addHook('onClose', async () => {
    closed = true;
  });

  // A task is its creator's: a researcher's token never reads a job's task (it pages all data),
  // and a job reads only its own.
  const findTask = (
    request: FastifyRequest,
    taskId: string
  ): QueryTaskRecord => {
    const task = context.store.getTask(taskId, request.clientKey);
    if (!task || (task.jobId ?? null) !== request.tokenJobId) {
      throw new ApiError(
        404,
        'not_found',
        `There is no query task ${taskId} of this client: create one with POST ${TASKS_PATH}.`
      );
    }
    return task;
  };

  app.post(
    TASKS_PATH,
    { config: { jobToken: true } },
    async (request, reply) => {
      requireData(context);
      const stage = stageOf(request);
      const validation = validateQuery(
        request.body,
        validationStage(stage, request.tokenJobId)
      );
      if (!validation.ok) {
        return sendProblems(request, reply, validation.problems);
      }
      if (validation.query.cursor) {
        return sendProblems(request, reply, [
          {
            field: 'cursor',
            message:
              'A query task takes no cursor: page its result with GET .../result/?cursor=.'
          }
        ]);
      }
      const task = createTask(
        { ...context, queries },
        {
          clientKey: request.clientKey,
          stage,
          request: request.body,
          jobId: request.tokenJobId
        },
        () => closed,
        (error, logId) =>
          request.log.error({ err: error, logId }, 'query task failed')
      );
      return ok({ task_id: task.taskId, status: task.status }, request.id);
    }
  );

  app.get<{ Params: { task_id: string } }>(
    TASK_PATH,
    { config: { jobToken: true } },
    async request => {
      return ok(
        taskView(findTask(request, request.params.task_id)),
        request.id
      );
    }
  );

  app.post<{ Params: { task_id: string } }>(
    TASK_CANCEL_PATH,
    { config: { jobToken: true } },
    async request => {
      const task = findTask(request, request.params.task_id);
      if (
        !context.store.updateTask(task.taskId, ACTIVE, {
          status: 'Cancelled',
          updatedAt: context.now().toISOString()
        })
      ) {
        const now = findTask(request, task.taskId);
        throw new ApiError(
          409,
          'task_not_finished',
          `Task ${task.taskId} is already ${now.status}; only Created, Validating or Processing tasks can be cancelled.`
        );
      }
      return ok(taskView(findTask(request, task.taskId)), request.id);
    }
  );

  app.get<{
    Params: { task_id: string };
    Querystring: Record<string, string | undefined>;
  }>(
    TASK_RESULT_PATH,
    { config: { jobToken: true } },
    async (request, reply) => {
      requireData(context);
      const task = findTask(request, request.params.task_id);
      const pageSizeRaw = request.query.page_size;
      let pageSize = TASK_PAGE_DEFAULT;
      // `page_size=` (empty) is not an integer: refused, as openapi.yaml's schema says.
      if (pageSizeRaw !== undefined) {
        const parsed = /^\d+$/.test(pageSizeRaw) ? Number(pageSizeRaw) : NaN;
        if (!Number.isInteger(parsed) || parsed < 1 || parsed > TASK_PAGE_MAX) {
          return sendProblems(request, reply, [
            {
              field: 'page_size',
              value: pageSizeRaw,
              message: `page_size ${JSON.stringify(pageSizeRaw)} is not allowed: use an integer from 1 to ${TASK_PAGE_MAX} (default ${TASK_PAGE_DEFAULT}).`
            }
          ]);
        }
        pageSize = parsed;
      }
      if (task.status !== 'Completed') {
        throw new ApiError(
          409,
          'task_not_finished',
          `Task ${task.taskId} is ${task.status}: results are available once its status is Completed.`
        );
      }
      const validation = validateQuery(
        JSON.parse(task.request),
        validationStage(task.stage, task.jobId ?? null)
      );
      if (!validation.ok) {
        throw new Error('a completed task has an invalid query');
      }
      const query = validation.query;
      let position: number | null = null;
      const cursor = request.query.cursor;
      if (cursor) {
        const decoded = decodeCursor(cursor, taskFingerprint(task, query));
        if (typeof decoded !== 'number') {
          return sendProblems(request, reply, [decoded]);
        }
        position = decoded;
      }
      const page = await taskResultPage(
        queries!,
        task,
        query,
        position,
        pageSize
      );
      reply.header(RECORD_COUNT_HEADER, String(page.count));
      return ok(page, request.id);
    }
  );
}
