import Database from 'better-sqlite3';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { PUBLIC_DATA_MMAP_BYTES } from '../data/open';
import type { PublicData } from '../data/schema';
import { adoptEngineState, type SharedEngineState } from './engine';
import {
  RUN_OPS,
  STREAM_OPS,
  runOp,
  streamOp,
  type RunOpName,
  type StreamOpName
} from './worker-ops';

/**
 * A query worker (./pool.ts starts them): its own READ-ONLY connection to the
 * public data, the table ids the main thread shares with it, and a loop that
 * runs one operation of ./worker-ops.ts at a time. A stream produces its next
 * chunk only while it holds credit (the main thread grants one a chunk it
 * took): backpressure reaches SQLite.
 */

/** What the pool gives a worker at start. */
export interface WorkerInit extends SharedEngineState {
  /** The data's file, or its bytes (an in-memory fixture, copied). */
  file: string | null;
  bytes: Uint8Array | null;
  seed: number;
  videos: number;
  testStageMinFollowers?: number;
  matchCacheBytes: number;
  /** A module whose `RUN_OPS` / `STREAM_OPS` add operations (tests only). */
  extraOps?: string;
}

/** Main thread → worker. */
export type ToWorker =
  | { type: 'run'; id: number; op: string; args: unknown }
  | { type: 'stream'; id: number; op: string; args: unknown; credit: number }
  | { type: 'credit'; id: number; credit: number }
  | { type: 'cancel'; id: number };

/** An error as it crosses the thread boundary (an ApiError keeps its status, code and data). */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
  statusCode?: number;
  code?: string;
  data?: unknown;
}

/** Worker → main thread. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'chunk'; id: number; chunk: Uint8Array }
  | { type: 'end'; id: number; summary: unknown }
  | { type: 'error'; id: number; error: WireError };

export function toWireError(error: unknown): WireError {
  if (error instanceof Error) {
    const fields = error as Error & {
      statusCode?: unknown;
      code?: unknown;
      data?: unknown;
    };
    return {
      name: error.name,
      message: error.message,
      stack: error.stack,
      ...(typeof fields.statusCode === 'number'
        ? { statusCode: fields.statusCode }
        : {}),
      ...(typeof fields.code === 'string' ? { code: fields.code } : {}),
      ...(fields.data !== undefined ? { data: fields.data } : {})
    };
  }
  return { name: 'Error', message: String(error) };
}

function openData(init: WorkerInit): PublicData {
  const db = init.file
    ? new Database(init.file, { readonly: true, fileMustExist: true })
    : new Database(Buffer.from(init.bytes!), { readonly: true });
  db.pragma('query_only = ON');
  if (init.file) {
    db.pragma(`mmap_size = ${PUBLIC_DATA_MMAP_BYTES}`);
  }
  return {
    db,
    seed: init.seed,
    videos: init.videos,
    ...(init.testStageMinFollowers === undefined
      ? {}
      : { testStageMinFollowers: init.testStageMinFollowers })
  };
}

function serve(init: WorkerInit): void {
  const port = parentPort!;
  const data = openData(init);
  adoptEngineState(data, init);
  if (init.extraOps) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const extra = require(init.extraOps) as {
      RUN_OPS?: Record<string, unknown>;
      STREAM_OPS?: Record<string, unknown>;
    };
    Object.assign(RUN_OPS, extra.RUN_OPS ?? {});
    Object.assign(STREAM_OPS, extra.STREAM_OPS ?? {});
  }
  const send = (message: FromWorker, transfer?: ArrayBuffer[]) =>
    port.postMessage(message, transfer);

  /** The stream in progress (one at a time: an open statement keeps the connection busy). */
  let current: {
    id: number;
    generator: Generator<Buffer, unknown>;
    credit: number;
  } | null = null;

  const pump = () => {
    const stream = current;
    if (!stream) {
      return;
    }
    try {
      while (stream.credit > 0) {
        const step = stream.generator.next();
        if (step.done) {
          current = null;
          send({ type: 'end', id: stream.id, summary: step.value });
          return;
        }
        stream.credit -= 1;
        const buffer = step.value;
        // A chunk that owns its whole ArrayBuffer moves; one in Node's shared pool is copied.
        const owned =
          buffer.byteOffset === 0 &&
          buffer.byteLength === buffer.buffer.byteLength &&
          buffer.buffer instanceof ArrayBuffer;
        const chunk = owned ? buffer : Uint8Array.prototype.slice.call(buffer);
        send({ type: 'chunk', id: stream.id, chunk }, [
          chunk.buffer as ArrayBuffer
        ]);
      }
    } catch (error) {
      current = null;
      send({ type: 'error', id: stream.id, error: toWireError(error) });
    }
  };

  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'run':
        try {
          const result = runOp(
            data,
            message.op as RunOpName,
            message.args as never
          );
          send({ type: 'result', id: message.id, result });
        } catch (error) {
          send({ type: 'error', id: message.id, error: toWireError(error) });
        }
        return;
      case 'stream':
        try {
          current = {
            id: message.id,
            generator: streamOp(
              data,
              message.op as StreamOpName,
              message.args as never
            ) as Generator<Buffer, unknown>,
            credit: message.credit
          };
        } catch (error) {
          send({ type: 'error', id: message.id, error: toWireError(error) });
          return;
        }
        pump();
        return;
      case 'credit':
        if (current?.id === message.id) {
          current.credit += message.credit;
          pump();
        }
        return;
      case 'cancel':
        if (current?.id === message.id) {
          const stream = current;
          current = null;
          try {
            stream.generator.return(undefined);
          } catch {
            // closing a statement that failed: nothing more to say
          }
          send({ type: 'end', id: stream.id, summary: null });
        }
        return;
    }
  });
  send({ type: 'ready' });
}

if (!isMainThread && parentPort) {
  serve(workerData as WorkerInit);
}
