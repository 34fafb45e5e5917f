import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildDisclosureIndex,
  DEFAULT_REVIEW_CONFIG,
  reviewOutputs,
  ruleEnabled
} from '../../src/review';
import { jobTestData } from '../helpers/jobs-helpers';

/**
 * `disabledRules`: the review with some rule families off, as bench:jobs runs
 * its baseline. Every rule runs by default; a disabled rule decides nothing.
 */
describe('disabled rule families', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vce-review-disabled-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every rule by default', () => {
    expect(DEFAULT_REVIEW_CONFIG.disabledRules).toEqual([]);
    expect(ruleEnabled(DEFAULT_REVIEW_CONFIG, 'linkage')).toBe(true);
    expect(
      ruleEnabled(
        { ...DEFAULT_REVIEW_CONFIG, disabledRules: ['linkage'] },
        'linkage'
      )
    ).toBe(false);
  });

  it("drops a disabled rule's findings from the verdict", async () => {
    const index = await buildDisclosureIndex(jobTestData());
    const outputDir = join(dir, 'output');
    mkdirSync(outputDir);
    writeFileSync(
      join(outputDir, 'counts.csv'),
      'region_code,video_count\nUS,3\nGB,250\n'
    );
    const input = {
      outputDir,
      logs: [],
      recordsRead: 3000,
      index,
      config: DEFAULT_REVIEW_CONFIG
    };
    const all = await reviewOutputs(input);
    expect(all.findings.map(finding => finding.rule)).toContain('small_count');
    expect(all.decision).not.toBe('approved');
    const without = await reviewOutputs({
      ...input,
      config: { ...DEFAULT_REVIEW_CONFIG, disabledRules: ['small_count'] }
    });
    expect(without.findings.map(finding => finding.rule)).not.toContain(
      'small_count'
    );
  });
});
