/**
 * Test-stage query benchmark: vce-mock serving a generated 1,000,000-video
 * data set (src/data/open.ts) on loopback, in a child process of its own (as
 * a real server would be: the load generator's CPU is not the server's event
 * loop), driven by 1, 10 and 50 concurrent clients over real HTTP.
 *
 * Three workloads per concurrency level, each for BENCH_SECONDS:
 * - baseline: GET /v2/vce/quota/, a trivial authenticated route on the same
 *   server (token check, one SQLite read). Every figure is also given as a
 *   ratio to it, measured in the same run at the same level, so a slower or
 *   busier machine shows up in both.
 * - repeat: six typical test-stage queries in turn (the guide's example among
 *   them), as a researcher re-running and refining the same queries does.
 * - fresh: the same shapes with values drawn at random for every request
 *   (thresholds, regions, dates, hashtags, keywords), so most are new to the
 *   server: the cold path.
 *
 *   npm run bench:query
 *   BENCH_VIDEOS=1000000 BENCH_DATA_DIR=/tmp/vce-bench BENCH_SECONDS=10 BENCH_LEVELS=1,10,50 npm run bench:query
 *   BENCH_REGENERATE=1 …   (build the data set again first, timed, in a fresh temp dir)
 *   BENCH_WORKLOADS=repeat …   (the baseline and the repeat mix only)
 *   BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" …   (profile the server process)
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { Random } from '../src/data/random';
import {
  HASHTAGS,
  LANGUAGES,
  REGIONS,
  vocabularyWords
} from '../src/data/vocabulary';

const VIDEOS = Number(process.env.BENCH_VIDEOS ?? 1_000_000);
const REGENERATE = process.env.BENCH_REGENERATE === '1';
const DATA_DIR = process.env.BENCH_DATA_DIR ?? join(tmpdir(), 'vce-bench');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LEVELS = (process.env.BENCH_LEVELS ?? '1,10,50').split(',').map(Number);
/** Which query workloads to run besides the baseline: "repeat", "fresh" or both (the default). */
const WORKLOADS = (process.env.BENCH_WORKLOADS ?? 'repeat,fresh').split(',');
const CLIENT = {
  clientKey: 'bench',
  clientSecret: 'bench-secret',
  email: 'bench@example.invalid'
};

const and = (...conditions: object[]) => ({ operator: 'and', conditions });
const c = (field: string, operator: string, ...field_values: string[]) => ({
  field,
  operator,
  field_values
});

/** The repeat mix: the guide's example and typical test-stage queries (limit as a researcher would). */
export const QUERIES: { name: string; body: object }[] = [
  {
    name: 'seed: like_count gte 10, limit 10',
    body: {
      category: 'video',
      condition_groups: [and(c('like_count', 'gte', '10'))],
      fields: 'display_name,video_description,create_time,id',
      limit: 10
    }
  },
  {
    name: 'region IN + date range, limit 100',
    body: {
      category: 'video',
      condition_groups: [
        and(
          c('region_code', 'in', 'US', 'GB'),
          c('create_time', 'gte', '20250101')
        )
      ],
      fields: 'id,like_count,region_code',
      limit: 100
    }
  },
  {
    name: 'keyword, limit 100',
    body: {
      category: 'video',
      condition_groups: [and(c('keyword', 'eq', 'recipe'))],
      fields: 'id,video_description',
      limit: 100
    }
  },
  {
    name: 'hashtag CONTAINS, limit 100',
    body: {
      category: 'video',
      condition_groups: [and(c('hashtag_names', 'contains', 'cooking'))],
      fields: 'id,hashtag_names',
      limit: 100
    }
  },
  {
    name: 'narrow: like_count gt 1e6',
    body: {
      category: 'video',
      condition_groups: [and(c('like_count', 'gt', '1000000'))],
      fields: 'id',
      limit: 100
    }
  },
  {
    name: 'comments like_count gte 50',
    body: {
      category: 'comment',
      condition_groups: [and(c('like_count', 'gte', '50'))],
      fields: 'id,text',
      limit: 100
    }
  }
];

/** The fresh mix: the same six shapes, values drawn per request (seeded, so runs compare). */
export function freshQuery(random: Random, index: number): object {
  const logUniform = (max: number) =>
    String(Math.floor(Math.exp(random.next() * Math.log(max))));
  const day = () => {
    const date = new Date(
      Date.UTC(2020, 0, 1) + random.int(0, 6 * 365) * 86_400_000
    );
    return date.toISOString().slice(0, 10).replace(/-/g, '');
  };
  switch (index % 6) {
    case 0:
      return {
        category: 'video',
        condition_groups: [and(c('like_count', 'gte', logUniform(10_000)))],
        fields: 'display_name,video_description,create_time,id',
        limit: 10
      };
    case 1:
      return {
        category: 'video',
        condition_groups: [
          and(
            c('region_code', 'in', REGIONS.pick(random), REGIONS.pick(random)),
            c('create_time', 'gte', day())
          )
        ],
        fields: 'id,like_count,region_code',
        limit: 100
      };
    case 2:
      return {
        category: 'video',
        condition_groups: [
          and(
            c(
              'keyword',
              'eq',
              random.pick(vocabularyWords(random.pick(LANGUAGES)))
            )
          )
        ],
        fields: 'id,video_description',
        limit: 100
      };
    case 3:
      return {
        category: 'video',
        condition_groups: [
          and(c('hashtag_names', 'contains', HASHTAGS.pick(random)))
        ],
        fields: 'id,hashtag_names',
        limit: 100
      };
    case 4:
      return {
        category: 'video',
        condition_groups: [
          and(
            c('like_count', 'gt', logUniform(3_000_000)),
            c('view_count', 'gte', logUniform(1_000_000))
          )
        ],
        fields: 'id',
        limit: 100
      };
    default:
      return {
        category: 'comment',
        condition_groups: [and(c('like_count', 'gte', logUniform(1000)))],
        fields: 'id,text',
        limit: 100
      };
  }
}

export function percentile(sorted: number[], p: number): number {
  return sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
    : NaN;
}

/** The child: open (or build) the data, serve, say the URL and the build time. */
async function serve(): Promise<void> {
  const { buildApp } = await import('../src/app');
  const { openPublicData } = await import('../src/data/open');
  const { warmUp } = await import('../src/query/engine');
  const { Store } = await import('../src/store');
  const dataDir = process.env.BENCH_CHILD_DATA_DIR!;
  let generatedSeconds: number | null = null;
  const publicData = openPublicData({
    dataDir,
    seed: 1,
    videos: VIDEOS,
    log: line => {
      const match = / in ([\d.]+) s: /.exec(line);
      generatedSeconds = match ? Number(match[1]) : null;
    }
  });
  warmUp(publicData);
  const storeDir = mkdtempSync(join(tmpdir(), 'vce-bench-store-'));
  const store = new Store(join(storeDir, 'store.sqlite'));
  store.upsertClient(CLIENT, new Date());
  const app = buildApp({ store, publicData, dailyLimit: 1_000_000_000 });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  // The server's event-loop delay over one workload: how long a request that
  // is ready waits for the requests ahead of it (a closed loop of N clients
  // keeps about N requests queued on one event loop).
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  process.send!({ url, generatedSeconds });
  process.on('message', async message => {
    if (message === 'loop-delay:reset') {
      loopDelay.reset();
      return;
    }
    if (message === 'loop-delay:report') {
      process.send!({
        loopDelay: {
          p50: loopDelay.percentile(50) / 1e6,
          p99: loopDelay.percentile(99) / 1e6
        }
      });
      return;
    }
    await app.close();
    store.close();
    publicData.db.close();
    rmSync(storeDir, { recursive: true, force: true });
    process.exit(0);
  });
}

interface Row {
  workload: string;
  clients: number;
  n: number;
  p50: number;
  p99: number;
  rps: number;
  /** The server's event-loop delay during the workload, ms. */
  loopP50: number;
  loopP99: number;
}

async function main(): Promise<void> {
  const dataDir = REGENERATE
    ? mkdtempSync(join(tmpdir(), 'vce-bench-gen-'))
    : DATA_DIR;
  const started = Date.now();
  const child = fork(__filename, ['--serve'], {
    env: { ...process.env, BENCH_CHILD_DATA_DIR: dataDir },
    execArgv: [
      ...process.execArgv,
      ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  });
  const ready = await new Promise<{
    url: string;
    generatedSeconds: number | null;
  }>((resolve, reject) => {
    child.once('message', message =>
      resolve(message as { url: string; generatedSeconds: number | null })
    );
    child.once('exit', code => reject(new Error(`server exited with ${code}`)));
  });
  const readySeconds = (Date.now() - started) / 1000;
  const base = ready.url;
  try {
    const tokenResponse = await fetch(`${base}/v2/oauth/token/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_key: CLIENT.clientKey,
        client_secret: CLIENT.clientSecret,
        grant_type: 'client_credentials'
      })
    });
    const token = ((await tokenResponse.json()) as { access_token: string })
      .access_token;
    // The load itself goes through node:http with kept-alive sockets, not
    // fetch(): fetch costs the load generator ~3× the CPU per request, and on
    // a 2-core machine the generator and the server share the cores, so a
    // heavy client shows up as server latency (the server sat idle a quarter
    // of the time at 50 clients with fetch).
    const agent = new Agent({
      keepAlive: true,
      maxSockets: Math.max(...LEVELS)
    });
    const target = new URL(base);
    const auth = { authorization: `Bearer ${token}` };
    const timed = (method: string, path: string, body?: object) =>
      new Promise<{ ms: number; count: number }>((resolve, reject) => {
        const t0 = process.hrtime.bigint();
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const headers: Record<string, string | number> = { ...auth };
        if (payload !== undefined) {
          headers['content-type'] = 'application/json';
          headers['content-length'] = Buffer.byteLength(payload);
        }
        const request = httpRequest(
          {
            agent,
            host: target.hostname,
            port: target.port,
            method,
            path,
            headers
          },
          response => {
            const chunks: Buffer[] = [];
            response.on('data', chunk => chunks.push(chunk as Buffer));
            response.on('end', () => {
              const json = JSON.parse(
                Buffer.concat(chunks).toString('utf8')
              ) as { data?: { count?: number } };
              if (response.statusCode !== 200) {
                reject(
                  new Error(
                    `status ${response.statusCode}: ${JSON.stringify(json)}`
                  )
                );
              } else {
                resolve({
                  ms: Number(process.hrtime.bigint() - t0) / 1e6,
                  count: json.data?.count ?? 0
                });
              }
            });
            response.on('error', reject);
          }
        );
        request.on('error', reject);
        request.end(payload);
      });
    const post = (body: object) => timed('POST', '/v2/vce/query/', body);
    const quota = () => timed('GET', '/v2/vce/quota/');

    // Per-query latency at one client, first run (cold) apart from the next ten.
    const single: string[] = [];
    for (const query of QUERIES) {
      const cold = await post(query.body);
      const times: number[] = [];
      let count = 0;
      for (let i = 0; i < 10; i++) {
        const r = await post(query.body);
        times.push(r.ms);
        count = r.count;
      }
      times.sort((a, b) => a - b);
      single.push(
        `| ${query.name} | ${count} | ${cold.ms.toFixed(1)} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 99).toFixed(1)} |`
      );
    }

    const random = new Random(20261125);
    const workloads: {
      name: string;
      run: (i: number) => Promise<{ ms: number }>;
    }[] = [
      { name: 'baseline GET quota', run: () => quota() },
      { name: 'repeat mix', run: i => post(QUERIES[i % QUERIES.length].body) },
      { name: 'fresh mix', run: i => post(freshQuery(random, i)) }
    ];
    const rows: Row[] = [];
    for (const clients of LEVELS) {
      for (const workload of workloads.filter(
        (w, index) =>
          index === 0 || WORKLOADS.some(name => w.name.startsWith(name))
      )) {
        const latencies: number[] = [];
        child.send('loop-delay:reset');
        const deadline = Date.now() + SECONDS * 1000;
        const t0 = Date.now();
        await Promise.all(
          Array.from({ length: clients }, async (_, worker) => {
            for (let i = worker; Date.now() < deadline; i += clients) {
              latencies.push((await workload.run(i)).ms);
            }
          })
        );
        const elapsed = (Date.now() - t0) / 1000;
        const loop = await new Promise<{ p50: number; p99: number }>(
          resolve => {
            child.once('message', message =>
              resolve(
                (message as { loopDelay: { p50: number; p99: number } })
                  .loopDelay
              )
            );
            child.send('loop-delay:report');
          }
        );
        latencies.sort((a, b) => a - b);
        rows.push({
          workload: workload.name,
          clients,
          n: latencies.length,
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
          rps: latencies.length / elapsed,
          loopP50: loop.p50,
          loopP99: loop.p99
        });
      }
    }

    console.log(
      `\nvce-mock test-stage queries, ${VIDEOS.toLocaleString('en-US')} videos, loopback HTTP, server in its own process, ${SECONDS} s a workload and level\n`
    );
    console.log(
      ready.generatedSeconds !== null
        ? `data generated in this run: ${ready.generatedSeconds.toFixed(1)} s (server ready after ${readySeconds.toFixed(1)} s)\n`
        : `data reused from ${dataDir} (server ready after ${readySeconds.toFixed(1)} s; BENCH_REGENERATE=1 or npm run bench:generate to time the build)\n`
    );
    console.log(
      '| query (1 client) | records | first run ms | p50 ms (10 runs) | p99 ms |\n|---|---:|---:|---:|---:|'
    );
    console.log(single.join('\n'));
    console.log(
      '\n| clients | workload | requests | p50 ms | p99 ms | req/s | p50 ÷ baseline | p99 ÷ baseline | req/s ÷ baseline | server loop delay p50 / p99 ms |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|'
    );
    for (const row of rows) {
      const baseline = rows.find(
        other =>
          other.clients === row.clients && other.workload === workloads[0].name
      )!;
      console.log(
        `| ${row.clients} | ${row.workload} | ${row.n} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${row.rps.toFixed(0)} | ` +
          `${(row.p50 / baseline.p50).toFixed(2)} | ${(row.p99 / baseline.p99).toFixed(2)} | ${(row.rps / baseline.rps).toFixed(2)} | ` +
          `${row.loopP50.toFixed(1)} / ${row.loopP99.toFixed(1)} |`
      );
    }
    const worst = rows.filter(
      row =>
        row.clients === Math.max(...LEVELS) &&
        row.workload !== workloads[0].name
    );
    console.log(
      `\ntarget p99 ≤ 50 ms at ${Math.max(...LEVELS)} clients: ` +
        worst
          .map(
            row =>
              `${row.workload} ${row.p99.toFixed(1)} ms ${row.p99 <= 50 ? 'met' : 'MISSED'}`
          )
          .join('; ')
    );
    console.log(
      `closed loop (Little's law): mean latency ≈ clients ÷ throughput; ` +
        worst
          .map(
            row =>
              `${row.workload}: ${row.clients} ÷ ${row.rps.toFixed(0)} req/s = ${((1000 * row.clients) / row.rps).toFixed(1)} ms`
          )
          .join('; ') +
        `; p99 ≤ 50 ms at ${Math.max(...LEVELS)} clients needs about ${Math.round((1000 * Math.max(...LEVELS)) / 25)} req/s on one event loop`
    );
    agent.destroy();
  } finally {
    child.send('stop');
    await new Promise(resolve => child.once('exit', resolve));
    if (REGENERATE) {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

if (require.main !== module) {
  // Imported (for its query mixes): run nothing.
} else if (process.argv.includes('--serve')) {
  serve().catch(error => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch(error => {
    console.error(error);
    process.exit(1);
  });
}
