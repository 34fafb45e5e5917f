/** What the jobs list shows of a job: a short id, the submitted time, the full name on hover. */
import {
  nameParts,
  shortJobId,
  submittedAt,
  SHORT_ID_LENGTH
} from '../../jobs/views/list-item';

describe('the jobs list item', () => {
  it("shows the end of the platform's ids (where two ids differ), short ids whole", () => {
    expect(shortJobId('job_20261206205400a1b2c3d4e5')).toBe('c3d4e5');
    expect(shortJobId('job_20261206205400a1b2c3d4e5')).toHaveLength(
      SHORT_ID_LENGTH
    );
    // Two runs submitted in the same second still differ.
    expect(shortJobId('job_20261206205400a1b2c3d4e5')).not.toBe(
      shortJobId('job_20261206205400ffeeddccbb')
    );
    expect(shortJobId('job_leak')).toBe('leak');
    expect(shortJobId('abc123')).toBe('abc123');
  });

  it('gives the submitted time as a clock time today, with the day before, with the year in another year', () => {
    const now = new Date(2026, 11, 6, 21, 30).getTime();
    expect(submittedAt(new Date(2026, 11, 6, 9, 5).toISOString(), now)).toBe(
      '09:05'
    );
    expect(
      submittedAt(new Date(2026, 11, 5, 23, 59).toISOString(), now, 'en-GB')
    ).toBe('5 Dec 23:59');
    expect(
      submittedAt(new Date(2025, 0, 2, 8, 0).toISOString(), now, 'en-GB')
    ).toBe('2 Jan 2025 08:00');
    expect(submittedAt(null, now)).toBe('');
    expect(submittedAt('not a time', now)).toBe('not a time');
  });

  it('breaks a long name between its words, not in the middle of one', () => {
    expect(nameParts('videos_by_region_and_length.py')).toEqual([
      'videos_',
      'by_',
      'region_',
      'and_',
      'length.',
      'py'
    ]);
    expect(nameParts('analysis').join('')).toBe('analysis');
  });
});
