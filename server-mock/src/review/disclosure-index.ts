import type { PublicData } from '../data/schema';
import { normalName, shingleHashes, sortedHas, words } from './text';

/**
 * What the review looks for in outputs, built once per data set: every
 * identifier of a person, video or comment (ids as sorted numbers, usernames,
 * display names) and every run of consecutive words of the data's long texts
 * (descriptions, transcripts, comments, bios) as sorted 32-bit hashes.
 * Lookups are binary searches; a 1,000,000-video data set takes tens of MB.
 */
export interface DisclosureIndex {
  /** The data set itself, for the rules that look contributions up (dominance). */
  data: PublicData;
  /** Video, user and comment ids. */
  ids: Float64Array;
  usernames: Set<string>;
  /** Display names, normalised. */
  displayNames: Set<string>;
  /** Hashes of `SHINGLE_WORDS`-word runs of the data's texts. */
  shingles: Uint32Array;
  /** Where the index came from (for the attestation and logs). */
  source: { seed: number; videos: number; builtMs: number };
  hasId(value: number): boolean;
  hasShingle(hash: number): boolean;
}

const built = new WeakMap<PublicData, DisclosureIndex>();

/** Numbers that look like the data's ids: 15 to 19 digits (the platform's ids have 16). */
export const ID_PATTERN = /^\d{15,19}$/;

class GrowingUint32 {
  private buffer = new Uint32Array(1 << 16);
  length = 0;
  push(value: number): void {
    if (this.length === this.buffer.length) {
      const next = new Uint32Array(this.buffer.length * 2);
      next.set(this.buffer);
      this.buffer = next;
    }
    this.buffer[this.length++] = value;
  }
  sorted(): Uint32Array {
    return this.buffer.slice(0, this.length).sort();
  }
}

/** The index of a data set, built at the first review and kept while the data set is open. */
export function buildDisclosureIndex(data: PublicData): DisclosureIndex {
  const cached = built.get(data);
  if (cached) {
    return cached;
  }
  const started = Date.now();
  const { db } = data;
  const idCount = (db.prepare('SELECT (SELECT count(*) FROM videos) + (SELECT count(*) FROM users) + (SELECT count(*) FROM comments) AS n').get() as { n: number }).n;
  const ids = new Float64Array(idCount);
  let at = 0;
  for (const table of ['videos', 'users', 'comments']) {
    for (const row of db.prepare(`SELECT id FROM ${table}`).raw().iterate() as Iterable<[number]>) {
      ids[at++] = row[0];
    }
  }
  ids.sort();

  const usernames = new Set<string>();
  const displayNames = new Set<string>();
  const shingles = new GrowingUint32();
  const addText = (text: string | null) => {
    if (text) {
      for (const hash of shingleHashes(words(text))) {
        shingles.push(hash);
      }
    }
  };
  for (const [username, displayName, bio] of db.prepare('SELECT username, display_name, bio_description FROM users').raw().iterate() as Iterable<[string, string, string]>) {
    usernames.add(username.toLowerCase());
    displayNames.add(normalName(displayName));
    addText(bio);
  }
  for (const [description, transcript] of db.prepare('SELECT video_description, voice_to_text FROM videos').raw().iterate() as Iterable<[string, string]>) {
    addText(description);
    addText(transcript);
  }
  for (const [text] of db.prepare('SELECT text FROM comments').raw().iterate() as Iterable<[string]>) {
    addText(text);
  }
  const sortedShingles = shingles.sorted();
  const index: DisclosureIndex = {
    data,
    ids,
    usernames,
    displayNames,
    shingles: sortedShingles,
    source: { seed: data.seed, videos: data.videos, builtMs: Date.now() - started },
    hasId: value => sortedHas(ids, value),
    hasShingle: hash => sortedHas(sortedShingles, hash)
  };
  built.set(data, index);
  return index;
}
