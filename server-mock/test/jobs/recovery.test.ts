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

const script = (seconds: number, name: string) =>
  `import csv, time\ntime.sleep(${seconds})\nwith open("output/${name}.csv", "w", newline="") as f:\n    w = csv.writer(f)\n    w.writerow(["group", "n"])\n    w.writerow(["all", 2000])\n`;

const CLI_ARGS = ['--videos', '2000', '--job-workers', '1'];

/** A job as the client sees it. */
const jobOf = async (cli: RunningCli, id: string) =>
  (await api(cli, 'GET', `/v2/vce/jobs/${id}/`)).body.data;

describe('durability: kill -9 with jobs queued and running', () => {
  let dir: string;
  const running: RunningCli[] = [];
  beforeAll(() => {
    requireBuiltCli();
    dir = mkdtempSync(join(tmpdir(), 'vce-recovery-'));
  });
  afterAll(async () => {
    for (const cli of running) await cli.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accounts for every job after a restart: re-run, finished, never released twice', async () => {
    const first = await startCli(dir, CLI_ARGS);
    running.push(first);
    const ids: string[] = [];
    for (const [index, seconds] of [3, 0, 0].entries()) {
      const name = `part${index}`;
      const job = await api(
        first,
        'POST',
        '/v2/vce/jobs/',
        submission(`${name}.py`, script(seconds, name))
      );
      ids.push(job.body.data.job_id);
    }
    await waitUntil(
      () => jobOf(first, ids[0]),
      job => job.status === 'running'
    );
    expect((await jobOf(first, ids[1])).status).toBe('queued');

    await first.kill();

    const second = await startCli(dir, CLI_ARGS);
    running.push(second);
    const finals = [];
    for (const id of ids) {
      finals.push(
        await waitUntil(
          () => jobOf(second, id),
          job => FINAL_JOB_STATUSES.includes(job.status)
        )
      );
    }
    expect(finals.map(job => job.status)).toEqual([
      'approved',
      'approved',
      'approved'
    ]);
    expect(finals[0].attempts).toBe(2);
    expect(
      finals[0].history.map((entry: { status: string }) => entry.status)
    ).toEqual([
      'submitted',
      'queued',
      'running',
      'queued',
      'running',
      'reviewing',
      'approved'
    ]);
    expect(finals[0].history[3].note).toMatch(/restarted during the run/);
    await second.stop();

    const db = new Database(join(dir, 'vce-mock.sqlite'), { readonly: true });
    const releases = db
      .prepare('SELECT job_id, count(*) AS n FROM releases GROUP BY job_id')
      .all() as { n: number }[];
    const mails = db
      .prepare('SELECT job_id, count(*) AS n FROM mail GROUP BY job_id')
      .all() as { n: number }[];
    db.close();
    expect(releases).toHaveLength(3);
    expect(releases.every(row => row.n === 1)).toBe(true);
    expect(mails).toHaveLength(3);
    expect(mails.every(row => row.n === 1)).toBe(true);
  }, 120_000);
});
