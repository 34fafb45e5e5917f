/**
 * Execution-stage benchmark: the platform in process with the default worker
 * pool, real HTTP, real sandboxed jobs.
 *
 *   npm run bench:jobs     (BENCH_VIDEOS=1000000 BENCH_DATA_DIR=/tmp/vce-bench BENCH_TRIVIAL=30)
 *
 * Prints: submit → running latency with a free worker; trivial jobs per
 * minute with the default pool; a job paging every video (records/s against
 * JSON.stringify of the same records in this process, and the platform's RSS
 * while it streams); the platform's resident memory (VmRSS) once started
 * with the review's index ready (read from its file next to the data, or
 * built and kept there at the first run); the review's time per MB of a
 * 10 MB aggregate CSV, a 10 MB microdata CSV and a 10 MB log, with every
 * rule and, in the same run, with the rule families issue 16 added turned
 * off (the old rules' baseline), and its MB/s beside a plain read-and-split
 * of the same file (readFileSync, split into lines, lines into cells).
 * BENCH_ONLY=review runs the review figures alone.
 *
 * The index file is written next to the data file: to run on a data set
 * you must not write beside (a shared read-only copy), point BENCH_DATA_DIR
 * at a folder of your own holding a symbolic link to it.
 */
import {
  existsSync,
  mkdtempSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { buildApp } from '../src/app';
import { openPublicData } from '../src/data/open';
import { DEFAULT_WORKERS } from '../src/jobs/service';
import { pageRecords, warmUp } from '../src/query/engine';
import { validateQuery } from '../src/query/validate';
import {
  buildDisclosureIndex,
  DEFAULT_REVIEW_CONFIG,
  reviewOutputs,
  type DisclosureIndex,
  type ReviewConfig
} from '../src/review';
import { Store } from '../src/store';

const VIDEOS = Number(process.env.BENCH_VIDEOS ?? 1_000_000);
const DATA_DIR = process.env.BENCH_DATA_DIR ?? join(tmpdir(), 'vce-bench');
const TRIVIAL = Number(process.env.BENCH_TRIVIAL ?? 30);
const PAGE_FIELDS = 'id,region_code,like_count,create_time';
const ONLY_REVIEW = process.env.BENCH_ONLY === 'review';
/**
 * The rule families issue 16 added (their rule ids, and `decodes` for the new
 * decoders inside encoded_identifier): the baseline review runs without them,
 * so the ratio new/old stays the cost of those rules whatever else changes.
 * Each family's hook must check `ruleEnabled(config, '<family>')`.
 */
const NEW_RULE_FAMILIES = [
  'key_column',
  'key_lines',
  'linkage',
  'decodes',
  'shuffled_text',
  'high_entropy',
  'provenance',
  'differencing',
  'unclassified',
  'rule_error'
];
const MB = 1024 * 1024;

/** The process's resident memory in MiB (VmRSS of /proc/self/status; process.memoryUsage().rss elsewhere). */
function rssMiB(): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(
      readFileSync('/proc/self/status', 'utf8')
    );
    if (match) {
      return Number(match[1]) / 1024;
    }
  } catch {
    // not Linux
  }
  return process.memoryUsage().rss / MB;
}

/** bench/paging.ts's exports (the paging figures and their rows), when that bench is there. */
interface PagingBench {
  measurePaging(options: {
    url: string;
    token: string;
    data: ReturnType<typeof openPublicData>;
  }): Promise<unknown>;
  pagingRows(figures: unknown): string[];
}

function pagingBench(): PagingBench | null {
  const path = join(__dirname, 'paging.ts');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional: loaded only when the file exists
  return existsSync(path) ? (require(path) as PagingBench) : null;
}

/** A full garbage collection (node's --expose-gc, turned on here), so RSS figures hold what stays. */
function fullGc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

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
  // As the vce-mock command does before it listens.
  warmUp(publicData);
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
  // The jobs service reads (or builds) the review's index at start: wait for it, then measure.
  const i0 = Date.now();
  const index = await buildDisclosureIndex(publicData);
  const indexMs = Date.now() - i0;
  const rssUncollected = rssMiB();
  fullGc();
  const rssStarted = rssMiB();
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

  async function jobFigures() {
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

    // 3. A job paging every video: bench/paging.ts's figures (through HTTP, the platform's RSS) when it is there.
    const paging = pagingBench();
    if (paging) {
      const figures = await paging.measurePaging({
        url: base,
        token: store.issueJobToken(client.clientKey, new Date()),
        data: publicData
      });
      rows.push(...paging.pagingRows(figures));
      return;
    }
    // Without it: a job paging every video, 100,000 a page, against JSON.stringify of the same records here.
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
    fullGc();
    const rssBefore = rssMiB();
    let rssPeak = rssBefore;
    const sampler = setInterval(
      () => (rssPeak = Math.max(rssPeak, rssMiB())),
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
      `| platform RSS while the job pages (VmRSS) | ${rssBefore.toFixed(0)} MiB before, ${rssPeak.toFixed(0)} MiB peak (+${(rssPeak - rssBefore).toFixed(0)} MiB) |`
    );
  }

  rows.push(
    `| the review's index of the data (${index.ids.length.toLocaleString('en-US')} ids, ${index.source.shingles.toLocaleString('en-US')} distinct text shingles) | ${index.source.origin === 'file' ? `read from its file in ${index.source.ms} ms` : `built in ${index.source.ms} ms (first start${index.source.file ? ', kept in its file for the next' : `; not kept: ${index.source.problem}`})`} (waited ${indexMs} ms after listen) |`,
    `| platform RSS once started, the index ready, before any job | ${rssStarted.toFixed(0)} MiB after a full GC, ${rssUncollected.toFixed(0)} MiB before it (VmRSS; issue 19's start: 1,385 MiB, target ≤ 400 MiB) |`
  );
  if (!ONLY_REVIEW) {
    await jobFigures();
  }

  // 4. The review's time per MB: three 10 MB outputs, every rule against the old rules (baseline).
  const outputs = reviewBenchOutputs(publicData, join(dir, 'review-bench'));
  const baseline: ReviewConfig = {
    ...DEFAULT_REVIEW_CONFIG,
    disabledRules: [
      ...(DEFAULT_REVIEW_CONFIG.disabledRules ?? []),
      ...NEW_RULE_FAMILIES
    ]
  };
  let aggregate: { current: ReviewTime; old: ReviewTime } | null = null;
  for (const output of outputs) {
    const [current, old] = await timeReviews(output, index, [
      DEFAULT_REVIEW_CONFIG,
      baseline
    ]);
    const mb = output.bytes / MB;
    const split = timeReadAndSplit(output);
    const rate = (ms: number) => (mb / (Math.max(1, ms) / 1000)).toFixed(1);
    rows.push(
      `| review of ${output.label} (${mb.toFixed(1)} MB, ${output.rows.toLocaleString('en-US')} rows) | ` +
        `every rule ${current.ms} ms CPU = ${rate(current.ms)} MB/s (${current.wallMs} ms wall = ${rate(current.wallMs)} MB/s; ${current.decision}); ` +
        `read-and-split ${split.ms} ms CPU = ${rate(split.ms)} MB/s (${split.wallMs} ms wall) → review/read-and-split speed ${(split.ms / Math.max(1, current.ms)).toFixed(3)} by CPU, ${(split.wallMs / Math.max(1, current.wallMs)).toFixed(3)} by wall; ` +
        `old rules ${old.ms} ms CPU (${old.wallMs} ms wall; ${old.decision}), new/old CPU ${(current.ms / Math.max(1, old.ms)).toFixed(2)} |`
    );
    if (output.key === 'aggregate') {
      aggregate = { current, old };
    }
  }
  if (aggregate) {
    const { current, old } = aggregate;
    const met =
      current.wallMs <= 1000
        ? 'met'
        : current.ms <= 1000
          ? 'met in CPU time; the machine was busy'
          : 'NOT met';
    rows.push(
      `| 10 MB aggregate CSV reviewed in | ${current.wallMs} ms (wall), ${current.ms} ms CPU; every rule / old rules = ${(current.ms / Math.max(1, old.ms)).toFixed(2)} (target ≤ 1 s: ${met}; load average ${loadavg()
        .map(load => load.toFixed(2))
        .join(', ')}) |`
    );
  }

  await app.close();
  store.close();
  publicData.db.close();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(
    `\n| execution stage, ${VIDEOS.toLocaleString('en-US')} videos | figure |\n|---|---|\n${rows.join('\n')}\n`
  );
}

interface BenchOutput {
  key: 'aggregate' | 'microdata' | 'log';
  label: string;
  outputDir: string;
  logs: { name: 'stdout.txt'; path: string }[];
  bytes: number;
  rows: number;
}

/** Lines up to `bytes`, made by `line(index)`; returns the text and its line count. */
function linesUpTo(
  header: string | null,
  bytes: number,
  line: (index: number) => string
) {
  const lines = header === null ? [] : [header];
  let size = header === null ? 0 : header.length + 1;
  for (let index = 0; size < bytes; index++) {
    const next = line(index);
    lines.push(next);
    size += next.length + 1;
  }
  return { text: lines.join('\n') + '\n', rows: lines.length };
}

/**
 * The three 10 MB outputs the review is timed on: an aggregate-looking CSV
 * (counts by region and day), microdata (one row per video of the data:
 * region, exact time and counts, no identifier) and a log of per-record lines
 * (stdout). The last two are made of real records, so the rules that link
 * rows back to the data have their full work to do.
 */
function reviewBenchOutputs(
  publicData: ReturnType<typeof openPublicData>,
  root: string
): BenchOutput[] {
  const regions = ['US', 'GB', 'DE', 'FR', 'BR', 'IN', 'JP', 'ID', 'MX', 'CA'];
  const records = publicData.db
    .prepare(
      'SELECT region_code, create_time, like_count, comment_count, share_count, view_count FROM videos ORDER BY id LIMIT 300000'
    )
    .all() as {
    region_code: string;
    create_time: number;
    like_count: number;
    comment_count: number;
    share_count: number;
    view_count: number;
  }[];
  const record = (index: number) => records[index % records.length];
  const made: [
    BenchOutput['key'],
    string,
    string | null,
    (index: number) => string
  ][] = [
    [
      'aggregate',
      'a 10 MB aggregate CSV',
      'region_code,day,video_count',
      index =>
        `${regions[index % regions.length]},2026-${String((index % 12) + 1).padStart(2, '0')}-${String((index % 28) + 1).padStart(2, '0')},${10 + (index % 5000)}`
    ],
    [
      'microdata',
      'a 10 MB microdata CSV',
      'region_code,create_time,like_count,comment_count,share_count,view_count',
      index => {
        const r = record(index);
        return `${r.region_code},${r.create_time},${r.like_count},${r.comment_count},${r.share_count},${r.view_count}`;
      }
    ],
    [
      'log',
      'a 10 MB log of per-record lines (stdout)',
      null,
      index => {
        const r = record(index);
        return `[${index}] processed region=${r.region_code} t=${r.create_time} likes=${r.like_count} views=${r.view_count}`;
      }
    ]
  ];
  return made.map(([key, label, header, line]) => {
    const outputDir = join(root, key, 'output');
    mkdirSync(outputDir, { recursive: true });
    const { text, rows } = linesUpTo(header, 10 * MB, line);
    const isLog = key === 'log';
    const path = isLog
      ? join(root, key, 'stdout.txt')
      : join(outputDir, `${key}.csv`);
    writeFileSync(path, text);
    return {
      key,
      label,
      outputDir,
      logs: isLog ? [{ name: 'stdout.txt' as const, path }] : [],
      bytes: Buffer.byteLength(text),
      rows
    };
  });
}

/**
 * The floor a review is compared with: the file read and split into lines
 * and the lines into cells (commas; blanks for the log), nothing looked at.
 * Best of three, in ms of CPU time and of wall time (CPU time, like the
 * review's, hardly changes on a busy machine).
 */
function timeReadAndSplit(output: BenchOutput): { ms: number; wallMs: number } {
  const path =
    output.logs[0]?.path ?? join(output.outputDir, `${output.key}.csv`);
  const separator = output.key === 'log' ? ' ' : ',';
  const best = { ms: Infinity, wallMs: Infinity };
  let cells = 0;
  for (let round = 0; round < 3; round++) {
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const lines = readFileSync(path, 'utf8').split('\n');
    cells = 0;
    for (const line of lines) {
      cells += line.split(separator).length;
    }
    const used = process.cpuUsage(cpu);
    best.ms = Math.min(best.ms, Math.round((used.user + used.system) / 1000));
    best.wallMs = Math.min(
      best.wallMs,
      Math.round(Number(process.hrtime.bigint() - started) / 1e6)
    );
  }
  if (!cells) throw new Error('nothing read');
  return best;
}

/**
 * The review of one output under each configuration: three rounds, the
 * configurations interleaved within a round (so a busy machine slows both
 * alike), the fastest run of each kept. `ms` is the process's CPU time (user
 * and system: the review runs on this thread, so other processes on a busy
 * machine barely change it), `wallMs` the elapsed time.
 */
interface ReviewTime {
  ms: number;
  wallMs: number;
  decision: string;
}

async function timeReviews(
  output: BenchOutput,
  index: DisclosureIndex,
  configs: ReviewConfig[]
): Promise<ReviewTime[]> {
  const best = configs.map(() => ({
    ms: Infinity,
    wallMs: Infinity,
    decision: ''
  }));
  for (let round = 0; round < 3; round++) {
    for (const [position, config] of configs.entries()) {
      const started = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      const verdict = await reviewOutputs({
        outputDir: output.outputDir,
        logs: output.logs,
        recordsRead: VIDEOS,
        index,
        config
      });
      const used = process.cpuUsage(cpu);
      const ms = Math.round((used.user + used.system) / 1000);
      const wallMs = Math.round(
        Number(process.hrtime.bigint() - started) / 1e6
      );
      best[position] = {
        ms: Math.min(ms, best[position].ms),
        wallMs: Math.min(wallMs, best[position].wallMs),
        decision: verdict.decision
      };
    }
  }
  return best;
}

main().catch(error => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
