import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALICE } from '../helpers/helpers';
import {
  defaultData,
  startJobsPlatform,
  TEST_LIMITS,
  type JobsPlatform
} from '../helpers/jobs-helpers';

/**
 * The lab's *New clean-room script* (issue 17) writes
 * docs/examples/clean_room_starter.py, character for character (the
 * extension's src/template/starter.generated.ts is generated from it). It
 * must pass the review as it is: run here as a real sandboxed job on the
 * platform's default data (seed 1, 100,000 videos), it ends approved, and
 * its one output is the suppressed table it promises.
 */
const STARTER = readFileSync(
  join(
    __dirname,
    '..',
    '..',
    '..',
    'docs',
    'examples',
    'clean_room_starter.py'
  ),
  'utf8'
);

describe('the starter script of "New clean-room script" (docs/examples/clean_room_starter.py)', () => {
  let platform: JobsPlatform;
  let alice: string;

  beforeAll(async () => {
    platform = await startJobsPlatform({
      publicData: defaultData(),
      jobs: {
        workers: 1,
        limits: { ...TEST_LIMITS, wallSeconds: 60, cpuSeconds: 45 }
      }
    });
    alice = await platform.signIn(ALICE);
    // The first run generates the default data (~15 s, longer on a busy machine).
  }, 300_000);

  afterAll(async () => {
    await platform?.close();
  });

  it('runs as a real job on the default data and is approved, its table released', async () => {
    const submitted = await platform.submit(alice, 'clean_room_starter.py', {
      'clean_room_starter.py': STARTER
    });
    expect(submitted.status).toBe(201);
    const job = await platform.waitFor(
      alice,
      submitted.json().data.job_id,
      [
        'approved',
        'rejected',
        'failed',
        'timed_out',
        'cancelled',
        'manual_review'
      ],
      240_000
    );
    if (job.status !== 'approved') {
      throw new Error(
        `the starter script was not approved: ${JSON.stringify(
          {
            status: job.status,
            decision: job.verdict?.decision ?? null,
            failure: job.failure ?? null,
            findings: (job.verdict?.findings ?? []).map(
              (finding: any) =>
                `${finding.severity} ${finding.rule} ${finding.file}: ${finding.message}`
            )
          },
          null,
          2
        )}`
      );
    }
    // Decided by the rules alone, with no finding: the starter teaches them, it does not skirt them.
    expect(job.verdict).toMatchObject({
      decision: 'approved',
      decided_by: 'automatic',
      findings: []
    });
    expect(job.result_available).toBe(true);
    // It read every match of its query through the SDK's paging, and wrote its table.
    expect(job.records_read).toBeGreaterThan(10_000);
    expect(job.outputs.map((output: { name: string }) => output.name)).toEqual([
      'logs/stdout.txt',
      'videos_by_region_and_length.csv'
    ]);
  }, 300_000);
});
