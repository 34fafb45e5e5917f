/**
 * A charge an attempt left behind (a read granted as the platform stopped) is
 * refunded when the job then ends without running: cancelled while queued.
 */
import { chargeQuota } from '../../src/quota';
import { ALICE } from '../helpers/helpers';
import { startJobsPlatform, type JobsPlatform } from '../helpers/jobs-helpers';

const SLEEPER = 'import time\ntime.sleep(8)\n';

describe('refunds of a job that ends without running', () => {
  let jobs: JobsPlatform;
  beforeAll(async () => {
    jobs = await startJobsPlatform({ jobs: { workers: 1 } });
  });
  afterAll(() => jobs.close());

  it('a queued test run cancelled gets back what an earlier attempt was charged', async () => {
    const token = await jobs.signIn();
    const busy = (
      await jobs.submit(token, 'busy.py', { 'busy.py': SLEEPER })
    ).json().data;
    await jobs.waitFor(token, busy.job_id, ['running']);
    const queued = (
      await jobs.call('POST', '/v2/vce/test-runs/', {
        token,
        json: {
          entry: 'run.py',
          files: [
            {
              name: 'run.py',
              content_base64: Buffer.from('print(1)\n').toString('base64')
            }
          ]
        }
      })
    ).json().data;
    await jobs.waitFor(token, queued.job_id, ['queued']);
    const day = new Date();
    const before = jobs.store.usedOn(
      ALICE.clientKey,
      day.toISOString().slice(0, 10)
    );
    // What the stop race leaves: a read charged to the run after its attempt was refunded.
    expect(
      chargeQuota(jobs.store, ALICE.clientKey, 30, 5000, day, queued.job_id)
        .granted
    ).toBe(true);
    const cancelled = await jobs.call(
      'POST',
      `/v2/vce/jobs/${queued.job_id}/cancel/`,
      { token }
    );
    expect(cancelled.json().data.status).toBe('cancelled');
    expect(
      jobs.store.usedOn(ALICE.clientKey, day.toISOString().slice(0, 10))
    ).toBe(before);
    await jobs.call('POST', `/v2/vce/jobs/${busy.job_id}/cancel/`, { token });
  }, 30_000);
});
