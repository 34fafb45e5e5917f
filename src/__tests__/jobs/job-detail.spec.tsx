/**
 * A job's detail (issue 17): a failed job's error message and stderr's last
 * lines (or why they are withheld), a test run's verdict that says it is one,
 * findings that do not restate their Where line, and a Where line that fits a
 * narrow panel.
 */
import { act } from 'react';
import { findingMessage, placeParts } from '../../jobs/format';
import type { Job, JobVerdict } from '../../api/types';
import { openJobDetail } from '../helpers/job-detail';
import { makeJob } from '../helpers/jobs-fixtures';

(
  globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
).IS_REACT_ACT_ENVIRONMENT = true;

const cleanups: Array<() => void> = [];
afterEach(async () => {
  await act(async () => cleanups.splice(0).forEach(cleanup => cleanup()));
});

/** The jobs panel with one job's detail open. */
async function detailOf(job: Job): Promise<HTMLElement> {
  const { list } = await openJobDetail(job);
  cleanups.push(() => list.dispose());
  return list.node.querySelector('.jp-vce-Detail') as HTMLElement;
}

const ID_FINDING = {
  rule: 'identifier_value',
  severity: 'fail' as const,
  file: 'stdout.txt',
  location: 'line 1; line 2; line 3; and 197 more',
  message:
    'stdout.txt contains 200 lines with ids of the data set (line 1; line 2; line 3; and 197 more). Identifiers of people, videos or comments may not leave the clean room: output aggregates only.'
};

const rejectedVerdict = (findings: JobVerdict['findings']): JobVerdict => ({
  decision: 'rejected',
  decided_by: 'automatic',
  reviewer_reason: null,
  reviewed_at: new Date(Date.UTC(2026, 10, 25, 9, 6)).toISOString(),
  findings
});

describe("a failed job's error in its detail", () => {
  it('shows the exception type and line, its message and the last lines of stderr', async () => {
    const detail = await detailOf(
      makeJob('job_f', {
        status: 'failed',
        stage: 'test',
        failure: { type: 'ValidationError', line: 4, file: 'raw_ids.py' },
        error_report: {
          message:
            'limit 100001 is not allowed: use an integer from 1 to 100,000 (default 1000).',
          message_withheld: null,
          stderr_tail: [
            'Traceback (most recent call last):',
            '  File "raw_ids.py", line 4, in <module>',
            'pyrqs.errors.ValidationError: limit 100001 is not allowed'
          ],
          stderr_withheld: null
        }
      })
    );
    expect(detail.querySelector('.jp-vce-Detail-reason')?.textContent).toBe(
      'The script raised ValidationError in raw_ids.py, line 4.'
    );
    expect(
      detail.querySelector('.jp-vce-ErrorReport-message')?.textContent
    ).toBe(
      'limit 100001 is not allowed: use an integer from 1 to 100,000 (default 1000).'
    );
    const stderr = detail.querySelector('.jp-vce-ErrorReport-stderr')!;
    expect(stderr.querySelector('summary')?.textContent).toBe(
      'Last 3 lines of stderr'
    );
    expect(stderr.querySelector('pre')?.textContent).toContain(
      'pyrqs.errors.ValidationError: limit 100001 is not allowed'
    );
  });

  it('says a withheld message and stderr are withheld, and why, and shows nothing of them', async () => {
    const detail = await detailOf(
      makeJob('job_w', {
        status: 'failed',
        failure: { type: 'ValueError', line: 4, file: 'leaky_error.py' },
        error_report: {
          message: null,
          message_withheld:
            'withheld: the output review found identifiers of the data set in it',
          stderr_tail: [],
          stderr_withheld:
            'withheld: the output review found identifiers of the data set in it'
        }
      })
    );
    const withheld = [
      ...detail.querySelectorAll('.jp-vce-ErrorReport-withheld')
    ].map(node => node.textContent);
    expect(withheld).toEqual([
      'The error message is withheld: the output review found identifiers of the data set in it.',
      'The last lines of stderr are withheld: the output review found identifiers of the data set in it.'
    ]);
    expect(detail.querySelector('.jp-vce-ErrorReport pre')).toBeNull();
  });

  it('shows no error section for a job without a report', async () => {
    const detail = await detailOf(
      makeJob('job_c', { status: 'cancelled', reason: 'Cancelled.' })
    );
    expect(detail.querySelector('.jp-vce-ErrorReport')).toBeNull();
  });
});

describe("a test run's detail", () => {
  it("says in the verdict's heading that it is a test run", async () => {
    const detail = await detailOf(
      makeJob('job_t', {
        status: 'rejected',
        stage: 'test',
        verdict: rejectedVerdict([ID_FINDING])
      })
    );
    const verdict = detail.querySelector('.jp-vce-Verdict')!;
    expect(verdict.querySelector('h4')?.textContent).toBe(
      'Review of the test run'
    );
    expect(verdict.querySelector('.jp-vce-Verdict-decision')?.textContent).toBe(
      'Test run rejected: the review found 1 problem.'
    );
  });

  it('keeps "Rejected" for a real job', async () => {
    const detail = await detailOf(
      makeJob('job_r', {
        status: 'rejected',
        verdict: rejectedVerdict([ID_FINDING])
      })
    );
    expect(detail.querySelector('.jp-vce-Verdict-decision')?.textContent).toBe(
      'Rejected: the review found 1 problem.'
    );
  });

  it('says once that nothing is released when the reason says so already', async () => {
    const detail = await detailOf(
      makeJob('job_x', {
        status: 'cancelled',
        stage: 'test',
        reason: 'Cancelled while running; nothing was reviewed or released.'
      })
    );
    const status = detail.querySelector('.jp-vce-Detail-status')!.textContent!;
    const reason = detail.querySelector('.jp-vce-Detail-reason')!.textContent!;
    expect(status).toBe('Test run cancelled.');
    expect(`${status} ${reason}`.match(/released/gi)).toHaveLength(1);
  });

  it('says it when the reason does not', async () => {
    const detail = await detailOf(
      makeJob('job_y', {
        status: 'failed',
        stage: 'test',
        failure: { type: 'KeyError', line: 2, file: 'a.py' }
      })
    );
    expect(detail.querySelector('.jp-vce-Detail-status')?.textContent).toBe(
      'Test run: the script stopped with an error. Nothing is released from a test run.'
    );
  });
});

describe('findings and their Where line', () => {
  it('a finding does not restate its Where line', async () => {
    const detail = await detailOf(
      makeJob('job_t', {
        status: 'rejected',
        verdict: rejectedVerdict([ID_FINDING])
      })
    );
    const group = detail.querySelector('.jp-vce-FindingGroup')!;
    expect(group.querySelector('.jp-vce-Finding-place')?.textContent).toBe(
      'Where: stdout.txt, line 1; line 2; line 3; and 197 more'
    );
    const message = group.querySelector(
      '.jp-vce-Finding-message'
    )!.textContent!;
    expect(message).toBe(
      'The file contains 200 lines with ids of the data set. Identifiers of people, videos or comments may not leave the clean room: output aggregates only.'
    );
    expect(message).not.toContain('line 1; line 2');
  });

  it('drops the file and table a linkage message starts with, and the location inside its parentheses', () => {
    expect(
      findingMessage({
        rule: 'linkage',
        severity: 'fail',
        file: 'stdout.txt',
        location:
          'lines 2–201 (a table of lines), column 1 (create_time), column 3 (like_count)',
        message:
          'stdout.txt (lines 2–201 (a table of lines)): 200 of 200 rows checked each match exactly one video of the data set on column 1 as create_time. This is row-level data even without identifiers.'
      })
    ).toBe(
      '200 of 200 rows checked each match exactly one video of the data set on column 1 as create_time. This is row-level data even without identifiers.'
    );
    expect(
      findingMessage({
        rule: 'small_count',
        severity: 'fail',
        file: 'counts.csv',
        location: 'column n, row 3',
        message: 'counts.csv has counts below 10 (threshold; column n, row 3).'
      })
    ).toBe('The file has counts below 10 (threshold).');
  });

  it('cuts a long Where at a list boundary, the whole place in the tooltip; the file stays whole', async () => {
    const place =
      'stdout.txt, lines 2–201 (a table of lines), column 1 (create_time), column 3 (like_count), column 4 (duration)';
    const parts = placeParts(place);
    expect(parts.file).toBe('stdout.txt');
    expect(parts.location).toBe('lines 2–201 (a table of lines) …');
    expect(parts.full).toBe(place);
    // Without a list boundary: cut at a word, never inside a parenthesis.
    expect(
      placeParts(
        'stdout.txt, the values of lines of one form (line 201 on), t (create_time), likes (like_count)'
      ).location
    ).toBe('the values of lines of one form …');
    expect(
      placeParts('stdout.txt, line 1; line 2; line 3; and 198 more').location
    ).toBe('line 1; line 2; line 3; and 198 more');
    expect(placeParts('videos.csv, column id')).toEqual({
      file: 'videos.csv',
      location: 'column id',
      full: 'videos.csv, column id'
    });
    const detail = await detailOf(
      makeJob('job_l', {
        status: 'rejected',
        verdict: rejectedVerdict([
          {
            rule: 'linkage',
            severity: 'fail',
            file: 'stdout.txt',
            location: place.slice('stdout.txt, '.length),
            message: 'stdout.txt: rows link.'
          }
        ])
      })
    );
    const where = detail.querySelector('.jp-vce-Finding-place')!;
    expect(where.getAttribute('title')).toBe(place);
    expect(where.querySelector('code')?.textContent).toBe('stdout.txt');
    expect(where.textContent!.length).toBeLessThan(60);
  });
});
