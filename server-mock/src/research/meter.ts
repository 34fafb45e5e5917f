/**
 * What the Research API's routes spend of a client's day (./quota.ts decides):
 * one request as it is admitted, the records once an answer's are known.
 * A refusal throws the ApiError the caller gets (429). The buckets:
 * docs/research/research-api.md §6 (followers and following have their own).
 */
export type ResearchBucket = 'research' | 'follow';

export interface ResearchMeter {
  /** Admit (and count) one request, or throw its 429. */
  admit(clientKey: string, bucket: ResearchBucket): void;
  /** Count an answer's records, or throw its 429 (nothing counted). */
  chargeRecords(
    clientKey: string,
    bucket: ResearchBucket,
    records: number
  ): void;
}
