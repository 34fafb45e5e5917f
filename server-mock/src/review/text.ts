/**
 * Text helpers of the review: words, shingles of consecutive words and their
 * hashes. The index (disclosure-index.ts) and the rules
 * (rules/identifier-search.ts) must cut text the same way, so both use these.
 */

/** Letters and digits of any script; everything else separates words. */
const WORD = /[\p{L}\p{N}]+/gu;

export function words(text: string): string[] {
  return foldText(text).match(WORD) ?? [];
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
export function shingleHashesOfWords(
  list: string[],
  visit: (hash: number) => void,
  wordHashes: number[] = list.map(fnv1a)
): void {
  if (list.length < SHINGLE_WORDS) {
    return;
  }
  for (let i = 0; i + SHINGLE_WORDS <= wordHashes.length; i++) {
    visit(shingleHashAt(wordHashes, i));
  }
}

/** The hash of the run of `SHINGLE_WORDS` words from word `i` (as `shingleHashesOfWords` gives it). */
export function shingleHashAt(
  wordHashes: { [at: number]: number },
  i: number
): number {
  let hash = 0x811c9dc5;
  for (let j = i; j < i + SHINGLE_WORDS; j++) {
    hash = Math.imul(hash ^ wordHashes[j], MIX);
    hash ^= hash >>> 15;
  }
  return hash >>> 0;
}

/** The hashes of every run of `SHINGLE_WORDS` consecutive words, in order. */
export function shingleHashes(list: string[]): number[] {
  const hashes: number[] = [];
  shingleHashesOfWords(list, hash => hashes.push(hash));
  return hashes;
}

/** A second, independent 32-bit hash of a word (murmur3's finaliser over its FNV-1a). */
function wordHash2(hash: number): number {
  let mixed = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
  return (mixed ^ (mixed >>> 16)) >>> 0;
}

const HAS_LETTER = /\p{L}/u;

/** Whether a word has a letter (ASCII checked without a regular expression: the index calls this for every word). */
function hasLetter(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (code >= 0x61 && code <= 0x7a) {
      return true;
    }
    if (code > 0x7f) {
      return HAS_LETTER.test(word);
    }
  }
  return false;
}

/**
 * Keys of the bag (multiset) of a text's words with a letter, order left
 * out: two 32-bit sums of the words' hashes (a sum does not see the order)
 * packed in 53 bits, so a key of one of millions of texts is not met by
 * chance. `keys[0]` is the whole bag's; with `dropOne`, the bags with one
 * word left out follow (a label before a shuffled text). Fewer than
 * `minWords` words: no key.
 */
export function wordBagKeys(
  list: string[],
  minWords: number,
  dropOneUpTo = 0,
  wordHashes?: number[]
): number[] {
  const hashes1: number[] = [];
  const hashes2: number[] = [];
  let sum1 = 0;
  let sum2 = 0;
  for (let i = 0; i < list.length; i++) {
    const word = list[i];
    if (!hasLetter(word)) {
      continue;
    }
    const hash = wordHashes ? wordHashes[i] : fnv1a(word);
    const hash2 = wordHash2(hash);
    hashes1.push(hash);
    hashes2.push(hash2);
    sum1 = (sum1 + hash) >>> 0;
    sum2 = (sum2 + hash2) >>> 0;
  }
  if (hashes1.length < minWords) {
    return [];
  }
  const key = (a: number, b: number) =>
    (a >>> 0) * 2 ** 21 + ((b >>> 0) >>> 11);
  const keys = [key(sum1, sum2)];
  if (hashes1.length > minWords && hashes1.length <= dropOneUpTo) {
    for (let i = 0; i < hashes1.length; i++) {
      keys.push(key(sum1 - hashes1[i], sum2 - hashes2[i]));
    }
  }
  return keys;
}

/** Binary search in a sorted typed array. */
export function sortedHas(
  sorted: Float64Array | Uint32Array,
  value: number
): boolean {
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

/**
 * Look-alike letters of other scripts folded to the Latin letter they imitate
 * (Cyrillic and Greek homoglyphs; Unicode's confusables.txt, the common ones).
 * Applied after NFKD, so full-width and styled letters are already Latin.
 */
const CONFUSABLES: Record<string, string> = {
  // Cyrillic
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ԁ: 'd',
  һ: 'h',
  ӏ: 'l',
  ԛ: 'q',
  ԝ: 'w',
  ү: 'y',
  ɡ: 'g',
  ь: 'b',
  п: 'n',
  // Greek
  α: 'a',
  β: 'b',
  γ: 'y',
  δ: 'd',
  ε: 'e',
  ζ: 'z',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  σ: 'o',
  ς: 'c',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  μ: 'u',
  // Latin look-alikes outside ASCII that NFKD keeps
  ı: 'i',
  ȷ: 'j',
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ħ: 'h',
  ŀ: 'l',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ɑ: 'a',
  ɩ: 'i',
  ʟ: 'l',
  ɴ: 'n',
  ʀ: 'r',
  ᴀ: 'a',
  ᴄ: 'c',
  ᴇ: 'e',
  ᴏ: 'o',
  ᴜ: 'u'
};
const CONFUSABLE = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'gu');
const FORMAT_CHARS_AND_MARKS = /[\p{Cf}\p{Mn}]/gu;
/**
 * Texts of ASCII and emoji only (U+2600–27BF, U+1F300–1FAFF: no decomposition,
 * no format character, no mark, no look-alike) fold to their lower case; the
 * index's descriptions are mostly such, so building it stays quick.
 */
// eslint-disable-next-line no-control-regex -- every ASCII character, NUL included, is plain
const PLAIN = /^[\x00-\x7f\u2600-\u27bf\u{1f300}-\u{1faff}]*$/u;

/**
 * A text as names and words are compared: NFKD (compatibility forms such as
 * full-width and mathematical letters become plain ones), format characters (zero-width spaces and
 * joiners, bidi marks, soft hyphens) removed, lower case, look-alike letters of
 * other scripts folded to Latin, accents and other combining marks dropped
 * (NFKD, then \p{Mn} removed: "é" and "e" + U+0301 both become "e"). The
 * index folds the data's usernames and display names the same way.
 */
export function foldText(text: string): string {
  if (PLAIN.test(text)) {
    return text.toLowerCase();
  }
  return text
    .normalize('NFKD')
    .replace(FORMAT_CHARS_AND_MARKS, '')
    .toLowerCase()
    .replace(CONFUSABLE, letter => CONFUSABLES[letter]);
}

/** Folded (see foldText), whitespace collapsed: how display names are compared. */
export function normalName(text: string): string {
  return foldText(text).replace(/\s+/g, ' ').trim();
}

/** rot13 of the Latin letters of a text. */
export function rot13(text: string): string {
  // Character by character, without a callback per letter (every line of a log comes here).
  const parts: string[] = [];
  const chunk = 4096;
  const codes = new Uint16Array(Math.min(text.length, chunk));
  for (let start = 0; start < text.length; start += chunk) {
    const end = Math.min(text.length, start + chunk);
    for (let i = start; i < end; i++) {
      const code = text.charCodeAt(i);
      codes[i - start] =
        code >= 65 && code <= 90
          ? ((code - 65 + 13) % 26) + 65
          : code >= 97 && code <= 122
            ? ((code - 97 + 13) % 26) + 97
            : code;
    }
    parts.push(
      String.fromCharCode.apply(
        null,
        codes.subarray(0, end - start) as unknown as number[]
      )
    );
  }
  return parts.join('');
}
