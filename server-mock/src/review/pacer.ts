/**
 * Sharing the event loop during a review: `yieldToEventLoop` lets queued
 * callbacks run, and a `Pacer` yields every so many values scanned.
 */

export const yieldToEventLoop = () =>
  new Promise<void>(resolve => setImmediate(resolve));

/** Lets the event loop run every `every` values scanned (one per review, shared by its files). */
export class Pacer {
  private count = 0;
  constructor(private readonly every = 20_000) {}
  /** Counts `values` scanned; true when it is time to `pause()`. */
  due(values = 1): boolean {
    this.count += values;
    return this.count >= this.every;
  }
  async pause(): Promise<void> {
    this.count = 0;
    await yieldToEventLoop();
  }
  async tick(values = 1): Promise<void> {
    if (this.due(values)) {
      await this.pause();
    }
  }
}
