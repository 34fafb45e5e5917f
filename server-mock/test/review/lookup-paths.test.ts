/**
 * Issue 19's quicker lookups answer as the code they replaced, on any text:
 * verbatim runs looked up at every `needed`-th shingle first (then around a
 * hit) against every shingle; usernames and display names in ASCII text cut
 * without regular expressions against the same text cut with them.
 */
import { DEFAULT_REVIEW_CONFIG } from '../../src/review';
import type { DisclosureIndex } from '../../src/review/disclosure-index';
import {
  digitsOf,
  hasVerbatim,
  identifiersIn,
  rowHasSplitId
} from '../../src/review/rules/identifier-search';
import { foldText, rot13, shingleHashes, words } from '../../src/review/text';

/** A seeded generator (mulberry32): the same texts every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fakeIndex(
  shingles: Set<number>,
  usernames: string[] = [],
  displayNames: string[] = []
): DisclosureIndex {
  return {
    data: null as never,
    ids: new Float64Array(0),
    usernames: new Set(usernames),
    displayNames: new Set(displayNames),
    source: null as never,
    hasId: () => false,
    hasShingle: hash => shingles.has(hash),
    hasWordBag: () => false
  };
}

/** The verbatim check before issue 19: every shingle in order, a run counted. */
function verbatimBefore(
  text: string,
  index: DisclosureIndex,
  verbatimWords: number
): boolean {
  if (text.length < verbatimWords * 2) {
    return false;
  }
  const list = words(text);
  if (list.length < verbatimWords) {
    return false;
  }
  const needed = Math.max(1, verbatimWords - 5 + 1);
  let run = 0;
  for (const hash of shingleHashes(list)) {
    run = index.hasShingle(hash) ? run + 1 : 0;
    if (run >= needed) {
      return true;
    }
  }
  return false;
}

describe('verbatim runs', () => {
  it('are found exactly when every shingle in order finds them', () => {
    const next = random(19);
    const vocabulary = Array.from({ length: 12 }, (_, i) => `w${i}x`);
    let found = 0;
    let cases = 0;
    for (let round = 0; round < 3000; round++) {
      const length = 1 + Math.floor(next() * 30);
      const list = Array.from(
        { length },
        () => vocabulary[Math.floor(next() * vocabulary.length)]
      );
      const hashes = shingleHashes(list);
      // Some of the text's own shingles are "in the data": runs of every length appear.
      const known = new Set(hashes.filter(() => next() < 0.7));
      const text = list.join(' ');
      for (const verbatimWords of [5, 6, 8, 9, 12]) {
        const index = fakeIndex(known);
        const config = { ...DEFAULT_REVIEW_CONFIG, verbatimWords };
        const expected = verbatimBefore(text, index, verbatimWords);
        expect(hasVerbatim(text, index, config)).toBe(expected);
        found += expected ? 1 : 0;
        cases++;
      }
    }
    // Both answers were met many times.
    expect(found).toBeGreaterThan(cases / 10);
    expect(found).toBeLessThan(cases - cases / 10);
  });
});

describe('names in ASCII text', () => {
  it('are found as the regular expressions find them in the same text with a non-ASCII symbol', () => {
    const next = random(7);
    const parts = [
      'ana.b_12',
      'count_ana.b_12',
      '_ana.b_12_',
      '@ana.b_12',
      'maria',
      'maria silva',
      'jo ann lee',
      "o'neil",
      'hello',
      'world',
      'x',
      '12345',
      'user99',
      '.',
      '_',
      '@',
      "'",
      '"',
      ' ',
      '  ',
      '-',
      '=',
      ',',
      'Maria'
    ];
    const usernames = ['ana.b_12', 'user99', 'maria', 'hello'];
    const displayNames = ['maria silva', 'jo ann lee', "o'neil world"];
    const index = fakeIndex(new Set(), usernames, displayNames);
    let named = 0;
    for (let round = 0; round < 4000; round++) {
      const length = 1 + Math.floor(next() * 12);
      const text = Array.from(
        { length },
        () => parts[Math.floor(next() * parts.length)]
      ).join(next() < 0.5 ? ' ' : '');
      // U+2603 is neither a letter nor a number: the same tokens, cut by the regular expressions.
      const marked = `${text} \u2603`;
      expect(foldText(marked)).toBe(`${foldText(text)} \u2603`);
      for (const whole of [false, true]) {
        const ascii = identifiersIn(
          { text, whole },
          index,
          DEFAULT_REVIEW_CONFIG
        );
        const other = identifiersIn(
          { text: marked, whole },
          index,
          DEFAULT_REVIEW_CONFIG
        );
        if (!whole) {
          expect([...ascii.kinds].sort()).toEqual([...other.kinds].sort());
        }
        named += ascii.kinds.length ? 1 : 0;
      }
    }
    expect(named).toBeGreaterThan(500);
  });
});

/** Ids split over cells before issue 19: the digits joined as text, read with Number. */
function splitIdBefore(cells: string[], index: DisclosureIndex): boolean {
  for (let start = 0; start + 1 < cells.length; start++) {
    let digits = digitsOf(cells[start]);
    if (digits === null) {
      continue;
    }
    for (let end = start + 1; end < cells.length; end++) {
      const cell = digitsOf(cells[end]);
      if (cell === null || digits.length + cell.length > 19) {
        break;
      }
      digits += cell;
      if (digits.length >= 15 && index.hasId(Number(digits))) {
        return true;
      }
    }
  }
  return false;
}

describe('ids split over cells', () => {
  it('are found exactly when joining the cells as text finds them, above 2^53 too', () => {
    const next = random(53);
    const ids = new Set<number>();
    const rows: string[][] = [];
    const digits = (count: number) =>
      Array.from({ length: count }, () => Math.floor(next() * 10)).join('');
    for (let round = 0; round < 5000; round++) {
      const cells = Array.from({ length: 2 + Math.floor(next() * 5) }, () => {
        const kind = next();
        return kind < 0.1
          ? 'x'
          : kind < 0.2
            ? ` ${digits(3)} `
            : kind < 0.3
              ? `00${digits(4)}`
              : digits(1 + Math.floor(next() * 19));
      });
      rows.push(cells);
      // An id of the data is the join of a few of these cells (some of them above 2^53, which no id is).
      if (next() < 0.3) {
        const from = Math.floor(next() * cells.length);
        const joined = cells
          .slice(from, from + 2 + Math.floor(next() * 3))
          .map(cell => digitsOf(cell) ?? '')
          .join('');
        if (joined.length >= 15 && joined.length <= 19) {
          ids.add(Number(joined));
        }
      }
    }
    const sorted = Float64Array.from(ids).sort();
    const index: DisclosureIndex = {
      ...fakeIndex(new Set()),
      ids: sorted,
      hasId: value => ids.has(value)
    };
    let found = 0;
    for (const cells of rows) {
      const expected = splitIdBefore(cells, index);
      expect(rowHasSplitId(cells, index)).toBe(expected);
      found += expected ? 1 : 0;
    }
    expect(found).toBeGreaterThan(100);
    expect(found).toBeLessThan(rows.length - 100);
  });
});

describe('rot13', () => {
  it('turns text as the regular expression did, any character and length', () => {
    const before = (text: string) =>
      text.replace(/[a-z]/gi, letter => {
        const code = letter.charCodeAt(0);
        const base = code <= 90 ? 65 : 97;
        return String.fromCharCode(((code - base + 13) % 26) + base);
      });
    const next = random(13);
    const alphabet = [
      ...'azAZmnMN09 @_.[]{}`~',
      'é',
      'ſ',
      '\u212a',
      'ß',
      '🎉',
      '\ud800',
      'я'
    ];
    for (let round = 0; round < 2000; round++) {
      const length = Math.floor(next() * (round % 50 === 0 ? 20_000 : 200));
      const text = Array.from(
        { length },
        () => alphabet[Math.floor(next() * alphabet.length)]
      ).join('');
      expect(rot13(text)).toBe(before(text));
    }
    expect(rot13('')).toBe('');
  });
});
