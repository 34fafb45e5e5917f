import type { PublicData } from './data/schema';
import type { EventBus } from './events';
import type { JobsService } from './jobs/service';
import type { RandomInt } from './query/engine';
import type { Faults } from './research/faults';
import type { ResearchMeter } from './research/meter';
import type { ResearchLimits } from './research/quota';
import type { Store } from './store';

/** What every route needs: the store, the clock and the platform's settings. */
export interface PlatformContext {
  store: Store;
  now: () => Date;
  /** Lifetime of an access token, in seconds (7200: docs/research/research-api.md §1). */
  tokenTtlSeconds: number;
  /**
   * Test-stage records a client may receive a UTC day (5,000: the platform's
   * guide, docs/research/vce-getting-started.txt).
   */
  dailyLimit: number;
  /**
   * The public Research API's own limits (src/research/quota.ts): requests and
   * records a day, followers/following apart, and requests a minute.
   */
  researchLimits: ResearchLimits;
  /** The public data set the query routes read; absent → they answer 503. */
  publicData?: PublicData;
  /** Draws the test stage's random samples (crypto by default; seeded in tests). */
  random: RandomInt;
  /** Job status and quota changes, for the event stream. */
  events: EventBus;
  /** What the public Research API's routes spend of a client's day (./research/meter.ts). */
  researchMeter: ResearchMeter;
  /** The execution stage (jobs, runner, releases); absent → the job routes answer 503. */
  jobs?: JobsService;
  /**
   * The public Research API's faults on a switch (src/research/faults.ts): the
   * plan of `--faults FILE` and each client's own (PUT /v2/mock/faults/); no plan → no fault.
   */
  researchFaults: Faults;
}
