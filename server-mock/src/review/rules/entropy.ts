/**
 * High-entropy tokens: long random-looking strings (hashes, encrypted or
 * encoded data) that no decoder of the review reads back. One or two are a
 * job id or a checksum; about one per record read is per-record data in a
 * form the review cannot check (a hash of an id is an identifier: it links
 * back to its record), so a reviewer looks at it.
 */

import type { ReviewConfig } from '../config';
import { asPlainText, inflated, isKnownFile } from '../decodes';
import type { Document } from '../documents';
import type { Pacer } from '../pacer';
import { isCsvDocument } from './decodes';
import { places, plural, type Finding } from './findings';

const TOKEN = /[A-Za-z0-9+/=_-]{16,}/g;
/** Alphanumeric runs as a reader splits a name: words (Capitalised or not), CAPITALS, digits. */
const RUN = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+/g;
/** Tokens longer than this that decode to nothing readable are opaque blobs (compressed with bz2 or lzma, encrypted). */
const LONG_TOKEN = 64;
/** Characters of one word matched at a time (tokensOf). */
const WORD_SLICE = 65_536;
/** An opaque blob counts once per this many characters: 16 hex digits or 12 bytes of base64 hold one id. */
const BLOB_UNIT = 16;
/** Distinct tokens remembered per file (enough to pass any floor). */
const MAX_REMEMBERED = 100_000;

/** Shannon entropy of a text's characters, in bits per character. */
export function entropyBits(text: string): number {
  const counts = new Map<string, number>();
  for (const character of text) {
    counts.set(character, (counts.get(character) ?? 0) + 1);
  }
  let bits = 0;
  for (const count of counts.values()) {
    const share = count / text.length;
    bits -= share * Math.log2(share);
  }
  return bits;
}

/** How many symbols the token's alphabet has: hex, base32, one-case base36, or base64. */
function alphabetSize(token: string): number {
  if (/^[0-9a-fA-F]+$/.test(token)) {
    return 16;
  }
  if (/^[A-Z2-7]+$/.test(token)) {
    return 32;
  }
  if (/^[0-9a-z]+$/.test(token) || /^[0-9A-Z]+$/.test(token)) {
    return 36;
  }
  return 64;
}

/**
 * A random-looking token: a letter and a digit; entropy at least 70 % of the
 * most its length and alphabet allow (random hex, base32, base58 and base64
 * of 16+ characters are above it 99 times in 100); and, unless it is base32,
 * short runs of letters and digits (3.5 characters or fewer on average), so
 * that names made of words (`sales_report_2024_final`, `HTTPServerError404`)
 * are not counted.
 */
export function isHighEntropy(token: string): boolean {
  const body = token.replace(/=+$/, '');
  if (!/\d/.test(body) || !/[A-Za-z]/.test(body)) {
    return false;
  }
  const most = Math.log2(Math.min(body.length, alphabetSize(body)));
  if (entropyBits(body) < 0.7 * most) {
    return false;
  }
  if (/^[A-Z2-7]+$/.test(body)) {
    return true;
  }
  const runs = body.match(RUN)?.length ?? 1;
  return body.length / runs <= 3.5;
}

/** What a long token counts for: 0 when it decodes to a file type or readable text (the other rules read it), else one per `BLOB_UNIT` characters. */
function blobUnits(token: string): number {
  const bytes = Buffer.from(
    token.replace(/-/g, '+').replace(/_/g, '/'),
    /^[0-9a-fA-F]+$/.test(token) && token.length % 2 === 0 ? 'hex' : 'base64'
  );
  if (isKnownFile(bytes)) {
    return 0;
  }
  const packed = inflated(bytes);
  if (asPlainText(packed ? packed.text : bytes)) {
    return 0;
  }
  return Math.ceil(token.length / BLOB_UNIT);
}

/** The number of high-entropy tokens that makes them per-record: `highEntropyFloor`, or fewer when few records were read. */
export function highEntropyLimit(
  recordsRead: number,
  config: ReviewConfig
): number {
  return Math.min(
    config.highEntropyFloor,
    Math.max(config.threshold, Math.ceil(config.highEntropyShare * recordsRead))
  );
}

/** Tokens of `length` or more characters; a long text is split into words first (only long words are searched). */
function tokensOf(text: string, length: number): string[] {
  if (text.length <= 256) {
    return text.match(TOKEN) ?? [];
  }
  const tokens: string[] = [];
  for (const word of text.split(/\s+/)) {
    if (word.length < length) {
      continue;
    }
    // A word of megabytes overflows the regexp's stack (and a spread of its
    // tokens the call stack): it is read in slices, a token cut at a slice's
    // edge still counted (a token that long is a blob, counted by length).
    for (let start = 0; start < word.length; start += WORD_SLICE) {
      for (const token of word.slice(start, start + WORD_SLICE).match(TOKEN) ??
        []) {
        tokens.push(token);
      }
    }
  }
  return tokens;
}

/** A document's values; a CSV's cells read from its rows (no value object per cell). */
function* textsOf(
  document: Document
): Generator<{ text: string; location: string }> {
  if (!isCsvDocument(document)) {
    yield* document.values;
    return;
  }
  const [table] = document.tables;
  yield* table.header.map((text, column) => ({
    text,
    location: `header, column ${column + 1}`
  }));
  for (let row = 0; row < table.rows.length; row++) {
    const cells = table.rows[row];
    for (let column = 0; column < cells.length; column++) {
      if (cells[column].length >= 16) {
        yield { text: cells[column], location: `row ${row + 1}` };
      }
    }
  }
}

export async function highEntropyTokens(
  file: string,
  document: Document,
  recordsRead: number,
  config: ReviewConfig,
  pacer: Pacer
): Promise<Finding[]> {
  const seen = new Set<string>();
  let units = 0;
  const locations: string[] = [];
  for (const value of textsOf(document)) {
    if (pacer.due()) {
      await pacer.pause();
    }
    const text = value.text;
    if (text.length < config.highEntropyLength) {
      continue;
    }
    let counted = false;
    for (const token of tokensOf(text, config.highEntropyLength)) {
      if (token.length < config.highEntropyLength || seen.has(token)) {
        continue;
      }
      if (seen.size < MAX_REMEMBERED) {
        seen.add(token);
      }
      const add = !isHighEntropy(token)
        ? 0
        : token.length > LONG_TOKEN
          ? blobUnits(token)
          : 1;
      units += add;
      counted ||= add > 0;
    }
    if (counted && locations.length < 4) {
      locations.push(value.location);
    }
  }
  const limit = highEntropyLimit(recordsRead, config);
  if (units < limit) {
    return [];
  }
  return [
    {
      rule: 'high_entropy',
      severity: 'manual',
      file,
      location: places(locations),
      message: `${file} holds ${plural(units, 'long random-looking token')} (hashes, encrypted or encoded data the review cannot read; ${places(locations)}) for ${plural(recordsRead, 'record')} read: ${limit.toLocaleString('en-US')} or more are about one per record. A reviewer checks what they are before release: hashes or encryptions of ids, usernames or texts are identifiers (they link back to their records). Output aggregates instead; a job id or a checksum or two are fine.`
    }
  ];
}
