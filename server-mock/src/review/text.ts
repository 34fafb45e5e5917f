/**
 * Text helpers of the review: words, shingles of consecutive words and their
 * hashes. The index (index.ts) and the rules (rules.ts) must cut text the
 * same way, so both use these.
 */

/** Letters and digits of any script; everything else separates words. */
const WORD = /[\p{L}\p{N}]+/gu;

export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** 32-bit FNV-1a over a string's UTF-16 units. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export const SHINGLE_WORDS = 5;

const MIX = 0x9e3779b1;

/**
 * Calls `visit` with the hash of every run of `SHINGLE_WORDS` consecutive
 * words, in order: each word is hashed once, a run's hash mixes its words'.
 */
export function shingleHashesOfWords(list: string[], visit: (hash: number) => void): void {
  if (list.length < SHINGLE_WORDS) {
    return;
  }
  const wordHashes = list.map(fnv1a);
  for (let i = 0; i + SHINGLE_WORDS <= wordHashes.length; i++) {
    let hash = 0x811c9dc5;
    for (let j = i; j < i + SHINGLE_WORDS; j++) {
      hash = Math.imul(hash ^ wordHashes[j], MIX);
      hash ^= hash >>> 15;
    }
    visit(hash >>> 0);
  }
}

/** The hashes of every run of `SHINGLE_WORDS` consecutive words, in order. */
export function shingleHashes(list: string[]): number[] {
  const hashes: number[] = [];
  shingleHashesOfWords(list, hash => hashes.push(hash));
  return hashes;
}

/** Binary search in a sorted typed array. */
export function sortedHas(sorted: Float64Array | Uint32Array, value: number): boolean {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const at = sorted[middle];
    if (at === value) {
      return true;
    }
    if (at < value) {
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return false;
}

/** Collapse whitespace and case, for comparing names. */
export function normalName(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}
