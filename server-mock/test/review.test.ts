import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildDisclosureIndex, DEFAULT_REVIEW_CONFIG, reviewOutputs, type ReviewConfig, type Verdict } from '../src/review';
import { readJson } from '../src/review/documents';
import { countColumns } from '../src/review/rules';
import { jobTestData } from './jobs-helpers';

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

async function review(files: Record<string, string | Buffer>, options: { recordsRead?: number; stdout?: string; config?: Partial<ReviewConfig> } = {}): Promise<Verdict> {
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

const rules = (verdict: Verdict) => verdict.findings.map(finding => `${finding.severity}:${finding.rule}:${finding.file}`);
const one = <T>(rows: T[]) => rows[0];
const video = one(data.db.prepare('SELECT id, username, display_name, video_description, region_code FROM videos WHERE length(video_description) > 60 LIMIT 1').all()) as {
  id: number;
  username: string;
  display_name: string;
  video_description: string;
};
const twoWordName = (one(data.db.prepare("SELECT display_name FROM users WHERE display_name LIKE '% %' LIMIT 1").all()) as { display_name: string }).display_name;

describe('the output review', () => {
  it('approves an aggregate over the threshold and lists each file with its SHA-256', async () => {
    const verdict = await review({ 'by_region.csv': 'region_code,videos\nUS,120\nMX,45\n', 'notes.md': '# Method\nCounted videos by region.\n' });
    expect(verdict.decision).toBe('approved');
    expect(verdict.findings).toEqual([]);
    expect(verdict.files.map(file => [file.name, file.kind, file.sha256.length])).toEqual([
      ['by_region.csv', 'csv', 64],
      ['notes.md', 'md', 64]
    ]);
  });

  it('refuses counts under the threshold, naming the column and rows, and sends zeros to a reviewer', async () => {
    const verdict = await review({ 't.csv': 'region_code,count\nUS,120\nMX,3\nFR,0\n' });
    expect(verdict.decision).toBe('rejected');
    const small = verdict.findings.find(finding => finding.rule === 'small_count')!;
    expect(small).toMatchObject({ severity: 'fail', file: 't.csv', location: 'column count: row 2' });
    expect(small.message).toMatch(/below 10/);
    expect(verdict.findings.find(finding => finding.rule === 'zero_count')).toMatchObject({ severity: 'manual', location: 'column count: row 3' });
  });

  it('takes the threshold from the configuration', async () => {
    expect((await review({ 't.csv': 'region_code,count\nUS,12\n' }, { config: { threshold: 20 } })).decision).toBe('rejected');
    expect((await review({ 't.csv': 'region_code,count\nUS,12\n' }, { config: { threshold: 5 } })).decision).toBe('approved');
  });

  it('accepts suppressed cells', async () => {
    expect((await review({ 't.csv': 'region_code,count\nUS,120\nMX,<10\nFR,\n' })).decision).toBe('approved');
  });

  it('finds the count column of a table of categories by its values when its name says nothing', async () => {
    expect(countColumns({ at: '', header: ['bucket', 'howmany'], rows: [['a', '4'], ['b', '30']] })).toEqual([1]);
    expect(countColumns({ at: '', header: ['bucket', 'share', 'howmany'], rows: [['a', '0.5', '4']] })).toEqual([]);
  });

  it('refuses identifier columns', async () => {
    const verdict = await review({ 'users.csv': 'username,videos\nsomeone,40\n' });
    expect(verdict.findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'identifier_column', file: 'users.csv', location: 'column username' })]));
  });

  it('finds ids, usernames and display names of the data set anywhere, logs included', async () => {
    const verdict = await review(
      { 'summary.json': JSON.stringify({ top: [video.display_name], n: 3000 }), 'notes.txt': `the most active was @${video.username} by far\n` },
      { stdout: `checked ${video.id}\n` }
    );
    expect(verdict.decision).toBe('rejected');
    expect(rules(verdict)).toEqual(
      expect.arrayContaining(['fail:identifier_value:summary.json', 'fail:identifier_value:notes.txt', 'fail:identifier_value:stdout.txt'])
    );
    const json = verdict.findings.find(finding => finding.file === 'summary.json')!;
    expect(json.location).toBe('top[0]');
    expect(json.message).not.toContain(video.display_name);
  });

  it('finds two-word display names in running text, not single first names', async () => {
    expect(rules(await review({ 'a.txt': `A note about ${twoWordName} and others\n` }))).toContain('fail:identifier_value:a.txt');
    expect((await review({ 'a.txt': 'Sofia and Arjun went to the market\n' })).decision).toBe('approved');
  });

  it('decodes base64 and hex to find encoded identifiers', async () => {
    const id = String(video.id);
    const verdict = await review({ 'codes.txt': `${Buffer.from(id).toString('base64')}\n${Buffer.from(video.username).toString('hex')}\n` });
    expect(verdict.findings).toEqual([expect.objectContaining({ rule: 'encoded_identifier', file: 'codes.txt', location: 'line 1; line 2' })]);
  });

  it('refuses verbatim texts of the data set and lets ordinary sentences through', async () => {
    expect(rules(await review({ 'quotes.txt': `People wrote: ${video.video_description}\n` }))).toContain('fail:verbatim_text:quotes.txt');
    rmSync(join(dir, 'output'), { recursive: true, force: true });
    expect((await review({ 'topics.txt': 'topic 1: football match goal team season win league cup final\n' })).decision).toBe('approved');
  });

  it('refuses row-level dumps: rows approaching the records read, in tables and logs', async () => {
    const rows = Array.from({ length: 1600 }, (_, i) => `r${i % 9},${(i % 50) + 10}`).join('\n');
    expect(rules(await review({ 'rows.csv': `bucket,count\n${rows}\n` }))).toContain('fail:row_level_data:rows.csv');
    expect(rules(await review({}, { stdout: 'x\n'.repeat(1600) }))).toContain('fail:row_level_data:stdout.txt');
    // The same table for 100,000 records read is an aggregate.
    expect(rules(await review({ 'rows.csv': `bucket,count\n${rows}\n` }, { recordsRead: 100_000 }))).not.toContain('fail:row_level_data:rows.csv');
  });

  it('refuses tables over 5,000 rows (OpenSAFELY LEVEL4_MAX_CSV_ROWS)', async () => {
    const rows = Array.from({ length: 5001 }, (_, i) => `b${i},${20 + i}`).join('\n');
    expect(rules(await review({ 'big.csv': `bucket,count\n${rows}\n` }, { recordsRead: 1_000_000 }))).toContain('fail:table_rows:big.csv');
  });

  it('checks dominance and p-ratio of sums against the data, and asks a reviewer for subsets', async () => {
    const groups = data.db
      .prepare('SELECT region_code, count(*) AS n, sum(like_count) AS likes, max(like_count) AS top FROM videos GROUP BY region_code HAVING n >= 10 ORDER BY region_code')
      .all() as { region_code: string; n: number; likes: number; top: number }[];
    const table = ['region_code,videos,sum_like_count', ...groups.map(group => `${group.region_code},${group.n},${group.likes}`)].join('\n');
    const verdict = await review({ 'likes.csv': `${table}\n` });
    // Like counts are long-tailed: some regions are dominated by one or two viral videos.
    const dominated = groups.filter(group => group.top / group.likes > 0.45);
    const dominance = verdict.findings.filter(finding => finding.rule === 'dominance' && finding.severity === 'fail');
    const pRatio = verdict.findings.filter(finding => finding.rule === 'p_ratio');
    expect(dominance.length + pRatio.length).toBeGreaterThan(0);
    expect(dominated.length).toBeGreaterThan(0);
    expect(verdict.findings.every(finding => finding.file === 'likes.csv')).toBe(true);
    const subset = await review({ 'likes.csv': `region_code,videos,sum_like_count\n${groups[0].region_code},${groups[0].n - 1},${groups[0].likes - 1}\n` });
    expect(subset.findings).toEqual([expect.objectContaining({ rule: 'dominance', severity: 'manual' })]);
  });

  it('refuses models with fewer than 10 residual degrees of freedom', async () => {
    expect(rules(await review({ 'model.txt': 'OLS Regression Results\nDf Residuals:                       4\n' }))).toContain('fail:residual_dof:model.txt');
    expect((await review({ 'model.txt': 'OLS Regression Results\nDf Residuals:                     2996\n' })).decision).toBe('approved');
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
    const verdict = await review({ 'a.csv': 'region_code,count\nUS,40\n' }, { stdout: 'done: 40 videos\n' });
    expect(verdict.files.map(file => [file.name, file.kind])).toEqual([
      ['a.csv', 'csv'],
      ['logs/stdout.txt', 'log']
    ]);
    rmSync(join(dir, 'output'), { recursive: true, force: true });
    const clash = await review({ 'logs/stdout.txt': 'mine\n' });
    expect(clash.findings).toEqual([expect.objectContaining({ rule: 'file_type', file: 'logs/stdout.txt', severity: 'fail' })]);
  });

  it('sends a figure alone to manual review', async () => {
    expect((await review({ 'plot.png': Buffer.from([0x89, 0x50, 0x4e, 0x47]) })).decision).toBe('manual_review');
  });

  it('reads JSON arrays of records as tables and Counter dumps as tables for a reviewer', async () => {
    rmSync(join(dir, 'output'), { recursive: true, force: true });
    const records = readJson(JSON.stringify([{ region: 'US', n: 4 }, { region: 'MX', n: 40 }]));
    expect(records.tables).toEqual([{ at: '(top level)', header: ['region', 'n'], rows: [['US', '4'], ['MX', '40']] }]);
    expect(rules(await review({ 'a.json': JSON.stringify([{ region: 'US', n: 4 }, { region: 'MX', n: 40 }]) }))).toContain('fail:small_count:a.json');
    rmSync(join(dir, 'output'), { recursive: true, force: true });
    expect((await review({ 'c.json': JSON.stringify({ US: 3, MX: 40, FR: 50 }) })).decision).toBe('manual_review');
    expect([...readJson('{"id": 7100000000046267}').values].map(value => value.text)).toEqual(['id', '7100000000046267']);
  });

  it('names an unreadable file instead of failing', async () => {
    const verdict = await review({ 'broken.json': '{"a": ' });
    expect(verdict.findings).toEqual([expect.objectContaining({ rule: 'file_type', file: 'broken.json', message: expect.stringMatching(/not valid JSON/) })]);
  });
});
