/**
 * The platform's event bus: job status changes and quota changes, per
 * client, for the event stream (`GET /v2/vce/events/`), so the UI never has
 * to poll fast (docs/contracts.md § Jobs API).
 */

import type { JobStatus } from './jobs/model';

/** The stream's payloads: openapi.yaml `PlatformEvent` (`JobEvent`, `QuotaEvent`); jest checks the stream against it. */
export type PlatformEvent =
  | { type: 'job'; job_id: string; status: JobStatus; at: string }
  | {
      type: 'quota';
      day: string;
      used: number;
      daily_limit: number;
      remaining: number;
      resets_at: string;
    };

export interface DeliveredEvent {
  /** Increasing per platform process; a stream resumes after the last one it saw. */
  id: number;
  event: PlatformEvent;
}

type Listener = (delivered: DeliveredEvent) => void;

/** How many recent events are kept for a reconnecting stream (Last-Event-ID). */
export const EVENT_BACKLOG = 500;

export class EventBus {
  publish(clientKey: string, event: PlatformEvent): void {
    const delivered = { id: ++this.lastId, event };
    this.backlog.push({ clientKey, delivered });
    if (this.backlog.length > EVENT_BACKLOG) {
      this.backlog.shift();
    }
    for (const listener of this.listeners.get(clientKey) ?? []) {
      listener(delivered);
    }
  }

  /** Listen to a client's events; returns the function that stops listening. */
  subscribe(clientKey: string, listener: Listener): () => void {
    let set = this.listeners.get(clientKey);
    if (!set) {
      set = new Set();
      this.listeners.set(clientKey, set);
    }
    set.add(listener);
    return () => {
      set!.delete(listener);
      if (set!.size === 0) {
        this.listeners.delete(clientKey);
      }
    };
  }

  /** A client's events after `afterId` still in the backlog (for a reconnect). */
  since(clientKey: string, afterId: number): DeliveredEvent[] {
    return this.backlog
      .filter(
        item => item.clientKey === clientKey && item.delivered.id > afterId
      )
      .map(item => item.delivered);
  }

  listenerCount(clientKey: string): number {
    return this.listeners.get(clientKey)?.size ?? 0;
  }

  private lastId = 0;
  private readonly backlog: { clientKey: string; delivered: DeliveredEvent }[] =
    [];
  private readonly listeners = new Map<string, Set<Listener>>();
}
