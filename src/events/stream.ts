import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import { backoffDelay, IBackoffOptions } from '../common/backoff';
import type { components } from '../api/platform';
import { ServerSentEventParser } from './sse';

/** A job's status changed on the platform (the contract's `JobEvent`). */
export type IJobEvent = components['schemas']['JobEvent'];

/** One event of the stream (server-mock/openapi.yaml `PlatformEvent`). */
export type PlatformEvent = components['schemas']['PlatformEvent'];

export type StreamState = 'idle' | 'connecting' | 'open' | 'waiting';

export interface IEventStreamOptions {
  /** Opens the stream: `VCEClient.openEvents` (`GET /vce/api/events` through the Jupyter server). */
  open: (signal: AbortSignal, lastEventId: string) => Promise<Response>;
  retry?: IBackoffOptions;
}

const DEFAULT_RETRY: IBackoffOptions = { initialMs: 1_000, maxMs: 60_000 };

/**
 * The platform's event stream (job status and quota changes), read through
 * the server extension with fetch (so Jupyter's auth headers apply), parsed
 * as server-sent events and emitted as typed events. It reconnects with
 * exponential backoff and jitter when the stream ends or fails, resuming after
 * the last event it saw; while signed out (401) it waits the longest step, and
 * once refused (403: a reviewer client) it stops until `connect()` is called again.
 */
export class PlatformEventStream implements IDisposable {
  constructor(options: IEventStreamOptions) {
    this._open = options.open;
    this._retry = options.retry ?? DEFAULT_RETRY;
  }

  get received(): ISignal<this, PlatformEvent> {
    return this._received;
  }

  get stateChanged(): ISignal<this, StreamState> {
    return this._stateChanged;
  }

  get state(): StreamState {
    return this._state;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Connect (again, at once: after a sign-in, say). */
  connect(): void {
    if (this._disposed) {
      return;
    }
    clearTimeout(this._timer);
    this._controller?.abort();
    this._failures = 0;
    void this._run();
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    clearTimeout(this._timer);
    this._controller?.abort();
    Signal.clearData(this);
  }

  private async _run(): Promise<void> {
    const controller = new AbortController();
    this._controller = controller;
    this._setState('connecting');
    let opened = false;
    try {
      const response = await this._open(
        controller.signal,
        this._parser.lastEventId
      );
      if (response.status === 403) {
        // The platform refuses this client its stream (a reviewer client): retrying
        // changes nothing; the next sign-in connects again.
        this._setState('idle');
        return;
      }
      if (!response.ok || !response.body) {
        // Signed out (401): nothing changes by retrying soon.
        this._failures =
          response.status === 401 ? Number.MAX_SAFE_INTEGER : this._failures;
        throw new Error(`events: HTTP ${response.status}`);
      }
      opened = true;
      this._failures = 0;
      this._setState('open');
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        for (const event of this._parser.feed(
          decoder.decode(value, { stream: true })
        )) {
          this._dispatch(event.type, event.data);
        }
      }
    } catch {
      // The stream failed or was aborted: reconnect below unless disposed.
    }
    if (this._disposed || controller.signal.aborted) {
      return;
    }
    this._failures = opened ? 1 : Math.min(this._failures + 1, 30);
    const delay = Math.max(
      this._parser.retryMs ?? 0,
      backoffDelay(this._failures, this._retry)
    );
    this._setState('waiting');
    this._timer = setTimeout(() => void this._run(), delay);
  }

  private _dispatch(type: string, data: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return;
    }
    if (
      (type === 'job' || type === 'quota') &&
      typeof parsed === 'object' &&
      parsed !== null
    ) {
      this._received.emit({ ...(parsed as object), type } as PlatformEvent);
    }
  }

  private _setState(state: StreamState): void {
    if (state !== this._state) {
      this._state = state;
      this._stateChanged.emit(state);
    }
  }

  private readonly _open: NonNullable<IEventStreamOptions['open']>;
  private readonly _retry: IBackoffOptions;
  private readonly _parser = new ServerSentEventParser();
  private readonly _received = new Signal<this, PlatformEvent>(this);
  private readonly _stateChanged = new Signal<this, StreamState>(this);
  private _controller: AbortController | null = null;
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _failures = 0;
  private _state: StreamState = 'idle';
  private _disposed = false;
}
