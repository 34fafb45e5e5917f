import type { PlatformContext } from '../context';
import { requireData } from '../http/guards';
import type { QueryRunner } from '../query/pool';
import { faultError } from './fault-answers';
import { requestKey, type FaultScope, type RequestFault } from './faults';

/**
 * What every answer of the Research API's door needs: the data (or its 503),
 * the query runner, and the request-level fault of a page (README § Faults on
 * a switch), decided once the request was admitted to the quota (and counted,
 * as the platform counts its 500s: docs/research/research-clients.md §2).
 */
export class DoorServices {
  constructor(
    readonly context: PlatformContext,
    private readonly runner: QueryRunner | null
  ) {}

  /** The query runner, or the 503 that says no data is loaded. */
  queries(): QueryRunner {
    requireData(this.context);
    return this.runner!;
  }

  get faults() {
    return this.context.researchFaults;
  }

  /**
   * The fault drawn for a page: its refusal is thrown (a 500, 400 or 429 in
   * the platform's words); `empty_results` is returned for the caller to
   * answer an empty page; null when none.
   */
  pageFault(
    scope: FaultScope,
    page: unknown,
    firstPage: boolean,
    searchId: string | null = null
  ): RequestFault | null {
    const fault = this.faults.requestFault({
      ...scope,
      page: requestKey(page),
      firstPage
    });
    const refusal =
      fault &&
      faultError(fault, this.context.researchLimits.perMinute, searchId);
    if (refusal) {
      throw refusal;
    }
    return fault;
  }

  /** Count an answer's records against the client's day (or throw its 429). */
  charge(
    clientKey: string,
    records: number,
    bucket: 'research' | 'follow' = 'research'
  ): void {
    this.context.researchMeter.chargeRecords(clientKey, bucket, records);
  }

  nowSeconds(): number {
    return Math.floor(this.context.now().getTime() / 1000);
  }
}
