import type { ReviewConfig, Verdict } from '../../src/review';
import { statisticFields } from '../../src/review/dominance';
import { jobTestData } from '../helpers/jobs-helpers';
import { outputReviewer } from '../helpers/review-helpers';

/**
 * Dominance and p-ratio of comment and user measures and of time buckets,
 * checked against the 3,000-video test data (its ~9,000 comments, 150 users).
 */

const data = jobTestData();
const reviewer = outputReviewer('dom');
const review = (
  files: Record<string, string>,
  config: Partial<ReviewConfig> = {}
): Promise<Verdict> => reviewer.review(files, { config, stdout: null });

interface Group {
  g: string | number;
  n: number;
  total: number;
  values: string;
}

/** Groups with their count, total and every contribution (for the expected NK and p-ratio). */
function groups(sql: string): Group[] {
  return data.db.prepare(sql).all() as Group[];
}

/** The rows (1-based) that fail NK (2, 0.9) or p-ratio (0.1), computed here from all contributions. */
function failing(rows: Group[]): { nk: number[]; p: number[] } {
  const nk: number[] = [];
  const p: number[] = [];
  rows.forEach((row, index) => {
    const values = row.values
      .split(',')
      .map(Number)
      .sort((a, b) => b - a);
    const [first = 0, second = 0] = values;
    if (row.total > 0 && (first + second) / row.total > 0.9) nk.push(index + 1);
    if (first > 0 && (row.total - first - second) / first < 0.1)
      p.push(index + 1);
  });
  return { nk, p };
}

/** The failing rows a finding names (the first three) and how many it counts, as [rows, count]. */
const ruleRows = (verdict: Verdict, rule: string) => {
  const finding = verdict.findings.find(
    f => f.rule === rule && f.severity === 'fail'
  );
  return finding
    ? [
        [...(finding.location ?? '').matchAll(/row (\d+)/g)].map(m =>
          Number(m[1])
        ),
        Number(/in (\d+) cell/.exec(finding.message)?.[1])
      ]
    : [[], 0];
};
const shown = (rows: number[]) => [rows.slice(0, 3), rows.length];

describe('dominance of comment and user measures and of time buckets', () => {
  it('reads which field a statistic is of', () => {
    expect(statisticFields('comment_likes')).toEqual([
      ['comments', 'like_count']
    ]);
    expect(statisticFields('likes')).toEqual([
      ['videos', 'like_count'],
      ['comments', 'like_count'],
      ['users', 'likes_count']
    ]);
    expect(statisticFields('user_followers')).toEqual([
      ['users', 'follower_count']
    ]);
    expect(statisticFields('replies')).toEqual([['comments', 'reply_count']]);
    expect(statisticFields('comments')).toEqual([['videos', 'comment_count']]);
  });

  it('approves mean comment likes by hour over all comments when no hour is dominated', async () => {
    const hours = groups(
      `SELECT (create_time % 86400) / 3600 AS g, count(*) AS n, total(like_count) AS total,
              group_concat(like_count) AS "values" FROM comments GROUP BY g ORDER BY g`
    );
    expect(hours).toHaveLength(24);
    expect(failing(hours)).toEqual({ nk: [], p: [] });
    const table = [
      'hour_utc,comments,mean_likes,median_likes',
      ...hours.map(h => `${h.g},${h.n},${(h.total / h.n).toFixed(2)},2.5`)
    ].join('\n');
    const verdict = await review({ 'comment_likes_by_hour.csv': `${table}\n` });
    expect(verdict.findings).toEqual([]);
    expect(verdict.decision).toBe('approved');
    // One hour's mean over a subset: only that cell goes to a reviewer.
    const changed = table.replace(
      /\n3,(\d+),([\d.]+)/,
      (_, n, mean) => `\n3,${n},${(Number(mean) + 1).toFixed(2)}`
    );
    const subset = await review({
      'comment_likes_by_hour.csv': `${changed}\n`
    });
    expect(subset.findings).toEqual([
      expect.objectContaining({
        rule: 'dominance',
        severity: 'manual',
        location: 'column 3 (mean_likes): row 4'
      })
    ]);
  });

  it('fails user sums by region dominated by one or two creators, as the data says', async () => {
    const regions = groups(
      `SELECT region_code AS g, count(*) AS n, total(follower_count) AS total,
              group_concat(follower_count) AS "values" FROM users GROUP BY g HAVING n >= 10 ORDER BY g`
    );
    expect(regions.length).toBeGreaterThan(0);
    const table = [
      'region,users,sum_follower_count',
      ...regions.map(r => `${r.g},${r.n},${r.total}`)
    ].join('\n');
    const verdict = await review({ 'followers.csv': `${table}\n` });
    const expected = failing(regions);
    expect(ruleRows(verdict, 'dominance')).toEqual(shown(expected.nk));
    expect(ruleRows(verdict, 'p_ratio')).toEqual(shown(expected.p));
    expect(
      verdict.findings.filter(finding => finding.severity === 'manual')
    ).toEqual([]);
  });

  it('reads weekdays by name or number and months as year-months, for videos and comments', async () => {
    // Python's weekday(): Monday 0.
    const weekdays = groups(
      `SELECT ((create_time / 86400) + 3) % 7 AS g, count(*) AS n, total(view_count) AS total,
              group_concat(view_count) AS "values" FROM videos GROUP BY g ORDER BY g`
    );
    const names = [
      'Monday',
      'Tuesday',
      'Wednesday',
      'Thursday',
      'Friday',
      'Saturday',
      'Sunday'
    ];
    const byNumber = [
      'weekday,videos,mean_views',
      ...weekdays.map(w => `${w.g},${w.n},${(w.total / w.n).toFixed(1)}`)
    ].join('\n');
    const byName = [
      'day_of_week,videos,sum_view_count',
      ...weekdays.map(w => `${names[Number(w.g)]},${w.n},${w.total}`)
    ].join('\n');
    // isoweekday(): Monday 1.
    const byIso = [
      'weekday,videos,mean_views',
      ...weekdays.map(
        w => `${Number(w.g) + 1},${w.n},${(w.total / w.n).toFixed(1)}`
      )
    ].join('\n');
    const expected = failing(weekdays);
    for (const table of [byNumber, byName, byIso]) {
      const verdict = await review({ 'weekdays.csv': `${table}\n` });
      expect(verdict.findings.filter(f => f.severity === 'manual')).toEqual([]);
      expect(ruleRows(verdict, 'dominance')).toEqual(shown(expected.nk));
      expect(ruleRows(verdict, 'p_ratio')).toEqual(shown(expected.p));
    }
    const months = groups(
      `SELECT strftime('%Y-%m', create_time, 'unixepoch') AS g, count(*) AS n, total(reply_count) AS total,
              group_concat(reply_count) AS "values" FROM comments GROUP BY g ORDER BY g`
    );
    const table = [
      'month,comments,mean_replies',
      ...months.map(m => `${m.g},${m.n},${(m.total / m.n).toFixed(3)}`)
    ].join('\n');
    const verdict = await review({ 'replies.csv': `${table}\n` });
    expect(verdict.findings.filter(f => f.severity === 'manual')).toEqual([]);
    const monthly = failing(months);
    expect(ruleRows(verdict, 'dominance')).toEqual(shown(monthly.nk));
    expect(ruleRows(verdict, 'p_ratio')).toEqual(shown(monthly.p));
  });

  it('sends what it cannot relate to the data, or over its scan cap, to a reviewer', async () => {
    const unrelated = await review({
      'x.csv': 'hour,comments,mean_sentiment\n0,400,0.5\n1,350,0.4\n'
    });
    expect(unrelated.findings).toEqual([
      expect.objectContaining({
        rule: 'dominance',
        severity: 'manual',
        message: expect.stringMatching(/cannot relate/)
      })
    ]);
    // Scans kept from earlier reviews are free: a fresh grouping is over a cap of 0.
    const capped = await review(
      { 'y.csv': 'year,comments,mean_comment_likes\n2021,400,0.5\n' },
      { maxDominanceScans: 0 }
    );
    expect(capped.findings).toEqual([
      expect.objectContaining({
        rule: 'dominance',
        severity: 'manual',
        message: expect.stringMatching(/were not checked/)
      })
    ]);
  });

  it('relates hashtags to videos through video_hashtags: approves when no cell is dominated, fails when one is, as the data says', async () => {
    const tags = groups(
      `SELECT h.hashtag_name AS g, count(*) AS n, total(v.like_count) AS total,
              group_concat(v.like_count) AS "values"
         FROM video_hashtags h JOIN videos v ON v.id = h.video_id
        GROUP BY g HAVING n >= 10 ORDER BY n DESC, g LIMIT 40`
    );
    expect(tags.length).toBeGreaterThan(5);
    const table = [
      'hashtag,videos,mean_likes',
      ...tags.map(t => `${t.g},${t.n},${(t.total / t.n).toFixed(1)}`)
    ].join('\n');
    const verdict = await review({ 'hashtags.csv': `${table}\n` });
    const expected = failing(tags);
    expect(ruleRows(verdict, 'dominance')).toEqual(shown(expected.nk));
    expect(ruleRows(verdict, 'p_ratio')).toEqual(shown(expected.p));
    expect(
      verdict.findings.filter(finding => finding.severity === 'manual')
    ).toEqual([]);
    // Over the lookup cap, the rest goes to a reviewer.
    const capped = await review(
      { 'hashtags.csv': `${table}\n` },
      { maxDominanceLookups: 3 }
    );
    expect(
      capped.findings.some(
        f => f.rule === 'dominance' && f.severity === 'manual'
      )
    ).toBe(true);
  });

  it('reads two edge columns in seconds (from_s, to_s) as bins of video_duration, the last bin open', async () => {
    const bins = groups(
      `SELECT min(video_duration / 10, 9) AS g, count(*) AS n, total(like_count) AS total,
              group_concat(like_count) AS "values" FROM videos GROUP BY g ORDER BY g`
    );
    const table = [
      'from_s,to_s,videos,mean_likes',
      ...bins.map(b =>
        b.n >= 10
          ? `${Number(b.g) * 10},${Number(b.g) * 10 + 10},${b.n},${(b.total / b.n).toFixed(2)}`
          : `${Number(b.g) * 10},${Number(b.g) * 10 + 10},<10,`
      )
    ].join('\n');
    const verdict = await review({ 'duration.csv': `${table}\n` });
    const expected = failing(bins.filter(b => b.n >= 10));
    expect(expected.nk.length + expected.p.length).toBe(0);
    expect(verdict.findings).toEqual([]);
    // A mean that is not the data's goes to a reviewer.
    const changed = table.replace(
      /\n20,30,(\d+),([\d.]+)/,
      (_, n, mean) => `\n20,30,${n},${(Number(mean) + 5).toFixed(2)}`
    );
    const subset = await review({ 'duration.csv': `${changed}\n` });
    expect(subset.findings).toEqual([
      expect.objectContaining({ rule: 'dominance', severity: 'manual' })
    ]);
  });
});
