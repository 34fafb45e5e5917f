import { existsSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PublicData } from '../data/schema';
import { ApiError } from '../http/errors';
import { sharedEngineState } from './engine';
import { DEFAULT_MATCH_CACHE_BYTES } from './match-cache';
import type { FromWorker, ToWorker, WireError, WorkerInit } from './worker';
import {
  type RunOpName,
  type RunOps,
  type StreamOpName,
  type StreamOps
} from './worker-ops';

/**
 * The query engine off the event loop: a pool of worker threads (./worker.ts),
 * each with its own READ-ONLY connection to the public data, running the
 * operations of ./worker-ops.ts. The main thread keeps HTTP, auth and the
 * quota transaction; a query's SQLite work no longer holds up other requests.
 *
 * - `run(op, args)`: one operation, its result (structured-cloned back).
 * - `stream(op, args)`: a generator's chunks as they come, with backpressure: a
 *   worker holds at most `STREAM_CREDIT` chunks the consumer has not taken.
 *   `summary` is the generator's return value once the last chunk is out.
 *
 * The table ids for uniform draws and the id lists (./id-lists.ts) are built
 * once (engine.sharedEngineState) in shared
 * memory and handed to every worker; each worker's match cache gets an equal
 * share of `POOL_MATCH_CACHE_BYTES`. A worker that dies is replaced; its
 * request fails with a 503 that says to retry (nothing was charged: the charge
 * comes after the result). A pool of size 0 runs the same operations inline
 * (tests that pin a seeded sampler, tiny deployments).
 */

/**
 * A running stream: its chunks, then its summary as the iterator's final
 * `{ done: true, value }` and as `summary` (null when the consumer stopped
 * early with `return()`/`break`, which stops the worker's generator; rejected
 * as the iteration is when it fails).
 */
export interface PoolStream<S> extends AsyncIterable<Buffer, S | null> {
  readonly summary: Promise<S | null>;
}

/** What routes and tasks call: the pool, or the inline runner. */
export interface QueryRunner {
  /** Worker threads (0: inline, on the caller's thread). */
  readonly size: number;
  run<K extends RunOpName>(
    op: K,
    args: RunOps[K]['args']
  ): Promise<RunOps[K]['result']>;
  stream<K extends StreamOpName>(
    op: K,
    args: StreamOps[K]['args']
  ): PoolStream<StreamOps[K]['summary']>;
  /** Stop the workers; requests still queued or running fail with a 503. */
  close(): Promise<void>;
}

/**
 * Chunks a worker may produce ahead of the consumer: with page-stream.ts's
 * 10,000-record chunks (~0.8 MB), 4 keep the worker stepping while the main
 * thread writes (bench:paging: 0.39 of JSON.stringify's rate with 4, 0.31
 * with 2 chunks of 2,000).
 */
export const STREAM_CREDIT = 4;

/**
 * Runs a worker holds at once: the next one waits in its port while it runs
 * one, so it never idles while the main thread is busy elsewhere. A worker
 * that dies fails them all (each with the 503).
 */
export const RUN_DEPTH = 2;

/** The match cache of all workers together (each gets an equal share). */
export const POOL_MATCH_CACHE_BYTES = DEFAULT_MATCH_CACHE_BYTES / 2;

/** The default pool size: two workers, or one on a one-core machine. */
export function defaultQueryWorkers(): number {
  const cores =
    typeof availableParallelism === 'function'
      ? availableParallelism()
      : cpus().length;
  return Math.max(1, Math.min(2, cores));
}

export interface QueryPoolOptions {
  workers: number;
  /** The match cache of all workers together (default POOL_MATCH_CACHE_BYTES). */
  matchCacheBytes?: number;
  /** A module adding operations to the workers' registry (tests only). */
  extraOps?: string;
  /** Runs sent to a worker before it answered the first (default RUN_DEPTH). */
  depth?: number;
}

/** The 503 of a request whose worker stopped (or a pool that is closing). */
export function workerLost(reason: string): ApiError {
  return new ApiError(
    503,
    'data_unavailable',
    `The query engine could not answer this request (${reason}); nothing was charged. Send the request again.`
  );
}

/** An error from a worker, as the thread that threw it would have thrown it. */
export function fromWireError(wire: WireError): Error {
  const error =
    wire.name === 'ApiError' && wire.statusCode !== undefined && wire.code
      ? new ApiError(
          wire.statusCode,
          wire.code as ApiError['code'],
          wire.message,
          wire.data
        )
      : Object.assign(new Error(wire.message), {
          ...(wire.code !== undefined ? { code: wire.code } : {}),
          ...(wire.statusCode !== undefined
            ? { statusCode: wire.statusCode }
            : {})
        });
  error.name = wire.name;
  if (wire.stack) {
    error.stack = wire.stack;
  }
  return error;
}

/** The worker's entry: the built JS beside this file, or the TypeScript source through tsx (tests, benches). */
function workerEntry(): { file: string; execArgv: string[] } {
  const js = join(__dirname, 'worker.js');
  if (existsSync(js)) {
    return { file: js, execArgv: process.execArgv };
  }
  // tsx's require hook compiles the worker as CommonJS. The parent's own tsx flags (when it
  // runs under tsx: `--import …/tsx/…/loader.mjs`) are left out: with an --import the worker's
  // main module goes through the ESM loader, where tsx does not hook worker threads.
  const inherited: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const arg = process.execArgv[i];
    const value = process.execArgv[i + 1] ?? '';
    if (
      (arg === '--import' || arg === '--require') &&
      /[/\\]tsx[/\\]/.test(value)
    ) {
      i += 1;
      continue;
    }
    inherited.push(arg);
  }
  return {
    file: join(__dirname, 'worker.ts'),
    execArgv: [...inherited, '--require', require.resolve('tsx/cjs')]
  };
}

interface RunJob {
  kind: 'run';
  id: number;
  op: string;
  args: unknown;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

interface StreamJob {
  kind: 'stream';
  id: number;
  op: string;
  args: unknown;
  chunks: Buffer[];
  /** The consumer waiting for the next chunk, if any. */
  waiting: {
    resolve: (step: IteratorResult<Buffer>) => void;
    reject: (error: Error) => void;
  } | null;
  done: boolean;
  /** The generator's return value once it is out (null when cancelled). */
  result: unknown;
  failure: Error | null;
  finish: (summary: unknown) => void;
  fail: (error: Error) => void;
  slot: Slot | null;
}

type Job = RunJob | StreamJob;

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Sent and not answered, in order: up to `depth` runs, or one stream alone. */
  jobs: Job[];
  /** What it threw last, if it died of an uncaught exception. */
  lastError?: Error;
}

export class QueryPool implements QueryRunner {
  readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly init: WorkerInit;
  private nextId = 1;
  private closing = false;
  /** Workers that died before they were ready, in a row: past 3 the pool gives up. */
  private startFailures = 0;
  private broken: string | null = null;
  private readonly depth: number;

  constructor(data: PublicData, options: QueryPoolOptions) {
    if (!(options.workers >= 1)) {
      throw new Error('a query pool needs at least one worker');
    }
    this.size = options.workers;
    this.depth = Math.max(1, options.depth ?? RUN_DEPTH);
    const memory = data.db.memory;
    this.init = {
      file: memory ? null : data.db.name,
      bytes: memory ? new Uint8Array(data.db.serialize()) : null,
      seed: data.seed,
      videos: data.videos,
      ...(data.testStageMinFollowers === undefined
        ? {}
        : { testStageMinFollowers: data.testStageMinFollowers }),
      ...sharedEngineState(data),
      matchCacheBytes: Math.floor(
        (options.matchCacheBytes ?? POOL_MATCH_CACHE_BYTES) / options.workers
      ),
      ...(options.extraOps ? { extraOps: options.extraOps } : {})
    };
    for (let i = 0; i < this.size; i++) {
      this.slots.push(this.spawn());
    }
  }

  /** Resolves once every worker has opened the data (or the pool gave up). */
  async ready(): Promise<void> {
    while (!this.broken && this.slots.some(slot => !slot.ready)) {
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    if (this.broken) {
      throw new Error(this.broken);
    }
  }

  /** The workers' thread ids (tests: to see one replaced). */
  get threadIds(): number[] {
    return this.slots.map(slot => slot.worker.threadId);
  }

  run<K extends RunOpName>(
    op: K,
    args: RunOps[K]['args']
  ): Promise<RunOps[K]['result']> {
    return new Promise((resolve, reject) => {
      this.enqueue({
        kind: 'run',
        id: this.nextId++,
        op,
        args,
        resolve: resolve as (result: unknown) => void,
        reject
      });
    });
  }

  stream<K extends StreamOpName>(
    op: K,
    args: StreamOps[K]['args']
  ): PoolStream<StreamOps[K]['summary']> {
    let finish!: (summary: unknown) => void;
    let fail!: (error: Error) => void;
    const summary = new Promise<StreamOps[K]['summary'] | null>(
      (resolve, reject) => {
        finish = resolve as (summary: unknown) => void;
        fail = reject;
      }
    );
    summary.catch(() => undefined); // the iterator reports the failure too
    const job: StreamJob = {
      kind: 'stream',
      id: this.nextId++,
      op,
      args,
      chunks: [],
      waiting: null,
      done: false,
      result: null,
      failure: null,
      finish: value => {
        job.done = true;
        job.result = value;
        finish(value);
        job.waiting?.resolve({ done: true, value });
        job.waiting = null;
      },
      fail: error => {
        job.done = true;
        job.failure = error;
        fail(error);
        job.waiting?.reject(error);
        job.waiting = null;
      },
      slot: null
    };
    let started = false;
    const iterator: AsyncIterator<Buffer, unknown> = {
      next: () => {
        if (!started) {
          started = true;
          this.enqueue(job);
        }
        const chunk = job.chunks.shift();
        if (chunk) {
          this.grant(job, 1);
          return Promise.resolve({ done: false, value: chunk });
        }
        if (job.failure) {
          return Promise.reject(job.failure);
        }
        if (job.done) {
          return Promise.resolve({ done: true, value: job.result });
        }
        return new Promise((resolve, reject) => {
          job.waiting = {
            resolve: step => {
              if (!step.done) {
                this.grant(job, 1);
              }
              resolve(step);
            },
            reject
          };
        });
      },
      return: () => {
        this.cancel(job);
        return Promise.resolve({ done: true, value: job.result });
      }
    };
    return {
      summary,
      [Symbol.asyncIterator]: () =>
        iterator as AsyncIterator<Buffer, StreamOps[K]['summary'] | null>
    };
  }

  async close(): Promise<void> {
    if (this.closing) {
      return;
    }
    this.closing = true;
    for (const job of this.queue.splice(0)) {
      this.failJob(job, workerLost('the platform is closing'));
    }
    await Promise.all(this.slots.map(slot => slot.worker.terminate()));
  }

  private spawn(): Slot {
    const entry = workerEntry();
    const worker = new Worker(entry.file, {
      workerData: this.init,
      execArgv: entry.execArgv
    });
    const slot: Slot = { worker, ready: false, jobs: [] };
    worker.on('message', (message: FromWorker) =>
      this.onMessage(slot, message)
    );
    // 'error' (an uncaught exception) is followed by 'exit': the slot is replaced there.
    worker.on('error', error => {
      slot.lastError = error;
    });
    worker.on('exit', code => this.onExit(slot, code));
    return slot;
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    if (message.type === 'ready') {
      slot.ready = true;
      this.startFailures = 0;
      this.dispatch();
      return;
    }
    const job = slot.jobs[0];
    if (!job || job.id !== message.id) {
      return; // a cancelled stream's last words
    }
    switch (message.type) {
      case 'result':
        this.release(slot);
        (job as RunJob).resolve(message.result);
        break;
      case 'error':
        this.release(slot);
        this.failJob(job, fromWireError(message.error));
        break;
      case 'chunk': {
        const stream = job as StreamJob;
        const chunk = Buffer.from(
          message.chunk.buffer,
          message.chunk.byteOffset,
          message.chunk.byteLength
        );
        if (stream.waiting) {
          const waiting = stream.waiting;
          stream.waiting = null;
          waiting.resolve({ done: false, value: chunk });
        } else {
          stream.chunks.push(chunk);
        }
        break;
      }
      case 'end':
        this.release(slot);
        if (!(job as StreamJob).done) {
          (job as StreamJob).finish(message.summary);
        }
        break;
    }
  }

  private onExit(slot: Slot, code: number): void {
    const index = this.slots.indexOf(slot);
    for (const job of slot.jobs.splice(0)) {
      this.failJob(
        job,
        workerLost(
          this.closing
            ? 'the platform is closing'
            : `its worker stopped with code ${code} and was replaced`
        )
      );
    }
    if (this.closing || index < 0) {
      return;
    }
    if (!slot.ready) {
      this.startFailures += 1;
      if (this.startFailures >= 3) {
        this.broken = `the query workers could not start (exit code ${code}${slot.lastError ? `: ${slot.lastError.message}` : ''})`;
        this.slots.splice(index, 1);
        for (const queued of this.queue.splice(0)) {
          this.failJob(queued, workerLost(this.broken));
        }
        return;
      }
    }
    this.slots[index] = this.spawn();
  }

  private enqueue(job: Job): void {
    if (this.closing || this.broken) {
      this.failJob(job, workerLost(this.broken ?? 'the platform is closing'));
      return;
    }
    this.queue.push(job);
    this.dispatch();
  }

  private dispatch(): void {
    // Round after round, one job a slot a round: the least busy workers first.
    for (let round = 0; round < this.depth; round++) {
      this.dispatchRound(round);
    }
  }

  private dispatchRound(round: number): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) {
        return;
      }
      if (slot.jobs.length > round) {
        continue;
      }
      const head = this.queue[0];
      const busy =
        slot.jobs.length > 0 &&
        (head.kind === 'stream' ||
          slot.jobs[0].kind === 'stream' ||
          slot.jobs.length >= this.depth);
      if (!slot.ready || busy) {
        continue;
      }
      const job = this.queue.shift()!;
      slot.jobs.push(job);
      const message: ToWorker =
        job.kind === 'run'
          ? { type: 'run', id: job.id, op: job.op, args: job.args }
          : {
              type: 'stream',
              id: job.id,
              op: job.op,
              args: job.args,
              credit: STREAM_CREDIT
            };
      if (job.kind === 'stream') {
        job.slot = slot;
      }
      try {
        slot.worker.postMessage(message);
      } catch (error) {
        // Arguments that cannot be cloned: the caller's mistake, reported as thrown.
        slot.jobs.pop();
        this.failJob(job, error as Error);
      }
    }
  }

  private release(slot: Slot): void {
    slot.jobs.shift();
    this.dispatch();
  }

  private grant(job: StreamJob, credit: number): void {
    if (job.slot && !job.done && job.slot.jobs[0] === job) {
      job.slot.worker.postMessage({
        type: 'credit',
        id: job.id,
        credit
      } satisfies ToWorker);
    }
  }

  private cancel(job: StreamJob): void {
    if (job.done) {
      return;
    }
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
    } else if (job.slot && job.slot.jobs[0] === job) {
      // The worker answers with 'end'; the slot is free then.
      job.slot.worker.postMessage({
        type: 'cancel',
        id: job.id
      } satisfies ToWorker);
    }
    job.done = true;
    job.chunks.length = 0;
    job.finish(null);
  }

  private failJob(job: Job, error: Error): void {
    if (job.kind === 'run') {
      job.reject(error);
    } else if (!job.done) {
      job.fail(error);
    }
  }
}
