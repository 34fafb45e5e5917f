/**
 * Issue 18 defect 2: a test run that ran again after a crash charged its
 * queries twice (the first attempt's charge stayed, `records_read` showed the
 * last attempt only). A run cut short keeps nothing it read: the restart
 * refunds its charges, the next attempt charges once, and the quota always
 * equals the records the run's last attempt read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  api,
  FINAL_JOB_STATUSES,
  requireBuiltCli,
  startCli,
  submission,
  waitUntil,
  type RunningCli
} from '../helpers/cli-process';

/** Reads 40 records (a charged test-stage sample), then waits long enough to be killed. */
const READ_THEN_WAIT = `import time

from pyrqs import rqs

rows = rqs.RQSClient().query(category="video", fields="region_code", limit=40)
print(len(rows))
time.sleep(4)
`;

describe('a test run re-run after kill -9 is charged once', () => {
  let dir: string;
  const running: RunningCli[] = [];
  beforeAll(() => {
    requireBuiltCli();
    dir = mkdtempSync(join(tmpdir(), 'vce-rec18-testrun-'));
  });
  afterAll(async () => {
    for (const cli of running) await cli.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const used = async (cli: RunningCli) =>
    (await api(cli, 'GET', '/v2/vce/quota/')).body.data.used as number;
  const job = async (cli: RunningCli, id: string) =>
    (await api(cli, 'GET', `/v2/vce/jobs/${id}/`)).body.data;

  /** Submit the test run and wait until it runs, its 40 records read and charged; its id. */
  const runningAfterItsRead = async (cli: RunningCli) => {
    const created = await api(
      cli,
      'POST',
      '/v2/vce/test-runs/',
      submission('read_then_wait.py', READ_THEN_WAIT)
    );
    expect(created.status).toBe(201);
    const id = created.body.data.job_id as string;
    await waitUntil(
      () => job(cli, id),
      state => state.status === 'running' && state.records_read === 40
    );
    return id;
  };

  it('refunds the killed attempt and charges the re-run once', async () => {
    const args = ['--videos', '500', '--job-workers', '1'];
    const first = await startCli(dir, args);
    running.push(first);
    const id = await runningAfterItsRead(first);
    expect(await used(first)).toBe(40);
    await first.kill();

    const second = await startCli(dir, args);
    running.push(second);
    // Recovery refunded the attempt cut short: nothing it read was kept.
    const requeued = await job(second, id);
    expect(
      requeued.history.at(-2)?.note ?? requeued.history.at(-1)?.note
    ).toMatch(/Nothing it read was charged/);
    const rerun = await waitUntil(
      () => job(second, id),
      state => FINAL_JOB_STATUSES.includes(state.status)
    );
    // The re-run read its 40 records once more: those alone are kept and charged.
    expect(rerun).toMatchObject({
      status: 'approved',
      attempts: 2,
      records_read: 40
    });
    expect(await used(second)).toBe(40);
    await second.stop();
  }, 90_000);

  it('refunds a run a clean stop cut short at once, while it waits to run again', async () => {
    const stopDir = mkdtempSync(join(tmpdir(), 'vce-rec18-teststop-'));
    try {
      const args = ['--videos', '500', '--job-workers', '1'];
      const first = await startCli(stopDir, args);
      running.push(first);
      const id = await runningAfterItsRead(first);
      await first.stop();
      // Stopped, not yet started again: queued, and nothing it read is charged.
      const db = new Database(join(stopDir, 'vce-mock.sqlite'), {
        readonly: true
      });
      try {
        expect(
          db
            .prepare('SELECT status, records_read FROM jobs WHERE job_id = ?')
            .get(id)
        ).toEqual({ status: 'queued', records_read: 0 });
        expect(
          db
            .prepare('SELECT coalesce(sum(used), 0) FROM quota_usage')
            .pluck()
            .get()
        ).toBe(0);
      } finally {
        db.close();
      }
      const second = await startCli(stopDir, args);
      running.push(second);
      expect(
        await waitUntil(
          () => job(second, id),
          state => FINAL_JOB_STATUSES.includes(state.status)
        )
      ).toMatchObject({ status: 'approved', attempts: 2, records_read: 40 });
      expect(await used(second)).toBe(40);
      await second.stop();
    } finally {
      rmSync(stopDir, { recursive: true, force: true });
    }
  }, 90_000);
});
