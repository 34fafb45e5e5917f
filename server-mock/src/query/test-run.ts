import type { QueryStage } from './typed-query';

/**
 * A test run rehearses the real job: its script's queries are checked with the
 * execution stage's rules (a limit or page_size up to 100,000, a cursor), and
 * differ only in the data they read: one uniformly random sample of the test
 * stage, at most this many records a query, charged to the day's quota like
 * any test-stage read (the execution stage's default page: a 5,000-record day
 * holds several rehearsals).
 */
export const TEST_RUN_SAMPLE_RECORDS = 1000;

/** The rules a query is validated by: a job's and a test run's scripts share the execution stage's. */
export function validationStage(
  stage: QueryStage,
  tokenJobId: string | null
): QueryStage {
  return stage === 'job' || tokenJobId !== null ? 'job' : 'test';
}

/**
 * How many records a test run's query reads: the limit it asked for, at most
 * the sample's size and what remains of today's quota (0: the quota is spent).
 */
export function testRunSampleSize(limit: number, remaining: number): number {
  return Math.max(0, Math.min(limit, TEST_RUN_SAMPLE_RECORDS, remaining));
}
