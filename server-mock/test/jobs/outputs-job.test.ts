import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALICE } from '../helpers/helpers';
import { startJobsPlatform, type JobsPlatform } from '../helpers/jobs-helpers';

/**
 * The clean-room template (docs/examples/clean_room_job.py) as a real job in
 * the sandbox: it imports pyrqs.outputs there, writes five files with their
 * provenance records, and ends approved; the records are not released.
 */

const TEMPLATE = readFileSync(
  join(__dirname, '..', '..', '..', 'docs', 'examples', 'clean_room_job.py'),
  'utf8'
);

describe('a job written with pyrqs.outputs', () => {
  let platform: JobsPlatform;
  beforeAll(async () => {
    platform = await startJobsPlatform();
  });
  afterAll(async () => platform.close());

  it('runs the clean-room template in the sandbox and ends approved', async () => {
    const alice = await platform.signIn(ALICE);
    const job = (
      await platform.submit(alice, 'clean_room_job.py', {
        'clean_room_job.py': TEMPLATE
      })
    ).json().data;
    const done = await platform.waitFor(
      alice,
      job.job_id,
      ['approved', 'rejected', 'failed', 'timed_out', 'manual_review'],
      90_000
    );
    expect({ status: done.status, findings: done.verdict?.findings }).toEqual({
      status: 'approved',
      findings: []
    });
    const names = done.outputs.map((file: { name: string }) => file.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'likes_by_region.md',
        'likes_model.csv',
        'median_comments_by_month.json',
        'videos_by_duration.svg',
        'videos_by_region.csv'
      ])
    );
    expect(
      names.some((name: string) => name.endsWith('.provenance.json'))
    ).toBe(false);
  }, 120_000);
});
