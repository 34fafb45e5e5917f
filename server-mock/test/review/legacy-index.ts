import type { PublicData } from '../../src/data/schema';
import { yieldToEventLoop } from '../../src/review/pacer';
import {
  fnv1a,
  foldText,
  normalName,
  shingleHashesOfWords,
  sortedHas,
  wordBagKeys,
  words
} from '../../src/review/text';

/**
 * THE REVIEW'S INDEX AS IT WAS BEFORE ISSUE 19 (everything in memory, built
 * at every start), kept here unchanged as the reference the compact index
 * (src/review/disclosure-index.ts) must answer exactly like
 * (disclosure-index.test.ts). Only its names and imports changed.
 *
 * What the review looks for in outputs, built once per data set: every
 * identifier of a person, video or comment (ids as sorted numbers, usernames,
 * display names) and every run of consecutive words of the data's long texts
 * (descriptions, transcripts, comments, bios) as sorted 32-bit hashes.
 * Lookups are binary searches. The build reads the data in chunks and yields
 * to the event loop between them, so the platform keeps answering while it
 * runs (it starts with the execution stage; see JobsService.start).
 */
export interface LegacyIndex {
  /** The data set itself, for the rules that look contributions up (dominance). */
  data: PublicData;
  /** Video, user and comment ids. */
  ids: Float64Array;
  /** Usernames, folded (text.ts foldText: NFKD, no format characters or accents, look-alikes as Latin, lower case). */
  usernames: Set<string>;
  /** Display names, folded the same way, whitespace collapsed. */
  displayNames: Set<string>;
  /** Hashes of `SHINGLE_WORDS`-word runs of the data's texts. */
  shingles: Uint32Array;
  /**
   * Keys of the word bags of the data's texts of `BAG_MIN_WORDS` words or
   * more (text.ts wordBagKeys: their words in any order), sorted; a bag that
   * `BAG_SHARED` or more texts have is left out (it singles no text out).
   */
  wordBags: Float64Array;
  /** Where the index came from (for logs and the benchmark). */
  source: { seed: number; videos: number; builtMs: number };
  hasId(value: number): boolean;
  hasShingle(hash: number): boolean;
  hasWordBag(key: number): boolean;
}

/** Texts with fewer words are not indexed as bags (the review's `shuffledWords` cannot be lower). */
const BAG_MIN_WORDS = 8;
/** A word bag this many texts share is no text's own (the frequency threshold's default). */
const BAG_SHARED = 10;

/** Sorted keys without those `shared` or more times present. */
function withoutShared(sorted: Float64Array, shared: number): Float64Array {
  let kept = 0;
  for (let start = 0; start < sorted.length;) {
    let end = start + 1;
    while (end < sorted.length && sorted[end] === sorted[start]) {
      end++;
    }
    if (end - start < shared) {
      sorted[kept++] = sorted[start];
    }
    start = end;
  }
  return sorted.slice(0, kept);
}

const CHUNK_ROWS = 20_000;

class GrowingArray<T extends Uint32Array | Float64Array> {
  length = 0;
  constructor(private buffer: T) {}
  push(value: number): void {
    if (this.length === this.buffer.length) {
      const next = new (this.buffer.constructor as { new (size: number): T })(
        this.buffer.length * 2
      );
      next.set(this.buffer);
      this.buffer = next;
    }
    this.buffer[this.length++] = value;
  }
  sorted(): T {
    return this.buffer.slice(0, this.length).sort() as T;
  }
}

/** Every row of `columns` of a table, by id, a chunk at a time (the connection is free between chunks). */
async function eachRow(
  data: PublicData,
  table: string,
  columns: string,
  visit: (row: unknown[]) => void
): Promise<void> {
  const statement = data.db
    .prepare(
      `SELECT id, ${columns} FROM ${table} WHERE id > ? ORDER BY id LIMIT ${CHUNK_ROWS}`
    )
    .raw();
  let after = -1;
  for (;;) {
    const rows = statement.all(after) as unknown[][];
    for (const row of rows) {
      visit(row);
    }
    if (rows.length < CHUNK_ROWS) {
      return;
    }
    after = rows[rows.length - 1][0] as number;
    await yieldToEventLoop();
  }
}

async function build(data: PublicData): Promise<LegacyIndex> {
  const started = Date.now();
  const ids = new GrowingArray(new Float64Array(1 << 16));
  const shingles = new GrowingArray(new Uint32Array(1 << 16));
  const bags = new GrowingArray(new Float64Array(1 << 16));
  const usernames = new Set<string>();
  const displayNames = new Set<string>();
  const addText = (text: unknown) => {
    if (typeof text === 'string' && text) {
      const list = words(text);
      const hashes = list.map(fnv1a);
      shingleHashesOfWords(list, hash => shingles.push(hash), hashes);
      if (list.length >= BAG_MIN_WORDS) {
        for (const key of wordBagKeys(list, BAG_MIN_WORDS, 0, hashes)) {
          bags.push(key);
        }
      }
    }
  };
  await eachRow(
    data,
    'users',
    'username, display_name, bio_description',
    row => {
      ids.push(row[0] as number);
      usernames.add(foldText(row[1] as string));
      displayNames.add(normalName(row[2] as string));
      addText(row[3]);
    }
  );
  await eachRow(data, 'videos', 'video_description, voice_to_text', row => {
    ids.push(row[0] as number);
    addText(row[1]);
    addText(row[2]);
  });
  await eachRow(data, 'comments', 'text', row => {
    ids.push(row[0] as number);
    addText(row[1]);
  });
  const sortedIds = ids.sorted();
  await yieldToEventLoop();
  const sortedShingles = shingles.sorted();
  await yieldToEventLoop();
  const sortedBags = withoutShared(bags.sorted(), BAG_SHARED);
  return {
    data,
    ids: sortedIds,
    usernames,
    displayNames,
    shingles: sortedShingles,
    wordBags: sortedBags,
    source: {
      seed: data.seed,
      videos: data.videos,
      builtMs: Date.now() - started
    },
    hasId: value => sortedHas(sortedIds, value),
    hasShingle: hash => sortedHas(sortedShingles, hash),
    hasWordBag: key => sortedHas(sortedBags, key)
  };
}

/** The old index of a data set, built now (no cache, no file). */
export function buildLegacyIndex(data: PublicData): Promise<LegacyIndex> {
  return build(data);
}
