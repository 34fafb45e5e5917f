/**
 * The crash loop (issue 18, "What to build" 4): jobs, test runs and query
 * tasks are submitted, the built CLI is killed (-9) at a seeded random moment
 * and started again on the same data folder, ROUNDS times. After each restart,
 * once everything has settled: no job or task is lost or stuck (each reached
 * an end state), every approved result downloads with the hashes its signed
 * attestation states, no mail was sent twice, and the quota used equals the
 * records delivered and kept. Bounded: about a minute on a busy machine.
 *
 * VCE_CRASH_SEED=N replays another sequence of kill moments (default 18).
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { mulberry32 } from '../../src/query/mulberry32';
import { verifyAttestation } from '../../src/release/attestation';
import {
  api,
  FINAL_JOB_STATUSES,
  FINAL_TASK_STATUSES,
  requireBuiltCli,
  startCli,
  submission,
  waitUntil,
  type RunningCli
} from '../helpers/cli-process';
import { unzip } from '../helpers/zip';

const SEED = Number(process.env.VCE_CRASH_SEED ?? 18);
const ROUNDS = 8;
// A daily limit far above what the rounds read: a refusal for the quota is never what ends a task.
const ARGS = [
  '--videos',
  '600',
  '--job-workers',
  '2',
  '--seed',
  '7',
  '--daily-limit',
  '1000000'
];

/** An aggregate every review approves: one count, above the threshold. */
const executionScript = (seconds: number) => `import csv, time
time.sleep(${seconds})
with open("output/total.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["group", "n"])
    w.writerow(["all", 600])
`;

/** A test run: a charged sample through the query route and a query task, with a pause between. */
const testRunScript = (limit: number, seconds: number) => `import csv, time
from pyrqs import rqs
client = rqs.RQSClient()
first = client.query(category="video", fields="region_code", limit=${limit})
time.sleep(${seconds})
task = client.create_query_task(category="video", fields="region_code", limit=${limit})
client.wait_for_query_task(task)
with open("output/total.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["group", "n"])
    w.writerow(["all", 600])
`;

const sha256 = (content: Buffer) =>
  createHash('sha256').update(content).digest('hex');

describe('crash loop: kill -9 at seeded random moments, restart on the same folder', () => {
  let dir: string;
  let cli: RunningCli | null = null;
  beforeAll(() => {
    requireBuiltCli();
    dir = mkdtempSync(join(tmpdir(), 'vce-rec18-crash-'));
  });
  afterAll(async () => {
    await cli?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const jobIds: string[] = [];
  const taskIds: string[] = [];
  const verified = new Set<string>();
  const mailIds = new Map<string, string>();
  const survived: string[] = [];
  /** What the kills cut short, over all rounds (some must have been). */
  const cutShort = { tasks: 0, runs: 0 };
  /** Each test run's limit: what its query and its task read. */
  const reads = new Map<string, number>();

  /** Everything submitted so far has ended, and every invariant holds. */
  async function settledAndSound(platform: RunningCli, round: number) {
    for (const id of jobIds) {
      const job = await waitUntil(
        async () =>
          (await api(platform, 'GET', `/v2/vce/jobs/${id}/`)).body.data,
        state => FINAL_JOB_STATUSES.includes(state?.status),
        60_000
      );
      // Only a platform fault could fail these scripts: a restart re-runs them.
      expect([job.job_id, job.status, job.reason]).toEqual([
        id,
        'approved',
        null
      ]);
      if (round === ROUNDS && job.attempts > 1) cutShort.runs++;
    }
    for (const id of taskIds) {
      const task = await waitUntil(
        async () =>
          (await api(platform, 'GET', `/v2/vce/query_tasks/${id}/`)).body.data,
        state => FINAL_TASK_STATUSES.includes(state?.status),
        30_000
      );
      if (task.status === 'AnalysisFailed') {
        expect(task.error.code).toBe('platform_restarted');
      } else {
        expect(task.status).toBe('Completed');
        const result = await api(
          platform,
          'GET',
          `/v2/vce/query_tasks/${id}/result/?page_size=100000`
        );
        expect(result.body.data.count).toBe(task.count);
      }
    }

    const db = new Database(join(dir, 'vce-mock.sqlite'), { readonly: true });
    try {
      // Nothing lost: the platform holds exactly what was submitted, all ended.
      const jobs = db
        .prepare('SELECT job_id, status, stage, records_read FROM jobs')
        .all() as {
        job_id: string;
        status: string;
        stage: string;
        records_read: number;
      }[];
      expect(jobs.map(job => job.job_id).sort()).toEqual([...jobIds].sort());
      expect(
        jobs.filter(job => !FINAL_JOB_STATUSES.includes(job.status))
      ).toEqual([]);
      const stuckTasks = db
        .prepare(
          `SELECT task_id, status FROM query_tasks WHERE status NOT IN ('Completed', 'AnalysisFailed', 'Cancelled')`
        )
        .all();
      expect(stuckTasks).toEqual([]);
      cutShort.tasks = db
        .prepare(
          `SELECT count(*) FROM query_tasks WHERE error_code = 'platform_restarted'`
        )
        .pluck()
        .get() as number;

      // The quota is the records delivered and kept: the researcher's completed
      // tasks and what each test run's last attempt read (its queries and tasks).
      const used = db
        .prepare('SELECT coalesce(sum(used), 0) FROM quota_usage')
        .pluck()
        .get() as number;
      const kept = db
        .prepare(
          `SELECT coalesce(sum(count), 0) FROM query_tasks
             WHERE status = 'Completed' AND stage = 'test' AND job_id IS NULL`
        )
        .pluck()
        .get() as number;
      // Each test run's last attempt read its query's sample and its task's
      // (the whole limit: no condition, 600 videos), and that alone is charged.
      const runs = jobs.filter(job => job.stage === 'test');
      expect(
        Object.fromEntries(runs.map(job => [job.job_id, job.records_read]))
      ).toEqual(
        Object.fromEntries(
          runs.map(job => [job.job_id, 2 * reads.get(job.job_id)!])
        )
      );
      const delivered = runs.reduce(
        (sum, job) => sum + 2 * reads.get(job.job_id)!,
        0
      );
      expect({ round, used }).toEqual({ round, used: kept + delivered });

      // Every mail once: one outbox file per mail, and a file never written again.
      const mails = db
        .prepare('SELECT job_id, kind, file, message_id, sent_at FROM mail')
        .all() as {
        job_id: string;
        kind: string;
        file: string | null;
        message_id: string | null;
        sent_at: string | null;
      }[];
      const executions = jobs.filter(job => job.stage === 'execution');
      expect(mails.map(mail => `${mail.job_id}/${mail.kind}`).sort()).toEqual(
        executions.map(job => `${job.job_id}/approved`).sort()
      );
      expect(mails.every(mail => mail.sent_at !== null)).toBe(true);
      const outbox = join(dir, 'outbox');
      const files = existsSync(outbox) ? readdirSync(outbox).sort() : [];
      expect(files).toEqual(mails.map(mail => mail.file).sort());
      for (const file of files) {
        const messageId = /^Message-ID: (.+)$/im.exec(
          readFileSync(join(dir, 'outbox', file), 'utf8')
        )?.[1];
        expect(messageId).toBeTruthy();
        expect(mailIds.get(file) ?? messageId).toBe(messageId);
        mailIds.set(file, messageId!);
      }
    } finally {
      db.close();
    }

    // Every approved result downloads with the hashes of its signed attestation.
    const jwks = (await (
      await fetch(`${platform.base}/.well-known/jwks.json`)
    ).json()) as Parameters<typeof verifyAttestation>[1];
    for (const id of jobIds) {
      const job = (await api(platform, 'GET', `/v2/vce/jobs/${id}/`)).body.data;
      if (job.stage !== 'execution' || verified.has(id)) continue;
      const download = await fetch(
        `${platform.base}/v2/vce/jobs/${id}/result/`,
        {
          headers: { authorization: `Bearer ${platform.bearer}` }
        }
      );
      expect(download.status).toBe(200);
      const archive = Buffer.from(await download.arrayBuffer());
      expect(sha256(archive)).toBe(download.headers.get('x-content-sha256'));
      const entries = await unzip(archive);
      const results = new Map(
        [...entries]
          .filter(([name]) => name.startsWith('results/'))
          .map(([name, content]) => [name.slice('results/'.length), content])
      );
      expect(results.has('total.csv')).toBe(true);
      const jws = (
        await api(platform, 'GET', `/v2/vce/jobs/${id}/attestation/`)
      ).body.data.jws as string;
      const verdict = await verifyAttestation(jws, jwks, results);
      expect(verdict).toMatchObject({ valid: true, mismatches: [] });
      verified.add(id);
    }
  }

  it(`survives ${ROUNDS} rounds of kill -9 (seed ${SEED}) with nothing lost, stuck or charged twice`, async () => {
    const random = mulberry32(SEED);
    const between = (low: number, high: number) =>
      low + Math.floor(random() * (high - low + 1));
    cli = await startCli(dir, ARGS);
    for (let round = 0; round <= ROUNDS; round++) {
      await settledAndSound(cli, round);
      if (round === ROUNDS) break;
      survived.push(`round ${round}`);
      const execution = await api(
        cli,
        'POST',
        '/v2/vce/jobs/',
        submission('total.py', executionScript(between(0, 2)))
      );
      const limit = between(5, 60);
      const rehearsal = await api(
        cli,
        'POST',
        '/v2/vce/test-runs/',
        submission('rehearse.py', testRunScript(limit, between(0, 2)))
      );
      expect([execution.status, rehearsal.status]).toEqual([201, 201]);
      jobIds.push(execution.body.data.job_id, rehearsal.body.data.job_id);
      reads.set(rehearsal.body.data.job_id, limit);
      for (let task = 0; task < 2; task++) {
        const created = await api(cli, 'POST', '/v2/vce/query_tasks/', {
          category: 'video',
          fields: 'id,region_code',
          limit: between(1, 80)
        });
        expect(created.status).toBe(200);
        taskIds.push(created.body.data.task_id);
      }
      await new Promise(resolve => setTimeout(resolve, between(0, 3000)));
      // A burst of tasks as the kill lands: some are cut short mid-way, some
      // are created without their answer arriving (the store still has them).
      const burst = Array.from({ length: 12 }, () =>
        api(cli!, 'POST', '/v2/vce/query_tasks/', {
          category: 'video',
          fields: 'id,region_code',
          limit: between(1, 80)
        })
      );
      await Promise.race([
        ...burst,
        new Promise(resolve => setTimeout(resolve, between(0, 30)))
      ]).catch(() => undefined);
      await cli.kill();
      for (const answer of await Promise.allSettled(burst)) {
        if (answer.status === 'fulfilled' && answer.value.status === 200) {
          taskIds.push(answer.value.body.data.task_id);
        }
      }
      cli = await startCli(dir, ARGS);
    }
    expect(survived).toHaveLength(ROUNDS);
    // The kills landed mid-way: tasks ended by a restart, runs done again.
    expect(cutShort.tasks).toBeGreaterThan(0);
    expect(cutShort.runs).toBeGreaterThan(0);
    if (process.env.VCE_CRASH_VERBOSE) {
      process.stderr.write(
        `crash loop (seed ${SEED}): ${ROUNDS} rounds, ${jobIds.length} jobs and test runs, ${taskIds.length} tasks; ` +
          `cut short: ${cutShort.tasks} tasks ended, ${cutShort.runs} runs done again; ${verified.size} results verified\n`
      );
    }
    await cli.stop();
    cli = null;
  }, 150_000);
});
