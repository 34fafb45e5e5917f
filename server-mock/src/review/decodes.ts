/**
 * Cheap, bounded decoders of the reversible notations a script can hide
 * identifiers in: base32, base58, base85 and ascii85 text encodings,
 * integers in base 36, 58 and 62, number words, reversal, character-code
 * arrays, zlib and gzip inside an encoding, and date-times that carry an
 * id in their microseconds. Pure functions: the rules (rules/decodes.ts,
 * rules/identifier-search.ts) decide what a decoded form means. Every decoder
 * caps what it reads and what it produces, so a large output stays quick.
 */

import { gunzipSync, inflateSync } from 'node:zlib';

/** Largest integer a Float64 holds exactly: ids are below it. */
const EXACT = 2 ** 53;

/** Longest token a byte decoder reads (longer text is an encoded blob: see `inflated`). */
export const MAX_TOKEN = 4096;
/** Most bytes a compressed token may inflate to; the rest is not read. */
export const MAX_INFLATED = 1 << 20;

// ---------------------------------------------------------------- integers

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE62_LOWER_FIRST =
  '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

function digitTable(alphabet: string): Int8Array {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) {
    table[alphabet.charCodeAt(i)] = i;
  }
  return table;
}

interface IntegerNotation {
  name: string;
  base: number;
  digits: Int8Array;
  /** Token lengths that can hold a number from 1e14 to 2^53. */
  min: number;
  max: number;
  fold: boolean;
}

const INTEGER_NOTATIONS: IntegerNotation[] = [
  {
    name: 'base36',
    base: 36,
    digits: digitTable(BASE36),
    min: 9,
    max: 11,
    fold: true
  },
  {
    name: 'base58',
    base: 58,
    digits: digitTable(BASE58),
    min: 8,
    max: 10,
    fold: false
  },
  {
    name: 'base62',
    base: 62,
    digits: digitTable(BASE62),
    min: 8,
    max: 9,
    fold: false
  },
  {
    name: 'base62',
    base: 62,
    digits: digitTable(BASE62_LOWER_FIRST),
    min: 8,
    max: 9,
    fold: false
  }
];

/** A token's value in one notation, when it is exact (below 2^53); else -1. */
function integerIn(token: string, notation: IntegerNotation): number {
  let value = 0;
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    const digit = code < 128 ? notation.digits[code] : -1;
    if (digit < 0) {
      return -1;
    }
    value = value * notation.base + digit;
    if (value >= EXACT) {
      return -1;
    }
  }
  return value;
}

const ALPHANUMERIC_RUN = /[0-9A-Za-z]{8,13}/g;

/**
 * Integers of 1e14 or more written in base 36, 58 or 62 (Python's
 * `numpy.base_repr`, hand-written `to_base`, short-link alphabets): each
 * alphanumeric token of the right length, read in each notation.
 */
export function baseIntegers(
  text: string,
  visit: (value: number, notation: string) => void
): void {
  for (const match of text.matchAll(ALPHANUMERIC_RUN)) {
    const token = match[0];
    // An alphanumeric run inside a longer one is not a token.
    const before = match.index! > 0 ? text[match.index! - 1] : '';
    const after = text[match.index! + token.length] ?? '';
    if (/[0-9A-Za-z]/.test(before) || /[0-9A-Za-z]/.test(after)) {
      continue;
    }
    for (const notation of INTEGER_NOTATIONS) {
      if (token.length < notation.min || token.length > notation.max) {
        continue;
      }
      const value = integerIn(
        notation.fold ? token.toLowerCase() : token,
        notation
      );
      if (value >= 1e14) {
        visit(value, notation.name);
      }
    }
  }
}

// ---------------------------------------------------------------- byte encodings

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE32_HEX = '0123456789ABCDEFGHIJKLMNOPQRSTUV';
const BASE32_DIGITS = digitTable(BASE32);
const BASE32_HEX_DIGITS = digitTable(BASE32_HEX);

/** RFC 4648 base32 (Python `b32encode`, or `b32hexencode` with `hex`), padding optional. */
export function base32Bytes(token: string, hex = false): Buffer | null {
  const body = token.replace(/=+$/, '');
  if (body.length < 8 || body.length > MAX_TOKEN) {
    return null;
  }
  if (![0, 2, 4, 5, 7].includes(body.length % 8)) {
    return null;
  }
  const digits = hex ? BASE32_HEX_DIGITS : BASE32_DIGITS;
  const out = Buffer.alloc(Math.floor((body.length * 5) / 8));
  let bits = 0;
  let buffer = 0;
  let at = 0;
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    const digit = code < 128 ? digits[code] : -1;
    if (digit < 0) {
      return null;
    }
    buffer = ((buffer << 5) | digit) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (buffer >> bits) & 0xff;
    }
  }
  return out.subarray(0, at);
}

const BASE85 =
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~';
const BASE85_DIGITS = digitTable(BASE85);

/** Groups of five base-85 digits → four bytes; a short last group is padded with the highest digit. */
function base85Groups(
  values: number[],
  out: number[],
  pad: number
): number[] | null {
  for (let start = 0; start < values.length; start += 5) {
    const group = values.slice(start, start + 5);
    const missing = 5 - group.length;
    if (missing === 4) {
      return null;
    }
    while (group.length < 5) {
      group.push(pad);
    }
    let value = 0;
    for (const digit of group) {
      value = value * 85 + digit;
    }
    if (value > 0xffffffff) {
      return null;
    }
    const bytes = [
      value >>> 24,
      (value >>> 16) & 0xff,
      (value >>> 8) & 0xff,
      value & 0xff
    ];
    out.push(...bytes.slice(0, 4 - missing));
  }
  return out;
}

/** Python's `base64.b85encode` alphabet (as git and Mercurial use it). */
export function base85Bytes(token: string): Buffer | null {
  if (token.length < 7 || token.length > MAX_TOKEN) {
    return null;
  }
  const values: number[] = [];
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    const digit = code < 128 ? BASE85_DIGITS[code] : -1;
    if (digit < 0) {
      return null;
    }
    values.push(digit);
  }
  const out = base85Groups(values, [], 84);
  return out ? Buffer.from(out) : null;
}

/** Adobe ascii85 (Python's `base64.a85encode`, `<~ ~>` optional, `z` for four zero bytes). */
export function ascii85Bytes(token: string): Buffer | null {
  const body = token.replace(/^<~/, '').replace(/~>$/, '');
  if (body.length < 7 || body.length > MAX_TOKEN) {
    return null;
  }
  const values: number[] = [];
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    if (code === 0x7a && values.length % 5 === 0) {
      // 'z' stands for a whole group of zeros.
      if (!base85Groups(values.splice(0), out, 84)) {
        return null;
      }
      out.push(0, 0, 0, 0);
      continue;
    }
    if (code < 33 || code > 117) {
      return null;
    }
    values.push(code - 33);
  }
  return base85Groups(values, out, 84) ? Buffer.from(out) : null;
}

const BASE58_DIGITS = digitTable(BASE58);

/** Bitcoin-alphabet base58 of bytes (the `base58` package); leading '1's are zero bytes. */
export function base58Bytes(token: string): Buffer | null {
  if (token.length < 7 || token.length > 256) {
    return null;
  }
  const bytes: number[] = [0];
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    let carry = code < 128 ? BASE58_DIGITS[code] : -1;
    if (carry < 0) {
      return null;
    }
    for (let j = 0; j < bytes.length; j++) {
      carry += bytes[j] * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  let zeros = 0;
  while (zeros < token.length && token[zeros] === '1') {
    zeros++;
  }
  const body = bytes.reverse();
  while (body.length > 1 && body[0] === 0) {
    body.shift();
  }
  return Buffer.concat([Buffer.alloc(zeros), Buffer.from(body)]);
}

// ---------------------------------------------------------------- what bytes hold

/** File types a chart or document embedded as base64 starts with: not hidden data. */
const KNOWN_MAGIC: number[][] = [
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
  [0x25, 0x50, 0x44, 0x46], // PDF
  [0x52, 0x49, 0x46, 0x46], // RIFF (WebP)
  [0x3c, 0x3f, 0x78, 0x6d], // <?xm (SVG)
  [0x3c, 0x73, 0x76, 0x67] // <svg
];

export function isKnownFile(bytes: Buffer): boolean {
  return KNOWN_MAGIC.some(magic =>
    magic.every((byte, at) => bytes[at] === byte)
  );
}

/** Inflated bytes one document may produce in all (a file of many small zip bombs stays quick). */
export const INFLATE_BUDGET = 8 * MAX_INFLATED;
/** Most a token may inflate to, per byte of it (text and ids compress far less). */
const MAX_RATIO = 32;
let budget = INFLATE_BUDGET;

/**
 * Gives the next document its inflate budget back (rules/identifiers.ts calls
 * it per document). Past the budget, compressed tokens are not inflated: they
 * count as opaque blobs (rules/entropy.ts), which a reviewer looks at.
 */
export function resetInflateBudget(): void {
  budget = INFLATE_BUDGET;
}

/** zlib (`zlib.compress`) or gzip (`gzip.compress`) data, inflated up to `MAX_INFLATED` bytes. */
export function inflated(
  bytes: Buffer
): { text: Buffer; notation: 'zlib' | 'gzip' } | null {
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const zlib =
    bytes[0] === 0x78 &&
    [0x01, 0x5e, 0x9c, 0xda].includes(bytes[1]) &&
    ((bytes[0] << 8) | bytes[1]) % 31 === 0;
  if (!gzip && !zlib) {
    return null;
  }
  const cap = Math.min(MAX_INFLATED, MAX_RATIO * bytes.length + 1024, budget);
  if (cap <= 1024) {
    return null;
  }
  const inflate = gzip ? gunzipSync : inflateSync;
  const spent = (text: Buffer) => {
    budget -= text.length;
    return { text, notation: gzip ? ('gzip' as const) : ('zlib' as const) };
  };
  try {
    return spent(inflate(bytes, { maxOutputLength: cap }));
  } catch {
    // Too large or cut short: the start is read, up to the cap.
    try {
      return spent(
        inflate(bytes.subarray(0, Math.ceil(cap / MAX_RATIO)), {
          finishFlush: 2, // Z_SYNC_FLUSH: what is there, without the end
          maxOutputLength: cap
        })
      );
    } catch {
      return null;
    }
  }
}

/** Bytes that are text a reader would see: UTF-8, no replacement or control characters. */
export function asPlainText(bytes: Buffer): string | null {
  const text = bytes.toString('utf8');
  if (
    text.length < 4 ||
    text.includes('\ufffd') ||
    // eslint-disable-next-line no-control-regex
    /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text)
  ) {
    return null;
  }
  return text;
}

/** 5 to 8 bytes as an unsigned integer, big- and little-endian (`id.to_bytes(8, ...)`). */
export function bytesAsIntegers(bytes: Buffer): number[] {
  if (bytes.length < 5 || bytes.length > 8) {
    return [];
  }
  const padded = Buffer.alloc(8);
  bytes.copy(padded, 8 - bytes.length);
  const big = padded.readBigUInt64BE();
  const little = Buffer.alloc(8);
  bytes.copy(little, 0);
  const small = little.readBigUInt64LE();
  return [big, small]
    .filter(value => value >= 100000000000000n && value < BigInt(EXACT))
    .map(Number);
}

// ---------------------------------------------------------------- number words

const UNITS: Record<string, number> = {
  zero: 0,
  oh: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90
};
const SCALES: Record<string, bigint> = {
  thousand: 1000n,
  million: 1000000n,
  billion: 1000000000n,
  trillion: 1000000000000n,
  quadrillion: 1000000000000000n,
  quintillion: 1000000000000000000n
};
const NUMBER_WORD =
  /\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|(?:m|b|tr|quadr|quint)illion)\b/i;

/**
 * Numbers written in English words: digit by digit ("seven one zero zero …")
 * as the string of their digits, and as a spelled-out number ("seven
 * quadrillion one hundred trillion …", num2words' style) as its value.
 * Each run of number words ("and", hyphens and commas between them) is one number.
 */
export function numberWordRuns(text: string): {
  digits: string[];
  values: bigint[];
} {
  const found = { digits: [] as string[], values: [] as bigint[] };
  if (!NUMBER_WORD.test(text)) {
    return found;
  }
  const tokens = text.toLowerCase().split(/[^a-z]+/);
  let run: string[] = [];
  const flush = () => {
    const words = run.filter(word => word !== 'and');
    run = [];
    if (words.length < 4) {
      return;
    }
    // Digit by digit: every word a number below 100, its digits concatenated.
    let digits = '';
    let pending = -1;
    let composed = true;
    for (const word of words) {
      if (word in TENS) {
        if (pending >= 0) {
          digits += String(pending);
        }
        pending = TENS[word];
      } else if (word in UNITS) {
        if (pending >= 0 && UNITS[word] < 10 && UNITS[word] > 0) {
          digits += String(pending + UNITS[word]);
        } else {
          if (pending >= 0) {
            digits += String(pending);
          }
          digits += String(UNITS[word]);
        }
        pending = -1;
      } else {
        composed = false;
      }
    }
    if (pending >= 0) {
      digits += String(pending);
    }
    if (composed && digits.length >= 15) {
      found.digits.push(digits);
    }
    // Spelled out: hundreds within groups, groups times their scale.
    let total = 0n;
    let group = 0n;
    let any = false;
    for (const word of words) {
      if (word in UNITS) {
        group += BigInt(UNITS[word]);
      } else if (word in TENS) {
        group += BigInt(TENS[word]);
      } else if (word === 'hundred') {
        group = (group || 1n) * 100n;
      } else if (word in SCALES) {
        total += (group || 1n) * SCALES[word];
        group = 0n;
        any = true;
      }
    }
    if (any) {
      found.values.push(total + group);
    }
  };
  for (const token of tokens) {
    if (
      token in UNITS ||
      token in TENS ||
      token in SCALES ||
      token === 'hundred' ||
      (token === 'and' && run.length)
    ) {
      run.push(token);
    } else if (token) {
      flush();
    }
  }
  flush();
  return found;
}

// ---------------------------------------------------------------- character codes

const INTEGER_LIST =
  /(?:0[xX][0-9a-fA-F]{1,6}|\d{1,7})(?:[\s,;]{1,3}(?:0[xX][0-9a-fA-F]{1,6}|\d{1,7})){4,}/g;

/**
 * Lists of character codes in a text (`[104, 101, 108, 108, 111]`,
 * `list(name.encode())`, `[hex(ord(c)) …]`) as the text they spell, and
 * lists of single digits (`[7, 1, 0, 0, …]`) as their digits.
 */
export function characterCodeTexts(text: string): string[] {
  if (!/\d[\s,;]{1,3}\d/.test(text)) {
    return [];
  }
  const found: string[] = [];
  for (const match of text.matchAll(INTEGER_LIST)) {
    const codes = match[0]
      .split(/[\s,;]+/)
      .filter(Boolean)
      .map(Number);
    const spelled = codesAsText(codes);
    if (spelled) {
      found.push(spelled);
    }
  }
  return found;
}

/** Codes as text: printable characters (five or more), or fifteen or more digits 0–9. */
export function codesAsText(codes: number[]): string | null {
  if (codes.length >= 15 && codes.every(code => code >= 0 && code <= 9)) {
    return codes.join('');
  }
  if (
    codes.length >= 5 &&
    codes.every(
      code =>
        code >= 32 &&
        code <= 0x2ffff &&
        !(code >= 0x7f && code < 0xa0) &&
        !(code >= 0xd800 && code < 0xe000)
    )
  ) {
    return String.fromCodePoint(...codes.slice(0, 4096));
  }
  return null;
}

// ---------------------------------------------------------------- reversal

/** A text backwards (`s[::-1]`): digits of a reversed id and letters of a reversed name read forwards again. */
export function reversed(text: string): string {
  return [...text].reverse().join('');
}

// ---------------------------------------------------------------- date-times

const DATE_TIME =
  /(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?/;

/**
 * A date-time as the number of microseconds (when it has a fraction) or
 * seconds since 1970 in UTC; the zone, when written, is taken off.
 */
export function dateTimeEpoch(
  text: string
): { value: number; unit: 'us' | 's'; zoned: boolean } | null {
  const match = DATE_TIME.exec(text);
  if (!match) {
    return null;
  }
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  let seconds =
    Date.UTC(
      Number(y),
      Number(mo) - 1,
      Number(d),
      Number(h),
      Number(mi),
      Number(s)
    ) / 1000;
  if (!Number.isFinite(seconds)) {
    return null;
  }
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    seconds -=
      sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60);
  }
  if (fraction) {
    const micros = Number(fraction.slice(0, 6).padEnd(6, '0'));
    return { value: seconds * 1e6 + micros, unit: 'us', zoned: !!zone };
  }
  return { value: seconds, unit: 's', zoned: !!zone };
}
