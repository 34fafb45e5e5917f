/**
 * An identifier finding's count says what it counts (issue 17 item 6: a
 * stdout of exactly 200 lines was said to hold "222 ids": ids split over two
 * lines were counted again where each line held a whole id).
 */
import { jobTestData } from '../helpers/jobs-helpers';
import { outputReviewer } from '../helpers/review-helpers';

const { review } = outputReviewer('identifier-counts');

function videos(count: number): { id: number; like_count: number }[] {
  return jobTestData()
    .db.prepare('SELECT id, like_count FROM videos ORDER BY id LIMIT ?')
    .all(count) as { id: number; like_count: number }[];
}

describe('identifier findings count what they say', () => {
  it('a stdout of 200 lines, each an id and a count, is "200 lines with ids"', async () => {
    const stdout =
      videos(200)
        .map(video => `${video.id} ${video.like_count}`)
        .join('\n') + '\n';
    expect(stdout.trim().split('\n')).toHaveLength(200);
    const verdict = await review({}, { stdout });
    const ids = verdict.findings.filter(
      finding =>
        finding.rule === 'identifier_value' && finding.file === 'stdout.txt'
    );
    expect(ids).toHaveLength(1);
    expect(ids[0].message).toContain(
      'stdout.txt contains 200 lines with ids of the data set (line 1; line 2; line 3; and 197 more)'
    );
  });

  it('says each line once in where it was found (200 lines: 3 shown and 197 more)', async () => {
    const rows = videos(200);
    const stdout =
      rows.map(video => String(video.id)).join('\n') +
      '\n' +
      rows.map(video => `likes=${video.like_count}`).join('\n') +
      '\n';
    const verdict = await review({}, { stdout });
    const ids = verdict.findings.filter(
      finding =>
        finding.rule === 'identifier_value' && finding.file === 'stdout.txt'
    );
    expect(ids[0].location).toBe('line 1; line 2; line 3; and 197 more');
  });

  it('a line with two ids is one line; an id split over two lines counts both lines', async () => {
    const [a, b, c] = videos(3).map(video => String(video.id));
    const stdout = `pair ${a} ${b}\nthe id ${c.slice(0, 8)}\n${c.slice(8)} ends here\n`;
    const verdict = await review({}, { stdout });
    const ids = verdict.findings.filter(
      finding =>
        finding.rule === 'identifier_value' && finding.file === 'stdout.txt'
    );
    expect(ids).toHaveLength(1);
    expect(ids[0].message).toContain(
      'stdout.txt contains 3 lines with ids of the data set'
    );
  });
});
