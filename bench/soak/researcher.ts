/**
 * One simulated researcher: a browser tab (the event stream, held), and a
 * loop of actions drawn by weight with a think time between them, until the
 * soak's time is up. A researcher has at most one job and one test run in
 * flight; they are followed beside the loop, as the panel follows them while
 * its researcher works on.
 */
import { holdEventStream } from './events';
import type { Api } from './http';
import { sleep } from './http';
import { submitAndFollow, type Scripts } from './jobs';
import { query, queryTask } from './queries';
import { pause, pick, type Random } from './random';
import type { Stats } from './stats';

/**
 * The mix: how often each action is drawn, relative to the others. `ext`
 * goes through the server extension as the browser does, `kernel` through the
 * kernel route as pyrqs in a kernel, `sdk` to the stand-in with the
 * researcher's own client. The lab's client (ext and kernel) serves every
 * researcher, so its queries ask for 2 records and its test runs read 5:
 * its 5,000 records a day last most of a 10-minute, 50-researcher soak, and
 * past them the 429s and failed test runs count as expected refusals.
 */
export const MIX = {
  'ext status': 10,
  'ext quota': 8,
  'ext identity': 3,
  'ext jobs list': 8,
  'ext outbox': 2,
  'ext jwks': 1,
  'ext preview query': 6,
  'ext job': 4,
  'ext test run': 3,
  'kernel quota': 4,
  'kernel query': 6,
  'kernel query task': 3,
  'sdk query': 15,
  'sdk query task': 8
};
export type Action = keyof typeof MIX;

export const LAB_QUERY_LIMIT = 2;
export const SDK_QUERY_LIMIT = 10;

export interface Doors {
  ext: Api;
  kernel: Api;
  sdk: Api;
  /** The stand-in without a token: the result links mailed to the primary researcher. */
  link: Api;
}

export interface ResearcherContext {
  doors: Doors;
  stats: Stats;
  scripts: Scripts;
  random: Random;
  thinkSeconds: number;
  /** Time is up: start nothing new. */
  stop: AbortSignal;
  /** The grace period is over too: abandon what is still being followed. */
  halt: AbortSignal;
  unfinished: (status: string) => void;
}

export async function runResearcher(ctx: ResearcherContext): Promise<void> {
  const { doors, stats, random, stop, halt } = ctx;
  const stream = holdEventStream(doors.ext, stats, stop);
  const following: Promise<void>[] = [];
  let job: Promise<void> | null = null;
  let testRun: Promise<void> | null = null;
  const busy = (action: Action) =>
    (action === 'ext job' && job !== null) ||
    (action === 'ext test run' && testRun !== null);

  // Researchers do not all start at the same instant.
  await sleep(random() * ctx.thinkSeconds * 1000, stop);
  while (!stop.aborted) {
    const action = pick(random, MIX, candidate => !busy(candidate));
    switch (action) {
      case 'ext job': {
        const follow = submitAndFollow(
          doors.ext,
          doors.link,
          stats,
          'job',
          ctx.scripts.job,
          halt,
          ctx.unfinished
        );
        job = follow.finally(() => (job = null));
        following.push(job);
        break;
      }
      case 'ext test run': {
        const follow = submitAndFollow(
          doors.ext,
          doors.link,
          stats,
          'test run',
          ctx.scripts.testRun,
          halt,
          ctx.unfinished
        );
        testRun = follow.finally(() => (testRun = null));
        following.push(testRun);
        break;
      }
      default:
        await act(action, ctx);
    }
    await sleep(pause(random, ctx.thinkSeconds), stop);
  }
  await Promise.all([stream, ...following]);
}

async function act(action: Action, ctx: ResearcherContext): Promise<void> {
  const { doors, stats, random, halt } = ctx;
  const signal = halt;
  switch (action) {
    case 'ext status':
      await doors.ext.call('GET', '/vce/api/status', { signal });
      return;
    case 'ext quota':
      await doors.ext.call('GET', '/vce/api/quota', { signal });
      return;
    case 'ext identity':
      await doors.ext.call('GET', '/vce/api/identity', { signal });
      return;
    case 'ext jobs list':
      await doors.ext.call('GET', '/vce/api/jobs', {
        query: { page_size: '20' },
        signal
      });
      return;
    case 'ext outbox':
      await doors.ext.call('GET', '/vce/api/outbox', { signal });
      return;
    case 'ext jwks':
      await doors.ext.call('GET', '/vce/api/jwks', { signal });
      return;
    case 'ext preview query':
      await query(doors.ext, '/vce/api/query', random, LAB_QUERY_LIMIT, signal);
      return;
    case 'kernel quota':
      await doors.kernel.call('GET', '/v2/vce/quota/', { signal });
      return;
    case 'kernel query':
      await query(
        doors.kernel,
        '/v2/vce/query/',
        random,
        LAB_QUERY_LIMIT,
        signal
      );
      return;
    case 'kernel query task':
      await queryTask(
        doors.kernel,
        stats,
        random,
        LAB_QUERY_LIMIT,
        signal,
        ctx.unfinished
      );
      return;
    case 'sdk query':
      await query(doors.sdk, '/v2/vce/query/', random, SDK_QUERY_LIMIT, signal);
      return;
    case 'sdk query task':
      await queryTask(
        doors.sdk,
        stats,
        random,
        SDK_QUERY_LIMIT,
        signal,
        ctx.unfinished
      );
      return;
    case 'ext job':
    case 'ext test run':
      return; // started by the loop, followed beside it
  }
}
