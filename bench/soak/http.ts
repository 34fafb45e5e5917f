/**
 * Timed HTTP to one of the three doors a researcher uses: the server
 * extension (`/vce/api`, Jupyter's token, as the browser's requests), the
 * kernel route (`/vce/platform`, the kernel token, as pyrqs in a kernel), and
 * the stand-in itself (the researcher's own client, as pyrqs anywhere else).
 * Every request is recorded in the stats under its route template.
 */
import { classifyAnswer, classifyFailure, type Outcome } from './classify';
import type { Stats } from './stats';

/** No request of the soak should take this long; one that does is an error. */
export const REQUEST_TIMEOUT_MS = 60_000;

export interface Door {
  /** `ext`, `kernel` or `mock`: the first word of every route it records. */
  name: string;
  base: string;
  /** The Authorization header's value (read per request: a token may be renewed); none for a link. */
  authorization: () => string | null;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Buffer;
  outcome: Outcome;
  text(): string;
  json<T>(): T;
}

export interface CallOptions {
  json?: unknown;
  query?: Record<string, string>;
  /** The route as recorded, when it differs from the path (ids replaced by `{id}`). */
  route?: string;
  signal?: AbortSignal;
}

export class Api {
  constructor(
    private readonly stats: Stats,
    readonly door: Door
  ) {}

  routeName(method: string, route: string): string {
    return `${this.door.name} ${method} ${route}`;
  }

  url(path: string, query?: Record<string, string>): string {
    const search = query ? `?${new URLSearchParams(query)}` : '';
    return `${this.door.base}${path}${search}`;
  }

  /** One request; its answer (recorded), or null when none came (recorded as an error). */
  async call(
    method: string,
    path: string,
    options: CallOptions = {}
  ): Promise<Answer | null> {
    const route = this.routeName(method, options.route ?? path);
    const { signal, release } = deadline(REQUEST_TIMEOUT_MS, options.signal);
    const authorization = this.door.authorization();
    const started = performance.now();
    try {
      const response = await fetch(this.url(path, options.query), {
        method,
        headers: {
          ...(authorization ? { authorization } : {}),
          ...(options.json !== undefined
            ? { 'content-type': 'application/json' }
            : {})
        },
        body:
          options.json !== undefined ? JSON.stringify(options.json) : undefined,
        signal
      });
      const body = Buffer.from(await response.arrayBuffer());
      const text = () => body.toString('utf8');
      const outcome = classifyAnswer(response.status, text());
      this.stats.request(route, performance.now() - started, outcome);
      return {
        status: response.status,
        headers: response.headers,
        body,
        outcome,
        text,
        json: <T>() => JSON.parse(text()) as T
      };
    } catch (error) {
      if (options.signal?.aborted) {
        return null; // the soak stopped it: not the server's doing
      }
      this.stats.request(
        route,
        performance.now() - started,
        classifyFailure(error)
      );
      return null;
    } finally {
      release();
    }
  }
}

/**
 * A signal that aborts after `ms` (a TimeoutError) or when `outer` does, and
 * its release. Not `AbortSignal.any`: the soak's shared stop signal would
 * keep a dependent signal for every request it ever made.
 */
export function deadline(
  ms: number,
  outer?: AbortSignal
): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const onOuter = () => controller.abort(outer?.reason);
  const timer = setTimeout(
    () =>
      controller.abort(
        new DOMException(`no answer in ${ms / 1000} s`, 'TimeoutError')
      ),
    ms
  );
  outer?.addEventListener('abort', onOuter, { once: true });
  if (outer?.aborted) {
    onOuter();
  }
  return {
    signal: controller.signal,
    release: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuter);
    }
  };
}

/** Resolve after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
