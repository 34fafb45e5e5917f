/**
 * What one value may decode to, before the identifier lookup: the texts and
 * numbers behind every reversible notation the review knows (base64, hex,
 * base32, base85, ascii85, base58 text; base 36, 58 and 62 integers; number
 * words; character codes; reversal; zlib or gzip inside any of them; ids
 * carried as the microseconds of a date-time). Each decoded form says its
 * notation, so a finding can say how the identifiers were written.
 */

import {
  ascii85Bytes,
  asPlainText,
  base32Bytes,
  base58Bytes,
  base85Bytes,
  baseIntegers,
  bytesAsIntegers,
  characterCodeTexts,
  codesAsText,
  dateTimeEpoch,
  inflated,
  isKnownFile,
  numberWordRuns,
  reversed
} from '../decodes';
import type { Document } from '../documents';

export interface DecodedForms {
  /** Texts to look identifiers and verbatim texts up in, with the notation they were written in. */
  texts: { text: string; notation: string }[];
  /** Numbers to look up as ids. */
  numbers: { value: number; notation: string }[];
}

const BASE64_TOKEN = /[A-Za-z0-9+/_-]{8,}={0,2}/g;
const HEX_TOKEN = /\b(?:[0-9a-fA-F]{2}){5,}\b/g;
const BASE32_TOKEN = /(?<![A-Za-z0-9])[A-Z2-7]{8,}={0,6}(?![A-Za-z0-9])/g;
const BASE32_HEX_TOKEN = /(?<![A-Za-z0-9])[0-9A-V]{8,}={0,6}(?![A-Za-z0-9])/g;
/** Runs of base85 characters (Python's b85 alphabet); ascii85 and base58 are read from whitespace-separated words. */
const BASE85_TOKEN = /[0-9A-Za-z!#$%&()*+\-;<=>?@^_`{|}~]{7,}/g;
/** A word worth a byte decoder: a digit, a capital inside it or a symbol (plain words are not decoded). */
const ENCODED_LOOK = /\d|[a-z][A-Z]|[!#$%&()*+;<=>?@^_`{|}~]/;
/** Values longer than this are not reversed or searched for number words (a line of prose is shorter). */
const MAX_REVERSED = 4096;
/** Time zones a naive date-time may have been written in: every quarter hour from −14 h to +14 h, in µs. */
const ZONE_STEPS = Array.from({ length: 113 }, (_, i) => (i - 56) * 900e6);

function bytesForms(
  bytes: Buffer | null,
  notation: string,
  forms: DecodedForms,
  depth: number
): void {
  if (!bytes || bytes.length < 4 || isKnownFile(bytes)) {
    if (bytes && bytes.length >= 5) {
      for (const value of bytesAsIntegers(bytes)) {
        forms.numbers.push({ value, notation: `${notation} bytes` });
      }
    }
    return;
  }
  const packed = inflated(bytes);
  if (packed) {
    const text = asPlainText(packed.text);
    if (text) {
      const where = `${packed.notation} in ${notation}`;
      forms.texts.push({ text, notation: where });
      if (depth === 0) {
        const inner = decodedForms(text, 1);
        forms.texts.push(
          ...inner.texts.map(form => ({
            text: form.text,
            notation: `${form.notation}, ${where}`
          }))
        );
        forms.numbers.push(
          ...inner.numbers.map(form => ({
            value: form.value,
            notation: `${form.notation}, ${where}`
          }))
        );
      }
    }
    return;
  }
  const text = asPlainText(bytes);
  if (text) {
    forms.texts.push({ text, notation });
  }
  for (const value of bytesAsIntegers(bytes)) {
    forms.numbers.push({ value, notation: `${notation} bytes` });
  }
}

/** The forms a value's encoded tokens, words and characters decode to (bounded: see decodes.ts). */
export function decodedForms(
  text: string,
  depth = 0,
  base64AndHexOnly = false
): DecodedForms {
  const forms: DecodedForms = { texts: [], numbers: [] };
  if (text.length < 5) {
    return forms;
  }
  for (const token of text.match(BASE64_TOKEN) ?? []) {
    const clean = token.replace(/-/g, '+').replace(/_/g, '/');
    bytesForms(Buffer.from(clean, 'base64'), 'base64', forms, depth);
  }
  if (/[0-9a-fA-F]{10}/.test(text)) {
    for (const token of text.match(HEX_TOKEN) ?? []) {
      if (token.length % 2 === 0) {
        bytesForms(Buffer.from(token, 'hex'), 'hex', forms, depth);
      }
    }
  }
  if (base64AndHexOnly) {
    // What the review decoded before issue 16: text in base64 or hex, nothing else.
    forms.numbers = [];
    forms.texts = forms.texts.filter(
      form => form.notation === 'base64' || form.notation === 'hex'
    );
    return forms;
  }
  if (/[A-Z2-7]{8}/.test(text)) {
    for (const token of text.match(BASE32_TOKEN) ?? []) {
      bytesForms(base32Bytes(token), 'base32', forms, depth);
    }
    for (const token of text.match(BASE32_HEX_TOKEN) ?? []) {
      if (/[G-V]/.test(token)) {
        bytesForms(base32Bytes(token, true), 'base32hex', forms, depth);
      }
    }
  }
  if (ENCODED_LOOK.test(text)) {
    for (const token of text.match(BASE85_TOKEN) ?? []) {
      if (ENCODED_LOOK.test(token)) {
        bytesForms(base85Bytes(token), 'base85', forms, depth);
      }
    }
    for (const word of text.split(/\s+/)) {
      if (word.length < 7 || !ENCODED_LOOK.test(word)) {
        continue;
      }
      // Inside quotes, brackets or after a comma (a list printed as a repr) as well as whole.
      const inner = word.replace(/^[[("'{,]+|[\])"'},]+$/g, '');
      bytesForms(ascii85Bytes(inner), 'ascii85', forms, depth);
      if (inner !== word) {
        bytesForms(ascii85Bytes(word), 'ascii85', forms, depth);
      }
      if (/^[1-9A-HJ-NP-Za-km-z]+$/.test(inner)) {
        bytesForms(base58Bytes(inner), 'base58', forms, depth);
      }
    }
  }
  baseIntegers(text, (value, notation) =>
    forms.numbers.push({ value, notation })
  );
  if (text.length <= MAX_REVERSED) {
    const words = numberWordRuns(text);
    for (const digits of words.digits) {
      forms.texts.push({ text: digits, notation: 'number words' });
    }
    for (const value of words.values) {
      if (value >= 100000000000000n && value < 2n ** 53n) {
        forms.numbers.push({ value: Number(value), notation: 'number words' });
      }
    }
    if (/[\p{L}\p{N}]{5}/u.test(text)) {
      forms.texts.push({ text: reversed(text), notation: 'reversed' });
    }
  }
  for (const spelled of characterCodeTexts(text)) {
    forms.texts.push({ text: spelled, notation: 'character codes' });
  }
  if (/\d:\d\d:\d\d\.\d{6}/.test(text)) {
    const epoch = dateTimeEpoch(text);
    if (epoch && epoch.unit === 'us') {
      // A float of seconds keeps microseconds to within one: the neighbours are looked up too.
      for (const step of epoch.zoned ? [0] : ZONE_STEPS) {
        for (const off of [0, -1, 1]) {
          forms.numbers.push({
            value: epoch.value + step + off,
            notation: 'date-time'
          });
        }
      }
    }
  }
  return forms;
}

const CODE_VALUE = /^\s*(?:\d{1,7}|0[xX][0-9a-fA-F]{1,6})\s*$/;
/** A run of codes is read in parts this long. */
const MAX_RUN = 4096;

/**
 * Character codes spread over consecutive values (a JSON array of numbers,
 * a row of cells): `push` every value in order with its group (the array or
 * row it is in: a run ends with it); when a run of five or more ends, `visit` gets the text it spells (or the digits),
 * with the place of its first value.
 */
export class CodeRuns<Place> {
  private codes: number[] = [];
  private first: Place | null = null;
  private group = '';
  constructor(
    private readonly visit: (text: string, first: Place, count: number) => void
  ) {}
  push(text: string, place: Place, groupOf: () => string): void {
    if (text.length > 16 || !CODE_VALUE.test(text)) {
      this.end();
      return;
    }
    const group = groupOf();
    if (group !== this.group) {
      this.end();
      this.group = group;
    }
    {
      if (!this.codes.length) {
        this.first = place;
      }
      this.codes.push(Number(text.trim()));
      if (this.codes.length >= MAX_RUN) {
        this.end();
      }
    }
  }
  end(): void {
    if (this.codes.length >= 5) {
      const spelled = codesAsText(this.codes);
      if (spelled) {
        this.visit(spelled, this.first!, this.codes.length);
      }
    }
    this.codes = [];
    this.first = null;
  }
}

/** A CSV file: its values are its one table's cells (the rules read its rows directly, without a value object per cell). */
export function isCsvDocument(document: Document): boolean {
  return document.tables.length === 1 && document.tables[0].at === '';
}
