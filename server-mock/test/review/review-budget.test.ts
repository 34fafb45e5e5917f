import type { ReviewConfig, Verdict } from '../../src/review';
import { outputReviewer } from '../helpers/review-helpers';

/**
 * Bounded work (issue 16): the whole review has a time budget, wide tables
 * and deep JSON are read without running away, and findings stay short.
 */

const { review: reviewFiles } = outputReviewer('budget');
const review = (
  files: Record<string, string>,
  config: Partial<ReviewConfig> = {}
): Promise<Verdict> => reviewFiles(files, { config });

/** A table of groups: a label column with repeats and counts (approved on its own). */
function groups(rows: number): string {
  const lines = ['region,videos'];
  for (let i = 0; i < rows; i++) {
    lines.push(`R${i % 40},${100 + (i % 7)}`);
  }
  return lines.join('\n');
}

describe('whole-review budget', () => {
  it('stops reading files once the review is out of time and sends the job to a reviewer', async () => {
    const files: Record<string, string> = {};
    for (let f = 0; f < 6; f++) {
      files[`t${f}.csv`] = groups(5000);
    }
    const verdict = await review(files, { reviewBudgetMs: 1 });
    expect(verdict.decision).not.toBe('approved');
    const errors = verdict.findings.filter(
      finding => finding.rule === 'rule_error'
    );
    expect(errors).toEqual([
      expect.objectContaining({
        severity: 'manual',
        file: '(all outputs)',
        location: null
      })
    ]);
    expect(errors[0].message).toMatch(
      /ran out of its time \(1 ms\) with \d+ output files? or logs? not yet read.*a reviewer checks the rest/
    );
    // Files not reviewed are not read (nor listed as outputs).
    expect(verdict.files.length).toBeLessThan(6);
  });

  it('is not reached by an ordinary review', async () => {
    const verdict = await review({ 'a.csv': groups(200) });
    expect(
      verdict.findings.filter(finding => finding.rule === 'rule_error')
    ).toEqual([]);
  });
});

describe('bounded rules', () => {
  it('names at most 10 columns of a combination key', async () => {
    const width = 30;
    const lines = [Array.from({ length: width }, (_, i) => `m${i}`).join(',')];
    for (let r = 0; r < 200; r++) {
      lines.push(
        Array.from(
          { length: width },
          (_, i) => (r * 7919 + i * 104729) % 1_000_003
        ).join(',')
      );
    }
    const verdict = await review({ 'wide.csv': lines.join('\n') });
    const keys = verdict.findings.filter(
      finding => finding.rule === 'key_column'
    );
    expect(keys).toHaveLength(1);
    expect(keys[0].location).toMatch(/and 20 more columns$/);
    expect(keys[0].location!.split(', ').length).toBeLessThanOrEqual(11);
  });

  it('sends JSON nested 100,000 levels deep to a reviewer as unclassified, not as a reading error', async () => {
    const verdict = await review({
      'deep.json': '['.repeat(100_000) + ']'.repeat(100_000)
    });
    const rules = verdict.findings.map(finding => finding.rule);
    expect(rules).toContain('unclassified');
    expect(rules).not.toContain('rule_error');
    expect(verdict.decision).not.toBe('approved');
  });
});
