/**
 * Sharing the event loop during a review: `yieldToEventLoop` lets queued
 * callbacks run, and a `Pacer` yields every so many values scanned.
 */

export const yieldToEventLoop = () =>
  new Promise<void>(resolve => setImmediate(resolve));

/** Thrown by `Pacer.pause` once a rule has run past its time budget (review/guard.ts). */
export class RuleTimeout extends Error {
  constructor() {
    super('the rule ran past its time budget');
  }
}

/** Lets the event loop run every `every` values scanned (one per review, shared by its files). */
export class Pacer {
  private count = 0;
  /** When set (guard.ts), `pause` throws `RuleTimeout` after this time (ms since the epoch): a long rule stops at its next pause. */
  deadline: number | null = null;
  constructor(private readonly every = 20_000) {}
  /** Counts `values` scanned; true when it is time to `pause()`. */
  due(values = 1): boolean {
    this.count += values;
    return this.count >= this.every;
  }
  async pause(): Promise<void> {
    this.count = 0;
    if (this.deadline !== null && Date.now() > this.deadline) {
      throw new RuleTimeout();
    }
    await yieldToEventLoop();
  }
  async tick(values = 1): Promise<void> {
    if (this.due(values)) {
      await this.pause();
    }
  }
}
