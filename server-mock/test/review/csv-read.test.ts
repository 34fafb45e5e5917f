import { parse } from 'csv-parse/sync';
import { readCsv } from '../../src/review/documents';

/**
 * readCsv splits a CSV without quotes by hand (documents.ts splitPlainCsv):
 * its records must be csv-parse's, with the options the review uses, for
 * every file, quoted ones (left to csv-parse) included.
 */
const OPTIONS = { relax_column_count: true, skip_empty_lines: true, bom: true };

async function records(text: string | Buffer): Promise<string[][]> {
  const document = await readCsv(text);
  const [table] = document.tables;
  return table ? [table.header, ...table.rows].filter(r => r.length) : [];
}

function expected(text: string | Buffer): string[][] {
  return parse(text, OPTIONS) as string[][];
}

/** A seeded generator (mulberry32): the same files every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('readCsv', () => {
  it.each([
    ['a,b\n1,2\n', 'plain'],
    ['a,b\r\n1,2\r\n', 'CRLF'],
    ['a,b\r\n1,2\n3,4\r\n', 'CRLF first, a lone LF stays in its cell'],
    ['a,b\n1,2\r\n3\r,4\n', 'LF first, CR stays in its cell'],
    ['\ufeffa,b\n1,2', 'BOM, no final line end'],
    ['a,b\n\n\n1,2\n\n', 'empty lines'],
    [',\n,,\n', 'empty cells'],
    ['a,b\r1,2\r', 'lone CR (csv-parse)'],
    ['a,"b,c"\n1,2\n', 'quoted (csv-parse)'],
    ['é,ü\n日本,😀\n', 'non-ASCII'],
    ['only', 'one cell'],
    ['', 'empty file'],
    [' a , b \n 1 ,2', 'spaces kept']
  ])('reads %j as csv-parse does (%s)', async text => {
    expect(await records(text)).toEqual(expected(text));
  });

  it('reads random quote-free files as csv-parse does', async () => {
    const next = random(16);
    const alphabet = [
      'a',
      'b',
      '1',
      ',',
      ',',
      '\n',
      '\n',
      '\r\n',
      '\r',
      ' ',
      'é',
      '\ufeff',
      '\t',
      ';'
    ];
    for (let file = 0; file < 2000; file++) {
      let text = '';
      const length = Math.floor(next() * 60);
      for (let i = 0; i < length; i++) {
        text += alphabet[Math.floor(next() * alphabet.length)];
      }
      expect([text, await records(text)]).toEqual([text, expected(text)]);
    }
  });

  it('reads a UTF-16 file with its BOM through csv-parse', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('a,b\n1,2\n', 'utf16le')
    ]);
    expect(await records(bytes)).toEqual(expected(bytes));
  });
});
