import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  buildDisclosureIndex,
  DEFAULT_REVIEW_CONFIG,
  reviewOutputs,
  type ReviewConfig,
  type TableHistory,
  type Verdict
} from '../../src/review';
import { jobTestData } from './jobs-helpers';

export interface ReviewOptions {
  /** What the job printed; `null` reviews no logs at all. */
  stdout?: string | null;
  recordsRead?: number;
  config?: Partial<ReviewConfig>;
  history?: TableHistory;
}

/**
 * A review of output files written to a fresh temporary folder, against the
 * shared 3,000-video test data. Call at the top of a `describe` (or file):
 * it registers the hooks that build the index and make and remove the folder.
 */
export function outputReviewer(prefix: string): {
  review: (
    files: Record<string, string | Buffer>,
    options?: ReviewOptions
  ) => Promise<Verdict>;
  dir: () => string;
} {
  let index: Awaited<ReturnType<typeof buildDisclosureIndex>>;
  let dir = '';
  beforeAll(async () => {
    index = await buildDisclosureIndex(jobTestData());
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), `vce-review-${prefix}-`));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const review = async (
    files: Record<string, string | Buffer>,
    options: ReviewOptions = {}
  ): Promise<Verdict> => {
    const outputDir = join(dir, 'output');
    rmSync(outputDir, { recursive: true, force: true });
    mkdirSync(outputDir, { recursive: true });
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(outputDir, name)), { recursive: true });
      writeFileSync(join(outputDir, name), content);
    }
    const stdoutPath = join(dir, 'stdout.txt');
    if (options.stdout !== null) {
      writeFileSync(stdoutPath, options.stdout ?? '');
    }
    return reviewOutputs({
      outputDir,
      logs:
        options.stdout === null
          ? []
          : [{ name: 'stdout.txt', path: stdoutPath }],
      recordsRead: options.recordsRead ?? 3000,
      index,
      config: { ...DEFAULT_REVIEW_CONFIG, ...options.config },
      history: options.history
    });
  };
  return { review, dir: () => dir };
}
