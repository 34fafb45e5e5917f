/**
 * What the soak counts: requests and their latencies per route (an
 * HdrHistogram each, hdr-histogram-js), errors and expected refusals by kind,
 * and plain counters (events received, jobs ended). Its snapshot is what the
 * report prints.
 */
import { build, type Histogram } from 'hdr-histogram-js';
import type { Outcome } from './classify';

export interface RouteFigures {
  route: string;
  requests: number;
  errors: number;
  refused: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface Snapshot {
  routes: RouteFigures[];
  /** `kind — where` → how many. */
  errors: Map<string, number>;
  refusals: Map<string, number>;
  counters: Map<string, number>;
}

interface RouteState {
  histogram: Histogram;
  requests: number;
  errors: number;
  refused: number;
}

const bump = (map: Map<string, number>, key: string, by = 1) =>
  map.set(key, (map.get(key) ?? 0) + by);

export class Stats {
  private readonly routes = new Map<string, RouteState>();
  private readonly errors = new Map<string, number>();
  private readonly refusals = new Map<string, number>();
  private readonly counters = new Map<string, number>();

  /** One answered (or unanswered) request of `route` that took `ms`. */
  request(route: string, ms: number, outcome: Outcome): void {
    const state = this.route(route);
    state.requests += 1;
    // Microseconds, so sub-millisecond answers keep their precision.
    state.histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
    if (outcome.kind === 'error') {
      state.errors += 1;
    } else if (outcome.kind === 'refused') {
      state.refused += 1;
    }
    this.outcome(route, outcome);
  }

  /** An outcome that is not one request's (a job's end, a hash check, a stream that closed). */
  outcome(where: string, outcome: Outcome): void {
    if (outcome.kind === 'error') {
      bump(this.errors, `${outcome.name} — ${where}`);
    } else if (outcome.kind === 'refused') {
      bump(this.refusals, `${outcome.name} — ${where}`);
    }
  }

  count(name: string, by = 1): void {
    bump(this.counters, name, by);
  }

  snapshot(): Snapshot {
    const routes = [...this.routes.entries()]
      .map(([route, state]) => ({
        route,
        requests: state.requests,
        errors: state.errors,
        refused: state.refused,
        // A percentile is its bucket's highest equivalent value: never past the true max.
        p50Ms:
          Math.min(
            state.histogram.getValueAtPercentile(50),
            state.histogram.maxValue
          ) / 1000,
        p99Ms:
          Math.min(
            state.histogram.getValueAtPercentile(99),
            state.histogram.maxValue
          ) / 1000,
        maxMs: state.histogram.maxValue / 1000
      }))
      .sort((a, b) => a.route.localeCompare(b.route));
    return {
      routes,
      errors: new Map(this.errors),
      refusals: new Map(this.refusals),
      counters: new Map(this.counters)
    };
  }

  private route(route: string): RouteState {
    let state = this.routes.get(route);
    if (!state) {
      state = {
        histogram: build({
          lowestDiscernibleValue: 1,
          highestTrackableValue: 3_600_000_000,
          numberOfSignificantValueDigits: 3
        }),
        requests: 0,
        errors: 0,
        refused: 0
      };
      this.routes.set(route, state);
    }
    return state;
  }
}
