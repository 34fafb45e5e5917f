import { ALICE } from '../helpers/helpers';
import {
  startJobsPlatform,
  TEST_LIMITS,
  type JobsPlatform
} from '../helpers/jobs-helpers';

/**
 * A script that catches its own exceptions and prints the chain to stderr:
 * Python shows a string argument quoted (`KeyError: 'sakuradubois'`), and a
 * quoted username without a digit, `_` or `.` used to pass as an ordinary
 * word of running text, so such a job was approved. Quoted strings of a line
 * are now matched whole (rules/identifier-search.ts), and the job is refused.
 */

const SCRIPT = `from pyrqs import rqs
import traceback
records = list(rqs.RQSClient().iter_query(category="video", fields="id,username,display_name", page_size=1000))
plain = [r for r in records if r["username"].isalpha()][:20]
for r in plain:
    try:
        try:
            {}[r["username"]]
        except KeyError as inner:
            raise LookupError("profile lookup failed") from inner
    except LookupError:
        traceback.print_exc()
print("done")
`;

describe('an exception chain printed to stderr', () => {
  let platform: JobsPlatform;
  let alice: string;
  beforeAll(async () => {
    platform = await startJobsPlatform({
      jobs: { limits: { ...TEST_LIMITS, wallSeconds: 20, cpuSeconds: 15 } }
    });
    alice = await platform.signIn(ALICE);
  });
  afterAll(async () => platform.close());

  it('is reviewed like a file: the quoted usernames in it are found', async () => {
    const job = (
      await platform.submit(alice, 'leak.py', { 'leak.py': SCRIPT })
    ).json().data;
    const done = await platform.waitFor(
      alice,
      job.job_id,
      ['approved', 'rejected', 'failed', 'timed_out', 'manual_review'],
      90_000
    );
    expect(done.status).toBe('rejected');
    expect(done.result_available).toBe(false);
    const finding = done.verdict.findings.find(
      (entry: { rule: string; file: string }) =>
        entry.rule === 'identifier_value' && entry.file === 'stderr.txt'
    );
    // Usernames of five or more characters: shorter ones ("mia") are common words and not matched.
    expect(finding.message).toMatch(/\d+ lines with usernames of the data set/);
  });
});
