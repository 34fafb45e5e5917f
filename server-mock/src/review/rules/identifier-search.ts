/**
 * Whether one text holds identifiers of the data set (ids in any notation,
 * usernames, display names) or verbatim texts of it, plain or encoded
 * (rot13 here; base64, hex, base32/36/58/62/85, number words, reversal,
 * character codes, compressed text and date-times in rules/decodes.ts), or
 * a text of the data set with its words shuffled.
 */

import { ruleEnabled, type ReviewConfig } from '../config';
import type { DisclosureIndex } from '../disclosure-index';
import * as textHelpers from '../text';
import { decodedForms } from './decodes';

// Bound once: tsx (the benchmarks' runner) reads an imported name through a getter at every use, and these are used per cell.
const {
  fnv1a,
  foldText,
  normalName,
  rot13,
  SHINGLE_WORDS,
  shingleHashAt,
  wordBagKeys,
  words
} = textHelpers;

const NAME_TOKEN = /[\p{L}\p{N}._]+/gu;
/**
 * A quoted string inside a line: Python prints strings quoted in reprs,
 * exception messages (`KeyError: 'name'`) and lists, so a quoted string is
 * matched whole, like a cell.
 */
const QUOTED = /(['"])([^'"\n]{3,80})\1/g;
/** In running text a bare word is a username only when it looks like one (a digit, _ or .) or follows @. */
const DISTINCTIVE_USERNAME = /[\d_.]/;
const NAME_WORDS = /[\p{L}\p{N}']+/gu;

// Numbers in any notation. Every integral value of 1e14 or more is looked up as an id.
const ID_MIN = 1e14;
/** Digits in groups: 7,100,000,000,046,266 / 7 100 000 000 046 266 / 7_100… / 71000000-00046266 / 7100000000046266.0 */
const DIGIT_GROUPS = /\d+(?:[ ,_'.\u00a0\u2009\u202f-]\d+)*/g;
const SCIENTIFIC = /(?:\d+(?:\.\d*)?|\.\d+)[eE][-+]?\d{1,3}/g;
const PREFIXED = /0[xX][0-9a-fA-F]{1,20}|0[oO][0-7]{1,30}|0[bB][01]{1,70}/g;
/** Hex without a prefix: 12 to 16 hex digits with at least one letter (an id in hex has 14). */
const BARE_HEX = /\b[0-9a-fA-F]{12,16}\b/g;
export const MAX_ID_DIGITS = 19;
const MIN_ID_DIGITS = 15;

/**
 * Whether a text holds an id of the data set written as a number: plain, with
 * separators between digit groups (any run of groups whose digits make 15 to
 * 19), in scientific notation, in hex, octal or binary.
 */
export function hasIdNumber(text: string, index: DisclosureIndex): boolean {
  // Digit groups make an id only with 15 digits or more in the text.
  const groups =
    digitCount(text, MIN_ID_DIGITS) >= MIN_ID_DIGITS
      ? (text.match(DIGIT_GROUPS) ?? [])
      : [];
  for (const match of groups) {
    const groups = match.split(/\D/);
    if (groups.length === 1) {
      if (digitRunHasId(match, index)) {
        return true;
      }
      continue;
    }
    for (let start = 0; start < groups.length; start++) {
      let digits = '';
      for (
        let end = start;
        end < groups.length &&
        digits.length + groups[end].length <= MAX_ID_DIGITS;
        end++
      ) {
        digits += groups[end];
        if (digits.length >= MIN_ID_DIGITS && index.hasId(Number(digits))) {
          return true;
        }
      }
      if (
        groups[start].length > MAX_ID_DIGITS &&
        digitRunHasId(groups[start], index)
      ) {
        return true;
      }
    }
  }
  if (/\d[eE][-+]?\d/.test(text)) {
    for (const match of text.match(SCIENTIFIC) ?? []) {
      const value = Math.abs(Number(match));
      if (value >= ID_MIN && Number.isInteger(value) && index.hasId(value)) {
        return true;
      }
    }
  }
  if (/0[xXoObB]/.test(text)) {
    for (const match of text.match(PREFIXED) ?? []) {
      if (bigIdOf(BigInt(match), index)) {
        return true;
      }
    }
  }
  if (/[0-9a-fA-F]{12}/.test(text)) {
    for (const match of text.match(BARE_HEX) ?? []) {
      if (
        /[a-fA-F]/.test(match) &&
        /\d/.test(match) &&
        bigIdOf(BigInt(`0x${match}`), index)
      ) {
        return true;
      }
    }
  }
  return false;
}

/** The digits 0–9 of a text, counted up to `enough`. */
function digitCount(text: string, enough: number): number {
  let count = 0;
  for (let i = 0; i < text.length && count < enough; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      count++;
    }
  }
  return count;
}

function bigIdOf(value: bigint, index: DisclosureIndex): boolean {
  return (
    value >= BigInt(ID_MIN) && value < 1n << 64n && index.hasId(Number(value))
  );
}

/** A run of digits: it is an id when 15 to 19 long; longer runs are searched for one inside. */
export function digitRunHasId(digits: string, index: DisclosureIndex): boolean {
  if (digits.length < MIN_ID_DIGITS) {
    return false;
  }
  if (digits.length <= MAX_ID_DIGITS) {
    return index.hasId(Number(digits));
  }
  for (let start = 0; start + MIN_ID_DIGITS <= digits.length; start++) {
    for (
      let length = MIN_ID_DIGITS;
      length <= MAX_ID_DIGITS && start + length <= digits.length;
      length++
    ) {
      if (index.hasId(Number(digits.slice(start, start + length)))) {
        return true;
      }
    }
  }
  return false;
}

/**
 * A cell's digits when it is a whole number, blanks around it allowed
 * (`/^\d+$/` on the trimmed cell), else null. A cell that starts and ends
 * with a visible ASCII character has nothing to trim: it is read without a
 * regular expression (every cell of a CSV comes here).
 */
export function digitsOf(cell: string): string | null {
  const length = cell.length;
  if (!length) {
    return null;
  }
  const first = cell.charCodeAt(0);
  const last = cell.charCodeAt(length - 1);
  if (first > 32 && first < 127 && last > 32 && last < 127) {
    for (let i = 0; i < length; i++) {
      const code = cell.charCodeAt(i);
      if (code < 48 || code > 57) {
        return null;
      }
    }
    return cell;
  }
  const trimmed = cell.trim();
  return /^\d+$/.test(trimmed) ? trimmed : null;
}

/** Ids split over neighbouring cells of a row: every run of adjacent all-digit cells is joined. */
export function rowHasSplitId(
  cells: string[],
  index: DisclosureIndex
): boolean {
  const count = cells.length;
  if (count < 2) {
    return false;
  }
  // Each cell read once: its digits' length (-1: not a whole number) and value.
  if (cellDigits.length < count) {
    cellDigits = new Int32Array(count * 2);
    cellValues = new Float64Array(count * 2);
  }
  for (let at = 0; at < count; at++) {
    const digits = digitsOf(cells[at]);
    cellDigits[at] = digits === null ? -1 : digits.length;
    cellValues[at] = digits === null ? 0 : Number(digits);
  }
  for (let start = 0; start + 1 < count; start++) {
    if (cellDigits[start] < 0) {
      continue;
    }
    // The joined digits' value as a number: exact below 2^53 (no id is above; there the joined text is read).
    let length = cellDigits[start];
    let value = cellValues[start];
    for (let end = start + 1; end < count; end++) {
      const digits = cellDigits[end];
      if (digits < 0 || length + digits > MAX_ID_DIGITS) {
        break;
      }
      length += digits;
      value = value * 10 ** digits + cellValues[end];
      if (length < MIN_ID_DIGITS) {
        continue;
      }
      const joined =
        value < EXACT_INTEGERS
          ? value
          : Number(
              cells
                .slice(start, end + 1)
                .map(each => digitsOf(each))
                .join('')
            );
      if (index.hasId(joined)) {
        return true;
      }
    }
  }
  return false;
}

/** 2^53: integers below it are exact in a Number. */
const EXACT_INTEGERS = 2 ** 53;
/** A row's cells as `rowHasSplitId` reads them, reused from row to row. */
let cellDigits = new Int32Array(64);
let cellValues = new Float64Array(64);

export type IdentifierKind =
  'id' | 'username' | 'display name' | 'encoded identifier';

/** First words of the data's display names: a run of words is only looked up when it starts with one. */
const firstWordsOf = new WeakMap<DisclosureIndex, Set<string>>();
function displayNameFirstWords(index: DisclosureIndex): Set<string> {
  let first = firstWordsOf.get(index);
  if (!first) {
    first = new Set();
    for (const name of index.displayNames) {
      first.add(name.split(' ')[0]);
    }
    firstWordsOf.set(index, first);
  }
  return first;
}

/**
 * A username inside a longer token, between its separators (`count_ana.b_12`
 * holds `ana.b_12`): every run of parts from one `.`/`_` to another. Only
 * runs that look like usernames (a digit, _ or .) count.
 */
function hasUsernameInside(token: string, index: DisclosureIndex): boolean {
  const starts = [0];
  const ends: number[] = [];
  for (let i = 0; i < token.length; i++) {
    if (token[i] === '.' || token[i] === '_') {
      ends.push(i);
      starts.push(i + 1);
    }
  }
  if (!ends.length || starts.length > 12) {
    return false;
  }
  ends.push(token.length);
  for (const start of starts) {
    for (const end of ends) {
      if (end - start >= 5 && (start > 0 || end < token.length)) {
        const part = token.slice(start, end);
        if (DISTINCTIVE_USERNAME.test(part) && index.usernames.has(part)) {
          return true;
        }
      }
    }
  }
  return false;
}

// eslint-disable-next-line no-control-regex -- every ASCII character
const ASCII = /^[\x00-\x7f]*$/;
/** `NAME_TOKEN` and `NAME_WORDS` on ASCII text: which character codes belong to a run. */
const NAME_TOKEN_ASCII = new Uint8Array(128);
const NAME_WORDS_ASCII = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const char = String.fromCharCode(code);
  const alphanumeric = /[A-Za-z0-9]/.test(char);
  NAME_TOKEN_ASCII[code] = alphanumeric || char === '.' || char === '_' ? 1 : 0;
  NAME_WORDS_ASCII[code] = alphanumeric || char === "'" ? 1 : 0;
}

/** Where the run `nextAsciiRun` found last ends. */
let runEnd = 0;

/**
 * The next run of an ASCII text's characters of `member` from `from` (what
 * matchAll of `[\p{L}\p{N}…]+` finds in ASCII text: its letters are A–Z
 * and a–z, its numbers 0–9): where it starts (-1: none), its end in
 * `runEnd`. No regular expression, no closure (the review calls it for
 * every word of every line).
 */
function nextAsciiRun(text: string, member: Uint8Array, from: number): number {
  let start = from;
  while (start < text.length && member[text.charCodeAt(start)] !== 1) {
    start++;
  }
  if (start >= text.length) {
    return -1;
  }
  let end = start + 1;
  while (end < text.length && member[text.charCodeAt(end)] === 1) {
    end++;
  }
  runEnd = end;
  return start;
}

/** A token of a text's names (`NAME_TOKEN`) that is, or holds, a username of the data set. */
function nameToken(
  token: string,
  at: number,
  folded: string,
  whole: boolean,
  index: DisclosureIndex,
  kinds: Set<IdentifierKind>
): void {
  if (token.length < 5) {
    return;
  }
  const clean = trimDotsAndUnderscores(token);
  if (clean.length >= 5 && index.usernames.has(clean)) {
    const mentioned = at > 0 && folded[at - 1] === '@';
    if (whole || mentioned || DISTINCTIVE_USERNAME.test(clean)) {
      kinds.add('username');
    }
  } else if (clean.length > 5 && hasUsernameInside(clean, index)) {
    kinds.add('username');
  }
}

/** `text.replace(/^[._]+|[._]+$/g, '')` without a regular expression. */
function trimDotsAndUnderscores(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === '.' || text[start] === '_')) {
    start++;
  }
  while (end > start && (text[end - 1] === '.' || text[end - 1] === '_')) {
    end--;
  }
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Ids, usernames and display names of the data set in a text, as written (no decoding). */
function plainIdentifiers(
  text: string,
  whole: boolean,
  index: DisclosureIndex,
  kinds: Set<IdentifierKind>
): void {
  if (hasIdNumber(text, index)) {
    kinds.add('id');
  }
  nameIdentifiers(text, whole, index, kinds);
}

/** Usernames and display names of the data set in a text. */
function nameIdentifiers(
  text: string,
  whole: boolean,
  index: DisclosureIndex,
  kinds: Set<IdentifierKind>
): void {
  const folded = foldText(text);
  if (whole) {
    const bare = folded.trim().replace(/^@/, '');
    if (bare.length >= 5 && index.usernames.has(bare)) {
      kinds.add('username');
    }
  }
  const ascii = ASCII.test(folded);
  if (ascii) {
    for (
      let at = nextAsciiRun(folded, NAME_TOKEN_ASCII, 0);
      at >= 0;
      at = nextAsciiRun(folded, NAME_TOKEN_ASCII, runEnd)
    ) {
      nameToken(folded.slice(at, runEnd), at, folded, whole, index, kinds);
    }
  } else {
    for (const match of folded.matchAll(NAME_TOKEN)) {
      nameToken(match[0], match.index!, folded, whole, index, kinds);
    }
  }
  if (whole) {
    const name = normalName(text);
    if (name.length >= 3 && index.displayNames.has(name)) {
      kinds.add('display name');
    }
  } else if (folded.includes("'") || folded.includes('"')) {
    for (const match of folded.matchAll(QUOTED)) {
      const inner = match[2].trim().replace(/^@/, '');
      if (inner.length >= 5 && index.usernames.has(inner)) {
        kinds.add('username');
      }
      if (index.displayNames.has(normalName(inner))) {
        kinds.add('display name');
      }
    }
  }
  if (/\s/.test(folded)) {
    // Inside longer text only names of two or three words count: single first names are ordinary words.
    const first = displayNameFirstWords(index);
    let list: string[];
    if (ascii) {
      list = [];
      for (
        let at = nextAsciiRun(folded, NAME_WORDS_ASCII, 0);
        at >= 0;
        at = nextAsciiRun(folded, NAME_WORDS_ASCII, runEnd)
      ) {
        list.push(folded.slice(at, runEnd));
      }
    } else {
      list = folded.match(NAME_WORDS) ?? [];
    }
    for (let i = 0; i + 1 < list.length; i++) {
      if (!first.has(list[i])) {
        continue;
      }
      const two = `${list[i]} ${list[i + 1]}`;
      if (
        index.displayNames.has(two) ||
        (i + 2 < list.length && index.displayNames.has(`${two} ${list[i + 2]}`))
      ) {
        kinds.add('display name');
      }
    }
  }
}

/** At least `verbatimWords` consecutive words of one text of the data set. */
export function hasVerbatim(
  text: string,
  index: DisclosureIndex,
  config: ReviewConfig,
  wordsOf: (text: string) => string[] = words
): boolean {
  if (text.length < config.verbatimWords * 2) {
    return false; // too short to hold that many words
  }
  const list = wordsOf(text);
  if (list.length < config.verbatimWords) {
    return false;
  }
  const needed = Math.max(1, config.verbatimWords - SHINGLE_WORDS + 1);
  return hasShingleRun(list, index, needed);
}

/** Word hashes of the text `hasShingleRun` reads (-1: not hashed yet), reused from call to call. */
let wordHashes = new Float64Array(256);

/** The hash of shingle `at` of `list` is in the index (its words hashed when first needed). */
function shingleAtIsKnown(
  list: string[],
  at: number,
  index: DisclosureIndex
): boolean {
  for (let j = at; j < at + SHINGLE_WORDS; j++) {
    if (wordHashes[j] < 0) {
      wordHashes[j] = fnv1a(list[j]);
    }
  }
  return index.hasShingle(shingleHashAt(wordHashes, at));
}

/**
 * `needed` consecutive shingles of `list` in the index. A run of `needed`
 * holds one at a position that is a multiple of `needed` (minus one): only
 * those are looked up first, and the run is measured around a hit (the same
 * answer as testing every shingle, with a fraction of the lookups).
 */
function hasShingleRun(
  list: string[],
  index: DisclosureIndex,
  needed: number
): boolean {
  const shingles = list.length - SHINGLE_WORDS + 1;
  if (wordHashes.length < list.length) {
    wordHashes = new Float64Array(list.length * 2);
  }
  wordHashes.fill(-1, 0, list.length);
  for (let at = needed - 1; at < shingles; at += needed) {
    if (!shingleAtIsKnown(list, at, index)) {
      continue;
    }
    let run = 1;
    for (let before = at - 1; before >= 0 && run < needed; before--) {
      if (!shingleAtIsKnown(list, before, index)) {
        break;
      }
      run++;
    }
    for (let after = at + 1; after < shingles && run < needed; after++) {
      if (!shingleAtIsKnown(list, after, index)) {
        break;
      }
      run++;
    }
    if (run >= needed) {
      return true;
    }
  }
  return false;
}

/**
 * The words of one text of the data set in any order: the bag of the value's
 * words (words with a letter; numbers are left out on both sides, so a
 * numbered line still matches) is the bag of a text, with at most one word
 * added (a label before it).
 */
export function hasShuffledText(
  text: string,
  index: DisclosureIndex,
  config: ReviewConfig,
  wordsOf: (text: string) => string[] = words
): boolean {
  if (text.length < config.shuffledWords * 2) {
    return false;
  }
  const list = wordsOf(text);
  if (list.length < config.shuffledWords) {
    return false;
  }
  const keys = wordBagKeys(list, config.shuffledWords, MAX_BAG_WORDS);
  return keys.some(key => index.hasWordBag(key));
}

/** Lines with more words than this are only matched whole (each word left out once is a lookup). */
const MAX_BAG_WORDS = 200;

export interface ValueFindings {
  kinds: IdentifierKind[];
  /** Verbatim text of the data set, as written ('plain') or encoded. */
  verbatim: 'plain' | 'encoded' | null;
  /** The notations encoded identifiers or texts were found in ('base36', 'number words', …). */
  notations: string[];
  /** The words of a text of the data set, shuffled. */
  shuffled: boolean;
}

export const NOTHING: ValueFindings = {
  kinds: [],
  verbatim: null,
  notations: [],
  shuffled: false
};

/** The identifiers of the data set and verbatim texts in one value. */
export function identifiersIn(
  value: { text: string; whole: boolean },
  index: DisclosureIndex,
  config: ReviewConfig
): ValueFindings {
  const kinds = new Set<IdentifierKind>();
  plainIdentifiers(value.text, value.whole, index, kinds);
  // The value's words, cut once for the verbatim and the shuffled-text checks.
  let own: string[] | null = null;
  const ownWords = (text: string) => (own ??= words(text));
  let verbatim: ValueFindings['verbatim'] = hasVerbatim(
    value.text,
    index,
    config,
    ownWords
  )
    ? 'plain'
    : null;
  const notations = new Set<string>();
  let encoded = false;
  // With the `decodes` family off (a baseline for measuring), only base64 and hex text are decoded, as before it.
  const forms = decodedForms(value.text, 0, !ruleEnabled(config, 'decodes'));
  for (const form of forms.texts) {
    const hidden = new Set<IdentifierKind>();
    if (form.notation === 'reversed') {
      // A reversed value is read as the value was: a whole cell or a line.
      plainIdentifiers(form.text, value.whole, index, hidden);
    } else {
      plainIdentifiers(form.text, true, index, hidden);
      plainIdentifiers(form.text, false, index, hidden);
    }
    if (hidden.size) {
      encoded = true;
      notations.add(form.notation);
    }
    if (!verbatim && hasVerbatim(form.text, index, config)) {
      verbatim = 'encoded';
      notations.add(form.notation);
    }
  }
  for (const form of forms.numbers) {
    if (index.hasId(form.value)) {
      encoded = true;
      notations.add(form.notation);
    }
  }
  // rot13 leaves digits as they are: only names and words are looked for.
  if (/[a-z](?:[^a-z]*[a-z]){4}/i.test(value.text)) {
    const turned = rot13(value.text);
    const hidden = new Set<IdentifierKind>();
    nameIdentifiers(turned, value.whole, index, hidden);
    if (hidden.size) {
      encoded = true;
      notations.add('rot13');
    }
    if (!verbatim && hasVerbatim(turned, index, config)) {
      verbatim = 'encoded';
      notations.add('rot13');
    }
  }
  if (encoded) {
    kinds.add('encoded identifier');
  }
  const shuffled =
    !verbatim &&
    ruleEnabled(config, 'shuffled_text') &&
    hasShuffledText(value.text, index, config, ownWords);
  return kinds.size || verbatim || shuffled
    ? { kinds: [...kinds], verbatim, notations: [...notations], shuffled }
    : NOTHING;
}
