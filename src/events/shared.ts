import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import type { PlatformEvent, StreamState } from './stream';

/**
 * One event stream for every tab of the same lab. A browser keeps at most six
 * HTTP/1.1 connections to a host, and an open stream holds one for as long as
 * its tab is open: with six tabs, every other request of every tab waited (the
 * seventh tab never loaded). So the tabs elect one of them with a Web Lock: it
 * holds the stream and passes each event and state on over a BroadcastChannel;
 * the others listen. When it closes, its lock goes to the next tab, which opens
 * the stream. Without Web Locks or BroadcastChannel, each tab holds its own.
 */

/** What the panels and the status bar use of the events (PlatformEventStream has it too). */
export interface IPlatformEvents extends IDisposable {
  readonly received: ISignal<unknown, PlatformEvent>;
  readonly stateChanged: ISignal<unknown, StreamState>;
  readonly state: StreamState;
  /** Connect (again, at once: after a sign-in, say). */
  connect(): void;
}

/** The leader's own stream: a PlatformEventStream. */
export type ILeaderStream = IPlatformEvents;

/** What passes between the tabs. */
export type TabMessage =
  | { kind: 'event'; event: PlatformEvent }
  | { kind: 'state'; state: StreamState }
  | { kind: 'connect' }
  | { kind: 'hello' };

/** A BroadcastChannel, as far as this uses it. */
export interface ITabChannel {
  postMessage(message: TabMessage): void;
  onmessage: ((event: { data: TabMessage }) => void) | null;
  close(): void;
}

/** `navigator.locks`, as far as this uses it. */
export interface ITabLocks {
  request(
    name: string,
    options: { signal?: AbortSignal },
    callback: () => Promise<void>
  ): Promise<unknown>;
}

export interface ISharedEventStreamOptions {
  /** The lock's and the channel's name: one per lab (its base URL). */
  name: string;
  /** Makes the leader's stream (only the leader tab opens one). */
  lead: () => ILeaderStream;
  locks: ITabLocks;
  channel: ITabChannel;
}

export class SharedEventStream implements IPlatformEvents {
  constructor(options: ISharedEventStreamOptions) {
    this._lead = options.lead;
    this._channel = options.channel;
    this._channel.onmessage = message => this._onMessage(message.data);
    this._channel.postMessage({ kind: 'hello' });
    options.locks
      .request(options.name, { signal: this._abort.signal }, () =>
        this._becomeLeader()
      )
      .catch(() => {
        // Aborted while waiting (disposed before its turn): nothing to do.
      });
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

  /** Whether this tab holds the stream. */
  get isLeader(): boolean {
    return this._leader !== null;
  }

  connect(): void {
    if (this._disposed) {
      return;
    }
    this._wanted = true;
    if (this._leader) {
      this._leader.connect();
    } else {
      this._channel.postMessage({ kind: 'connect' });
    }
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._abort.abort();
    this._leader?.dispose();
    this._leader = null;
    this._released?.();
    this._channel.onmessage = null;
    this._channel.close();
    Signal.clearData(this);
  }

  private _becomeLeader(): Promise<void> {
    if (this._disposed) {
      return Promise.resolve();
    }
    const leader = this._lead();
    this._leader = leader;
    leader.received.connect((_, event) => {
      this._received.emit(event);
      this._channel.postMessage({ kind: 'event', event });
    });
    leader.stateChanged.connect((_, state) => this._share(state));
    if (this._wanted) {
      leader.connect();
    }
    // The lock is held until this tab goes (or is disposed).
    return new Promise<void>(resolve => (this._released = resolve));
  }

  private _onMessage(message: TabMessage): void {
    if (this._disposed) {
      return;
    }
    switch (message.kind) {
      case 'event':
        if (!this._leader) {
          this._received.emit(message.event);
        }
        return;
      case 'state':
        if (!this._leader) {
          this._setState(message.state);
        }
        return;
      case 'connect':
        // Another tab signed in: the leader connects (again) for every tab.
        this._wanted = true;
        this._leader?.connect();
        return;
      case 'hello':
        // A new tab: tell it how the stream is.
        if (this._leader) {
          this._channel.postMessage({ kind: 'state', state: this._state });
        }
        return;
    }
  }

  private _share(state: StreamState): void {
    this._setState(state);
    this._channel.postMessage({ kind: 'state', state });
  }

  private _setState(state: StreamState): void {
    if (state !== this._state) {
      this._state = state;
      this._stateChanged.emit(state);
    }
  }

  private readonly _lead: () => ILeaderStream;
  private readonly _channel: ITabChannel;
  private readonly _abort = new AbortController();
  private readonly _received = new Signal<this, PlatformEvent>(this);
  private readonly _stateChanged = new Signal<this, StreamState>(this);
  private _leader: ILeaderStream | null = null;
  private _released: (() => void) | null = null;
  private _wanted = false;
  private _state: StreamState = 'idle';
  private _disposed = false;
}

/**
 * The lab's events: shared between its tabs where the browser can (Web Locks and
 * BroadcastChannel), else this tab's own stream.
 */
export function platformEvents(
  name: string,
  lead: () => ILeaderStream
): IPlatformEvents {
  const locks = (globalThis.navigator as { locks?: ITabLocks } | undefined)
    ?.locks;
  if (!locks || typeof BroadcastChannel === 'undefined') {
    return lead();
  }
  return new SharedEventStream({
    name,
    lead,
    locks,
    channel: new BroadcastChannel(name) as unknown as ITabChannel
  });
}
