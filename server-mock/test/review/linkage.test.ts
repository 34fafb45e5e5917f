import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPublicData } from '../../src/data/open';
import type { PublicData } from '../../src/data/schema';
import {
  buildDisclosureIndex,
  DEFAULT_REVIEW_CONFIG,
  reviewOutputs,
  type DisclosureIndex,
  type Verdict
} from '../../src/review';
import { plainLabels, readCsv } from '../../src/review/documents';
import { guarded } from '../../src/review/guard';
import { linkageFindings, spreadRows } from '../../src/review/linkage';
import { columnReadings, readCount } from '../../src/review/linkage/values';
import { foldRuns, oneCellRuns } from '../../src/review/linkage/fold';
import { Pacer } from '../../src/review/pacer';
import { jobTestData } from '../helpers/jobs-helpers';

/**
 * The linkage rule: tables whose rows join back to exactly one record of the
 * data set are refused, whatever their columns are called; aggregates are
 * not. Leaks on the 3,000-video test data through the whole review; honest
 * tables on the default data (seed 1, 100,000 videos), where chance matches
 * are likeliest.
 */

const DEFAULT_DATA_DIR = join(tmpdir(), 'vce-corpus-data');
let defaultData: PublicData | null = null;
/** The platform's default data, generated once into a shared folder (~10 s the first time). */
function platformData(): PublicData {
  defaultData ??= openPublicData({
    dataDir: DEFAULT_DATA_DIR,
    seed: 1,
    videos: 100_000,
    log: () => undefined
  });
  return defaultData;
}

const data = jobTestData();
let index: DisclosureIndex;
let dir: string;

beforeAll(async () => {
  index = await buildDisclosureIndex(data);
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vce-linkage-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function review(
  files: Record<string, string>,
  stdout?: string
): Promise<Verdict> {
  const outputDir = join(dir, 'output');
  mkdirSync(outputDir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(outputDir, name), content);
  }
  const stdoutPath = join(dir, 'stdout.txt');
  writeFileSync(stdoutPath, stdout ?? '');
  return reviewOutputs({
    outputDir,
    logs: [{ name: 'stdout.txt', path: stdoutPath }],
    recordsRead: 3000,
    index,
    config: DEFAULT_REVIEW_CONFIG
  });
}

const linkage = (verdict: Verdict) =>
  verdict.findings.filter(finding => finding.rule === 'linkage');

interface VideoRow {
  create_time: number;
  region_code: string;
  like_count: number;
  view_count: number;
  share_count: number;
  duration_type: string;
}

/** `count` videos whose counts are all ≥ 10 (no small count for another rule to trip on), spread over the data. */
function videos(source: PublicData, count: number): VideoRow[] {
  return source.db
    .prepare(
      `SELECT create_time, region_code, like_count, view_count, share_count, duration_type FROM videos
       WHERE like_count >= 10 AND view_count >= 10 AND share_count >= 10 AND comment_count >= 10
       ORDER BY (id * 7919) % 10007 LIMIT ?`
    )
    .all(count) as VideoRow[];
}

const iso = (seconds: number) =>
  new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

describe('linkage: row-level data without identifiers is refused', () => {
  it('refuses a CSV of region, exact posting time, likes and views, naming the columns and fields and quoting nothing', async () => {
    const rows = videos(data, 300);
    expect(rows).toHaveLength(300);
    const csv = [
      'region,posted,likes,views',
      ...rows.map(
        row =>
          `${row.region_code},${row.create_time},${row.like_count},${row.view_count}`
      )
    ].join('\n');
    const verdict = await review({ 'per_video.csv': csv });
    expect(verdict.decision).toBe('rejected');
    const [finding] = linkage(verdict);
    expect(finding).toMatchObject({ severity: 'fail', file: 'per_video.csv' });
    expect(finding.message).toMatch(
      /^per_video\.csv: 200 of 200 rows checked each match exactly one video of the data set on column 1 \(region\) as region_code, column 2 \(posted\) as create_time, column 3 \(likes\) as like_count, column 4 \(views\) as view_count\. This is row-level data even without identifiers/
    );
    for (const row of rows.slice(0, 20)) {
      expect(JSON.stringify(verdict.findings)).not.toContain(
        String(row.create_time)
      );
      expect(JSON.stringify(verdict.findings)).not.toContain(
        String(row.view_count)
      );
    }
  });

  it('refuses the same as a markdown table with ISO date-times in a time zone', async () => {
    const rows = videos(data, 300);
    const offset = (seconds: number) =>
      new Date((seconds + 2 * 3600) * 1000)
        .toISOString()
        .replace('T', ' ')
        .replace('.000Z', '+02:00');
    const markdown = [
      '# Videos',
      '',
      '| region | posted | likes | views |',
      '|---|---|---:|---:|',
      ...rows.map(
        row =>
          `| ${row.region_code} | ${offset(row.create_time)} | ${row.like_count.toLocaleString('en-US')} | ${row.view_count} |`
      )
    ].join('\n');
    const verdict = await review({ 'videos.md': markdown });
    expect(verdict.decision).toBe('rejected');
    expect(linkage(verdict)[0]).toMatchObject({
      file: 'videos.md',
      location: expect.stringMatching(
        /^table 1 \(line 3\), .*column 2 \(posted\)/
      )
    });
  });

  it('refuses a JSON array of objects {posted, likes, shares}', async () => {
    const rows = videos(data, 150);
    const json = JSON.stringify(
      rows.map(row => ({
        posted: iso(row.create_time),
        likes: row.like_count,
        shares: row.share_count
      }))
    );
    const verdict = await review({ 'videos.json': json });
    expect(verdict.decision).toBe('rejected');
    expect(linkage(verdict)[0].message).toMatch(
      /as create_time, .* as like_count, .* as share_count\./
    );
  });

  it('refuses comments as (create_time, like_count) and users as (follower_count, following_count, likes_count)', async () => {
    const comments = data.db
      .prepare(
        'SELECT create_time, like_count FROM comments ORDER BY (id * 7919) % 10007 LIMIT 200'
      )
      .all() as { create_time: number; like_count: number }[];
    const users = data.db
      .prepare(
        `SELECT follower_count, following_count, likes_count FROM users
         WHERE follower_count >= 10 AND following_count >= 10 AND likes_count >= 10 LIMIT 60`
      )
      .all() as {
      follower_count: number;
      following_count: number;
      likes_count: number;
    }[];
    expect(users.length).toBeGreaterThanOrEqual(30);
    const verdict = await review({
      'comments.csv': [
        'when,hearts',
        ...comments.map(
          row =>
            `"${new Date(row.create_time * 1000).toUTCString()}",${row.like_count}`
        )
      ].join('\n'),
      'creators.csv': [
        'a,b,c',
        ...users.map(
          row =>
            `${row.follower_count}.0,${row.following_count},${row.likes_count}`
        )
      ].join('\n')
    });
    expect(verdict.decision).toBe('rejected');
    const found = linkage(verdict);
    expect(found.map(finding => finding.file)).toEqual([
      'comments.csv',
      'creators.csv'
    ]);
    expect(found[0].message).toMatch(/exactly one comment .* as create_time/);
    expect(found[1].message).toMatch(
      /exactly one user .* as follower_count, .* as following_count, .* as likes_count\./
    );
  });

  it('refuses times written to the minute with a count: comments as dd.mm.YYYY HH:MM;likes;replies, videos as hashtag, YYYY-mm-ddTHH:MM, likes', async () => {
    const comments = data.db
      .prepare(
        `SELECT create_time, like_count, reply_count FROM comments WHERE like_count >= 10
         ORDER BY (id * 7919) % 10007 LIMIT 200`
      )
      .all() as {
      create_time: number;
      like_count: number;
      reply_count: number;
    }[];
    const minute = (seconds: number) =>
      new Date(seconds * 1000).toISOString().slice(0, 16);
    const dotted = (seconds: number) => {
      const [date, time] = minute(seconds).split('T');
      const [y, m, d] = date.split('-');
      return `${d}.${m}.${y} ${time}`;
    };
    const verdict = await review({
      'comments.txt': comments
        .map(
          row =>
            `${dotted(row.create_time)};${row.like_count};${row.reply_count}`
        )
        .join('\n'),
      'pairs.csv': [
        'hashtag,posted_minute,likes',
        ...videos(data, 200).map(
          (row, index) =>
            `tag${index % 7},${minute(row.create_time)},${row.like_count}`
        )
      ].join('\n')
    });
    expect(verdict.decision).toBe('rejected');
    const found = linkage(verdict);
    expect(found.map(finding => finding.file).sort()).toEqual([
      'comments.txt',
      'pairs.csv'
    ]);
    expect(
      found.find(finding => finding.file === 'comments.txt')!.message
    ).toMatch(/exactly one comment .* as create_time/);
    expect(
      found.find(finding => finding.file === 'pairs.csv')!.message
    ).toMatch(/exactly one video .*column 2 \(posted_minute\) as create_time/);
  });

  it('refuses a chart row per video (60 bins, the one filled bin holding the views), read as one folded column', async () => {
    const rows = videos(data, 200);
    const verdict = await review({
      'bins.csv': [
        [
          'region',
          'likes',
          ...Array.from({ length: 60 }, (_, i) => `b${i}`)
        ].join(','),
        ...rows.map(row => {
          const bins = new Array<string>(60).fill('');
          bins[row.create_time % 60] = String(row.view_count);
          return [row.region_code, row.like_count, ...bins].join(',');
        })
      ].join('\n')
    });
    expect(verdict.decision).toBe('rejected');
    expect(linkage(verdict)[0].message).toMatch(
      /exactly one video .*the value in columns 3-62 as view_count/
    );
  });

  it('refuses records printed as lines: print(posted, likes, views) in the log, tab-separated text in a file', async () => {
    const rows = videos(data, 120);
    const printed = [
      'Videos of the sample:',
      ...rows.map(
        row =>
          `${new Date(row.create_time * 1000).toISOString().replace('T', ' ').replace('.000Z', '')} ${row.like_count} ${row.view_count}`
      ),
      'done'
    ].join('\n');
    const tabbed = rows
      .map(row => `${row.view_count}\t${row.share_count}\t${row.region_code}`)
      .join('\n');
    const verdict = await review({ 'notes.txt': tabbed }, printed);
    expect(verdict.decision).toBe('rejected');
    expect(
      linkage(verdict).map(finding => [finding.file, finding.location])
    ).toEqual([
      [
        'notes.txt',
        'lines of 3 tab-separated fields (line 1 on), column 1, column 2, column 3'
      ],
      [
        'stdout.txt',
        'lines of 3 blank-separated fields (line 2 on), column 1, column 2, column 3'
      ]
    ]);
  });

  it('refuses records written as sentences, key=value log lines and one JSON object per line', async () => {
    const rows = videos(data, 100);
    const when = (seconds: number) =>
      new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
    const sentences = rows
      .map(
        row =>
          `A video from ${row.region_code} posted ${when(row.create_time)} had ${row.view_count} views, ${row.like_count} likes and ${row.share_count} shares.`
      )
      .join('\n');
    const jsonLines = rows
      .map(row =>
        JSON.stringify({
          region_code: row.region_code,
          like_count: row.like_count,
          view_count: row.view_count
        })
      )
      .join('\n');
    const printed = rows
      .map(
        (row, position) =>
          `[${position}] processed region=${row.region_code} t=${row.create_time} likes=${row.like_count}`
      )
      .join('\n');
    const verdict = await review(
      { 'notes.txt': sentences, 'records.txt': jsonLines },
      printed
    );
    expect(verdict.decision).toBe('rejected');
    expect(
      linkage(verdict).map(finding => [finding.file, finding.location])
    ).toEqual([
      [
        'notes.txt',
        'the values of lines of one form (line 1 on), column 1, column 2, column 3, column 4, column 5'
      ],
      [
        'records.txt',
        'the values of lines of one form (line 1 on), column 1, column 2, column 3'
      ],
      [
        'stdout.txt',
        'the values of lines of one form (line 1 on), column 2, column 3, column 4'
      ]
    ]);
  });

  it('refuses a table where only a share of the rows are records, and a top-10 of videos', async () => {
    const rows = videos(data, 40);
    const mixed = [
      'label,a,b',
      ...rows.map((row, position) =>
        position % 4 === 0
          ? `x${position},${row.like_count},${row.view_count}`
          : `x${position},${row.like_count + 1},${row.view_count + 3}`
      )
    ].join('\n');
    const top = [
      'rank,views,likes,duration',
      ...rows
        .slice(0, 10)
        .map(
          (row, position) =>
            `${position + 1},${row.view_count},${row.like_count},${row.duration_type}`
        )
    ].join('\n');
    const verdict = await review({ 'mixed.csv': mixed, 'top.csv': top });
    expect(linkage(verdict).map(finding => finding.file)).toEqual([
      'mixed.csv',
      'top.csv'
    ]);
  });
});

describe('linkage: aggregates are not records', () => {
  /** The linkage findings of a CSV against the default data. */
  async function linked(csv: string): Promise<string[]> {
    const document = await readCsv(csv);
    const source = platformData();
    const findings = await linkageFindings(
      'table.csv',
      document.tables[0],
      source,
      DEFAULT_REVIEW_CONFIG,
      plainLabels,
      new Pacer()
    );
    return findings.map(finding => finding.message);
  }
  const rowsOf = (sql: string) =>
    platformData().db.prepare(sql).raw().all() as (string | number)[][];
  const csvOf = (header: string, rows: (string | number)[][]) =>
    [header, ...rows.map(row => row.join(','))].join('\n');

  it('approves counts, sums and means by region, month, duration class and hashtag', async () => {
    expect(
      await linked(
        csvOf(
          'region_code,videos,likes,views,shares',
          rowsOf(
            'SELECT region_code, count(*), sum(like_count), sum(view_count), sum(share_count) FROM videos GROUP BY 1'
          )
        )
      )
    ).toEqual([]);
    expect(
      await linked(
        csvOf(
          'month,videos,mean_likes,total_comments',
          rowsOf(
            `SELECT strftime('%Y-%m', create_time, 'unixepoch'), count(*), round(avg(like_count), 2), sum(comment_count)
             FROM videos GROUP BY 1`
          )
        )
      )
    ).toEqual([]);
    expect(
      await linked(
        csvOf(
          'week_start,videos,likes',
          rowsOf(
            `SELECT datetime(create_time - (create_time + 259200) % 604800, 'unixepoch'), count(*), sum(like_count)
             FROM videos GROUP BY 1`
          )
        )
      )
    ).toEqual([]);
    expect(
      await linked(
        csvOf(
          'hashtag,videos,comments',
          rowsOf(
            `SELECT hashtag_name, count(*), sum(v.comment_count) FROM video_hashtags h JOIN videos v ON v.id = h.video_id
             GROUP BY 1 ORDER BY 2 DESC LIMIT 100`
          )
        )
      )
    ).toEqual([]);
  });

  it('approves medians, bins and cross-tabs of small and large numbers', async () => {
    const median = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)];
    };
    const groups = new Map<string, { views: number[]; likes: number[] }>();
    for (const [region, type, views, likes] of rowsOf(
      'SELECT region_code, duration_type, view_count, like_count FROM videos'
    )) {
      const key = `${region},${type}`;
      const group = groups.get(key) ?? { views: [], likes: [] };
      group.views.push(views as number);
      group.likes.push(likes as number);
      groups.set(key, group);
    }
    const medians = [...groups.entries()]
      .filter(([, group]) => group.views.length >= 10)
      .map(([key, group]) => [
        key,
        group.views.length,
        median(group.views),
        median(group.likes)
      ]);
    expect(medians.length).toBeGreaterThan(50);
    expect(
      await linked(
        csvOf('region,duration_type,videos,median_views,median_likes', medians)
      )
    ).toEqual([]);
    expect(
      await linked(
        csvOf(
          'likes_from,likes_to,videos',
          rowsOf(
            `SELECT (like_count / 50) * 50, (like_count / 50) * 50 + 49, count(*) FROM videos
             GROUP BY 1 HAVING count(*) >= 10 ORDER BY 1`
          )
        )
      )
    ).toEqual([]);
    expect(
      await linked(
        csvOf(
          'comments,replies,likes_sum,n',
          rowsOf(
            `SELECT length(text) / 10 * 10, reply_count, sum(like_count), count(*) FROM comments
             GROUP BY 1, 2 HAVING count(*) >= 10`
          )
        )
      )
    ).toEqual([]);
    expect(
      await linked(
        csvOf(
          'followers_bin,users,mean_following,total_likes',
          rowsOf(
            `SELECT cast(log(follower_count + 1) * 4 AS INTEGER), count(*), cast(avg(following_count) AS INTEGER), sum(likes_count)
             FROM users GROUP BY 1 HAVING count(*) >= 10`
          )
        )
      )
    ).toEqual([]);
  });
});

describe('linkage values', () => {
  const range: [number, number] = [1_577_836_800, 1_793_491_200];
  const read = (cells: string[]) =>
    columnReadings(cells, range).map(reading => [
      reading.kind,
      cells.map(cell => reading.read(cell))
    ]);

  it('reads exact times in the common notations, zones included, and nothing rounded or out of range', () => {
    const t = 1_704_458_096; // 2024-01-05 12:34:56 UTC
    for (const text of [
      String(t),
      `${t}000`,
      '2024-01-05T12:34:56Z',
      '2024-01-05T12:34:56.000+00:00',
      '2024-01-05 14:34:56+02:00',
      '2024-01-05 07:34:56-0500',
      '2024/01/05 12:34:56',
      '05/01/2024 12:34:56',
      'Fri Jan  5 12:34:56 2024',
      'Fri, 05 Jan 2024 12:34:56 GMT'
    ]) {
      expect([text, read([text])[0]]).toEqual([text, ['time', [t]]]);
    }
    expect(read(['01/13/2024 12:34:56 PM'])[0]).toEqual([
      'time',
      [1_705_149_296]
    ]);
    for (const text of [
      '2024-01-05',
      '2024-01-05T12:34:56.5Z',
      '1999-01-05T12:34:56Z',
      '2024-02-30 12:00:00'
    ]) {
      expect(read([text]).filter(([kind]) => kind === 'time')).toEqual([]);
    }
  });

  it('reads times to the minute as the minute they start, with a span of 60 s', () => {
    const t = 1_704_458_040; // 2024-01-05 12:34 UTC
    for (const text of [
      '2024-01-05T12:34',
      '2024-01-05 14:34+02:00',
      '05.01.2024 12:34',
      '01/13/2024 12:34 PM'
    ]) {
      const [reading] = columnReadings([text], range);
      expect([text, reading.kind, reading.span]).toEqual([text, 'time', 60]);
    }
    expect(read(['2024-01-05T12:34'])[0]).toEqual(['time', [t]]);
    expect(read(['05.01.2024 12:34'])[0]).toEqual(['time', [t]]);
    expect(
      columnReadings(['2024-01-05T12:34:56Z'], range)[0].span
    ).toBeUndefined();
  });

  it('folds a run of columns with one filled cell per row into its value and its place', () => {
    const rows = [
      ['US', '12', '', '7', ''],
      ['GB', '15', '9', '', ''],
      ['DE', '11', '', '', '4']
    ];
    expect(oneCellRuns(rows, 5)).toEqual([[2, 5]]);
    expect(foldRuns(rows, 5, [[2, 5]]).map(row => row.slice(5))).toEqual([
      ['7', '1'],
      ['9', '0'],
      ['4', '2']
    ]);
    // Two filled cells in a row, or a run of two: no fold.
    expect(oneCellRuns([...rows, ['FR', '10', '1', '2', '']], 5)).toEqual([]);
    expect(
      oneCellRuns(
        [
          ['a', '', '1'],
          ['b', '2', '']
        ],
        3
      )
    ).toEqual([]);
  });

  it('reads whole numbers, region codes, duration classes and flags', () => {
    expect(['12', '12.0', '1,234', '1.5', '-3', '1e5'].map(readCount)).toEqual([
      12,
      12,
      1234,
      null,
      null,
      null
    ]);
    expect(read(['us', 'GB'])).toEqual([['region', ['US', 'GB']]]);
    expect(read(['MID', 'short'])).toEqual([['duration', ['mid', 'short']]]);
    expect(read(['1', '0'])).toEqual([
      ['count', [1, 0]],
      ['flag', [1, 0]]
    ]);
    expect(read(['constructor', 'true'])).toEqual([]);
  });

  it('spreads the checked rows over the table', () => {
    expect(spreadRows(5, 10)).toEqual([0, 1, 2, 3, 4]);
    expect(spreadRows(10, 4)).toEqual([0, 2, 5, 7]);
  });
});

describe('linkage: bounded work', () => {
  it('stops at its budget on a table thousands of columns wide (a rule_error for a reviewer)', async () => {
    // Every column a count: each probe row makes a lookup per column and field.
    const width = 3000;
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    const csv = [
      Array.from({ length: width }, (_, column) => `c${column}`).join(','),
      ...Array.from({ length: 40 }, () =>
        Array.from({ length: width }, () => 100 + (next() % 5000)).join(',')
      )
    ].join('\n');
    const document = await readCsv(csv);
    const pacer = new Pacer();
    const started = Date.now();
    const findings = await guarded(
      'linkage',
      'wide.csv',
      { ruleBudgetMs: 100 },
      pacer,
      () =>
        linkageFindings(
          'wide.csv',
          document.tables[0],
          data,
          DEFAULT_REVIEW_CONFIG,
          plainLabels,
          pacer
        )
    );
    // Stopped at a pause past the budget, not let run to its end.
    expect(findings.map(finding => finding.rule)).toEqual(['rule_error']);
    expect(findings[0].message).toContain('ran out of its 100 ms');
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
