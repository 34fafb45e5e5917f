/**
 * Execution-stage paging benchmark: a job's token pages every video through
 * the real HTTP route, 100,000 records a page, against JSON.stringify of the
 * same records measured in this run.
 *
 *   npm run bench:paging     (BENCH_VIDEOS=1000000 BENCH_DATA_DIR=/tmp/vce-bench BENCH_PYTHON=1 BENCH_QUERY_WORKERS=2)
 *
 * Prints one table: records/s through HTTP (the pager is a separate process
 * that reads each body as a job would, without parsing the records), the
 * same records' JSON.stringify rate here and the ratio, the platform's RSS
 * (min and max, sampled every 20 ms while the pages stream, after a GC), and
 * with BENCH_PYTHON=1 pyrqs' iter_query rate against json.loads of the same
 * bytes (python3 of ../.venv, stdlib only, as in a job).
 *
 * `measurePaging` is exported for bench/jobs.ts: it needs a listening
 * platform's URL, a job token for it, and the open data (for the baseline).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { buildApp } from '../src/app';
import { openPublicData } from '../src/data/open';
import type { PublicData } from '../src/data/schema';
import { pageRecords } from '../src/query/engine';
import { defaultQueryWorkers } from '../src/query/pool';
import { validateQuery } from '../src/query/validate';
import { Store } from '../src/store';

export const PAGE_FIELDS = 'id,region_code,like_count,create_time';
const PAGE_SIZE = 100_000;
const MIB = 2 ** 20;

export interface PagingFigures {
  fields: string;
  records: number;
  bytes: number;
  httpMs: number;
  httpRate: number;
  stringifyMs: number;
  stringifyRate: number;
  ratio: number;
  /** The platform's CPU time (all its threads) while the pages streamed, and JSON.stringify's. */
  pagingCpuMs: number;
  stringifyCpuMs: number;
  rssBeforeMiB: number;
  rssMinMiB: number;
  rssMaxMiB: number;
  /** The same for RSS less the file-backed pages (RssAnon: heap, buffers; not the memory-mapped data file). */
  anonBeforeMiB: number;
  anonMinMiB: number;
  anonMaxMiB: number;
  python: {
    records: number;
    iterRate: number;
    loadsRate: number;
    ratio: number;
  } | null;
}

/** A full GC when the process allows it (--expose-gc, or the flag set now). */
function collectGarbage(): void {
  try {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  } catch {
    // no GC on demand: the figures are still right, the RSS less steady
  }
}

/** RssAnon of /proc/self/status (bytes), or null where there is none. */
function rssAnon(): number | null {
  try {
    const match = /^RssAnon:\s+(\d+) kB/m.exec(
      readFileSync('/proc/self/status', 'utf8')
    );
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** The pager: a separate Node process that pages through HTTP as a job would, reading each body whole. */
const PAGER = `
const [url, token, fields, size] = process.argv.slice(1);
(async () => {
  let cursor = null, records = 0, bytes = 0, pages = 0;
  const started = process.hrtime.bigint();
  for (;;) {
    const response = await fetch(url + '/v2/vce/query/', {
      method: 'POST',
      headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'video', fields, limit: Number(size), ...(cursor ? { cursor } : {}) })
    });
    if (response.status !== 200) throw new Error('HTTP ' + response.status + ': ' + (await response.text()));
    let tail = '';
    for await (const chunk of response.body) {
      bytes += chunk.length;
      tail = (tail + Buffer.from(chunk).toString('latin1')).slice(-2048);
    }
    const end = JSON.parse('{' + tail.slice(tail.lastIndexOf('],"count":') + 2, tail.lastIndexOf('},"error":')) + '}');
    records += end.count;
    pages++;
    cursor = end.cursor;
    if (!end.has_more) break;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(JSON.stringify({ records, bytes, pages, ms }));
})().catch(error => { console.error(error); process.exit(1); });
`;

/** pyrqs' iter_query over every video, and json.loads of the first page's bytes (records/s each). */
const PYTHON_PAGER = `
import json, sys, time, urllib.request
from pyrqs import rqs
url, token, fields, size = sys.argv[1:5]
client = rqs.RQSClient(url, access_token=token, timeout=600)
started = time.perf_counter()
n = 0
for record in client.iter_query("video", fields=fields, page_size=int(size)):
    n += 1
iter_seconds = time.perf_counter() - started
request = urllib.request.Request(url + "/v2/vce/query/", method="POST",
    data=json.dumps({"category": "video", "fields": fields, "limit": int(size)}).encode(),
    headers={"authorization": "Bearer " + token, "content-type": "application/json"})
raw = urllib.request.urlopen(request, timeout=600).read()
best = None
for _ in range(3):
    started = time.perf_counter()
    page = json.loads(raw)
    elapsed = time.perf_counter() - started
    best = elapsed if best is None else min(best, elapsed)
loads_rate = len(page["data"]["records"]) / best
print(json.dumps({"records": n, "iter_rate": n / iter_seconds, "loads_rate": loads_rate}))
`;

function pythonExecutable(): string | null {
  for (const candidate of [
    join(__dirname, '..', '..', '.venv', 'bin', 'python'),
    'python3'
  ]) {
    try {
      execFileSync(candidate, ['-c', 'import json'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // next
    }
  }
  return null;
}

function runChild(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env,
      stdio: ['ignore', 'pipe', 'inherit']
    });
    let out = '';
    child.stdout.on('data', chunk => (out += String(chunk)));
    child.once('error', reject);
    child.once('close', code =>
      code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}`))
    );
  });
}

/** JSON.stringify of every matching record, built as pages of PAGE_SIZE beforehand (the baseline). */
function stringifyBaseline(data: PublicData, fields: string) {
  const query = validateQuery(
    { category: 'video', fields, limit: PAGE_SIZE },
    'job'
  );
  if (!query.ok) throw new Error('bench query invalid');
  const pages = [];
  let after: number | null = null;
  for (;;) {
    const page = pageRecords(data, query.query, after, PAGE_SIZE);
    pages.push(page.records);
    if (!page.hasMore) break;
    after = page.lastId;
  }
  const records = pages.reduce((n, page) => n + page.length, 0);
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let bytes = 0;
  for (const page of pages) bytes += JSON.stringify(page).length;
  const cpu = process.cpuUsage(cpu0);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  pages.length = 0;
  return { records, bytes, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

export async function measurePaging(options: {
  url: string;
  token: string;
  data: PublicData;
  fields?: string;
  python?: boolean;
}): Promise<PagingFigures> {
  const fields = options.fields ?? PAGE_FIELDS;
  collectGarbage();
  const rssBefore = process.memoryUsage().rss;
  let rssMin = rssBefore;
  let rssMax = rssBefore;
  const anonBefore = rssAnon() ?? 0;
  let anonMin = anonBefore;
  let anonMax = anonBefore;
  const sampler = setInterval(() => {
    const rss = process.memoryUsage().rss;
    rssMin = Math.min(rssMin, rss);
    rssMax = Math.max(rssMax, rss);
    const anon = rssAnon() ?? 0;
    anonMin = Math.min(anonMin, anon);
    anonMax = Math.max(anonMax, anon);
  }, 20);
  let paged: { records: number; bytes: number; ms: number };
  const cpu0 = process.cpuUsage();
  try {
    paged = JSON.parse(
      await runChild(process.execPath, [
        '-e',
        PAGER,
        options.url,
        options.token,
        fields,
        String(PAGE_SIZE)
      ])
    ) as { records: number; bytes: number; ms: number };
  } finally {
    clearInterval(sampler);
  }
  const pagingCpu = process.cpuUsage(cpu0);
  // The baseline after the paging: its million objects would otherwise still sit in the RSS sampled above.
  const baseline = stringifyBaseline(options.data, fields);
  if (paged.records !== baseline.records) {
    throw new Error(
      `paged ${paged.records} records, the baseline has ${baseline.records}`
    );
  }
  const httpRate = paged.records / (paged.ms / 1000);
  const stringifyRate = baseline.records / (baseline.ms / 1000);
  let python: PagingFigures['python'] = null;
  const executable = options.python ? pythonExecutable() : null;
  if (executable) {
    const out = JSON.parse(
      await runChild(
        executable,
        [
          '-c',
          PYTHON_PAGER,
          options.url,
          options.token,
          fields,
          String(PAGE_SIZE)
        ],
        { ...process.env, PYTHONPATH: join(__dirname, '..', 'python') }
      )
    ) as { records: number; iter_rate: number; loads_rate: number };
    python = {
      records: out.records,
      iterRate: out.iter_rate,
      loadsRate: out.loads_rate,
      ratio: out.iter_rate / out.loads_rate
    };
  }
  return {
    fields,
    records: paged.records,
    bytes: paged.bytes,
    httpMs: paged.ms,
    httpRate,
    stringifyMs: baseline.ms,
    stringifyRate,
    ratio: httpRate / stringifyRate,
    pagingCpuMs: (pagingCpu.user + pagingCpu.system) / 1000,
    stringifyCpuMs: baseline.cpuMs,
    rssBeforeMiB: rssBefore / MIB,
    rssMinMiB: rssMin / MIB,
    rssMaxMiB: rssMax / MIB,
    anonBeforeMiB: anonBefore / MIB,
    anonMinMiB: anonMin / MIB,
    anonMaxMiB: anonMax / MIB,
    python
  };
}

const rate = (value: number) => Math.round(value).toLocaleString('en-US');

/** The figures as table rows (`| what | figure |`). */
export function pagingRows(figures: PagingFigures): string[] {
  const rows = [
    `| job paging ${figures.records.toLocaleString('en-US')} videos (${figures.fields}) through HTTP, ${PAGE_SIZE.toLocaleString('en-US')} a page | ` +
      `${(figures.httpMs / 1000).toFixed(2)} s, ${rate(figures.httpRate)} records/s (${(figures.bytes / 1e6).toFixed(0)} MB) |`,
    `| baseline: JSON.stringify of the same records here | ${figures.stringifyMs.toFixed(0)} ms, ${rate(figures.stringifyRate)} records/s → paging/stringify = ${figures.ratio.toFixed(3)} |`,
    `| CPU (less noisy on a shared machine): the platform's CPU while paging vs JSON.stringify's | ` +
      `${figures.pagingCpuMs.toFixed(0)} ms vs ${figures.stringifyCpuMs.toFixed(0)} ms → stringify/paging = ${(figures.stringifyCpuMs / figures.pagingCpuMs).toFixed(3)} |`,
    `| platform RSS while the pages stream | ${figures.rssBeforeMiB.toFixed(0)} MiB before; min ${figures.rssMinMiB.toFixed(0)}, max ${figures.rssMaxMiB.toFixed(0)} MiB (spread ${(figures.rssMaxMiB - figures.rssMinMiB).toFixed(0)} MiB; the data file is memory-mapped: its pages read count in RSS) |`,
    `| platform RSS less file-backed pages (RssAnon) while the pages stream | ${figures.anonBeforeMiB.toFixed(0)} MiB before; min ${figures.anonMinMiB.toFixed(0)}, max ${figures.anonMaxMiB.toFixed(0)} MiB (spread ${(figures.anonMaxMiB - figures.anonMinMiB).toFixed(0)} MiB) |`
  ];
  if (figures.python) {
    rows.push(
      `| pyrqs iter_query (${figures.python.records.toLocaleString('en-US')} records) vs json.loads of a page's bytes | ` +
        `${rate(figures.python.iterRate)} vs ${rate(figures.python.loadsRate)} records/s → ${figures.python.ratio.toFixed(3)} |`
    );
  }
  return rows;
}

async function main(): Promise<void> {
  const videos = Number(process.env.BENCH_VIDEOS ?? 1_000_000);
  const dataDir = process.env.BENCH_DATA_DIR ?? join(tmpdir(), 'vce-bench');
  const t0 = Date.now();
  const data = openPublicData({ dataDir, seed: 1, videos });
  process.stderr.write(
    `data ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (${videos} videos)\n`
  );
  const dir = mkdtempSync(join(tmpdir(), 'vce-bench-paging-'));
  const store = new Store(join(dir, 'vce-mock.sqlite'));
  const client = {
    clientKey: 'bench',
    clientSecret: 'bench-secret',
    email: 'bench@example.invalid'
  };
  // As vce-mock runs it: pages come from the query workers (BENCH_QUERY_WORKERS=0: this thread).
  const queryWorkers = Number(
    process.env.BENCH_QUERY_WORKERS ?? defaultQueryWorkers()
  );
  const app = buildApp({
    store,
    clients: [client],
    publicData: data,
    queryWorkers
  });
  try {
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const token = store.issueJobToken(client.clientKey, new Date());
    const figures = await measurePaging({
      url,
      token,
      data,
      python: process.env.BENCH_PYTHON === '1'
    });
    console.log(
      `\nbench:paging (${new Date().toISOString()}, ${queryWorkers} query workers)\n`
    );
    console.log('| what | figure |\n|---|---|');
    for (const row of pagingRows(figures)) console.log(row);
  } finally {
    await app.close();
    store.close();
    data.db.close();
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch(error => {
    console.error(error);
    process.exit(1);
  });
}
