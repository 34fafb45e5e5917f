import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';
import type { IDisposable } from '@lumino/disposable';
import type { IReviewApi } from '../api/client';
import type {
  DecidedReview,
  ISavedReviewOutput,
  ReviewDecision,
  ReviewItem,
  ReviewOutput
} from '../api/types';
import type { Translate } from '../common/translate';

/** The longest reason the platform takes (`decideReview` in server-mock/openapi.yaml). */
export const MAX_REASON = 2000;

/** 'inactive': not a reviewer (or not connected); the others describe the queue. */
export type ReviewPhase = 'inactive' | 'loading' | 'ready' | 'error';

export { reviewerRole } from './role';

/**
 * Why a decision cannot be sent yet, or null when it can. A rejection needs
 * its reason (the researcher reads it and fixes the script); an approval may
 * go without one (the default below is sent).
 */
export function reasonProblem(
  decision: ReviewDecision['decision'],
  reason: string,
  trans: Translate
): string | null {
  const text = reason.trim();
  if (!text && decision === 'reject') {
    return trans.__(
      'Say why the job is rejected: the researcher reads it to fix the script.'
    );
  }
  if (text.length > MAX_REASON) {
    return trans.__(
      'The reason has %1 characters: at most %2 are taken.',
      text.length.toLocaleString('en-US'),
      MAX_REASON.toLocaleString('en-US')
    );
  }
  return null;
}

/** The body to send: the reason trimmed, or the default of an approval without one. */
export function decisionBody(
  decision: ReviewDecision['decision'],
  reason: string,
  trans: Translate
): ReviewDecision {
  const text = reason.trim();
  return {
    decision,
    reason:
      text ||
      trans.__(
        'A reviewer checked what the automatic review flagged: the results may be released.'
      )
  };
}

/** The files the review read of one job, as the queue shows them. */
export interface IJobOutputs {
  state: 'loading' | 'ready' | 'error';
  files: readonly ReviewOutput[];
  /** Why they could not be listed, else null. */
  error: string | null;
}

function fileKey(jobId: string, name: string): string {
  return `${jobId}\u0000${name}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface IReviewModelOptions {
  api: IReviewApi;
  /** How often to ask again while the page is visible, in ms; 0: only when asked. */
  refreshIntervalMs?: number;
}

/**
 * A reviewer's manual-review queue: the jobs the automatic review sent to a
 * person, and the decisions in flight. The platform has no review events, so
 * it refreshes on a slow poll (standby while the page is hidden), when the
 * panel shows, and when asked; a decided job leaves the queue at once.
 */
export class ReviewModel implements IDisposable {
  constructor(options: IReviewModelOptions) {
    this._api = options.api;
    const interval = options.refreshIntervalMs ?? 30_000;
    this._poll =
      interval > 0
        ? new Poll({
            auto: false,
            factory: () => this.refresh(),
            frequency: { interval, backoff: false, max: interval },
            name: 'jupyterlab-vce:review-queue',
            standby: 'when-hidden'
          })
        : null;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get phase(): ReviewPhase {
    return this._phase;
  }

  /** The jobs waiting for a decision, oldest first. */
  get jobs(): readonly ReviewItem[] {
    return this._jobs;
  }

  /** Why the last refresh failed, else null. */
  get error(): string | null {
    return this._error;
  }

  /** When the queue was last read (ms since epoch), or null. */
  get refreshedAt(): number | null {
    return this._refreshedAt;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** True while a decision on this job is being sent. */
  isDeciding(jobId: string): boolean {
    return this._deciding.has(jobId);
  }

  /** The files the review read of a job in the queue, or null before they are asked for. */
  outputsOf(jobId: string): IJobOutputs | null {
    return this._outputs.get(jobId) ?? null;
  }

  /** True while this file is being saved into the workspace to open. */
  isOpening(jobId: string, name: string): boolean {
    return this._opening.has(fileKey(jobId, name));
  }

  /** Why this file could not be opened the last time, else null. */
  openError(jobId: string, name: string): string | null {
    return this._openErrors.get(fileKey(jobId, name)) ?? null;
  }

  /**
   * List a job's files (again). They do not change while the job waits, so
   * each job's are read once, and again only when asked (after a failure).
   * Never rejects: a failure is the job's `error`.
   */
  async loadOutputs(jobId: string): Promise<void> {
    const current = this._outputs.get(jobId);
    this._outputs.set(jobId, {
      state: 'loading',
      files: current?.files ?? [],
      error: null
    });
    this._changed.emit();
    let next: IJobOutputs;
    try {
      next = {
        state: 'ready',
        files: await this._api.reviewOutputs(jobId),
        error: null
      };
    } catch (error) {
      next = { state: 'error', files: [], error: messageOf(error) };
    }
    // Decided or signed out meanwhile: the job is no longer shown.
    if (this._jobs.some(job => job.job_id === jobId)) {
      this._outputs.set(jobId, next);
      this._changed.emit();
    }
  }

  /**
   * Save one file into the workspace (the server extension puts it under
   * `vce-review/<job_id>/`) to open it; rejects with the reason, which is also
   * kept as the file's `openError` until the next attempt.
   */
  async saveOutput(jobId: string, name: string): Promise<ISavedReviewOutput> {
    const key = fileKey(jobId, name);
    if (this._opening.has(key)) {
      throw new Error(`${name} is already being opened.`);
    }
    this._opening.add(key);
    this._openErrors.delete(key);
    this._changed.emit();
    try {
      return await this._api.saveReviewOutput(jobId, name);
    } catch (error) {
      this._openErrors.set(key, messageOf(error));
      throw error;
    } finally {
      this._opening.delete(key);
      this._changed.emit();
    }
  }

  /** Keep why a saved file could not be shown (no viewer, say) beside it. */
  setOpenError(jobId: string, name: string, message: string | null): void {
    const key = fileKey(jobId, name);
    if (message) {
      this._openErrors.set(key, message);
    } else {
      this._openErrors.delete(key);
    }
    this._changed.emit();
  }

  /** Show the queue (a reviewer, connected) or forget it. */
  setActive(active: boolean): void {
    if (active === (this._phase !== 'inactive')) {
      return;
    }
    if (active) {
      this._phase = 'loading';
      this._changed.emit();
      void this.refresh();
      void this._poll?.start();
    } else {
      void this._poll?.stop();
      this._phase = 'inactive';
      this._jobs = [];
      this._outputs.clear();
      this._openErrors.clear();
      this._error = null;
      this._refreshedAt = null;
      this._changed.emit();
    }
  }

  /** Read the queue now (one request for concurrent callers); never rejects. */
  refresh(): Promise<void> {
    if (this._phase === 'inactive' || this._disposed) {
      return Promise.resolve();
    }
    this._pending ??= this._load().finally(() => (this._pending = null));
    return this._pending;
  }

  /**
   * Send a decision. The job leaves the queue once the platform took it;
   * a refusal (already decided, not found, a bad reason) rejects with the
   * platform's message and leaves the queue as it was.
   */
  async decide(
    jobId: string,
    decision: ReviewDecision
  ): Promise<DecidedReview> {
    if (this._deciding.has(jobId)) {
      throw new Error(`A decision on ${jobId} is already being sent.`);
    }
    this._deciding.add(jobId);
    this._changed.emit();
    try {
      const decided = await this._api.decideReview(jobId, decision);
      this._jobs = this._jobs.filter(job => job.job_id !== jobId);
      this._outputs.delete(jobId);
      return decided;
    } finally {
      this._deciding.delete(jobId);
      this._changed.emit();
    }
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._poll?.dispose();
    Signal.clearData(this);
  }

  private async _load(): Promise<void> {
    try {
      const jobs = await this._api.reviewQueue();
      if (this._phase === 'inactive') {
        return; // signed out meanwhile
      }
      this._jobs = jobs;
      this._error = null;
      this._phase = 'ready';
      this._refreshedAt = Date.now();
      this._syncOutputs();
    } catch (error) {
      if (this._phase === 'inactive') {
        return;
      }
      this._error = error instanceof Error ? error.message : String(error);
      this._phase = 'error';
    }
    this._changed.emit();
  }

  /** Forget the files of jobs that left the queue; list those of new ones (and failed lists). */
  private _syncOutputs(): void {
    const shown = new Set(this._jobs.map(job => job.job_id));
    for (const jobId of [...this._outputs.keys()]) {
      if (!shown.has(jobId)) {
        this._outputs.delete(jobId);
      }
    }
    for (const jobId of shown) {
      const outputs = this._outputs.get(jobId);
      if (!outputs || outputs.state === 'error') {
        void this.loadOutputs(jobId);
      }
    }
  }

  private readonly _api: IReviewApi;
  private readonly _outputs = new Map<string, IJobOutputs>();
  private readonly _opening = new Set<string>();
  private readonly _openErrors = new Map<string, string>();
  private readonly _poll: Poll | null;
  private readonly _changed = new Signal<this, void>(this);
  private readonly _deciding = new Set<string>();
  private _phase: ReviewPhase = 'inactive';
  private _jobs: ReviewItem[] = [];
  private _error: string | null = null;
  private _refreshedAt: number | null = null;
  private _pending: Promise<void> | null = null;
  private _disposed = false;
}
