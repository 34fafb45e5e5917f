import { createHash } from 'node:crypto';
import type { Verdict } from '../../src/review';
import {
  Categories,
  exactTime,
  numberedNames,
  numericGrid,
  shapeOf
} from '../../src/review/categories';
import { templateOf } from '../../src/review/templates';
import { REGION_CODES } from '../../src/data/vocabulary';
import { jobTestData } from '../helpers/jobs-helpers';
import { outputReviewer } from '../helpers/review-helpers';

/**
 * Key columns and key lines (rules/key-values.ts) and folders of same-shaped
 * files read as one table (collection.ts), on outputs written to a temporary
 * folder and reviewed against the 3,000-video test data set.
 */

const data = jobTestData();
const { review } = outputReviewer('keys');

const keyRules = (verdict: Verdict) =>
  verdict.findings.filter(finding => finding.rule.startsWith('key_'));

interface Video {
  id: number;
  region_code: string;
  create_time: number;
  like_count: number;
  view_count: number;
  comment_count: number;
  music_id: number;
}
const videos = data.db
  .prepare(
    'SELECT id, region_code, create_time, like_count, view_count, comment_count, music_id FROM videos ORDER BY id LIMIT 200'
  )
  .all() as Video[];

/** Random-looking but repeatable. */
function token(seed: number, length = 10): string {
  return createHash('sha1')
    .update(String(seed))
    .digest()
    .reduce((text, byte) => text + (byte % 36).toString(36), '')
    .slice(0, length);
}
const csv = (header: string, rows: (string | number)[][]) =>
  [header, ...rows.map(row => row.join(','))].join('\n') + '\n';
const iso = (seconds: number) =>
  new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 19);

describe('key columns: row-level data by its shape', () => {
  it('rejects a column of SHA-256 hashes of ids, naming the file and column without quoting values', async () => {
    const verdict = await review({
      'hashed.csv': csv(
        'region_code,key,videos',
        videos.map(video => [
          video.region_code,
          createHash('sha256').update(String(video.id)).digest('hex'),
          12
        ])
      )
    });
    expect(verdict.decision).toBe('rejected');
    const [finding] = keyRules(verdict);
    expect(finding).toMatchObject({
      rule: 'key_column',
      severity: 'fail',
      file: 'hashed.csv',
      location: 'column 2 (key)',
      column: 'column 2 (key)'
    });
    expect(finding.message).toMatch(/200 distinct values in 200 rows/);
    expect(finding.message).toMatch(/at least 50 values, 90% of them distinct/);
    expect(finding.message).toMatch(/drop the key column/i);
    expect(finding.message).not.toMatch(/[0-9a-f]{12}/);
  });

  it('rejects random-looking base-36 tokens', async () => {
    const verdict = await review({
      'tokens.csv': csv(
        'token,views',
        videos.map((video, i) => [token(i), 15])
      )
    });
    expect(verdict.decision).toBe('rejected');
    expect(keyRules(verdict).map(finding => finding.location)).toEqual([
      'column 1 (token)'
    ]);
  });

  it('rejects exact posting times per row, as date-times or epoch seconds', async () => {
    const asText = await review({
      'times.csv': csv(
        'region_code,posted',
        videos.map(video => [video.region_code, iso(video.create_time)])
      )
    });
    expect(asText.decision).toBe('rejected');
    expect(keyRules(asText)[0].message).toMatch(/exact times/);
    const asEpoch = await review({
      'epoch.json': JSON.stringify(
        videos.map(video => ({ t: video.create_time, n: 20 }))
      )
    });
    expect(asEpoch.decision).toBe('rejected');
    expect(keyRules(asEpoch)[0]).toMatchObject({
      rule: 'key_column',
      location: '(top level), column 1 (t)'
    });
  });

  it('rejects exact counts per record: a measure the labels do not group, and two measures side by side', async () => {
    const byRegion = await review({
      'views.csv': csv(
        'region_code,views',
        videos.map(video => [video.region_code, video.view_count])
      )
    });
    expect(keyRules(byRegion).map(finding => finding.message)).toEqual([
      expect.stringMatching(/do not make each row a group/)
    ]);
    const bare = await review({
      'pairs.csv': csv(
        'likes,views',
        videos.map(video => [video.like_count, video.view_count])
      )
    });
    expect(bare.decision).toBe('rejected');
    expect(keyRules(bare)[0]).toMatchObject({
      location: 'column 1 (likes) and column 2 (views)',
      column: null
    });
  });

  it('rejects texts of several fields whose fields are a key (a region and an exact time in one cell)', async () => {
    const verdict = await review({
      'joined.csv': csv(
        'what,videos',
        videos.map(video => [
          `${video.region_code} ${iso(video.create_time)}`,
          11
        ])
      )
    });
    expect(verdict.decision).toBe('rejected');
    expect(keyRules(verdict).map(finding => finding.location)).toEqual([
      'column 1 (what)'
    ]);
  });

  it('rejects a JSON object keyed by per-record tokens and a list of them', async () => {
    const verdict = await review({
      'keyed.json': JSON.stringify({
        by_video: Object.fromEntries(
          videos.map((video, i) => [token(i), { region: video.region_code }])
        ),
        list: videos.map((video, i) => token(i + 1000))
      })
    });
    expect(verdict.decision).toBe('rejected');
    expect(keyRules(verdict).map(finding => finding.location)).toEqual([
      'by_video, keys',
      'list, items'
    ]);
  });
});

describe('key lines and folders of same-shaped files', () => {
  it('rejects 200 log lines "rec <token> <float>" naming the lines and field', async () => {
    const stdout = videos
      .map((video, i) => `rec ${token(i)} ${(video.like_count / 7).toFixed(6)}`)
      .join('\n');
    const verdict = await review({}, { stdout: `reading\n${stdout}\ndone\n` });
    expect(verdict.decision).toBe('rejected');
    expect(keyRules(verdict)).toEqual([
      expect.objectContaining({
        rule: 'key_lines',
        file: 'stdout.txt',
        location: 'lines 2–201 (200 lines of one pattern), field 2',
        column: null
      })
    ]);
  });

  it('rejects 200 JSON files, one per video, as one table', async () => {
    const files = Object.fromEntries(
      videos.map((video, i) => [
        `per_video/v${String(i).padStart(3, '0')}.json`,
        JSON.stringify({
          region: video.region_code,
          posted: video.create_time,
          likes: video.like_count,
          views: video.view_count
        })
      ])
    );
    const verdict = await review(files);
    expect(verdict.decision).toBe('rejected');
    const found = keyRules(verdict);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0].file).toBe('per_video/ (200 files as one table)');
  });

  it('rejects one text file per record in sibling folders', async () => {
    const files = Object.fromEntries(
      videos
        .slice(0, 150)
        .map((video, i) => [
          `records/r${i}/info.txt`,
          `key: ${token(i)}\nviews: ${video.view_count}\n`
        ])
    );
    const verdict = await review(files);
    expect(verdict.decision).toBe('rejected');
    expect(keyRules(verdict).map(finding => finding.file)).toContain(
      'records/*/info.txt (150 files as one table)'
    );
  });

  it('rejects one single-row CSV per record', async () => {
    const files = Object.fromEntries(
      videos
        .slice(0, 100)
        .map((video, i) => [
          `rows/${token(i, 6)}.csv`,
          csv('region_code,posted', [[video.region_code, video.create_time]])
        ])
    );
    const verdict = await review(files);
    expect(verdict.decision).toBe('rejected');
    expect(keyRules(verdict).map(finding => finding.file)).toEqual([
      'rows/ (100 files as one table)',
      'rows/ (100 files as one table)'
    ]);
  });

  it('approves a folder of per-region text reports with small statistics', async () => {
    const files = Object.fromEntries(
      REGION_CODES.slice(0, 8).map((region, i) => [
        `reports/${region}.txt`,
        `Region ${region}\nvideos: ${1000 + i * 17}\nmedian hashtags per video: 2\n`
      ])
    );
    const verdict = await review(files);
    expect(keyRules(verdict)).toEqual([]);
    expect(
      verdict.findings.filter(finding => finding.file.startsWith('reports/ ('))
    ).toEqual([]);
  });

  it("runs neither rule nor the folders' tables when they are turned off (disabledRules)", async () => {
    const stdout = videos.map((video, i) => `rec ${token(i)}`).join('\n');
    const files = Object.fromEntries(
      videos.map((video, i) => [
        `per_video/v${i}.json`,
        JSON.stringify({ key: token(i) })
      ])
    );
    const verdict = await review(files, {
      stdout,
      config: { disabledRules: ['key_column', 'key_lines', 'linkage'] }
    });
    expect(verdict.findings).toEqual([]);
  });

  it('approves a folder of a few per-region summaries', async () => {
    const files = Object.fromEntries(
      ['US', 'GB', 'DE', 'FR', 'BR', 'MX'].map((region, i) => [
        `by_region/${region}.json`,
        JSON.stringify({ region, videos: 100 + i, mean_views: 1234.5 + i })
      ])
    );
    const verdict = await review(files);
    expect(verdict.findings).toEqual([]);
    expect(verdict.decision).toBe('approved');
  });
});

describe('honest aggregates are not keys', () => {
  /** No key finding and nothing failed (means of groups the dominance rule cannot relate go to a reviewer: not this rule's business). */
  const approved = async (
    files: Record<string, string>,
    stdout?: string
  ): Promise<void> => {
    const verdict = await review(files, { stdout });
    expect(keyRules(verdict)).toEqual([]);
    expect(
      verdict.findings.filter(finding => finding.rule !== 'dominance')
    ).toEqual([]);
  };

  it('region × count', () =>
    approved({
      'regions.csv': csv(
        'region_code,videos',
        REGION_CODES.slice(0, 120).map((code, i) => [code, 10 + i * 7])
      )
    }));

  it('60 weekly rows, and 60 weekly lines of text', () =>
    approved(
      {
        'weekly.csv': csv(
          'week,videos,mean_views',
          Array.from({ length: 60 }, (_, i) => [
            `${2023 + Math.floor(i / 52)}-W${String((i % 52) + 1).padStart(2, '0')}`,
            100 + i * 13,
            (5000 + i * 37.123456).toFixed(4)
          ])
        )
      },
      Array.from(
        { length: 60 },
        (_, i) =>
          `${2023 + Math.floor(i / 52)}-W${String((i % 52) + 1).padStart(2, '0')}: ${1200 + i * 11} videos`
      ).join('\n')
    ));

  it('hashtags with counts of 10 or more', () => {
    const tags = data.db
      .prepare(
        'SELECT hashtag_name AS tag, count(*) AS n FROM video_hashtags GROUP BY 1 HAVING n >= 10 ORDER BY n DESC LIMIT 100'
      )
      .all() as { tag: string; n: number }[];
    expect(tags.length).toBeGreaterThanOrEqual(50);
    return approved({
      'hashtags.csv': csv(
        'hashtag,videos',
        tags.map(row => [`#${row.tag}`, row.n])
      )
    });
  });

  it('the top 60 music ids by count (a threshold of 2 here: the test data has 33 with 10 or more)', async () => {
    const music = data.db
      .prepare(
        'SELECT music_id AS m, count(*) AS n FROM videos GROUP BY 1 HAVING n >= 2 ORDER BY n DESC LIMIT 60'
      )
      .safeIntegers()
      .all() as { m: bigint; n: bigint }[];
    expect(music.length).toBe(60);
    const verdict = await review(
      {
        'music.csv': csv(
          'music_id,videos',
          music.map(row => [String(row.m), String(row.n)])
        )
      },
      { config: { threshold: 2 } }
    );
    expect(verdict.findings).toEqual([]);
  });

  it('duration bins, per-hour means by duration type, quantiles', () =>
    approved({
      'bins.csv': csv(
        'duration,videos',
        Array.from({ length: 60 }, (_, i) => [
          `${i * 15}-${i * 15 + 14}`,
          20 + ((i * 37) % 400)
        ])
      ),
      'hours.csv': csv(
        'hour,duration_type,mean_comment_likes',
        Array.from({ length: 96 }, (_, i) => [
          i % 24,
          ['short', 'mid', 'long', 'extra_long'][Math.floor(i / 24)],
          (3 + Math.sin(i) * 2).toFixed(6)
        ])
      ),
      'quantiles.csv': csv(
        'p,views',
        Array.from({ length: 99 }, (_, i) => [
          ((i + 1) / 100).toFixed(2),
          Math.round(100 * 1.07 ** i)
        ])
      ),
      'per_second.json': JSON.stringify(
        Array.from({ length: 70 }, (_, i) => ({
          duration_s: i + 3,
          mean_views: 1000.5 + i * 17.37
        })),
        null,
        1
      )
    }));

  it('sentences in a JSON list, and means by region and duration bin edge', () => {
    const sentences = Array.from(
      { length: 60 },
      (_, i) =>
        `Finding ${i + 1}: videos in group ${String.fromCharCode(65 + (i % 26))} drew ${10 + i}% more comments than ${['the average', 'shorter ones', 'last year'][i % 3]}.`
    );
    return approved({
      'notes.json': JSON.stringify({ findings: sentences }),
      'means.csv': csv(
        'region_code,duration_bin,mean_views',
        REGION_CODES.slice(0, 20).flatMap((code, i) =>
          [0, 15, 60, 300].map((from, j) => [
            code,
            from,
            (1000 + i * 31.7 + j * 3.3).toFixed(2)
          ])
        )
      )
    });
  });

  it('a text bar chart per region, a prose report, and a time-stamped log', () => {
    const chart = REGION_CODES.slice(0, 70)
      .map(
        (code, i) =>
          `${code.padEnd(4)}| ${'#'.repeat(1 + ((i * 7) % 40))} ${100 + i * 9}`
      )
      .join('\n');
    const words =
      'the videos in this sample were posted mostly in the evening and most of them used at least one popular hashtag while longer videos drew more comments per view'.split(
        ' '
      );
    const prose = Array.from({ length: 80 }, (_, i) => {
      const length = 5 + ((i * 7) % 17);
      const sentence = Array.from(
        { length },
        (_, j) => words[(i * 3 + j * 5) % words.length]
      ).join(' ');
      return i % 3 === 0
        ? `${sentence}, with a median of ${i % 9} hashtags.`
        : `${sentence}.`;
    }).join('\n');
    const now = Date.now();
    const log = Array.from({ length: 60 }, (_, i) => {
      const at = new Date(now - (60 - i) * 1500).toISOString();
      return `${at.slice(0, 10)} ${at.slice(11, 19)},${at.slice(20, 23)} INFO fetched page ${i + 1} (${(i + 1) * 100} videos so far)`;
    }).join('\n');
    return approved({ 'chart.txt': chart, 'report.md': prose }, log);
  });
});

describe('categories and templates', () => {
  it('reads shapes of categories', () => {
    const category = (text: string) => shapeOf(text).kind;
    for (const text of [
      'US',
      'extra_long',
      '2024-W03',
      '2024-01',
      '2024-Q1',
      'Q1 2024',
      '2024-01-03',
      '2024-01-03 13:00',
      '2024-01-03T13:00:00Z',
      '13:00',
      'Monday',
      '[0,10)',
      '<10',
      '>= 1000',
      '1000+',
      '12%',
      '#####',
      'US / 2024-W03',
      '1704067200'
    ]) {
      expect([text, category(text)]).toEqual([text, 'category']);
    }
    expect(category('100-199')).toBe('range');
    expect(category('topic 12')).toBe('enumerated');
    expect(category('2024-01-03 13:47:12')).toBe('other');
    expect(category('1704067211')).toBe('number');
    expect(exactTime('1704067211.25')).toBe(1704067211.25);
    expect(exactTime('1704067200')).toBeNull();
    expect(category('k3j9x0a1qz')).toBe('other');
  });

  it('takes small whole numbers as categories only as a filled grid, ranges only when they do not overlap', () => {
    expect(numericGrid(Array.from({ length: 24 }, (_, i) => String(i)))).toBe(
      true
    );
    expect(
      numericGrid(Array.from({ length: 60 }, (_, i) => String(i * 100)))
    ).toBe(true);
    expect(numericGrid(videos.map(video => String(video.like_count)))).toBe(
      false
    );
    // Bin edges lo + i * width printed with 4 decimals: steps differ by one unit of rounding.
    const lo = 0.30103;
    const width = (5.6 - lo) / 100;
    const edges = Array.from({ length: 101 }, (_, i) =>
      String(Math.round((lo + i * width) * 1e4) / 1e4)
    );
    expect(numericGrid(edges)).toBe(true);
    // Record values with 4 decimals are scattered, not on a grid.
    expect(
      numericGrid(
        videos.map(video =>
          String(Math.round(Math.log10(video.like_count + 2) * 1e4) / 1e4)
        )
      )
    ).toBe(false);
    // A step of a few units would fit anything within one unit: not a grid.
    expect(numericGrid(['0.0001', '0.0004', '0.0006', '0.0009'])).toBe(false);
    const categories = new Categories(data);
    expect(
      categories.share(
        Array.from({ length: 60 }, (_, i) => `${i * 10}-${i * 10 + 9}`)
      )
    ).toBe(1);
    expect(
      categories.share(
        videos.map(video => `${video.like_count}-${video.view_count}`)
      )
    ).toBeLessThan(0.5);
    expect(categories.share(videos.map(video => String(video.music_id)))).toBe(
      1
    );
  });

  it("masks a line's fields, keeping date-times and times whole", () => {
    expect(
      templateOf('2026-12-06 17:55:23,123 INFO fetched 100 (p=3)')
    ).toEqual({
      template: '\u0000 \u0000 \u0000 \u0000 (\u0000=\u0000)',
      fields: ['2026-12-06 17:55:23,123', 'INFO', 'fetched', '100', 'p', '3']
    });
    expect(templateOf('03.01.2024 13:47;12;0').fields).toEqual([
      '03.01.2024 13:47',
      '12',
      '0'
    ]);
    expect(templateOf('2024-W05: 1234 videos').fields).toEqual([
      '2024-W05',
      '1234',
      'videos'
    ]);
  });
});

describe('numbered names', () => {
  it('counts names identical but for one number on a filled grid, and nothing else', () => {
    const names = Array.from(
      { length: 80 },
      (_, i) => `sales_report_2024_region_${i}_final`
    );
    expect(numberedNames(names)).toBe(80);
    const scattered = Array.from(
      { length: 80 },
      (_, i) => `rec_${(i * i * 7919 + 13) % 1000003}_x`
    );
    expect(numberedNames(scattered)).toBe(0);
    expect(numberedNames(['a_1_b_2', 'a_2_b_3', 'a_3_b_4'])).toBe(0);
  });
});
