/* Red-team stress (issue 16): crafted outputs that could make the review slow or huge; prints time, peak memory, decision and rules per case. Run: npx tsx bench/review-stress.ts [case name part]. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import zlib from 'node:zlib';
import { join } from 'node:path';
import { openPublicData } from '../src/data/open';
import {
  buildDisclosureIndex,
  DEFAULT_REVIEW_CONFIG,
  reviewOutputs
} from '../src/review';

function rnd(n: number, alphabet: string): string {
  let s = '';
  for (let i = 0; i < n; i++)
    s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return s;
}
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const MB = 1_000_000;

const cases: Record<string, () => Record<string, string>> = {
  'one line 15.9MB base64': () => ({ 'a.txt': rnd(15.9 * MB, B64) }),
  'one line 15.9MB digits': () => ({ 'a.txt': rnd(15.9 * MB, '0123456789') }),
  'one line 15.9MB words': () => ({
    'a.txt': Array.from({ length: 2.6 * MB }, () => rnd(5, 'abcdefghij')).join(
      ' '
    )
  }),
  'one line 15.9MB hex': () => ({
    'a.txt': rnd(15.9 * MB, '0123456789abcdef')
  }),
  'one line 15.9MB digits+spaces': () => ({
    'a.txt': Array.from({ length: 900_000 }, () => rnd(16, '0123456789')).join(
      ' '
    )
  }),
  '100k tiny lines': () => ({
    'a.txt': Array.from({ length: 100_000 }, (_, i) => `x=${i}`).join('\n')
  }),
  '100k tiny random lines': () => ({
    'a.log': Array.from({ length: 100_000 }, () => rnd(6, B64)).join('\n')
  }),
  '1M tiny lines': () => ({
    'a.txt': Array.from({ length: 1_000_000 }, (_, i) => `${i % 97}`).join('\n')
  }),
  'nested json 100k': () => ({
    'a.json': '['.repeat(100_000) + ']'.repeat(100_000)
  }),
  'nested json obj 5k': () => ({
    'a.json': '{"a":'.repeat(5000) + '1' + '}'.repeat(5000)
  }),
  'csv 5000 columns x 100': () => ({
    'a.csv': [Array.from({ length: 5000 }, (_, i) => `c${i}`).join(',')]
      .concat(
        Array.from({ length: 100 }, () =>
          Array.from({ length: 5000 }, () =>
            Math.floor(Math.random() * 1e6)
          ).join(',')
        )
      )
      .join('\n')
  }),
  'csv 5000 columns x 1000': () => ({
    'a.csv': [Array.from({ length: 5000 }, (_, i) => `c${i}`).join(',')]
      .concat(
        Array.from({ length: 1000 }, () =>
          Array.from({ length: 5000 }, () =>
            Math.floor(Math.random() * 1e6)
          ).join(',')
        )
      )
      .join('\n')
  }),
  'csv 5000 rows x 300 columns': () => ({
    'a.csv': [Array.from({ length: 300 }, (_, i) => `c${i}`).join(',')]
      .concat(
        Array.from({ length: 5000 }, () =>
          Array.from({ length: 300 }, () =>
            Math.floor(Math.random() * 1e6)
          ).join(',')
        )
      )
      .join('\n')
  }),
  '200 files of 100KB csv': () => {
    const files: Record<string, string> = {};
    for (let f = 0; f < 199; f++) {
      files[`d/f${String(f).padStart(3, '0')}.csv`] = ['a,b,c,d']
        .concat(
          Array.from(
            { length: 4000 },
            () =>
              `${Math.floor(Math.random() * 1e6)},${Math.floor(Math.random() * 1e6)},${Math.floor(Math.random() * 1e4)},${Math.floor(Math.random() * 100)}`
          )
        )
        .join('\n');
    }
    return files;
  },
  '200 files of 100KB text lines': () => {
    const files: Record<string, string> = {};
    for (let f = 0; f < 199; f++) {
      files[`d/f${String(f).padStart(3, '0')}.txt`] = Array.from(
        { length: 5000 },
        (_, i) => `t=${1700000000 + Math.floor(Math.random() * 1e7)} v=${i}`
      ).join('\n');
    }
    return files;
  },
  'jsonl 100k lines': () => ({
    'a.txt': Array.from({ length: 100_000 }, (_, i) =>
      JSON.stringify({ a: i, b: Math.floor(Math.random() * 1e9), c: 'x' })
    ).join('\n')
  }),
  'markdown 5000 cols': () => ({
    'a.md': [
      '|' + Array.from({ length: 5000 }, (_, i) => ` c${i} `).join('|') + '|',
      '|' + '---|'.repeat(5000)
    ]
      .concat(
        Array.from(
          { length: 200 },
          () =>
            '|' +
            Array.from(
              { length: 5000 },
              () => ` ${Math.floor(Math.random() * 1e6)} `
            ).join('|') +
            '|'
        )
      )
      .join('\n')
  }),
  'zlib bomb in base64': () => {
    return {
      'a.txt': zlib.deflateSync(Buffer.alloc(200 * MB, 48)).toString('base64')
    };
  },
  'many base64 zlib chunks': () => {
    const chunk = zlib.deflateSync(Buffer.alloc(1 * MB, 48)).toString('base64');
    return { 'a.txt': Array.from({ length: 5000 }, () => chunk).join('\n') };
  }
};

async function main(): Promise<void> {
  const data = openPublicData({
    dataDir: join(tmpdir(), 'vce-corpus-data'),
    seed: 1,
    videos: 100_000,
    log: () => undefined
  });
  const index = await buildDisclosureIndex(data);
  const only = process.argv[2];
  for (const [name, make] of Object.entries(cases)) {
    if (only && !name.includes(only)) continue;
    const dir = mkdtempSync(join(tmpdir(), 'h8-stress-'));
    const out = join(dir, 'output');
    mkdirSync(out);
    const files = make();
    let bytes = 0;
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(join(out, file, '..'), { recursive: true });
      writeFileSync(join(out, file), content);
      bytes += content.length;
    }
    writeFileSync(join(dir, 'stdout.txt'), '');
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const timer = setInterval(
      () => (peak = Math.max(peak, process.memoryUsage().rss)),
      50
    );
    const t0 = Date.now();
    const v = await reviewOutputs({
      outputDir: out,
      logs: [{ name: 'stdout.txt', path: join(dir, 'stdout.txt') }],
      recordsRead: 100_000,
      index,
      config: DEFAULT_REVIEW_CONFIG
    });
    clearInterval(timer);
    const ms = Date.now() - t0;
    const rules = [
      ...new Set(v.findings.map(f => `${f.severity}:${f.rule}`))
    ].join(' ');
    console.log(
      `${name.padEnd(32)} ${(bytes / MB).toFixed(1).padStart(6)} MB  ${String(ms).padStart(7)} ms  peak+${((peak - rss0) / MB).toFixed(0)} MB  ${v.decision}  ${rules}`
    );
    const errs = v.findings
      .filter(f => f.rule === 'rule_error')
      .map(f => f.message.slice(0, 160));
    if (errs.length)
      console.log('   rule_error:', errs.slice(0, 3).join(' | '));
    rmSync(dir, { recursive: true, force: true });
  }
}
void main();
