import Database from 'better-sqlite3';
import { join } from 'node:path';
import { ALICE } from '../helpers/helpers';
import {
  BOB,
  HONEST_SCRIPT,
  startJobsPlatform,
  type JobsPlatform
} from '../helpers/jobs-helpers';

/**
 * Differencing across a researcher's jobs, as real sandboxed jobs: the same
 * table released twice, the second time without one video, goes to a
 * reviewer naming both jobs; test runs release nothing and leave no table;
 * another client's tables are not compared.
 */

/** The honest script, leaving out the first video of the first region it reads. */
const WITHOUT_ONE = HONEST_SCRIPT.replace(
  'for record in client.iter_query(category="video", fields="region_code", page_size=1000):\n    counts[record["region_code"]] += 1',
  'skipped = False\nfor record in client.iter_query(category="video", fields="region_code", page_size=1000):\n    if not skipped and record["region_code"] == "US":\n        skipped = True\n        continue\n    counts[record["region_code"]] += 1'
);

const FINISHED = [
  'approved',
  'rejected',
  'failed',
  'timed_out',
  'manual_review'
];

describe('differencing across jobs over real HTTP', () => {
  let platform: JobsPlatform;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    platform = await startJobsPlatform();
    alice = await platform.signIn(ALICE);
    bob = await platform.signIn(BOB);
  });
  afterAll(async () => platform.close());

  const run = async (token: string, script: string) => {
    const submitted = (
      await platform.submit(token, 'analysis.py', { 'analysis.py': script })
    ).json().data;
    return platform.waitFor(token, submitted.job_id, FINISHED);
  };
  const storedTables = (jobId: string) => {
    const db = new Database(join(platform.dataDir, 'vce-mock.sqlite'), {
      readonly: true
    });
    try {
      return (
        db
          .prepare('SELECT count(*) AS n FROM job_tables WHERE job_id = ?')
          .get(jobId) as { n: number }
      ).n;
    } finally {
      db.close();
    }
  };

  it('sends the second release of a table that differs by one video to a reviewer, naming both jobs', async () => {
    expect(WITHOUT_ONE).not.toBe(HONEST_SCRIPT);
    const first = await run(alice, HONEST_SCRIPT);
    expect(first.status).toBe('approved');
    // The CSV and the printed "regions written: N" line.
    expect(storedTables(first.job_id)).toBe(2);

    // A test run of the differing script: compared with nothing, kept nowhere.
    const rehearsal = (
      await platform.call('POST', '/v2/vce/test-runs/', {
        token: alice,
        json: {
          entry: 'analysis.py',
          files: [
            {
              name: 'analysis.py',
              content_base64: Buffer.from(WITHOUT_ONE).toString('base64')
            }
          ]
        }
      })
    ).json().data;
    const rehearsed = await platform.waitFor(alice, rehearsal.job_id, FINISHED);
    expect(rehearsed.verdict.findings).not.toContainEqual(
      expect.objectContaining({ rule: 'differencing' })
    );
    expect(storedTables(rehearsal.job_id)).toBe(0);

    // Another client's same table is not this client's release.
    const others = await run(bob, WITHOUT_ONE);
    expect(others.status).toBe('approved');

    const second = await run(alice, WITHOUT_ONE);
    expect(second.status).toBe('reviewing');
    expect(second.verdict.decision).toBe('manual_review');
    expect(second.verdict.findings).toEqual([
      expect.objectContaining({
        rule: 'differencing',
        severity: 'manual',
        file: 'videos_by_region.csv',
        message: expect.stringContaining(
          `videos_by_region.csv: the table of job ${second.job_id} differs from the one released in job ${first.job_id} (videos_by_region.csv) by less than 10 in 1 group: the difference singles out records.`
        )
      })
    ]);
  }, 120_000);
});
