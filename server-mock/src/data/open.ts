import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATOR_VERSION, generatePublicData } from './generate';
import type { PublicData } from './schema';

export interface PublicDataOptions {
  dataDir: string;
  seed: number;
  videos: number;
  /** PublicData.testStageMinFollowers (default: none, every creator). */
  testStageMinFollowers?: number;
  /** Where to say that a build happened and how long it took (default stderr). */
  log?: (line: string) => void;
}

/** The most of a public data file mapped into memory (a 1,000,000-video file is ~1 GiB). */
export const PUBLIC_DATA_MMAP_BYTES = 4 * 1024 * 1024 * 1024;

/** The file of one (seed, size): `public-data-s<SEED>-v<VIDEOS>.sqlite`. */
export function publicDataFileName(seed: number, videos: number): string {
  return `public-data-s${seed}-v${videos}.sqlite`;
}

/** The generator version a file was written by, or null when it cannot be read. */
function versionOf(path: string): string | null {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const row = db
        .prepare(
          "SELECT value FROM dataset_info WHERE key = 'generator_version'"
        )
        .get() as { value: string } | undefined;
      return row?.value ?? null;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/**
 * The public data of (seed, videos) in `dataDir`, generated when absent (or
 * written by another generator version), then opened read-only.
 */
export function openPublicData(options: PublicDataOptions): PublicData {
  const { dataDir, seed, videos } = options;
  const log =
    options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const path = join(dataDir, publicDataFileName(seed, videos));
  if (!existsSync(path) || versionOf(path) !== GENERATOR_VERSION) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const started = process.hrtime.bigint();
    const summary = generatePublicData(path, { seed, videos });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    log(
      `vce-mock: generated public data (seed ${seed}: ${summary.videos} videos, ${summary.users} users, ` +
        `${summary.comments} comments) in ${seconds.toFixed(2)} s: ${path}`
    );
  }
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('query_only = ON');
  // Read-only, so memory-mapping is safe: random row reads (the sampler tests
  // rows by id) become memory reads instead of a read() call per page.
  db.pragma(`mmap_size = ${PUBLIC_DATA_MMAP_BYTES}`);
  return {
    db,
    seed,
    videos,
    ...(options.testStageMinFollowers === undefined
      ? {}
      : { testStageMinFollowers: options.testStageMinFollowers })
  };
}
