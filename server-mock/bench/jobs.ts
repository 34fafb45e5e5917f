/**
 * Execution-stage benchmark: the platform in process with the default worker
 * pool, real HTTP, real sandboxed jobs.
 *
 *   npm run bench:jobs     (BENCH_VIDEOS=1000000 BENCH_DATA_DIR=/tmp/vce-bench BENCH_TRIVIAL=30)
 *
 * Prints: submit → running latency with a free worker; trivial jobs per
 * minute with the default pool; a job paging every video (records/s against
 * JSON.stringify of the same records in this process, and the platform's RSS
 * while it streams); the review of a 10 MB CSV.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app';
import { openPublicData } from '../src/data/open';
import { DEFAULT_WORKERS } from '../src/jobs/service';
import { pageRecords } from '../src/query/engine';
import { validateQuery } from '../src/query/validate';
import {
  buildDisclosureIndex,
  DEFAULT_REVIEW_CONFIG,
  reviewOutputs
} from '../src/review';
import { Store } from '../src/store';

const VIDEOS = Number(process.env.BENCH_VIDEOS ?? 1_000_000);
const DATA_DIR = process.env.BENCH_DATA_DIR ?? join(tmpdir(), 'vce-bench');
const TRIVIAL = Number(process.env.BENCH_TRIVIAL ?? 30);
const PAGE_FIELDS = 'id,region_code,like_count,create_time';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
};

async function main() {
  const t0 = Date.now();
  const publicData = openPublicData({
    dataDir: DATA_DIR,
    seed: 1,
    videos: VIDEOS
  });
  process.stderr.write(
    `data ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (${VIDEOS} videos)\n`
  );
  const dir = mkdtempSync(join(tmpdir(), 'vce-bench-jobs-'));
  const store = new Store(join(dir, 'vce-mock.sqlite'));
  const client = {
    clientKey: 'bench',
    clientSecret: 'bench-secret',
    email: 'bench@example.invalid'
  };
  const app = buildApp({
    store,
    clients: [client],
    publicData,
    jobs: { dataDir: dir, limits: { wallSeconds: 1800, cpuSeconds: 1800 } }
  });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const token = (
    (await (
      await fetch(`${base}/v2/oauth/token/`, {
        method: 'POST',
        body: new URLSearchParams({
          client_key: client.clientKey,
          client_secret: client.clientSecret,
          grant_type: 'client_credentials'
        })
      })
    ).json()) as { access_token: string }
  ).access_token;
  const api = async (method: string, path: string, body?: unknown) =>
    (await (
      await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {})
        },
        body: body ? JSON.stringify(body) : undefined
      })
    ).json()) as any;
  const submit = async (name: string, script: string) =>
    (
      await api('POST', '/v2/vce/jobs/', {
        entry: name,
        files: [
          { name, content_base64: Buffer.from(script).toString('base64') }
        ]
      })
    ).data;
  const FINAL = ['approved', 'rejected', 'failed', 'cancelled', 'timed_out'];
  const waitFinal = async (id: string) => {
    for (;;) {
      const job = (await api('GET', `/v2/vce/jobs/${id}/`)).data;
      if (FINAL.includes(job.status)) return job;
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  };
  const at = (job: any, status: string) =>
    Date.parse(job.history.find((entry: any) => entry.status === status).at);
  const rows: string[] = [];

  // 1. Submit → running with a free worker (one job at a time).
  const latencies: number[] = [];
  const runs: number[] = [];
  for (let index = 0; index < 10; index++) {
    const job = await waitFinal(
      (await submit(`t${index}.py`, 'print("hello")\n')).job_id
    );
    latencies.push(at(job, 'running') - at(job, 'submitted'));
    runs.push(at(job, 'reviewing') - at(job, 'running'));
  }
  rows.push(
    `| submit → running, free worker (10 jobs) | p50 ${percentile(latencies, 50)} ms, max ${Math.max(...latencies)} ms |`
  );
  rows.push(
    `| a trivial job's run in the sandbox (start to exit) | p50 ${percentile(runs, 50)} ms |`
  );

  // 2. Trivial jobs per minute with the default pool.
  const started = Date.now();
  const ids = [];
  for (let index = 0; index < TRIVIAL; index++) {
    ids.push((await submit(`m${index}.py`, `print(${index})\n`)).job_id);
  }
  for (const id of ids) await waitFinal(id);
  const minutes = (Date.now() - started) / 60_000;
  rows.push(
    `| trivial jobs, ${TRIVIAL} at once, pool of ${DEFAULT_WORKERS} | ${(TRIVIAL / minutes).toFixed(1)} jobs/min (${((Date.now() - started) / 1000).toFixed(1)} s) |`
  );

  // 3. A job paging every video, 100,000 a page, against JSON.stringify of the same records here.
  const query = validateQuery(
    { category: 'video', fields: PAGE_FIELDS, limit: 100_000 },
    'job'
  );
  if (!query.ok) throw new Error('bench query invalid');
  let after: number | null = null;
  const pages = [];
  for (;;) {
    const page = pageRecords(publicData, query.query, after, 100_000);
    pages.push(page.records);
    if (!page.hasMore) break;
    after = page.lastId;
  }
  const records = pages.reduce((n, page) => n + page.length, 0);
  const s0 = process.hrtime.bigint();
  let bytes = 0;
  for (const page of pages) bytes += JSON.stringify(page).length;
  const stringifyMs = Number(process.hrtime.bigint() - s0) / 1e6;
  pages.length = 0;
  if (global.gc) global.gc();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(
    () => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)),
    50
  );
  const pager = `from pyrqs import rqs
n = 0
for page in rqs.RQSClient().iter_query_pages(category="video", fields="${PAGE_FIELDS}", page_size=100000):
    n += len(page)
open("output/total.csv", "w").write("videos\\n%d\\n" % n)
`;
  const paged = await waitFinal((await submit('pager.py', pager)).job_id);
  clearInterval(sampler);
  const pageMs = at(paged, 'reviewing') - at(paged, 'running');
  const jobRate = paged.records_read / (pageMs / 1000);
  const stringifyRate = records / (stringifyMs / 1000);
  rows.push(
    `| job paging ${paged.records_read.toLocaleString('en-US')} videos (${PAGE_FIELDS}) | ${(pageMs / 1000).toFixed(1)} s, ${Math.round(jobRate).toLocaleString('en-US')} records/s (status ${paged.status}) |`
  );
  rows.push(
    `| baseline: JSON.stringify of the same ${records.toLocaleString('en-US')} records (${(bytes / 1e6).toFixed(0)} MB) | ${stringifyMs.toFixed(0)} ms, ${Math.round(stringifyRate).toLocaleString('en-US')} records/s → job/stringify = ${(jobRate / stringifyRate).toFixed(3)} |`
  );
  rows.push(
    `| platform RSS while the job streams | ${(rssBefore / 2 ** 20).toFixed(0)} MiB before, ${(rssPeak / 2 ** 20).toFixed(0)} MiB peak (+${((rssPeak - rssBefore) / 2 ** 20).toFixed(0)} MiB) |`
  );

  // 4. The review of a 10 MB CSV (an aggregate-looking table).
  const outputDir = join(dir, 'review-bench', 'output');
  mkdirSync(outputDir, { recursive: true });
  const lines = ['region_code,day,video_count'];
  let size = lines[0].length;
  const regions = ['US', 'GB', 'DE', 'FR', 'BR', 'IN', 'JP', 'ID', 'MX', 'CA'];
  for (let index = 0; size < 10 * 1024 * 1024; index++) {
    const line = `${regions[index % regions.length]},2026-${String((index % 12) + 1).padStart(2, '0')}-${String((index % 28) + 1).padStart(2, '0')},${10 + (index % 5000)}`;
    lines.push(line);
    size += line.length + 1;
  }
  writeFileSync(join(outputDir, 'big.csv'), lines.join('\n') + '\n');
  const i0 = Date.now();
  const index = await buildDisclosureIndex(publicData);
  const indexMs = Date.now() - i0;
  const r0 = Date.now();
  const verdict = await reviewOutputs({
    outputDir,
    logs: [],
    recordsRead: VIDEOS,
    index,
    config: DEFAULT_REVIEW_CONFIG
  });
  const reviewMs = Date.now() - r0;
  rows.push(
    `| review of a 10 MB CSV (${lines.length.toLocaleString('en-US')} rows) | ${reviewMs} ms (${verdict.decision}) |`
  );
  rows.push(
    `| the review's index of the data (${index.ids.length.toLocaleString('en-US')} ids, ${index.shingles.length.toLocaleString('en-US')} text shingles) | built in ${index.source.builtMs} ms, in the background at start (waited ${indexMs} ms here) |`
  );

  await app.close();
  store.close();
  publicData.db.close();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(
    `\n| execution stage, ${VIDEOS.toLocaleString('en-US')} videos | figure |\n|---|---|\n${rows.join('\n')}\n`
  );
}

main().catch(error => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
