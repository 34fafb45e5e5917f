import Database from 'better-sqlite3';
import type { PublicData } from '../../data/schema';
import { yieldToEventLoop } from '../pacer';
import {
  fnv1a,
  foldText,
  normalName,
  shingleHashesOfWords,
  wordBagKeys,
  words
} from '../text';
import { Uint32Set } from './uint32-set';

/**
 * The scan of the data set that makes the review's index: every id of a
 * user, video and comment, every username and display name (folded), the
 * hashes of every run of consecutive words of the long texts (descriptions,
 * transcripts, comments, bios) and the keys of their word bags. Run once
 * per data set (disclosure/file.ts keeps the result); it reads the data in
 * chunks and yields to the event loop between them.
 *
 * It reads through a connection of its own with memory mapping off: the
 * query engine's connection maps the data file, and a scan of all of it
 * through the map would leave the whole file (1 GiB at 1M videos) resident
 * in this process.
 */
export interface IndexParts {
  /** Video, user and comment ids, sorted. */
  ids: Float64Array;
  usernames: string[];
  displayNames: string[];
  shingles: Uint32Set;
  /** Word-bag keys, sorted, without those `BAG_SHARED` or more texts have. */
  wordBags: Float64Array;
  /** Shingles read (with repeats), for the logs. */
  shinglesRead: number;
}

/** Texts with fewer words are not indexed as bags (the review's `shuffledWords` cannot be lower). */
export const BAG_MIN_WORDS = 8;
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
  /** The values, sorted; the array is emptied. */
  sorted(): T {
    const values = this.buffer.slice(0, this.length).sort() as T;
    this.buffer = this.buffer.slice(0, 0) as T;
    this.length = 0;
    return values;
  }
}

/** Every row of `columns` of a table, by id, a chunk at a time (the connection is free between chunks). */
async function eachRow(
  db: Database.Database,
  table: string,
  columns: string,
  visit: (row: unknown[]) => void
): Promise<void> {
  const statement = db
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

/** A read-only connection to the data's file without memory mapping (the data's own when it has no file). */
function scanConnection(data: PublicData): {
  db: Database.Database;
  close: () => void;
} {
  if (data.db.memory || !data.db.name) {
    return { db: data.db, close: () => undefined };
  }
  const db = new Database(data.db.name, {
    readonly: true,
    fileMustExist: true
  });
  db.pragma('mmap_size = 0');
  return { db, close: () => db.close() };
}

export async function scanIndexParts(data: PublicData): Promise<IndexParts> {
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
  const connection = scanConnection(data);
  try {
    await eachRow(
      connection.db,
      'users',
      'username, display_name, bio_description',
      row => {
        ids.push(row[0] as number);
        usernames.add(foldText(row[1] as string));
        displayNames.add(normalName(row[2] as string));
        addText(row[3]);
      }
    );
    await eachRow(
      connection.db,
      'videos',
      'video_description, voice_to_text',
      row => {
        ids.push(row[0] as number);
        addText(row[1]);
        addText(row[2]);
      }
    );
    await eachRow(connection.db, 'comments', 'text', row => {
      ids.push(row[0] as number);
      addText(row[1]);
    });
  } finally {
    connection.close();
  }
  const sortedIds = ids.sorted();
  await yieldToEventLoop();
  const shinglesRead = shingles.length;
  const shingleSet = Uint32Set.fromSorted(shingles.sorted());
  await yieldToEventLoop();
  const sortedBags = withoutShared(bags.sorted(), BAG_SHARED);
  return {
    ids: sortedIds,
    usernames: [...usernames],
    displayNames: [...displayNames],
    shingles: shingleSet,
    wordBags: sortedBags,
    shinglesRead
  };
}
