/**
 * Time the public data generator at 100,000 and 1,000,000 videos (in a temp
 * dir, removed afterwards): `npm run bench:generate [-- SIZES…]`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePublicData } from '../src/data/generate';

interface Run {
  videos: number;
  seconds: number;
  rows: number;
  bytes: number;
  /** Seconds per phase: rows, indexes, keyword index, statistics. */
  phases: Map<string, number>;
}

function time(dir: string, videos: number): Run {
  const path = join(dir, `bench-v${videos}.sqlite`);
  const started = process.hrtime.bigint();
  const phases = new Map<string, number>();
  const summary = generatePublicData(path, {
    seed: 1,
    videos,
    onPhase: (phase, seconds) => phases.set(phase, seconds)
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rows =
    summary.users +
    summary.videos +
    summary.comments +
    summary.videoHashtags +
    summary.videoEffects;
  const bytes = statSync(path).size;
  rmSync(path);
  return { videos, seconds, rows, bytes, phases };
}

function main(): void {
  const sizes = process.argv.slice(2).map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'vce-bench-'));
  try {
    const runs = (sizes.length > 0 ? sizes : [100_000, 1_000_000]).map(videos =>
      time(dir, videos)
    );
    console.log(
      '| videos | seconds | rows (all tables) | rows/s | file size | rows s | indexes s | keyword index s | statistics s |'
    );
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const run of runs) {
      console.log(
        `| ${run.videos.toLocaleString('en')} | ${run.seconds.toFixed(1)} | ${run.rows.toLocaleString('en')} | ` +
          `${Math.round(run.rows / run.seconds).toLocaleString('en')} | ${(run.bytes / 1024 / 1024).toFixed(0)} MiB | ` +
          ['rows', 'indexes', 'keyword index', 'statistics']
            .map(phase => (run.phases.get(phase) ?? NaN).toFixed(1))
            .join(' | ') +
          ' |'
      );
    }
    const small = runs.find(run => run.videos === 100_000);
    const large = runs.find(run => run.videos === 1_000_000);
    if (small && large) {
      console.log(
        `\ntime ratio 1M / 100k: ${(large.seconds / small.seconds).toFixed(1)}`
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
