/**
 * Test-stage query benchmark: a generated 1,000,000-video data set (src/data/open.ts),
 * vce-mock on loopback, 1, 10 and 50 concurrent clients over real HTTP.
 * Prints p50/p99 latency and throughput per level, with ratios against 1 client.
 *
 *   npm run bench:query            (BENCH_VIDEOS=1000000 BENCH_DATA_DIR=/tmp/vce-bench BENCH_SECONDS=10)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app';
import { openPublicData } from '../src/data/open';
import { Store } from '../src/store';

const VIDEOS = Number(process.env.BENCH_VIDEOS ?? 1_000_000);
const DATA_DIR = process.env.BENCH_DATA_DIR ?? join(tmpdir(), 'vce-bench');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LEVELS = [1, 10, 50];

const and = (...conditions: object[]) => ({ operator: 'and', conditions });
const c = (field: string, operator: string, ...field_values: string[]) => ({ field, operator, field_values });

/** The mix: the seed's example and typical test-stage queries (limit as a researcher would). */
const QUERIES: { name: string; body: object }[] = [
  { name: 'seed: like_count gte 10, limit 10', body: { category: 'video', condition_groups: [and(c('like_count', 'gte', '10'))], fields: 'display_name,video_description,create_time,id', limit: 10 } },
  { name: 'region IN + date range, limit 100', body: { category: 'video', condition_groups: [and(c('region_code', 'in', 'US', 'GB'), c('create_time', 'gte', '20250101'))], fields: 'id,like_count,region_code', limit: 100 } },
  { name: 'keyword, limit 100', body: { category: 'video', condition_groups: [and(c('keyword', 'eq', 'recipe'))], fields: 'id,video_description', limit: 100 } },
  { name: 'hashtag CONTAINS, limit 100', body: { category: 'video', condition_groups: [and(c('hashtag_names', 'contains', 'cooking'))], fields: 'id,hashtag_names', limit: 100 } },
  { name: 'narrow: like_count gt 1e6', body: { category: 'video', condition_groups: [and(c('like_count', 'gt', '1000000'))], fields: 'id', limit: 100 } },
  { name: 'comments like_count gte 50', body: { category: 'comment', condition_groups: [and(c('like_count', 'gte', '50'))], fields: 'id,text', limit: 100 } }
];

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

async function main() {
  const started = Date.now();
  const publicData = openPublicData({ dataDir: DATA_DIR, seed: 1, videos: VIDEOS });
  process.stderr.write(`data ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${VIDEOS} videos)\n`);
  const dir = mkdtempSync(join(tmpdir(), 'vce-bench-store-'));
  const store = new Store(join(dir, 'store.sqlite'));
  const client = { clientKey: 'bench', clientSecret: 'bench-secret', email: 'bench@example.invalid' };
  store.upsertClient(client, new Date());
  const app = buildApp({ store, publicData, dailyLimit: 1_000_000_000 });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const tokenResponse = await fetch(`${base}/v2/oauth/token/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_key: client.clientKey, client_secret: client.clientSecret, grant_type: 'client_credentials' })
  });
  const token = ((await tokenResponse.json()) as { access_token: string }).access_token;
  const post = async (body: object) => {
    const t0 = process.hrtime.bigint();
    const response = await fetch(`${base}/v2/vce/query/`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await response.json()) as { data?: { count: number } };
    if (response.status !== 200) throw new Error(`status ${response.status}: ${JSON.stringify(json)}`);
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, count: json.data!.count };
  };

  // Warm up (id caches, page cache), and the per-query latency at one client.
  const single: string[] = [];
  for (const query of QUERIES) {
    await post(query.body);
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < 10; i++) {
      const r = await post(query.body);
      times.push(r.ms);
      count = r.count;
    }
    times.sort((a, b) => a - b);
    single.push(`| ${query.name} | ${count} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 99).toFixed(1)} |`);
  }

  const rows: { clients: number; p50: number; p99: number; rps: number; n: number }[] = [];
  for (const clients of LEVELS) {
    const latencies: number[] = [];
    const deadline = Date.now() + SECONDS * 1000;
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, worker) => {
        for (let i = worker; Date.now() < deadline; i++) {
          latencies.push((await post(QUERIES[i % QUERIES.length].body)).ms);
        }
      })
    );
    const elapsed = (Date.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    rows.push({ clients, p50: percentile(latencies, 50), p99: percentile(latencies, 99), rps: latencies.length / elapsed, n: latencies.length });
  }
  await app.close();
  store.close();
  publicData.db.close();
  rmSync(dir, { recursive: true, force: true });

  const [baseline] = rows;
  console.log(`\nvce-mock test-stage queries, ${VIDEOS.toLocaleString('en-US')} videos, loopback HTTP, ${SECONDS} s a level, the mix of ${QUERIES.length} queries\n`);
  console.log('| query (1 client, 10 runs) | records | p50 ms | p99 ms |\n|---|---|---|---|');
  console.log(single.join('\n'));
  console.log('\n| clients | requests | p50 ms | p99 ms | req/s | p50 ×1 | p99 ×1 | req/s ×1 |\n|---|---|---|---|---|---|---|---|');
  for (const row of rows) {
    console.log(
      `| ${row.clients} | ${row.n} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${row.rps.toFixed(1)} | ${(row.p50 / baseline.p50).toFixed(2)} | ${(row.p99 / baseline.p99).toFixed(2)} | ${(row.rps / baseline.rps).toFixed(2)} |`
    );
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
