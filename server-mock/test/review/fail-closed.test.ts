import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  buildDisclosureIndex,
  DEFAULT_REVIEW_CONFIG,
  reviewOutputs,
  type ReviewConfig,
  type TableHistory,
  type Verdict
} from '../../src/review';
import { readText } from '../../src/review/documents';
import { guarded } from '../../src/review/guard';
import { Pacer } from '../../src/review/pacer';
import * as tables from '../../src/review/rules/tables';
import { namesStatistic } from '../../src/review/rules/statistic-labels';
import { jobTestData } from '../helpers/jobs-helpers';

/**
 * Fail closed (rule_error, unclassified), statistics that are not counts, and
 * differencing within a job and against a client's earlier tables.
 */

const data = jobTestData();
let index: Awaited<ReturnType<typeof buildDisclosureIndex>>;
let dir: string;

beforeAll(async () => {
  index = await buildDisclosureIndex(data);
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vce-review-fc-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  jest.restoreAllMocks();
});

async function review(
  files: Record<string, string | Buffer>,
  options: {
    stdout?: string;
    config?: Partial<ReviewConfig>;
    history?: TableHistory;
  } = {}
): Promise<Verdict> {
  const outputDir = join(dir, 'output');
  rmSync(outputDir, { recursive: true, force: true });
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
    recordsRead: 3000,
    index,
    config: { ...DEFAULT_REVIEW_CONFIG, ...options.config },
    history: options.history
  });
}

const rules = (verdict: Verdict) =>
  verdict.findings.map(
    finding => `${finding.severity}:${finding.rule}:${finding.file}`
  );

describe('fail closed', () => {
  it('turns a rule that throws into a rule_error for a reviewer, and the review goes on', async () => {
    jest.spyOn(tables, 'smallCounts').mockImplementation(() => {
      throw new Error('boom: 7100000000046266');
    });
    const verdict = await review({ 'by_region.csv': 'region,videos\nAR,40\n' });
    expect(verdict.decision).toBe('manual_review');
    expect(rules(verdict)).toEqual(['manual:rule_error:by_region.csv']);
    expect(verdict.findings[0].location).toBeNull();
    expect(verdict.findings[0].message).toMatch(/its check "tables"/);
    // The error's text is never shown (it can quote the output).
    expect(verdict.findings[0].message).not.toMatch(/boom|7100/);
    expect(verdict.files.map(file => file.name)).toEqual(['by_region.csv']);
  });

  it('stops a pacing rule past its budget and sends the file to a reviewer', async () => {
    const pacer = new Pacer(1);
    const findings = await guarded(
      'identifiers',
      'a.txt',
      { ruleBudgetMs: 20 },
      pacer,
      async () => {
        for (;;) {
          await pacer.tick();
        }
      }
    );
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'rule_error',
        severity: 'manual',
        file: 'a.txt',
        location: null
      })
    ]);
    expect(findings[0].message).toMatch(/ran out of its 20 ms/);
    expect(pacer.deadline).toBeNull();
    // A rule that does not pause but overruns keeps its findings, plus a rule_error.
    const slow = await guarded(
      'models',
      'b.txt',
      { ruleBudgetMs: 5 },
      pacer,
      () => {
        const until = Date.now() + 15;
        while (Date.now() < until) {
          // busy
        }
        return [
          {
            rule: 'residual_dof',
            severity: 'fail',
            file: 'b.txt',
            location: null,
            message: 'x'
          }
        ];
      }
    );
    expect(slow.map(finding => finding.rule)).toEqual([
      'residual_dof',
      'rule_error'
    ]);
  });

  it('sends text no rule can classify to a reviewer with the reason', async () => {
    const token = 'QmFzZTY0'.repeat(40);
    const cases: Record<string, string> = {
      'blob.txt': `summary\n${token}\n`,
      'ctl.log': 'count\x01\x02\x03 of things\n',
      'symbols.md': `${'\u2603\u2604\u2622\u2623 '.repeat(60)}\n`,
      'zw.txt': `a${'\u200b\u200c'.repeat(80)} b\n`,
      'deep.json': `${'{"a":'.repeat(14)}1${'}'.repeat(14)}`,
      'ragged.csv': 'region,videos\nAR,40\nBR,50,extra\n',
      'short.csv': `a,b,c\n${'1,2\n'.repeat(5)}`,
      'cell.csv': `region,note\nAR,${token}\n`
    };
    for (const [name, content] of Object.entries(cases)) {
      const verdict = await review({ [name]: content });
      expect(rules(verdict)).toContain(`manual:unclassified:${name}`);
      expect(verdict.decision).not.toBe('approved');
      const finding = verdict.findings.find(f => f.rule === 'unclassified')!;
      expect(finding.message).not.toContain('QmFz');
    }
    const log = await review({}, { stdout: `progress\n${token}\n` });
    expect(rules(log)).toContain('manual:unclassified:stdout.txt');
  });

  it('names a line of megabytes without a space as unclassified and high-entropy, not as an error of those rules', async () => {
    // Regexps over a run this long overflowed their stack: the rules that must
    // name such a run failed instead (rule_error), saying nothing of it.
    let seed = 11;
    const alphabet =
      'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const blob = Array.from({ length: 15_000_000 }, () => {
      seed = (seed * 48271) % 2147483647;
      return alphabet[seed % 64];
    }).join('');
    const verdict = await review({ 'blob.txt': blob });
    expect(verdict.decision).toBe('manual_review');
    expect(rules(verdict)).toEqual(
      expect.arrayContaining([
        'manual:unclassified:blob.txt',
        'manual:high_entropy:blob.txt'
      ])
    );
    const errors = verdict.findings.filter(f => f.rule === 'rule_error');
    expect(errors.map(f => f.location)).not.toContain('unclassified');
    expect(errors.map(f => f.location)).not.toContain('high_entropy');
  }, 60_000);

  it('approves honest text: prose, markdown, JSON summaries, text bar charts, coloured progress', async () => {
    const verdict = await review(
      {
        'report.md': [
          '# Videos by region',
          '',
          'We counted videos by region over all public data; regions with fewer than ten are suppressed.',
          '',
          '| region | videos |',
          '|---|---|',
          '| AR | 40 |',
          '| BR | 55 |',
          '',
          '---------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------',
          'Median hashtags per video: 2'
        ].join('\n'),
        'chart.txt': [
          `AR | ${'#'.repeat(240)} 4000`,
          `BR | ${'\u2588'.repeat(230)} 3900`,
          `CA | ${'\u2588'.repeat(100)}\u258c 1500`
        ].join('\n'),
        'correlations.csv':
          'variable,r_likes,r_views\nlikes,1.0,0.5\nviews,0.5,1.0\nn = 3000 videos\n',
        'summary.json': JSON.stringify(
          {
            by_region: {
              AR: { videos: 40, mean_likes: 3.5 },
              BR: { videos: 55, mean_likes: 2.1 }
            },
            note: 'means by region, ±0.1 °C × 2 → ok ✓'
          },
          null,
          2
        )
      },
      {
        stdout:
          '\x1b[32mdone\x1b[0m 100% \u2588\u2588\u2588\u2588\u2588\u2588 3000/3000\r\n'
      }
    );
    expect(verdict.findings).toEqual([]);
    expect(verdict.decision).toBe('approved');
  });

  it('keeps disallowed types and binary rejected as file_type', async () => {
    const verdict = await review({
      'a.parquet': 'x',
      'b.txt': Buffer.from([0x41, 0x00, 0x42])
    });
    expect(rules(verdict)).toEqual([
      'fail:file_type:a.parquet',
      'fail:file_type:b.txt'
    ]);
  });
});

describe('statistics are not counts', () => {
  it('knows labels that name a statistic', () => {
    for (const label of [
      'median hashtags per video',
      'mean likes',
      'average views',
      'p90 views',
      'R-squared',
      'r2',
      'std of comments',
      'sd',
      'variance of likes',
      'share of videos',
      'like rate',
      'comments per video',
      'coefficient',
      'q3 likes'
    ]) {
      expect([label, namesStatistic(label)]).toEqual([label, true]);
    }
    for (const label of [
      'AR',
      'videos',
      'regions written',
      'shares',
      'share_count',
      'US videos'
    ]) {
      expect([label, namesStatistic(label)]).toEqual([label, false]);
    }
  });

  it('reads labelled statistics as statistics, and labelled small counts still as counts', async () => {
    const statistics = [
      'median hashtags per video: 2',
      'mean likes: 3',
      'p90 views = 7',
      'R-squared: 0',
      'std of comments: 4',
      'videos read: 3000'
    ].join('\n');
    expect(readText(statistics).tables[0].rows).toEqual([
      ['videos read', '3000']
    ]);
    const verdict = await review(
      { 'stats.txt': statistics },
      { stdout: statistics }
    );
    expect(verdict.findings).toEqual([]);
    const json = await review({
      'stats.json': JSON.stringify({
        median_likes: 2,
        mean_views: 3,
        videos: 3000,
        regions: 25
      })
    });
    expect(json.findings).toEqual([]);
    const csv = await review({
      'stats.csv':
        'region,videos,median_hashtags,likes_per_video\nAR,40,2,3\nBR,55,1,4\n'
    });
    expect(csv.findings).toEqual([]);
    const small = await review({
      'counts.txt': 'AR videos: 3\nBR videos: 40\n'
    });
    expect(rules(small)).toEqual(['manual:small_count:counts.txt']);
  });
});

describe('differencing', () => {
  const table = (rows: [string, number][]) =>
    ['region,videos', ...rows.map(([region, n]) => `${region},${n}`)].join(
      '\n'
    ) + '\n';
  const all: [string, number][] = [
    ['AR', 40],
    ['BR', 55],
    ['CA', 61],
    ['DE', 33]
  ];
  const minusOne: [string, number][] = all.map(([region, n]) => [
    region,
    region === 'BR' ? n - 1 : n
  ]);

  it('sends two outputs of one table that differ by a few records to a reviewer', async () => {
    const verdict = await review({
      'all.csv': table(all),
      'without_one.csv': table(minusOne)
    });
    expect(rules(verdict)).toEqual(['manual:differencing:all.csv']);
    expect(verdict.findings[0].message).toMatch(
      /all\.csv and without_one\.csv: two outputs of this job hold the same table differing by less than 10 in 1 group/
    );
    // Equal tables, tables differing widely, or in many groups are not differencing.
    expect(
      (await review({ 'a.csv': table(all), 'b.csv': table(all) })).findings
    ).toEqual([]);
    expect(
      (
        await review({
          'a.csv': table(all),
          'b.csv': table(all.map(([r, n]) => [r, n + 20]))
        })
      ).findings
    ).toEqual([]);
    expect(
      (
        await review({
          'a.csv': table(all),
          'b.csv': table(all.map(([r, n]) => [r, n + 1]))
        })
      ).findings
    ).toEqual([]);
    // Other groups: another structure.
    expect(
      (
        await review({
          'a.csv': table(all),
          'b.csv': table([...minusOne, ['FR', 12]])
        })
      ).findings
    ).toEqual([]);
  });

  it('covers pyrqs.outputs files too (the provenance lane)', async () => {
    const outputDir = join(dir, 'output');
    mkdirSync(outputDir, { recursive: true });
    const result = spawnSync(
      process.env.PYTHON || 'python3',
      [
        '-c',
        `from pyrqs import outputs
records = [{"region_code": r, "duration_type": d} for r in ("US", "MX", "FR") for d in ("short", "long") for _ in range(15)]
outputs.write(outputs.crosstab(records, "region_code", "duration_type"), "output/all.csv")
outputs.write(outputs.crosstab(records[1:], "region_code", "duration_type"), "output/all_but_one.csv")
`
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        env: {
          ...process.env,
          PYTHONPATH: resolve(__dirname, '../../python'),
          PYTHONDONTWRITEBYTECODE: '1'
        }
      }
    );
    expect(result.stderr).toBe('');
    const stdoutPath = join(dir, 'stdout.txt');
    writeFileSync(stdoutPath, '');
    const verdict = await reviewOutputs({
      outputDir,
      logs: [{ name: 'stdout.txt', path: stdoutPath }],
      recordsRead: 3000,
      index,
      config: DEFAULT_REVIEW_CONFIG
    });
    expect(rules(verdict)).toEqual(['manual:differencing:all_but_one.csv']);
  });

  it('compares with the tables of the client earlier jobs, naming both jobs', async () => {
    const first = await review({ 'by_region.csv': table(all) });
    expect(first.decision).toBe('approved');
    expect(first.tables).toHaveLength(1);
    const asked: string[][] = [];
    const history: TableHistory = {
      jobId: 'job_second',
      previous: structures => {
        asked.push(structures);
        return first.tables
          .filter(print => structures.includes(print.structure))
          .map(print => ({ ...print, jobId: 'job_first', released: true }));
      }
    };
    const second = await review(
      { 'by_region.csv': table(minusOne) },
      { history }
    );
    expect(asked).toEqual([[first.tables[0].structure]]);
    expect(second.decision).toBe('manual_review');
    expect(rules(second)).toEqual(['manual:differencing:by_region.csv']);
    expect(second.findings[0].message).toBe(
      'by_region.csv: the table of job job_second differs from the one released in job job_first (by_region.csv) by less than 10 in 1 group: the difference singles out records. Release one version of a table, or make the groups that differ larger (merge or suppress them). A reviewer checks it.'
    );
    // The same table again is no differencing.
    expect(
      (await review({ 'by_region.csv': table(all) }, { history })).decision
    ).toBe('approved');
    // A fingerprint keeps no label of the output.
    expect(JSON.stringify(first.tables)).not.toMatch(/AR|BR/);
  });
});
