/**
 * The test stage as researchers use it: a preview in the Query Builder
 * (through the server extension), pyrqs in a kernel (the kernel route) and
 * pyrqs elsewhere (the stand-in, the researcher's own client); queries at
 * once and as query tasks followed to their records.
 */
import { QUOTA_CODE, type Outcome } from './classify';
import { sleep, type Api } from './http';
import type { Random } from './random';
import type { Stats } from './stats';

const VIDEO = 'video';
const COMMENT = 'comment';

/** The bodies researchers send, as the Query Builder's cells write them. */
export const QUERY_SHAPES = [
  {
    category: VIDEO,
    condition_groups: [
      {
        operator: 'and',
        conditions: [
          { field: 'like_count', operator: 'gte', field_values: ['10'] }
        ]
      }
    ],
    fields: 'id,region_code,like_count,create_time'
  },
  {
    category: VIDEO,
    condition_groups: [
      {
        operator: 'or',
        conditions: [
          {
            field: 'region_code',
            operator: 'in',
            field_values: ['US', 'GB', 'DE', 'FR']
          }
        ]
      }
    ],
    fields: 'id,region_code,video_length'
  },
  {
    category: VIDEO,
    condition_groups: [
      {
        operator: 'not',
        conditions: [
          { field: 'view_count', operator: 'lt', field_values: ['100'] }
        ]
      }
    ],
    fields: 'id,view_count,share_count'
  },
  { category: COMMENT, fields: 'id,like_count,create_time' }
];

export function queryBody(random: Random, limit: number) {
  const shape = QUERY_SHAPES[Math.floor(random() * QUERY_SHAPES.length)];
  return { ...shape, limit };
}

/** A query at once: POST `path` (`/query` through the extension, `/v2/vce/query/` elsewhere). */
export async function query(
  api: Api,
  path: string,
  random: Random,
  limit: number,
  signal: AbortSignal
): Promise<void> {
  await api.call('POST', path, { json: queryBody(random, limit), signal });
}

const TASK_TIMEOUT_MS = 120_000;
const TASK_POLL_MS = 500;

interface Task {
  status: string;
  error?: { code?: string; message?: string } | null;
}

/** How a query task ended: Completed is served; AnalysisFailed for the quota is the expected refusal. */
export function classifyTaskEnd(task: Task): Outcome {
  if (task.status === 'Completed') {
    return { kind: 'ok' };
  }
  if (task.error?.code === QUOTA_CODE) {
    return { kind: 'refused', name: 'task past the quota (AnalysisFailed)' };
  }
  return {
    kind: 'error',
    name: `task ended ${task.status}${task.error?.code ? ` (${task.error.code})` : ''}`
  };
}

const TASK_ENDS = ['Completed', 'AnalysisFailed', 'Cancelled'];

/**
 * A query task as pyrqs runs it: create, poll its status every 0.5 s, then
 * read its records a page at a time. `unfinished` counts the tasks the soak's
 * end caught before they ended.
 */
export async function queryTask(
  api: Api,
  stats: Stats,
  random: Random,
  limit: number,
  signal: AbortSignal,
  unfinished: (status: string) => void
): Promise<void> {
  const where = api.routeName('POST', '/v2/vce/query_tasks/');
  const created = await api.call('POST', '/v2/vce/query_tasks/', {
    json: queryBody(random, limit),
    signal
  });
  if (!created || created.outcome.kind !== 'ok') {
    return;
  }
  const id = created.json<{ data: { task_id: string } }>().data.task_id;
  const deadline = Date.now() + TASK_TIMEOUT_MS;
  let task: Task = { status: 'Created' };
  while (!TASK_ENDS.includes(task.status)) {
    if (signal.aborted) {
      unfinished(`query task ${task.status}`);
      return;
    }
    if (Date.now() > deadline) {
      stats.outcome(where, {
        kind: 'error',
        name: `task still ${task.status} after 120 s`
      });
      return;
    }
    await sleep(TASK_POLL_MS, signal);
    const answer = await api.call('GET', `/v2/vce/query_tasks/${id}/`, {
      route: '/v2/vce/query_tasks/{id}/',
      signal
    });
    if (!answer || answer.outcome.kind !== 'ok') {
      return;
    }
    task = answer.json<{ data: Task }>().data;
  }
  const end = classifyTaskEnd(task);
  stats.outcome(where, end);
  stats.count(`query tasks ${task.status}`);
  if (end.kind !== 'ok') {
    return;
  }
  let cursor: string | null = null;
  do {
    const page = await api.call('GET', `/v2/vce/query_tasks/${id}/result/`, {
      route: '/v2/vce/query_tasks/{id}/result/',
      query: { page_size: '4', ...(cursor ? { cursor } : {}) },
      signal
    });
    if (!page || page.outcome.kind !== 'ok') {
      return;
    }
    cursor = page.json<{ data: { cursor: string | null } }>().data.cursor;
  } while (cursor);
}
