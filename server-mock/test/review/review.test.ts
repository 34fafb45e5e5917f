import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  buildDisclosureIndex,
  DEFAULT_REVIEW_CONFIG,
  reviewOutputs,
  type ReviewConfig,
  type Verdict
} from '../../src/review';
import { readJson } from '../../src/review/documents';
import { DominanceCache } from '../../src/review/dominance';
import { countColumns } from '../../src/review/rules/tables';
import { jobTestData } from '../helpers/jobs-helpers';

/**
 * The output review's rules, one by one, on files written to a temporary
 * output folder and checked against the 3,000-video test data set.
 */

const data = jobTestData();
let index: Awaited<ReturnType<typeof buildDisclosureIndex>>;
let dir: string;

beforeAll(async () => {
  index = await buildDisclosureIndex(data);
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vce-review-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function review(
  files: Record<string, string | Buffer>,
  options: {
    recordsRead?: number;
    stdout?: string;
    config?: Partial<ReviewConfig>;
  } = {}
): Promise<Verdict> {
  const outputDir = join(dir, 'output');
  for (const name of Object.keys(files)) {
    rmSync(join(outputDir, name), { force: true });
  }
  mkdirSync(outputDir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(outputDir, name)), { recursive: true });
    writeFileSync(join(outputDir, name), content);
  }
  const stdoutPath = join(dir, 'stdout.txt');
  writeFileSync(stdoutPath, options.stdout ?? '');
  return reviewOutputs({
    outputDir,
    logs: [{ name: 'stdout.txt', path: stdoutPath }],
    recordsRead: options.recordsRead ?? 3000,
    index,
    config: { ...DEFAULT_REVIEW_CONFIG, ...options.config }
  });
}

const rules = (verdict: Verdict) =>
  verdict.findings.map(
    finding => `${finding.severity}:${finding.rule}:${finding.file}`
  );
const one = <T>(rows: T[]) => rows[0];
const video = one(
  data.db
    .prepare(
      'SELECT id, username, display_name, video_description, region_code FROM videos WHERE length(video_description) > 60 LIMIT 1'
    )
    .all()
) as {
  id: number;
  username: string;
  display_name: string;
  video_description: string;
};
const twoWordName = (
  one(
    data.db
      .prepare(
        "SELECT display_name FROM users WHERE display_name LIKE '% %' LIMIT 1"
      )
      .all()
  ) as { display_name: string }
).display_name;

describe('the output review', () => {
  it('approves an aggregate over the threshold and lists each file with its SHA-256', async () => {
    const verdict = await review({
      'by_region.csv': 'region_code,videos\nUS,120\nMX,45\n',
      'notes.md': '# Method\nCounted videos by region.\n'
    });
    expect(verdict.decision).toBe('approved');
    expect(verdict.findings).toEqual([]);
    expect(
      verdict.files.map(file => [file.name, file.kind, file.sha256.length])
    ).toEqual([
      ['by_region.csv', 'csv', 64],
      ['notes.md', 'md', 64]
    ]);
  });

  it('refuses counts under the threshold, naming the column and rows, and sends zeros to a reviewer', async () => {
    const verdict = await review({
      't.csv': 'region_code,count\nUS,120\nMX,3\nFR,0\n'
    });
    expect(verdict.decision).toBe('rejected');
    const small = verdict.findings.find(
      finding => finding.rule === 'small_count'
    )!;
    expect(small).toMatchObject({
      severity: 'fail',
      file: 't.csv',
      location: 'column 2 (count): row 2'
    });
    expect(small.message).toMatch(/below 10/);
    expect(
      verdict.findings.find(finding => finding.rule === 'zero_count')
    ).toMatchObject({
      severity: 'manual',
      location: 'column 2 (count): row 3'
    });
  });

  it('takes the threshold from the configuration', async () => {
    expect(
      (
        await review(
          { 't.csv': 'region_code,count\nUS,12\n' },
          { config: { threshold: 20 } }
        )
      ).decision
    ).toBe('rejected');
    expect(
      (
        await review(
          { 't.csv': 'region_code,count\nUS,12\n' },
          { config: { threshold: 5 } }
        )
      ).decision
    ).toBe('approved');
  });

  it('accepts suppressed cells', async () => {
    expect(
      (await review({ 't.csv': 'region_code,count\nUS,120\nMX,<10\nFR,\n' }))
        .decision
    ).toBe('approved');
  });

  it('finds the count column of a table of categories by its values when its name says nothing', async () => {
    expect(
      countColumns({
        at: '',
        header: ['bucket', 'howmany'],
        rows: [
          ['a', '4'],
          ['b', '30']
        ]
      })
    ).toEqual([1]);
    // Every whole-number column counts, not only a lone one; shares, years and ranks do not.
    expect(
      countColumns({
        at: '',
        header: ['bucket', 'share', 'howmany'],
        rows: [['a', '0.5', '4']]
      })
    ).toEqual([2]);
    expect(
      countColumns({
        at: '',
        header: ['region', 'year', 'rank', 'a', 'b'],
        rows: [['US', '2023', '1', '3', '4.0']]
      })
    ).toEqual([3, 4]);
    expect(
      countColumns({
        at: '',
        header: ['bucket', 'share'],
        rows: [['a', '0.5']]
      })
    ).toEqual([]);
    expect(
      countColumns({
        at: '',
        header: ['region_code', 'is_stem_verified', 'videos'],
        rows: [['US', '1', '40']]
      })
    ).toEqual([2]);
  });

  it('reads rows labelled with a statistic (p1..p99, median) as statistics, not small counts', async () => {
    const quantiles = [
      'percentile,likes,views,comments',
      ...Array.from(
        { length: 99 },
        (_, i) => `p${i + 1},${i},${i * 3},${i % 5}`
      )
    ].join('\n');
    const verdict = await review({ 'percentiles.csv': `${quantiles}\n` });
    expect(
      rules(verdict).filter(rule => /small_count|zero_count/.test(rule))
    ).toEqual([]);
    // A row labelled with a group, not a statistic, is still counted.
    expect(
      rules(
        await review({
          't.csv': 'label,comments\nmedian,3\nUS,4\n'
        })
      )
    ).toContain('fail:small_count:t.csv');
  });

  it('does not take bin edges (from_s, to_s, lower, upper…) as counts', () => {
    expect(
      countColumns({
        at: '',
        header: ['from_s', 'to_s', 'lower_ms', 'bin_end', 'upper', 'howmany'],
        rows: [['0', '3', '0', '3', '3', '40']]
      })
    ).toEqual([5]);
  });

  it('refuses identifier columns', async () => {
    const verdict = await review({
      'users.csv': 'username,videos\nsomeone,40\n'
    });
    expect(verdict.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: 'identifier_column',
          file: 'users.csv',
          location: 'column 1 (username)'
        })
      ])
    );
  });

  it('reads "ID" among region headers as Indonesia, and alone as an id column', async () => {
    const byRegion = await review({
      'by_year.csv':
        'year,US,ID,BR,other\n2024,120,45,60,300\n2025,130,50,70,310\n'
    });
    expect(byRegion.decision).toBe('approved');
    expect(rules(byRegion)).toEqual([]);
    const ids = await review({ 'ids.csv': 'ID,videos\nx,40\n' });
    expect(rules(ids)).toContain('fail:identifier_column:ids.csv');
  });

  it('shows at most 4 digits of keys in a JSON path, so nested keys cannot spell an id', () => {
    const nested = readJson('{"7100": {"0000": {"0004": {"6266": "x"}}}}');
    const locations = [...nested.values].map(value => value.location);
    expect(locations).toContain('7100.<key 1>.<key 1>.<key 1>');
    expect(locations.join(' ')).not.toMatch(/0004|6266/);
    const years = readJson('{"by_year": {"2024": {"n": 12}}}');
    expect([...years.values].map(value => value.location)).toContain(
      'by_year.2024.n'
    );
  });

  it('finds ids, usernames and display names of the data set anywhere, logs included', async () => {
    const verdict = await review(
      {
        'summary.json': JSON.stringify({ top: [video.display_name], n: 3000 }),
        'notes.txt': `the most active was @${video.username} by far\n`
      },
      { stdout: `checked ${video.id}\n` }
    );
    expect(verdict.decision).toBe('rejected');
    expect(rules(verdict)).toEqual(
      expect.arrayContaining([
        'fail:identifier_value:summary.json',
        'fail:identifier_value:notes.txt',
        'fail:identifier_value:stdout.txt'
      ])
    );
    const json = verdict.findings.find(
      finding => finding.file === 'summary.json'
    )!;
    expect(json.location).toBe('top[0]');
    expect(json.message).not.toContain(video.display_name);
  });

  it('files identifiers by column: ids in two columns are two findings, each with its own rows', async () => {
    const ids = (
      data.db
        .prepare('SELECT id FROM videos ORDER BY id LIMIT 6')
        .pluck()
        .all() as number[]
    ).map(String);
    const rows = ids.map(
      (id, row) => `${id},north,${row >= 4 ? ids[row - 4] : 'none'}`
    );
    const verdict = await review({
      'mixed.csv': ['video,region,related', ...rows].join('\n') + '\n'
    });
    const values = verdict.findings.filter(
      finding =>
        finding.rule === 'identifier_value' && finding.file === 'mixed.csv'
    );
    expect(values.map(finding => [finding.column, finding.location])).toEqual([
      ['column 1 (video)', 'column 1 (video), rows 1, 2, 3 and 3 more'],
      ['column 3 (related)', 'column 3 (related), rows 5, 6']
    ]);
    expect(values[1].message).toContain(
      '2 cells with ids of the data set (column 3 (related), rows 5, 6)'
    );
  });

  it('finds two-word display names in running text, not single first names', async () => {
    expect(
      rules(
        await review({ 'a.txt': `A note about ${twoWordName} and others\n` })
      )
    ).toContain('fail:identifier_value:a.txt');
    expect(
      (await review({ 'a.txt': 'Sofia and Arjun went to the market\n' }))
        .decision
    ).toBe('approved');
  });

  it('decodes base64 and hex to find encoded identifiers', async () => {
    const id = String(video.id);
    const verdict = await review({
      'codes.txt': `${Buffer.from(id).toString('base64')}\n${Buffer.from(video.username).toString('hex')}\n`
    });
    expect(verdict.findings).toEqual([
      expect.objectContaining({
        rule: 'encoded_identifier',
        file: 'codes.txt',
        location: 'line 1; line 2'
      })
    ]);
  });

  it('refuses verbatim texts of the data set and lets ordinary sentences through', async () => {
    expect(
      rules(
        await review({
          'quotes.txt': `People wrote: ${video.video_description}\n`
        })
      )
    ).toContain('fail:verbatim_text:quotes.txt');
    rmSync(join(dir, 'output'), { recursive: true, force: true });
    expect(
      (
        await review({
          'topics.txt':
            'topic 1: football match goal team season win league cup final\n'
        })
      ).decision
    ).toBe('approved');
  });

  it('refuses row-level dumps: rows approaching the records read, in tables and logs', async () => {
    const rows = Array.from(
      { length: 1600 },
      (_, i) => `r${i % 9},${(i % 50) + 10}`
    ).join('\n');
    expect(
      rules(await review({ 'rows.csv': `bucket,count\n${rows}\n` }))
    ).toContain('fail:row_level_data:rows.csv');
    expect(rules(await review({}, { stdout: 'x\n'.repeat(1600) }))).toContain(
      'fail:row_level_data:stdout.txt'
    );
    // The same table for 100,000 records read is an aggregate.
    expect(
      rules(
        await review(
          { 'rows.csv': `bucket,count\n${rows}\n` },
          { recordsRead: 100_000 }
        )
      )
    ).not.toContain('fail:row_level_data:rows.csv');
  });

  it('refuses tables over 5,000 rows (OpenSAFELY LEVEL4_MAX_CSV_ROWS)', async () => {
    const rows = Array.from({ length: 5001 }, (_, i) => `b${i},${20 + i}`).join(
      '\n'
    );
    expect(
      rules(
        await review(
          { 'big.csv': `bucket,count\n${rows}\n` },
          { recordsRead: 1_000_000 }
        )
      )
    ).toContain('fail:table_rows:big.csv');
  });

  it('checks dominance and p-ratio of sums against the data, and asks a reviewer for subsets', async () => {
    const groups = data.db
      .prepare(
        'SELECT region_code, count(*) AS n, sum(like_count) AS likes, max(like_count) AS top FROM videos GROUP BY region_code HAVING n >= 10 ORDER BY region_code'
      )
      .all() as {
      region_code: string;
      n: number;
      likes: number;
      top: number;
    }[];
    const table = [
      'region_code,videos,sum_like_count',
      ...groups.map(group => `${group.region_code},${group.n},${group.likes}`)
    ].join('\n');
    const verdict = await review({ 'likes.csv': `${table}\n` });
    // Like counts are long-tailed: some regions are dominated by one or two viral videos.
    const dominated = groups.filter(group => group.top / group.likes > 0.45);
    const dominance = verdict.findings.filter(
      finding => finding.rule === 'dominance' && finding.severity === 'fail'
    );
    const pRatio = verdict.findings.filter(
      finding => finding.rule === 'p_ratio'
    );
    expect(dominance.length + pRatio.length).toBeGreaterThan(0);
    expect(dominated.length).toBeGreaterThan(0);
    expect(
      verdict.findings.every(finding => finding.file === 'likes.csv')
    ).toBe(true);
    const subset = await review({
      'likes.csv': `region_code,videos,sum_like_count\n${groups[0].region_code},${groups[0].n - 1},${groups[0].likes - 1}\n`
    });
    expect(subset.findings).toEqual([
      expect.objectContaining({ rule: 'dominance', severity: 'manual' })
    ]);
  });

  it('refuses models with fewer than 10 residual degrees of freedom', async () => {
    expect(
      rules(
        await review({
          'model.txt':
            'OLS Regression Results\nDf Residuals:                       4\n'
        })
      )
    ).toContain('fail:residual_dof:model.txt');
    expect(
      (
        await review({
          'model.txt':
            'OLS Regression Results\nDf Residuals:                     2996\n'
        })
      ).decision
    ).toBe('approved');
  });

  it('refuses disallowed types, hidden files, binary text, oversized files and links; sends figures to a reviewer', async () => {
    writeFileSync(join(dir, 'secret'), 'x');
    mkdirSync(join(dir, 'output'), { recursive: true });
    symlinkSync(join(dir, 'secret'), join(dir, 'output', 'link.csv'));
    const verdict = await review(
      {
        'data.parquet': 'PAR1',
        '.hidden.csv': 'a,b\n',
        'bin.csv': Buffer.from([0, 1, 2, 3]),
        'big.txt': 'a'.repeat(2048),
        'plot.png': Buffer.from([0x89, 0x50, 0x4e, 0x47])
      },
      { config: { maxFileBytes: 1024 } }
    );
    expect(verdict.decision).toBe('rejected');
    expect(rules(verdict).sort()).toEqual(
      [
        'fail:file_type:.hidden.csv',
        'fail:file_type:bin.csv',
        'fail:file_size:big.txt',
        'fail:file_type:data.parquet',
        'fail:file_type:link.csv',
        'manual:figure:plot.png'
      ].sort()
    );
    expect(verdict.files.map(file => file.name)).not.toContain('link.csv');
  });

  it('lists non-empty logs among the outputs and keeps their folder name for them', async () => {
    const verdict = await review(
      { 'a.csv': 'region_code,count\nUS,40\n' },
      { stdout: 'done: 40 videos\n' }
    );
    expect(verdict.files.map(file => [file.name, file.kind])).toEqual([
      ['a.csv', 'csv'],
      ['logs/stdout.txt', 'log']
    ]);
    rmSync(join(dir, 'output'), { recursive: true, force: true });
    const clash = await review({ 'logs/stdout.txt': 'mine\n' });
    expect(clash.findings).toEqual([
      expect.objectContaining({
        rule: 'file_type',
        file: 'logs/stdout.txt',
        severity: 'fail'
      })
    ]);
  });

  it('sends a figure alone to manual review', async () => {
    expect(
      (await review({ 'plot.png': Buffer.from([0x89, 0x50, 0x4e, 0x47]) }))
        .decision
    ).toBe('manual_review');
  });

  it('reads JSON arrays of records as tables and Counter dumps as tables for a reviewer', async () => {
    rmSync(join(dir, 'output'), { recursive: true, force: true });
    const records = readJson(
      JSON.stringify([
        { region: 'US', n: 4 },
        { region: 'MX', n: 40 }
      ])
    );
    expect(records.tables).toEqual([
      {
        at: '(top level)',
        header: ['region', 'n'],
        rows: [
          ['US', '4'],
          ['MX', '40']
        ]
      }
    ]);
    expect(
      rules(
        await review({
          'a.json': JSON.stringify([
            { region: 'US', n: 4 },
            { region: 'MX', n: 40 }
          ])
        })
      )
    ).toContain('fail:small_count:a.json');
    rmSync(join(dir, 'output'), { recursive: true, force: true });
    expect(
      (await review({ 'c.json': JSON.stringify({ US: 3, MX: 40, FR: 50 }) }))
        .decision
    ).toBe('manual_review');
    expect(
      [...readJson('{"id": 7100000000046267}').values].map(value => value.text)
    ).toEqual(['id', '7100000000046267']);
  });

  it('names an unreadable file instead of failing', async () => {
    const verdict = await review({ 'broken.json': '{"a": ' });
    expect(verdict.findings).toEqual([
      expect.objectContaining({
        rule: 'file_type',
        file: 'broken.json',
        message: expect.stringMatching(/not valid JSON/)
      })
    ]);
  });
});

const bioUser = one(
  data.db
    .prepare(
      'SELECT id, username, display_name, bio_description FROM users WHERE length(bio_description) > 60 ORDER BY id LIMIT 1'
    )
    .all()
) as {
  id: number;
  username: string;
  display_name: string;
  bio_description: string;
};
const videoId = String(video.id);
const rot13 = (text: string) =>
  text.replace(/[a-z]/gi, c =>
    String.fromCharCode(
      ((c.charCodeAt(0) - (c <= 'Z' ? 65 : 97) + 13) % 26) +
        (c <= 'Z' ? 65 : 97)
    )
  );
/** Review each file alone; the rules that fired for it. */
async function eachAlone(
  files: Record<string, string>,
  options: { recordsRead?: number } = {}
): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  for (const [name, content] of Object.entries(files)) {
    rmSync(join(dir, 'output'), { recursive: true, force: true });
    const verdict = await review({ [name]: content }, options);
    found[name] = verdict.findings.map(
      finding => `${finding.severity}:${finding.rule}`
    );
  }
  return found;
}

describe('the output review against disguised identifiers and leaks', () => {
  it('finds ids written in other notations: scientific, separators, hex, split over cells or lines', async () => {
    const groups = (separator: string) =>
      BigInt(videoId).toLocaleString('en-US').replace(/,/g, separator);
    const found = await eachAlone({
      'sci.csv': `region,score\nAR,${Number(videoId).toExponential()}\n`,
      'commas.csv': `region,score\nAR,"${groups(',')}"\n`,
      'commas_unquoted.csv': `region,score\nAR,${groups(',')}\n`,
      'spaces.txt': `value ${groups(' ')}\n`,
      'underscores.txt': `value ${groups('_')}\n`,
      'float.json': JSON.stringify({ score: `${videoId}.0` }),
      'hex.txt': `value 0x${BigInt(videoId).toString(16)}\n`,
      'bare_hex.txt': `value ${BigInt(videoId).toString(16)}\n`,
      'split.csv': `region,a,b\nAR,${videoId.slice(0, 8)},${videoId.slice(8)}\n`,
      'lines.txt': `part ${videoId.slice(0, 8)}\n${videoId.slice(8)} end\n`
    });
    for (const [name, rules] of Object.entries(found)) {
      expect([name, rules]).toEqual([
        name,
        expect.arrayContaining(['fail:identifier_value'])
      ]);
    }
    // Large numbers that are not ids, and ordinary small ones, pass.
    expect(
      await eachAlone({
        'big.csv': 'region,views\nAR,1.5e15\nBD,"1,234,567"\n',
        'plain.txt': 'rows: 3000 of 12 345 678\n'
      })
    ).toEqual({ 'big.csv': [], 'plain.txt': [] });
  });

  it('normalises names before looking them up: zero-width characters, look-alike letters, compatibility forms, case', async () => {
    const zeroWidth = [...bioUser.username].join('\u200b');
    const cyrillic = bioUser.username
      .replace(/a/g, '\u0430')
      .replace(/o/g, '\u043e')
      .replace(/e/g, '\u0435')
      .replace(/c/g, '\u0441');
    expect(cyrillic).not.toBe(bioUser.username);
    const fullWidth = [...bioUser.display_name]
      .map(c => (c === ' ' ? c : String.fromCharCode(c.charCodeAt(0) + 0xfee0)))
      .join('');
    const found = await eachAlone({
      'zw.csv': `region,who\nAR,${zeroWidth}\n`,
      'homoglyph.txt': `the user is ${cyrillic}\n`,
      'fullwidth.json': JSON.stringify({ top: [fullWidth] }),
      'upper.txt': `about ${bioUser.display_name.toUpperCase()} and friends\n`
    });
    for (const [name, rules] of Object.entries(found)) {
      expect([
        name,
        rules.length > 0 &&
          rules.every(rule => rule === 'fail:identifier_value')
      ]).toEqual([name, true]);
    }
    rmSync(join(dir, 'output'), { recursive: true, force: true });
    expect(
      (await review({ 'a.txt': 'Sofia and Arjun went to the market\n' }))
        .decision
    ).toBe('approved');
  });

  it('checks file and folder names as values and never shows an unsafe name', async () => {
    const verdict = await review({
      [`${bioUser.username}.txt`]: 'hello\n',
      [`${bioUser.display_name}/a.csv`]: 'region,videos\nAR,40\n',
      [`${videoId}.csv`]: 'region,videos\nAR,40\n',
      'fine.csv': 'region,videos\nAR,40\n'
    });
    expect(verdict.decision).toBe('rejected');
    const named = verdict.findings.filter(
      finding => finding.location === 'file name'
    );
    expect(named.map(finding => finding.rule)).toEqual([
      'identifier_value',
      'identifier_value',
      'identifier_value'
    ]);
    expect(
      named
        .map(finding => finding.file)
        .every(file => /^output file \d+$/.test(file))
    ).toBe(true);
    const shown = JSON.stringify(verdict.findings);
    for (const secret of [bioUser.username, bioUser.display_name, videoId]) {
      expect(shown).not.toContain(secret);
    }
    expect(verdict.findings.some(finding => finding.file === 'fine.csv')).toBe(
      false
    );
  });

  it('checks decoded text (base64, hex, rot13, base64 wrapped over lines) for verbatim texts and identifiers', async () => {
    const base64 = Buffer.from(video.video_description).toString('base64');
    const found = await eachAlone({
      'b64.txt': `${base64}\n`,
      'hex.txt': `${Buffer.from(video.video_description).toString('hex')}\n`,
      'rot13.txt': `${rot13(bioUser.bio_description)}\n`,
      'rot13_user.csv': `region,code\nAR,${rot13(bioUser.username)}\n`,
      'wrapped.txt': `${base64.match(/.{1,20}/g)!.join('\n')}\n`
    });
    expect(found).toEqual({
      'b64.txt': ['fail:verbatim_text'],
      'hex.txt': ['fail:verbatim_text'],
      'rot13.txt': ['fail:verbatim_text'],
      'rot13_user.csv': ['fail:encoded_identifier'],
      'wrapped.txt': ['fail:verbatim_text']
    });
    rmSync(join(dir, 'output'), { recursive: true, force: true });
    expect(
      (
        await review({
          'topics.txt': `${rot13('topic 1: football match goal team season win league cup final')}\n`
        })
      ).decision
    ).toBe('approved');
  });

  it('finds small counts in every whole-number column, floats written as 3.0, markdown tables, label: N lines and small JSON counters', async () => {
    const found = await eachAlone({
      'two.csv': 'region,videos_2023,videos_2024\nAR,1,20\nBD,30,2\nCL,20,20\n',
      'float.csv': 'region,n\nAR,3.0\nBD,40.0\n',
      'table.md':
        '# Counts\n\n| region | n |\n|---|---|\n| AR | 3 |\n| BD | 40 |\n',
      'labels.txt': 'AR: 3 videos\nBD = 40\n',
      'counter.json': '{"AR": 3, "BD": 40}'
    });
    expect(found).toEqual({
      'two.csv': ['fail:small_count', 'fail:small_count'],
      'float.csv': ['fail:small_count'],
      'table.md': ['fail:small_count'],
      'labels.txt': ['manual:small_count'],
      'counter.json': ['manual:small_count']
    });
    rmSync(join(dir, 'output'), { recursive: true, force: true });
    const fine = await review({
      'table.md':
        '| region | year | n |\n|---|---|---|\n| AR | 2023 | 30 |\n| BD | 2024 | 40 |\n',
      'labels.txt': 'videos read: 3000\nregions: 12\n'
    });
    expect(fine.findings).toEqual([]);
    const small = (
      await review({ 'table.md': '| region | n |\n|---|---|\n| AR | 3 |\n' })
    ).findings.find(finding => finding.rule === 'small_count')!;
    expect(small.location).toBe('table 1 (line 1), column 2 (n): row 1');
  });

  it('adds up rows and lines of all outputs against the records read', async () => {
    const rows = data.db
      .prepare(
        'SELECT region_code, like_count, view_count, create_time FROM videos ORDER BY id'
      )
      .raw()
      .all() as unknown[][];
    const part = (k: number) =>
      `region,likes,views,t\n${rows
        .slice(k * 1000, k * 1000 + 1000)
        .map(row => row.join(','))
        .join('\n')}\n`;
    const verdict = await review(
      { 'part0.csv': part(0), 'part1.csv': part(1), 'part2.csv': part(2) },
      { recordsRead: 3000 }
    );
    const dumps = verdict.findings.filter(
      finding => finding.rule === 'row_level_data'
    );
    expect(dumps).toEqual([
      expect.objectContaining({ severity: 'fail', file: '(all outputs)' })
    ]);
    expect(dumps[0].message).toMatch(/3,000 rows and lines for 3,000 records/);
    // A log and a table together count too.
    rmSync(join(dir, 'output'), { recursive: true, force: true });
    const together = await review(
      { 'part0.csv': part(0) },
      { recordsRead: 2500, stdout: 'x\n'.repeat(800) }
    );
    expect(rules(together)).toContain('fail:row_level_data:(all outputs)');
    // Files that are dumps on their own are named; the sum is not said again.
    rmSync(join(dir, 'output'), { recursive: true, force: true });
    const mixed = await review(
      { 'part0.csv': part(0) },
      { recordsRead: 1500, stdout: 'x\n'.repeat(800) }
    );
    const dumped = rules(mixed).filter(rule => rule.includes('row_level_data'));
    expect(dumped).toEqual([
      'fail:row_level_data:part0.csv',
      'fail:row_level_data:stdout.txt'
    ]);
    rmSync(join(dir, 'output'), { recursive: true, force: true });
    const small = await review(
      {
        'a.csv': 'region,videos\nAR,40\nBD,50\n',
        'b.csv': 'region,videos\nCL,40\n'
      },
      { recordsRead: 3000 }
    );
    expect(small.decision).toBe('approved');
  });

  it('never quotes headers, JSON keys or file names that are not safe to show', async () => {
    const unsafeHeader = `count_${bioUser.username}`;
    const verdict = await review({
      'x.csv': `region,${unsafeHeader},max likes per day,"min ${bioUser.display_name}"\nAR,3,1,2\n`,
      'y.json': JSON.stringify({
        [`secret ${bioUser.display_name} text`]: { n: videoId }
      }),
      'bad.csv': `a,b\n"${bioUser.username}"x,1\n`,
      'bad.json': `{"${bioUser.username}": tru`,
      [`notes ${bioUser.display_name}.md`]: 'fine\n'
    });
    const shown = JSON.stringify(verdict.findings);
    for (const secret of [
      bioUser.username,
      bioUser.display_name,
      videoId,
      'secret'
    ]) {
      expect(shown).not.toContain(secret);
    }
    const x = verdict.findings.filter(finding => finding.file === 'x.csv');
    expect(x.find(finding => finding.rule === 'small_count')!.location).toBe(
      'column 2: row 1'
    );
    expect(
      x
        .filter(finding => finding.rule === 'extreme_values')
        .map(finding => finding.location)
    ).toEqual(['column 3 (max likes per day)', 'column 4']);
    expect(
      verdict.findings
        .filter(finding => finding.file === 'y.json')
        .map(finding => finding.location)
    ).toEqual(expect.arrayContaining(['<key 1> (key)', '<key 1>.n']));
    expect(
      verdict.findings
        .filter(finding => finding.rule === 'file_type')
        .map(finding => finding.file)
        .sort()
    ).toEqual(['bad.csv', 'bad.json']);
    expect(
      verdict.findings.some(finding => /^output file \d+$/.test(finding.file))
    ).toBe(true);
  });

  it('refuses files in hidden folders', async () => {
    const verdict = await review({
      '.x/a.csv': 'region,videos\nAR,40\n',
      'ok/.y/b.csv': 'region,videos\nAR,40\n'
    });
    expect(rules(verdict).sort()).toEqual([
      'fail:file_type:.x/a.csv',
      'fail:file_type:ok/.y/b.csv'
    ]);
  });

  it('reads nothing of a job over the file-count or total-size limit', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 4 }, (_, i) => [
        `f${i}.csv`,
        `region,videos\nAR,${videoId}\n`
      ])
    );
    const many = await review(files, { config: { maxFiles: 3 } });
    expect(many).toEqual({
      decision: 'rejected',
      files: [],
      findings: [
        expect.objectContaining({ rule: 'output_limits', severity: 'fail' })
      ],
      tables: []
    });
    rmSync(join(dir, 'output'), { recursive: true, force: true });
    // Folders count too: four files in eight folders are over a limit of five.
    const folders = await review(
      Object.fromEntries(
        Array.from({ length: 4 }, (_, i) => [
          `d${i}/e/f.csv`,
          'region,videos\nAR,40\n'
        ])
      ),
      { config: { maxFiles: 5 } }
    );
    expect(folders.findings).toEqual([
      expect.objectContaining({ rule: 'output_limits' })
    ]);
    rmSync(join(dir, 'output'), { recursive: true, force: true });
    const large = await review(files, { config: { maxTotalBytes: 100 } });
    expect(large).toEqual({
      decision: 'rejected',
      files: [],
      findings: [
        expect.objectContaining({ rule: 'output_limits', severity: 'fail' })
      ],
      tables: []
    });
    expect(DEFAULT_REVIEW_CONFIG).toMatchObject({
      maxFiles: 200,
      maxTotalBytes: 100 * 1024 * 1024
    });
  });

  it('looks each group up once, through an index, and at most maxDominanceLookups groups a job', async () => {
    const plan = (sql: string, ...values: unknown[]) =>
      (
        data.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...values) as {
          detail: string;
        }[]
      )
        .map(row => row.detail)
        .join('; ');
    const sql = DominanceCache.sql('like_count', ['region_code']);
    expect(plan(sql.summary, 'US')).toMatch(
      /USING (COVERING )?INDEX videos_region_time/
    );
    expect(plan(sql.top, 'US', 2)).toMatch(
      /USING (COVERING )?INDEX videos_region_time/
    );
    const groups = data.db
      .prepare(
        'SELECT region_code, count(*) AS n, sum(like_count) AS likes FROM videos GROUP BY region_code ORDER BY n DESC LIMIT 3'
      )
      .all() as {
      region_code: string;
      n: number;
      likes: number;
    }[];
    const cache = new DominanceCache(data);
    for (let i = 0; i < 4; i++) {
      for (const group of groups) {
        cache.contributions(
          'like_count',
          ['region_code'],
          [group.region_code],
          2,
          500
        );
      }
    }
    expect(cache.lookups).toBe(3);
    const table = [
      'region_code,videos,sum_like_count',
      ...groups.map(group => `${group.region_code},${group.n},${group.likes}`)
    ].join('\n');
    const capped = await review(
      { 'likes.csv': `${table}\n` },
      { config: { maxDominanceLookups: 1 } }
    );
    const unchecked = capped.findings.find(finding =>
      /were not checked/.test(finding.message)
    )!;
    expect(unchecked).toMatchObject({
      rule: 'dominance',
      severity: 'manual',
      location: 'column 3 (sum_like_count): row 2; row 3'
    });
  });

  it('lets the event loop run while it reads a large output', async () => {
    const lines = Array.from(
      { length: 120_000 },
      // Words that repeat: a token distinct per line would be a key (key_lines).
      (_, i) => `w${(i * 7919) % 1009} x${i % 997} some words here`
    ).join('\n');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    // (The per-rule budget is not what this tests: a loaded machine must not turn it into a rule_error.)
    const verdict = await review(
      { 'big.txt': `${lines}\n` },
      { recordsRead: 1_000_000, config: { ruleBudgetMs: 120_000 } }
    );
    clearInterval(timer);
    expect(verdict.decision).toBe('approved');
    expect(ticks).toBeGreaterThan(3);
  });

  it('reads a very long line in overlapping pieces and still finds what straddles a cut', async () => {
    const filler = (count: number) => 'word '.repeat(count);
    const found = await eachAlone({
      'id.txt': `${filler(6553)}x ${videoId} ${filler(10_000)}\n`,
      'quote.json': JSON.stringify({
        text: `${filler(6550)}${video.video_description} ${filler(10_000)}`
      }),
      'encoded.txt': `${filler(6540)}${Buffer.from(video.video_description).toString('base64')} ${filler(10_000)}\n`
    });
    expect(found).toEqual({
      'id.txt': ['fail:identifier_value'],
      'quote.json': ['fail:verbatim_text'],
      'encoded.txt': ['fail:verbatim_text']
    });
  });
});
