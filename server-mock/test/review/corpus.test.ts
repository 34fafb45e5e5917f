import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALICE } from '../helpers/helpers';
import {
  defaultData,
  startJobsPlatform,
  TEST_LIMITS,
  type JobsPlatform
} from '../helpers/jobs-helpers';

/**
 * The review's corpora (issue 16): real job scripts, run as real sandboxed
 * jobs on the platform's default data (seed 1, 100,000 videos), read with
 * pyrqs as a researcher's would.
 *
 * - corpus/honest/: aggregates of the kinds researchers write; every one must
 *   end approved (a false alarm is a finding printed here);
 * - corpus/leaking/: row-level data in every shape the review must catch;
 *   none may end approved or release a result (rejected, or held for a
 *   reviewer).
 *
 * Each file says what it expects on its first line (`# expect: approved` or
 * `# expect: not-approved`) and what it is on its second (`# shape: ...`).
 * All jobs are submitted at once, so the pool's 2 workers stay busy; each
 * test then waits for its own job. With CORPUS_REPORT=<file>, every job's end
 * and the rules that fired are written there as JSON (a baseline to compare).
 */

const CORPUS = join(__dirname, 'corpus');
const FINAL = [
  'approved',
  'rejected',
  'failed',
  'timed_out',
  'cancelled',
  'manual_review'
];

interface Case {
  file: string;
  expect: 'approved' | 'not-approved';
  shape: string;
  script: string;
}

function readCorpus(folder: 'honest' | 'leaking'): Case[] {
  return readdirSync(join(CORPUS, folder))
    .filter(name => name.endsWith('.py'))
    .sort()
    .map(name => {
      const script = readFileSync(join(CORPUS, folder, name), 'utf8');
      const [first, second] = script.split('\n');
      const expected = /^# expect: (approved|not-approved)$/.exec(first)?.[1];
      const shape = /^# shape: (.+)$/.exec(second)?.[1];
      if (!expected || !shape) {
        throw new Error(
          `${folder}/${name}: the first two lines must be "# expect: approved|not-approved" and "# shape: ..."`
        );
      }
      return {
        file: `${folder}/${name}`,
        expect: expected as Case['expect'],
        shape,
        script
      };
    });
}

const HONEST = readCorpus('honest');
const LEAKING = readCorpus('leaking');

/** What a failed expectation prints: the job's end and every finding (findings never quote data). */
function explain(job: any): string {
  return JSON.stringify(
    {
      status: job.status,
      decision: job.verdict?.decision ?? null,
      reason: job.reason ?? null,
      failure: job.failure ?? null,
      findings: (job.verdict?.findings ?? []).map(
        (finding: any) =>
          `${finding.severity} ${finding.rule} ${finding.file}: ${finding.message}`
      )
    },
    null,
    2
  );
}

describe('review corpora on the default data (real sandboxed jobs)', () => {
  let platform: JobsPlatform;
  let alice: string;
  const jobs = new Map<string, string>();
  const ends = new Map<string, string>();
  const findings = new Map<string, string[]>();
  let started = 0;

  beforeAll(async () => {
    started = Date.now();
    platform = await startJobsPlatform({
      publicData: defaultData(),
      jobs: {
        workers: 2,
        limits: { ...TEST_LIMITS, wallSeconds: 60, cpuSeconds: 45 }
      }
    });
    alice = await platform.signIn(ALICE);
    for (const item of [...HONEST, ...LEAKING]) {
      const response = await platform.submit(alice, 'analysis.py', {
        'analysis.py': item.script
      });
      jobs.set(item.file, response.json().data.job_id);
    }
    // The first run generates the default data (~15 s, longer on a busy machine).
  }, 300_000);

  afterAll(async () => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const approvedLeaks = LEAKING.filter(
      item => ends.get(item.file) === 'approved'
    ).length;
    const honestApproved = HONEST.filter(
      item => ends.get(item.file) === 'approved'
    ).length;
    if (process.env.CORPUS_REPORT) {
      writeFileSync(
        process.env.CORPUS_REPORT,
        JSON.stringify(
          [...HONEST, ...LEAKING].map(item => ({
            file: item.file,
            shape: item.shape,
            end: ends.get(item.file) ?? null,
            rules: findings.get(item.file) ?? []
          })),
          null,
          1
        )
      );
    }
    process.stdout.write(
      `review corpora: ${honestApproved}/${HONEST.length} honest approved, ` +
        `${LEAKING.length - approvedLeaks}/${LEAKING.length} leaking not approved, ${seconds} s\n`
    );
    await platform?.close();
  });

  async function end(item: Case): Promise<any> {
    const job = await platform.waitFor(
      alice,
      jobs.get(item.file)!,
      FINAL,
      // Every job before it in the queue may run first (2 workers).
      600_000
    );
    ends.set(
      item.file,
      job.status === 'reviewing' ? job.verdict.decision : job.status
    );
    findings.set(
      item.file,
      (job.verdict?.findings ?? []).map(
        (finding: any) => `${finding.severity} ${finding.rule} ${finding.file}`
      )
    );
    return job;
  }

  it.each(HONEST.map(item => [item.file, item.shape, item] as const))(
    '%s (%s) is approved',
    async (_file, _shape, item) => {
      const job = await end(item);
      if (job.status !== 'approved') {
        throw new Error(`${item.file} was not approved:\n${explain(job)}`);
      }
      expect(job.result_available).toBe(true);
    },
    660_000
  );

  it.each(LEAKING.map(item => [item.file, item.shape, item] as const))(
    '%s (%s) is not approved',
    async (_file, _shape, item) => {
      const job = await end(item);
      const held =
        job.status === 'rejected' ||
        (job.status === 'reviewing' &&
          job.verdict?.decision === 'manual_review');
      if (!held) {
        throw new Error(
          `${item.file} must end rejected or in manual review:\n${explain(job)}`
        );
      }
      expect(job.result_available).toBe(false);
    },
    660_000
  );

  it('has at least 30 honest and 30 leaking scripts', () => {
    expect(HONEST.length).toBeGreaterThanOrEqual(30);
    expect(LEAKING.length).toBeGreaterThanOrEqual(30);
    for (const item of HONEST) {
      expect(item.expect).toBe('approved');
    }
    for (const item of LEAKING) {
      expect(item.expect).toBe('not-approved');
    }
  });
});
