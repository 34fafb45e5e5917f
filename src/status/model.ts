import { IPoll, Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';
import type { IDisposable } from '@lumino/disposable';
import type { VCEClient } from '../api/client';
import type { ICredentials, IVCEStatus, Quota } from '../api/types';
import { backoffDelay, IBackoffOptions } from '../common/backoff';
import { sameQuota } from '../common/quota';
import { ConnectionPhase, phaseOf } from './format';

/** Options of the connection status model. */
export interface IPlatformStatusOptions {
  client: Pick<VCEClient, 'getStatus' | 'signIn' | 'signOut'>;
  /** How often to refresh while connected, in ms (default 60 s). */
  refreshIntervalMs?: number;
  /** How often to ask while the embedded platform starts, in ms (default 1 s). */
  startingIntervalMs?: number;
  /** Retry schedule while the platform or the server does not answer. */
  retry?: IBackoffOptions;
  /** Clock; injectable for tests. */
  now?: () => number;
}

const DEFAULT_REFRESH_MS = 60_000;
const DEFAULT_STARTING_MS = 1_000;
const DEFAULT_RETRY: IBackoffOptions = { initialMs: 2_000, maxMs: 60_000 };

/**
 * The connection to the Virtual Compute Environment as the server extension
 * reports it: sign-in state, identity, quota. Widgets observe `changed`.
 *
 * Refreshes on a slow `Poll` (standby while the page is hidden). When the
 * platform or the Jupyter server stops answering it retries with exponential
 * backoff (`backoffDelay`), and goes back to the slow rhythm as soon as the
 * platform answers again. While the embedded platform starts (state
 * `starting`) it asks every second, so the status moves to connected as soon
 * as the platform answers.
 */
export class PlatformStatusModel implements IDisposable {
  constructor(options: IPlatformStatusOptions) {
    this._client = options.client;
    this._refreshMs = options.refreshIntervalMs ?? DEFAULT_REFRESH_MS;
    this._startingMs = options.startingIntervalMs ?? DEFAULT_STARTING_MS;
    this._retry = options.retry ?? DEFAULT_RETRY;
    this._now = options.now ?? Date.now;
    this._poll = new Poll({
      auto: false,
      factory: () => this._tick(),
      frequency: this._steadyFrequency(),
      name: 'jupyterlab-vce:status',
      standby: 'when-hidden'
    });
  }

  /** Emitted whenever what the model reports changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The last answer of the server extension, or null before the first. */
  get status(): IVCEStatus | null {
    return this._status;
  }

  /** Why the server extension itself could not be asked, if so. */
  get requestError(): string | null {
    return this._requestError;
  }

  get phase(): ConnectionPhase {
    return phaseOf(this._status, this._requestError);
  }

  /** When the next retry happens while failing (ms since epoch), else null. */
  get nextAttemptAt(): number | null {
    return this._nextAttemptAt;
  }

  /** Consecutive failed attempts. */
  get failures(): number {
    return this._failures;
  }

  get refreshIntervalMs(): number {
    return this._refreshMs;
  }

  set refreshIntervalMs(value: number) {
    this._refreshMs = value;
    if (this._failures === 0 && this._status?.platform.state !== 'starting') {
      this._poll.frequency = this._steadyFrequency();
    }
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /** Start polling (the first answer comes at once). */
  async start(): Promise<void> {
    await this._poll.start();
  }

  /** Ask now, and resume the rhythm from here. */
  async refresh(): Promise<void> {
    await this._poll.refresh();
    await this._poll.tick;
  }

  /**
   * A newer quota than the last answer (from the platform's event stream):
   * shown at once, without asking the server. Ignored before the first answer
   * or when signed out, and for another day than the one shown unless newer.
   */
  applyQuota(quota: Quota): void {
    const current = this._status;
    if (!current || !current.signed_in) {
      return;
    }
    const shown = current.quota;
    if (sameQuota(shown, quota)) {
      return;
    }
    if (shown && shown.day > quota.day) {
      return;
    }
    this._status = { ...current, quota: { ...quota } };
    this._changed.emit();
  }

  /** Sign in through the server extension; throws its error on refusal. */
  async signIn(credentials: ICredentials): Promise<IVCEStatus> {
    const status = await this._client.signIn(credentials);
    this._accept(status);
    return status;
  }

  /** Sign out through the server extension. */
  async signOut(): Promise<IVCEStatus> {
    const status = await this._client.signOut();
    this._accept(status);
    return status;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._poll.dispose();
    Signal.clearData(this);
  }

  /**
   * One poll tick. It never rejects: the poll sleeps exactly the interval
   * set here, the slow rhythm after an answer, the next backoff step after a
   * failure (so `nextAttemptAt` is exact, and no error reaches the console).
   */
  private async _tick(): Promise<void> {
    let status: IVCEStatus;
    try {
      status = await this._client.getStatus();
    } catch (error) {
      this._requestError =
        error instanceof Error ? error.message : String(error);
      this._fail();
      return;
    }
    this._accept(status);
    if (status.platform.state === 'unreachable') {
      this._fail();
    }
  }

  private _accept(status: IVCEStatus): void {
    this._status = status;
    this._requestError = null;
    if (status.platform.state !== 'unreachable') {
      this._failures = 0;
      this._nextAttemptAt = null;
      this._poll.frequency =
        status.platform.state === 'starting'
          ? this._startingFrequency()
          : this._steadyFrequency();
    }
    this._changed.emit();
  }

  private _fail(): void {
    this._failures += 1;
    const delay = backoffDelay(this._failures, this._retry);
    this._poll.frequency = { interval: delay, backoff: false, max: delay };
    this._nextAttemptAt = this._now() + delay;
    this._changed.emit();
  }

  private _steadyFrequency(): IPoll.Frequency {
    return { interval: this._refreshMs, backoff: false, max: this._refreshMs };
  }

  private _startingFrequency(): IPoll.Frequency {
    const ms = this._startingMs;
    return { interval: ms, backoff: false, max: ms };
  }

  private readonly _client: IPlatformStatusOptions['client'];
  private readonly _retry: IBackoffOptions;
  private readonly _now: () => number;
  private readonly _poll: Poll;
  private readonly _changed = new Signal<this, void>(this);
  private _refreshMs: number;
  private readonly _startingMs: number;
  private _status: IVCEStatus | null = null;
  private _requestError: string | null = null;
  private _failures = 0;
  private _nextAttemptAt: number | null = null;
}
