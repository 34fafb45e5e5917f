/**
 * The review's index kept in a file (src/review/disclosure-index.ts,
 * disclosure/): it answers every lookup exactly like the index as it was
 * before (everything in memory, test/review/legacy-index.ts), is read back
 * at a later start instead of built, and a stale, cut-short or corrupt file
 * is rebuilt, never trusted.
 */
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { openPublicData } from '../../src/data/open';
import type { PublicData } from '../../src/data/schema';
import { buildDisclosureIndex, type DisclosureIndex } from '../../src/review';
import { scanIndexParts } from '../../src/review/disclosure/build';
import {
  crc32ForTests,
  indexFilePath,
  indexKey,
  writeIndexFile
} from '../../src/review/disclosure/file';
import { Uint32Set } from '../../src/review/disclosure/uint32-set';
import { jobTestData } from '../helpers/jobs-helpers';
import { buildLegacyIndex, type LegacyIndex } from './legacy-index';

/** A private copy of the shared test data (3,000 videos), so its index file is this test's own. */
function dataCopy(dir: string): PublicData {
  const shared = jobTestData();
  copyFileSync(
    shared.db.name,
    join(dir, `public-data-s${shared.seed}-v${shared.videos}.sqlite`)
  );
  return openPublicData({
    dataDir: dir,
    seed: shared.seed,
    videos: shared.videos
  });
}

/** A deterministic stream of 32-bit numbers (xorshift). */
function numbers(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

let dir: string;
let data: PublicData;
let legacy: LegacyIndex;
let index: DisclosureIndex;
const opened: PublicData[] = [];

function reopen(): PublicData {
  const again = openPublicData({
    dataDir: dir,
    seed: data.seed,
    videos: data.videos
  });
  opened.push(again);
  return again;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vce-review-index-'));
  data = dataCopy(dir);
  opened.push(data);
  legacy = await buildLegacyIndex(data);
  index = await buildDisclosureIndex(data);
}, 120_000);

afterAll(() => {
  for (const each of opened) {
    each.db.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('the compact index answers like the in-memory one', () => {
  it('was built at the first start and kept in a file next to the data', () => {
    expect(index.source.origin).toBe('built');
    expect(index.source.file).toBe(indexFilePath(data));
    expect(existsSync(index.source.file!)).toBe(true);
    expect(index.source.file).toMatch(/review-index-s7-v3000\.bin$/);
  });

  it('holds the same ids, usernames and display names', () => {
    expect(index.ids.length).toBeGreaterThan(10_000);
    expect(Array.from(index.ids)).toEqual(Array.from(legacy.ids));
    expect([...index.usernames].sort()).toEqual([...legacy.usernames].sort());
    expect([...index.displayNames].sort()).toEqual(
      [...legacy.displayNames].sort()
    );
  });

  it('finds every id and misses what the old index missed', () => {
    for (const id of legacy.ids) {
      if (!index.hasId(id)) {
        throw new Error(`id ${id} not found`);
      }
    }
    const next = numbers(7);
    const probes: number[] = [];
    for (const id of legacy.ids.subarray(0, 2000)) {
      probes.push(id + 1, id - 1, id + 0.5, id * 10);
    }
    for (let i = 0; i < 20_000; i++) {
      probes.push(6.9e15 + next() * 1000, next());
    }
    probes.push(0, -1, NaN, Infinity, 2 ** 53);
    let hits = 0;
    for (const probe of probes) {
      const expected = legacy.hasId(probe);
      hits += expected ? 1 : 0;
      if (index.hasId(probe) !== expected) {
        throw new Error(`id ${probe}: ${!expected}, the old index ${expected}`);
      }
    }
    expect(hits).toBeLessThan(probes.length / 10);
  });

  it('finds every shingle and word bag, and misses the rest alike', () => {
    expect(legacy.shingles.length).toBeGreaterThan(10_000);
    for (const hash of legacy.shingles) {
      if (!index.hasShingle(hash)) {
        throw new Error(`shingle ${hash} not found`);
      }
    }
    for (const key of legacy.wordBags) {
      expect(index.hasWordBag(key)).toBe(true);
    }
    const next = numbers(19);
    let missed = 0;
    for (let i = 0; i < 200_000; i++) {
      const hash = next();
      const expected = legacy.hasShingle(hash);
      missed += expected ? 0 : 1;
      if (index.hasShingle(hash) !== expected) {
        throw new Error(
          `shingle ${hash}: ${!expected}, the old index ${expected}`
        );
      }
      const key = next() * 2 ** 21 + (next() >>> 11);
      if (index.hasWordBag(key) !== legacy.hasWordBag(key)) {
        throw new Error(`word bag ${key} answered differently`);
      }
      // Neighbours of real entries: the nearest misses.
      const real = legacy.shingles[i % legacy.shingles.length];
      for (const near of [real + 1, real - 1, real ^ 0x10000]) {
        if (index.hasShingle(near >>> 0) !== legacy.hasShingle(near >>> 0)) {
          throw new Error(`shingle ${near >>> 0} answered differently`);
        }
      }
    }
    expect(missed).toBeGreaterThan(190_000);
    for (const odd of [-1, 2 ** 32, 1.5, NaN]) {
      expect(index.hasShingle(odd)).toBe(false);
      expect(legacy.hasShingle(odd)).toBe(false);
    }
  });
});

describe('the index file', () => {
  it('is read at a later start instead of built, with the same answers', async () => {
    const again = await buildDisclosureIndex(reopen());
    expect(again.source.origin).toBe('file');
    expect(again.source.problem).toBeNull();
    expect(Array.from(again.ids)).toEqual(Array.from(legacy.ids));
    expect([...again.usernames].sort()).toEqual([...legacy.usernames].sort());
    for (const hash of legacy.shingles) {
      if (!again.hasShingle(hash)) {
        throw new Error(`shingle ${hash} not found after a restart`);
      }
    }
    for (const key of legacy.wordBags) {
      expect(again.hasWordBag(key)).toBe(true);
    }
    expect(again.source.shingles).toBe(index.source.shingles);
  });

  const damaged: [string, (file: Buffer) => Buffer, RegExp][] = [
    [
      'a flipped byte in the data',
      file => {
        const copy = Buffer.from(file);
        copy[copy.length - 100] ^= 0xff;
        return copy;
      },
      /checksum/
    ],
    ['cut short', file => file.subarray(0, file.length - 4096), /cut short/],
    ['empty', () => Buffer.alloc(0), /not an index file/],
    ['not an index', () => Buffer.from('hello\n'), /not an index file/],
    [
      'a broken header',
      file => {
        const copy = Buffer.from(file);
        copy.write('}}}}', 12);
        return copy;
      },
      /corrupt/
    ]
  ];
  it.each(damaged)(
    'is rebuilt, not trusted, when %s',
    async (_what, damage, problem) => {
      const path = indexFilePath(data)!;
      const good = readFileSync(path);
      writeFileSync(path, damage(good));
      const again = await buildDisclosureIndex(reopen());
      expect(again.source.origin).toBe('built');
      expect(again.source.problem).toMatch(problem);
      expect(again.source.file).toBe(path);
      expect(Array.from(again.ids)).toEqual(Array.from(legacy.ids));
      // Rewritten whole: the next start reads it.
      expect(readFileSync(path).equals(good)).toBe(true);
      expect((await buildDisclosureIndex(reopen())).source.origin).toBe('file');
    },
    60_000
  );

  it('of another data set or version is rebuilt', async () => {
    const path = indexFilePath(data)!;
    const parts = await scanIndexParts(data);
    const key = indexKey(data);
    for (const stale of [
      { ...key, format: key.format + 1 },
      { ...key, cut: key.cut + 1 },
      { ...key, dataset: { ...key.dataset, seed: '8' } },
      { ...key, dataset: { ...key.dataset, generator_version: '0' } }
    ]) {
      writeIndexFile(path, stale, parts);
      const again = await buildDisclosureIndex(reopen());
      expect(again.source.origin).toBe('built');
      expect(again.source.problem).toMatch(/another data set or version/);
    }
    expect((await buildDisclosureIndex(reopen())).source.origin).toBe('file');
  }, 60_000);

  it('survives starts at the same time: each builds, the file is whole after', async () => {
    rmSync(indexFilePath(data)!);
    const starts = await Promise.all(
      [reopen(), reopen(), reopen()].map(each => buildDisclosureIndex(each))
    );
    for (const started of starts) {
      expect(started.source.origin).toBe('built');
      expect(started.source.file).toBe(indexFilePath(data));
      expect(Array.from(started.ids)).toEqual(Array.from(legacy.ids));
    }
    // No temporary file is left behind, and the one kept is read at the next start.
    expect(readdirSync(dir).filter(name => name.endsWith('.tmp'))).toEqual([]);
    const later = await buildDisclosureIndex(reopen());
    expect(later.source.origin).toBe('file');
    expect(Array.from(later.ids)).toEqual(Array.from(legacy.ids));
  }, 120_000);

  it('is shared by the calls of one open data set (one build)', async () => {
    const once = reopen();
    const [a, b] = [buildDisclosureIndex(once), buildDisclosureIndex(once)];
    expect(a).toBe(b);
    expect(await a).toBe(await b);
  });
});

describe('Uint32Set', () => {
  it('answers like a binary search of the sorted values, at the edges of its buckets too', () => {
    const next = numbers(3);
    const values = new Uint32Array(50_000);
    for (let i = 0; i < values.length; i++) {
      values[i] = i % 5 === 0 ? (next() & 0xffff0000) + (i % 3) : next();
    }
    values[0] = 0;
    values[1] = 0xffffffff;
    values[2] = 0xffff;
    values[3] = 0x10000;
    values.sort();
    const set = Uint32Set.fromSorted(values);
    const has = (value: number) => values.includes(value);
    for (const value of values) {
      expect(set.has(value)).toBe(true);
    }
    for (let i = 0; i < 5_000; i++) {
      const probe = next();
      expect(set.has(probe)).toBe(has(probe));
    }
    for (const edge of [1, 0xfffe, 0x10001, 0xfffffffe, 0x20000]) {
      expect(set.has(edge)).toBe(has(edge));
    }
    expect(set.size).toBe(new Set(values).size);
  });
});

describe('the index file checksum', () => {
  it('without zlib.crc32 (node before 20.15) gives the same CRC-32', () => {
    const next = numbers(11);
    for (const length of [0, 1, 7, 255, 4096, 100_000]) {
      const bytes = Buffer.alloc(length);
      for (let i = 0; i < length; i++) {
        bytes[i] = next() & 0xff;
      }
      expect(crc32ForTests(bytes)).toBe(crc32(bytes));
      expect(crc32ForTests(bytes, 0x1234)).toBe(crc32(bytes, 0x1234));
    }
  });
});
