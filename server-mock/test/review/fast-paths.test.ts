import { digitsOf } from '../../src/review/rules/identifier-search';
import {
  isPlainNumber,
  PLAIN_NUMBER
} from '../../src/review/rules/identifiers';
import { isCount } from '../../src/review/rules/tables';

/**
 * The review reads every cell of a large CSV with loops instead of regular
 * expressions (bench/jobs.ts: a 10 MB CSV in ≤ 1 s); each loop must answer
 * as the expression it stands for, on any text.
 */

/** A seeded generator (mulberry32): the same texts every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [
  ...'0123456789',
  ...'0123456789',
  ...'-+.,:/ T Z',
  'a',
  'x',
  '\t',
  '\n',
  '\u00a0',
  '\u2009',
  '\ufeff',
  '٣',
  'é'
];

function texts(seed: number, count: number, longest: number): string[] {
  const next = random(seed);
  const made = [
    '',
    '2026-01-31',
    '2026-1-31',
    '2026-01-31T12:00',
    '2026-01-31 12:00:01.123Z',
    '+',
    '-12',
    '123456789012345',
    ' 42 ',
    '42\n',
    '\u00a042',
    '3.0',
    '3.00 '
  ];
  for (let i = 0; i < count; i++) {
    let text = '';
    const length = Math.floor(next() * longest);
    for (let j = 0; j < length; j++) {
      text += ALPHABET[Math.floor(next() * ALPHABET.length)];
    }
    made.push(text);
  }
  return made;
}

describe('loops that stand for regular expressions', () => {
  const all = texts(7, 20_000, 24);

  /** The texts on which `fast` and `slow` differ (none expected). */
  const differing = (fast: (text: string) => unknown, slow: typeof fast) =>
    all.filter(text => fast(text) !== slow(text));

  it('isPlainNumber answers as PLAIN_NUMBER', () => {
    expect(all.filter(text => isPlainNumber(text)).length).toBeGreaterThan(500);
    expect(differing(isPlainNumber, text => PLAIN_NUMBER.test(text))).toEqual(
      []
    );
  });

  it('digitsOf answers as /^\\d+$/ on the trimmed text', () => {
    expect(all.filter(text => digitsOf(text) !== null).length).toBeGreaterThan(
      500
    );
    expect(
      differing(digitsOf, text =>
        /^\d+$/.test(text.trim()) ? text.trim() : null
      )
    ).toEqual([]);
  });

  it('isCount answers as its expression', () => {
    expect(
      differing(isCount, text => /^\d+(?:\.0*)?$/.test(text.trim()))
    ).toEqual([]);
  });
});
