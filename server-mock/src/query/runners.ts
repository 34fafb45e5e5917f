import type { PublicData } from '../data/schema';
import { cryptoRandomInt, type RandomInt } from './engine';
import { QueryPool, type PoolStream, type QueryRunner } from './pool';
import {
  runOp,
  streamOp,
  type RunOpName,
  type RunOps,
  type StreamOpName,
  type StreamOps
} from './worker-ops';

/**
 * Which runner a platform's queries take: the worker pool (./pool.ts), or the
 * same operations inline (a pool of size 0: tests that pin a seeded sampler,
 * tiny deployments), and the runner each open data set's platform made.
 */

/** The same operations on the caller's thread (a pool of size 0). */
export class InlineRunner implements QueryRunner {
  readonly size = 0;

  constructor(
    private readonly data: PublicData,
    private readonly random: RandomInt = cryptoRandomInt
  ) {}

  run<K extends RunOpName>(
    op: K,
    args: RunOps[K]['args']
  ): Promise<RunOps[K]['result']> {
    return new Promise(resolve =>
      resolve(runOp(this.data, op, args, this.random))
    );
  }

  stream<K extends StreamOpName>(
    op: K,
    args: StreamOps[K]['args']
  ): PoolStream<StreamOps[K]['summary']> {
    let finish!: (summary: StreamOps[K]['summary'] | null) => void;
    let fail!: (error: Error) => void;
    const summary = new Promise<StreamOps[K]['summary'] | null>(
      (resolve, reject) => {
        finish = resolve;
        fail = reject;
      }
    );
    summary.catch(() => undefined);
    const data = this.data;
    async function* chunks(): AsyncGenerator<
      Buffer,
      StreamOps[K]['summary'] | null
    > {
      let generator: Generator<Buffer, StreamOps[K]['summary']> | null = null;
      let ended = false;
      try {
        generator = streamOp(data, op, args);
        for (;;) {
          const step = generator.next();
          if (step.done) {
            ended = true;
            finish(step.value);
            return step.value;
          }
          yield step.value;
        }
      } catch (error) {
        ended = true;
        fail(error as Error);
        throw error;
      } finally {
        if (!ended) {
          // The consumer stopped early: close the statement, say so.
          generator?.return(null as never);
          finish(null);
        }
      }
    }
    const iterator = chunks();
    return { summary, [Symbol.asyncIterator]: () => iterator };
  }

  async close(): Promise<void> {}
}

/** The runner each open data set's platform made (runnerOf). */
const runners = new WeakMap<PublicData, QueryRunner>();

/**
 * The runner of a platform: a pool of `workers` threads, or inline when 0.
 * It becomes the data's runner (runnerOf) until it closes.
 */
export function queryRunner(
  data: PublicData,
  workers: number,
  random?: RandomInt
): QueryRunner {
  if (workers > 0 && random && random !== cryptoRandomInt) {
    throw new Error(
      'a seeded sampler runs inline: start the platform with 0 query workers'
    );
  }
  const runner: QueryRunner =
    workers <= 0
      ? new InlineRunner(data, random)
      : new QueryPool(data, { workers });
  runners.set(data, runner);
  const close = runner.close.bind(runner);
  runner.close = async () => {
    if (runners.get(data) === runner) {
      runners.delete(data);
    }
    await close();
  };
  return runner;
}

/**
 * The runner of the platform serving `data` (for modules that get the data,
 * not the runner: the job pages' source), or an inline one when none is open.
 */
export function runnerOf(data: PublicData): QueryRunner {
  return runners.get(data) ?? new InlineRunner(data);
}
