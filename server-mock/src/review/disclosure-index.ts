import type { PublicData } from '../data/schema';
import { scanIndexParts, type IndexParts } from './disclosure/build';
import {
  indexFilePath,
  indexKey,
  readIndexFile,
  writeIndexFile
} from './disclosure/file';
import { sortedHas } from './text';

export { BAG_MIN_WORDS } from './disclosure/build';

/**
 * What the review looks for in outputs, made once per data set: every
 * identifier of a person, video or comment (ids as sorted numbers, usernames,
 * display names), the hashes of every run of consecutive words of the data's
 * long texts (descriptions, transcripts, comments, bios) and their word bags.
 * Every lookup is exact (binary searches and sets; no filter that could
 * answer yes by mistake).
 *
 * The scan that makes it (disclosure/build.ts) runs once: its result is kept
 * in a file next to the data set (disclosure/file.ts) and read at later
 * starts (a fraction of a second instead of the scan's 20 s or more at 1M
 * videos). In memory it is compact: the ids (8 bytes each), the shingle
 * hashes as a bucketed set (2 bytes each), the word bags (8 bytes each), and
 * the 50,000 usernames and display names.
 */
export interface DisclosureIndex {
  /** The data set itself, for the rules that look contributions up (dominance). */
  data: PublicData;
  /** Video, user and comment ids, sorted (rules/shifted-ids.ts scans them). */
  ids: Float64Array;
  /** Usernames, folded (text.ts foldText: NFKD, no format characters or accents, look-alikes as Latin, lower case). */
  usernames: Set<string>;
  /** Display names, folded the same way, whitespace collapsed. */
  displayNames: Set<string>;
  /**
   * Where the index came from (for logs and the benchmark): `ms` is the
   * scan's time when it was built now, else the file's read; `file` is
   * where it is kept (null: not kept, see `problem`).
   */
  source: {
    seed: number;
    videos: number;
    origin: 'built' | 'file';
    ms: number;
    file: string | null;
    /** Why the file was not used or not written, when so. */
    problem: string | null;
    /** Distinct shingle hashes, and shingles read by the scan (with repeats). */
    shingles: number;
    shinglesRead: number;
  };
  /** Whether a number is an id of the data set. */
  hasId(value: number): boolean;
  /** Whether a hash of `SHINGLE_WORDS` consecutive words (text.ts shingleHashes) is one of the data's. */
  hasShingle(hash: number): boolean;
  /**
   * Whether a word-bag key (text.ts wordBagKeys) is one of the data's texts
   * of `BAG_MIN_WORDS` words or more; a bag that `BAG_SHARED` or more texts
   * have is left out (it singles no text out).
   */
  hasWordBag(key: number): boolean;
}

function indexOf(
  data: PublicData,
  parts: IndexParts,
  source: Omit<
    DisclosureIndex['source'],
    'seed' | 'videos' | 'shingles' | 'shinglesRead'
  >
): DisclosureIndex {
  const { ids, shingles, wordBags } = parts;
  const lowestId = ids.length ? ids[0] : Infinity;
  const highestId = ids.length ? ids[ids.length - 1] : -Infinity;
  return {
    data,
    ids,
    usernames: new Set(parts.usernames),
    displayNames: new Set(parts.displayNames),
    source: {
      seed: data.seed,
      videos: data.videos,
      ...source,
      shingles: shingles.size,
      shinglesRead: parts.shinglesRead
    },
    // Outside the ids' range, no binary search (most numbers of an output are).
    hasId: value =>
      value >= lowestId && value <= highestId && sortedHas(ids, value),
    hasShingle: hash => shingles.has(hash),
    hasWordBag: key => sortedHas(wordBags, key)
  };
}

async function load(data: PublicData): Promise<DisclosureIndex> {
  const started = Date.now();
  const path = indexFilePath(data);
  let problem: string | null = null;
  if (path) {
    const key = indexKey(data);
    const read = readIndexFile(path, key);
    if ('parts' in read) {
      return indexOf(data, read.parts, {
        origin: 'file',
        ms: Date.now() - started,
        file: path,
        problem: null
      });
    }
    problem = read.problem;
  }
  const parts = await scanIndexParts(data);
  const ms = Date.now() - started;
  let kept: string | null = null;
  if (path) {
    try {
      writeIndexFile(path, indexKey(data), parts);
      kept = path;
    } catch (error) {
      problem = `the index could not be kept (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): it is built again at the next start`;
    }
  }
  return indexOf(data, parts, { origin: 'built', ms, file: kept, problem });
}

const made = new WeakMap<PublicData, Promise<DisclosureIndex>>();

/**
 * The index of a data set: read from its file, or built (and its file
 * written) at the first call; then shared while the data set is open.
 */
export function buildDisclosureIndex(
  data: PublicData
): Promise<DisclosureIndex> {
  let index = made.get(data);
  if (!index) {
    index = load(data);
    made.set(data, index);
    index.catch(() => made.delete(data));
  }
  return index;
}
