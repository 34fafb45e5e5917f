import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import type { IJobEvent, StreamState } from '../events/stream';
import type { IJobsApi } from '../api/client';
import type { Job, JobStatus } from '../api/types';
import { isFinal, isJobStatus } from './statuses';

/** What the jobs list shows. */
export type JobsPhase = 'signed-out' | 'loading' | 'ready' | 'error';

/** The event source the model follows (the platform's stream, or a test double). */
export interface IJobEventSource {
  readonly received: ISignal<unknown, { type: string }>;
  readonly stateChanged: ISignal<unknown, StreamState>;
}

export interface IJobsModelOptions {
  api: IJobsApi;
  /** Jobs per page (1–100). */
  pageSize?: number;
  /** Wait this long after an event before asking for the job's detail (coalesces bursts). */
  detailDelayMs?: number;
}

/** Newest first: by creation time, then by id (ids carry the time too). */
export function compareJobs(
  a: Pick<Job, 'created_at' | 'job_id'>,
  b: Pick<Job, 'created_at' | 'job_id'>
): number {
  const byTime = Date.parse(b.created_at) - Date.parse(a.created_at);
  if (byTime !== 0 && !Number.isNaN(byTime)) {
    return byTime;
  }
  return a.job_id < b.job_id ? 1 : a.job_id > b.job_id ? -1 : 0;
}

/**
 * The client's jobs, live: the first page newest first, more pages on demand,
 * a status filter, and every job kept current from the platform's `job`
 * events (merged at once, then confirmed by the job's detail). After the event
 * stream reconnects, the first page is read again so nothing missed stays
 * stale. `finished` fires once per job that reaches a final state while watched.
 */
export class JobsModel implements IDisposable {
  constructor(options: IJobsModelOptions) {
    this._api = options.api;
    this._pageSize = options.pageSize ?? 20;
    this._detailDelayMs = options.detailDelayMs ?? 150;
  }

  /** Anything shown changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** A job reached approved, rejected, failed, cancelled or timed_out. */
  get finished(): ISignal<this, Job> {
    return this._finished;
  }

  get phase(): JobsPhase {
    return this._phase;
  }

  get error(): Error | null {
    return this._error;
  }

  /** The jobs listed, newest first, matching the filter. */
  get jobs(): readonly Job[] {
    return this._order.map(id => this._jobs.get(id)!).filter(Boolean);
  }

  get hasMore(): boolean {
    return this._cursor !== null;
  }

  get loadingMore(): boolean {
    return this._loadingMore;
  }

  /** The statuses shown; empty means all. */
  get filter(): readonly JobStatus[] {
    return this._filter;
  }

  get pageSize(): number {
    return this._pageSize;
  }

  set pageSize(size: number) {
    this._pageSize = Math.max(1, Math.min(100, Math.round(size)));
  }

  /** Jobs still moving (for a status line). */
  get activeCount(): number {
    return [...this._jobs.values()].filter(job => !isFinal(job.status)).length;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** A job known to the model (listed or not). */
  job(jobId: string): Job | undefined {
    return this._jobs.get(jobId);
  }

  /**
   * Whether the server holds credentials (signed out empties the list), and
   * whether the platform answers: while the embedded platform starts
   * (`answering` false, its calls answer 503 `platform_starting`) the list
   * waits (loading, or what it showed), and reads the first page once the
   * platform answers, even though the sign-in itself did not change.
   */
  setSignedIn(signedIn: boolean, answering = true): void {
    if (signedIn === this._signedIn && answering === this._answering) {
      return;
    }
    const couldRead = this._signedIn && this._answering;
    this._signedIn = signedIn;
    this._answering = answering;
    if (!signedIn) {
      this._generation++;
      this._jobs.clear();
      this._order = [];
      this._cursor = null;
      this._error = null;
      this._phase = 'signed-out';
      this._changed.emit();
    } else if (!answering) {
      // An answer still on its way would be the platform's 503: the read once it answers counts.
      this._generation++;
      if (this._order.length === 0) {
        this._error = null;
        this._phase = 'loading';
        this._changed.emit();
      }
    } else if (!couldRead) {
      void this.refresh();
    }
  }

  /** Read the first page again (keeps what is shown until the answer comes). */
  async refresh(): Promise<void> {
    if (!this._signedIn || !this._answering) {
      return;
    }
    const generation = ++this._generation;
    if (this._order.length === 0) {
      this._phase = 'loading';
      this._changed.emit();
    }
    try {
      const page = await this._api.list({
        statuses: this._filter,
        pageSize: this._pageSize
      });
      if (generation !== this._generation || this._disposed) {
        return;
      }
      for (const job of page.jobs) {
        this._merge(job);
      }
      this._order = page.jobs.map(job => job.job_id);
      this._cursor = page.has_more ? page.cursor : null;
      this._error = null;
      this._phase = 'ready';
    } catch (error) {
      if (generation !== this._generation || this._disposed) {
        return;
      }
      this._error = error as Error;
      this._phase =
        (error as { status?: number }).status === 401 ? 'signed-out' : 'error';
    }
    this._changed.emit();
  }

  /** The next page, appended. */
  async loadMore(): Promise<void> {
    if (this._cursor === null || this._loadingMore) {
      return;
    }
    const generation = this._generation;
    this._loadingMore = true;
    this._changed.emit();
    try {
      const page = await this._api.list({
        statuses: this._filter,
        pageSize: this._pageSize,
        cursor: this._cursor
      });
      if (generation !== this._generation) {
        return;
      }
      for (const job of page.jobs) {
        this._merge(job);
        if (!this._order.includes(job.job_id)) {
          this._order.push(job.job_id);
        }
      }
      this._cursor = page.has_more ? page.cursor : null;
      this._error = null;
    } catch (error) {
      this._error = error as Error;
    } finally {
      this._loadingMore = false;
      this._changed.emit();
    }
  }

  /** Show only these statuses (none: all) and read the first page. */
  async setFilter(statuses: readonly JobStatus[]): Promise<void> {
    this._filter = [...statuses];
    this._order = [];
    this._cursor = null;
    this._changed.emit();
    await this.refresh();
  }

  /** Ask for a job's detail and merge it. */
  async fetchJob(jobId: string): Promise<Job> {
    const job = await this._api.get(jobId);
    this.upsert(job);
    return job;
  }

  /**
   * Take a job the platform answered with (submit, cancel, detail...): newer
   * than what is known wins; a job new to the model goes to its place in the
   * list when it matches the filter.
   */
  upsert(job: Job): void {
    const changed = this._merge(job);
    const listed = this._order.includes(job.job_id);
    if (!listed && this._matches(job) && this._signedIn) {
      this._order.push(job.job_id);
      this._sortOrder();
      this._changed.emit();
    } else if (listed && !this._matches(job)) {
      this._order = this._order.filter(id => id !== job.job_id);
      this._changed.emit();
    } else if (changed) {
      this._changed.emit();
    }
  }

  /**
   * A `job` event: the status shows at once (unless the event is older than
   * what is known), then the detail is fetched to bring history, verdict and
   * outputs. Unknown jobs (submitted from elsewhere) are fetched and listed.
   */
  applyEvent(event: IJobEvent): void {
    if (this._disposed || !this._signedIn || !isJobStatus(event.status)) {
      return;
    }
    const known = this._jobs.get(event.job_id);
    if (known) {
      const newer = Date.parse(event.at) >= Date.parse(known.updated_at);
      if (newer && known.status !== event.status && !isFinal(known.status)) {
        const updated: Job = {
          ...known,
          status: event.status,
          updated_at: event.at,
          history: [
            ...known.history,
            { status: event.status, at: event.at, note: '' }
          ]
        };
        this._store(updated);
        if (!this._matches(updated)) {
          this._order = this._order.filter(id => id !== updated.job_id);
        }
        this._changed.emit();
      }
    }
    this._scheduleDetail(event.job_id);
  }

  /** Follow an event stream: job events merge, a reconnect re-reads the first page. */
  follow(source: IJobEventSource): () => void {
    const onEvent = (_: unknown, event: { type: string }) => {
      if (event.type === 'job') {
        this.applyEvent(event as IJobEvent);
      }
    };
    let wasOpen = false;
    const onState = (_: unknown, state: StreamState) => {
      if (state === 'open') {
        if (wasOpen) {
          // A reconnect: events past the platform's backlog may be lost.
          void this.refresh();
        }
        wasOpen = true;
      }
    };
    source.received.connect(onEvent);
    source.stateChanged.connect(onState);
    return () => {
      source.received.disconnect(onEvent);
      source.stateChanged.disconnect(onState);
    };
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    for (const timer of this._detailTimers.values()) {
      clearTimeout(timer);
    }
    Signal.clearData(this);
  }

  private _scheduleDetail(jobId: string): void {
    clearTimeout(this._detailTimers.get(jobId));
    this._detailTimers.set(
      jobId,
      setTimeout(() => {
        this._detailTimers.delete(jobId);
        const generation = this._generation;
        this._api.get(jobId).then(
          job => {
            if (generation === this._generation && !this._disposed) {
              this.upsert(job);
            }
          },
          () => {
            // The next event or refresh tries again; the optimistic status stays.
          }
        );
      }, this._detailDelayMs)
    );
  }

  /** Store a job if it is not older than what is known; true when it changed. */
  private _merge(job: Job): boolean {
    const known = this._jobs.get(job.job_id);
    if (known) {
      const older = Date.parse(job.updated_at) < Date.parse(known.updated_at);
      // A final status never goes back; an older answer never overwrites a newer one.
      if (older || (isFinal(known.status) && !isFinal(job.status))) {
        return false;
      }
      if (JSON.stringify(known) === JSON.stringify(job)) {
        return false;
      }
    }
    this._store(job);
    return true;
  }

  private _store(job: Job): void {
    const before = this._jobs.get(job.job_id);
    this._jobs.set(job.job_id, job);
    const wasFinal = before ? isFinal(before.status) : false;
    if (
      isFinal(job.status) &&
      !wasFinal &&
      before !== undefined &&
      !this._notified.has(job.job_id)
    ) {
      this._notified.add(job.job_id);
      this._finished.emit(job);
    }
    if (isFinal(job.status)) {
      // Known final from the start (listed already finished): never announce it later.
      this._notified.add(job.job_id);
    }
  }

  private _matches(job: Job): boolean {
    return this._filter.length === 0 || this._filter.includes(job.status);
  }

  private _sortOrder(): void {
    this._order.sort((a, b) =>
      compareJobs(this._jobs.get(a)!, this._jobs.get(b)!)
    );
  }

  private readonly _api: IJobsApi;
  private readonly _detailDelayMs: number;
  private readonly _changed = new Signal<this, void>(this);
  private readonly _finished = new Signal<this, Job>(this);
  private readonly _jobs = new Map<string, Job>();
  private readonly _notified = new Set<string>();
  private readonly _detailTimers = new Map<
    string,
    ReturnType<typeof setTimeout>
  >();
  private _order: string[] = [];
  private _cursor: string | null = null;
  private _filter: JobStatus[] = [];
  private _pageSize: number;
  private _phase: JobsPhase = 'signed-out';
  private _error: Error | null = null;
  private _signedIn = false;
  /** False while the embedded platform starts (its calls answer 503 `platform_starting`). */
  private _answering = true;
  private _loadingMore = false;
  private _generation = 0;
  private _disposed = false;
}
