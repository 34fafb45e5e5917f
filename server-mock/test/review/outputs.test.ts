import { createHash } from 'node:crypto';
import { ALICE } from '../helpers/helpers';
import {
  REVIEWER,
  startJobsPlatform,
  type JobsPlatform
} from '../helpers/jobs-helpers';
import {
  findingsOf,
  mediaTypeOf,
  reviewerOutputList
} from '../../src/jobs/review-outputs';
import type { VerdictFinding } from '../../src/jobs/model';

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n';
/** A chart (a manual type: a person looks at images) and a line on stdout. */
const CHART_SCRIPT = `open("output/chart.svg", "w").write(${JSON.stringify(SVG)})
print("chart written")
`;
const FINAL = ['approved', 'rejected', 'failed', 'manual_review'];
const sha256 = (bytes: Buffer | string) =>
  createHash('sha256').update(bytes).digest('hex');

const finding = (file: string, rule = 'file_type'): VerdictFinding => ({
  rule,
  severity: 'manual',
  file,
  location: null,
  message: `${file}: a person looks at it.`
});

describe('review outputs (pure)', () => {
  it('gives each kind the media type a browser shows it as, bytes otherwise', () => {
    expect(
      [
        { name: 'a.csv', kind: 'csv' },
        { name: 'plots/b.SVG', kind: 'svg' },
        { name: 'c.png', kind: 'png' },
        { name: 'logs/stdout.txt', kind: 'log' },
        { name: 'd.parquet', kind: 'parquet' },
        { name: 'noext', kind: 'none' }
      ].map(mediaTypeOf)
    ).toEqual([
      'text/csv',
      'image/svg+xml',
      'image/png',
      'text/plain',
      'application/octet-stream',
      'application/octet-stream'
    ]);
  });

  it('puts a finding on the file it names; a log is named without logs/', () => {
    const findings = [
      finding('a.csv', 'small_count'),
      finding('stdout.txt', 'verbatim_text'),
      finding('output file 3'),
      finding('logs/stdout.txt.csv')
    ];
    expect(
      findingsOf({ name: 'a.csv', kind: 'csv' }, findings).map(f => f.rule)
    ).toEqual(['small_count']);
    expect(
      findingsOf({ name: 'logs/stdout.txt', kind: 'log' }, findings).map(
        f => f.rule
      )
    ).toEqual(['verbatim_text']);
    // An output a script named stdout.txt is not the log.
    expect(findingsOf({ name: 'b.csv', kind: 'csv' }, findings)).toEqual([]);
    const listed = reviewerOutputList(
      [{ name: 'a.csv', bytes: 3, sha256: 'f'.repeat(64), kind: 'csv' }],
      findings
    );
    expect(listed).toEqual([
      {
        name: 'a.csv',
        bytes: 3,
        sha256: 'f'.repeat(64),
        kind: 'csv',
        media_type: 'text/csv',
        findings: [findings[0]]
      }
    ]);
  });
});

describe("a reviewer reads a job's outputs", () => {
  let platform: JobsPlatform;
  let alice: string;
  let reviewer: string;
  let jobId: string;
  beforeAll(async () => {
    platform = await startJobsPlatform();
    alice = await platform.signIn(ALICE);
    reviewer = await platform.signIn(REVIEWER);
    const submitted = await platform.submit(alice, 'chart.py', {
      'chart.py': CHART_SCRIPT
    });
    expect(submitted.status).toBe(201);
    const job = await platform.waitFor(
      alice,
      submitted.json().data.job_id,
      FINAL
    );
    expect([job.status, job.verdict?.decision]).toEqual([
      'reviewing',
      'manual_review'
    ]);
    jobId = job.job_id;
  }, 90_000);
  afterAll(() => platform.close());

  const outputs = (token: string, id = jobId) =>
    platform.call('GET', `/v2/vce/review/jobs/${id}/outputs/`, { token });
  const file = (token: string, name: string, id = jobId) =>
    platform.call('GET', `/v2/vce/review/jobs/${id}/outputs/${name}`, {
      token
    });

  it('lists the chart and the log with their sizes, media types and findings', async () => {
    const response = await outputs(reviewer);
    expect(response.status).toBe(200);
    const data = response.json().data;
    expect(data.job_id).toBe(jobId);
    const byName = Object.fromEntries(
      data.outputs.map((output: { name: string }) => [output.name, output])
    );
    expect(Object.keys(byName).sort()).toEqual([
      'chart.svg',
      'logs/stdout.txt'
    ]);
    expect(byName['chart.svg']).toMatchObject({
      bytes: Buffer.byteLength(SVG),
      sha256: sha256(SVG),
      kind: 'svg',
      media_type: 'image/svg+xml'
    });
    expect(byName['chart.svg'].findings.length).toBeGreaterThan(0);
    for (const found of byName['chart.svg'].findings) {
      expect(found.file).toBe('chart.svg');
    }
    expect(byName['logs/stdout.txt']).toMatchObject({
      kind: 'log',
      media_type: 'text/plain',
      findings: []
    });
  });

  it('sends a file as an attachment with its media type, nosniff and its SHA-256', async () => {
    const chart = await file(reviewer, 'chart.svg');
    expect(chart.status).toBe(200);
    expect(chart.body.toString('utf8')).toBe(SVG);
    expect(chart.headers.get('content-type')).toBe('image/svg+xml');
    expect(chart.headers.get('content-disposition')).toBe(
      'attachment; filename="chart.svg"'
    );
    expect(chart.headers.get('x-content-type-options')).toBe('nosniff');
    expect(chart.headers.get('x-content-sha256')).toBe(sha256(SVG));
    const log = await file(reviewer, encodeURIComponent('logs/stdout.txt'));
    expect(log.status).toBe(200);
    expect(log.body.toString('utf8')).toBe('chart written\n');
    expect(log.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(log.headers.get('content-disposition')).toBe(
      'attachment; filename="stdout.txt"'
    );
  });

  it.each([
    ['a name not in the list', 'secret.csv'],
    ['a step out of the outputs', encodeURIComponent('../submitted/chart.py')],
    ['the database', encodeURIComponent('../../../vce-mock.sqlite')],
    ['an encoded dot-dot', '%2E%2E'],
    ['the logs folder itself', 'logs'],
    ['a log not written', encodeURIComponent('logs/stderr.txt')]
  ])('is 404 for %s', async (_what, name) => {
    const response = await file(reviewer, name);
    expect(response.status).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });

  it('is 404 for a job not in manual review, and for no job', async () => {
    const other = await platform.submit(alice, 'p.py', {
      'p.py': 'print(1)\n'
    });
    const done = await platform.waitFor(alice, other.json().data.job_id, FINAL);
    expect(done.verdict?.decision).not.toBe('manual_review');
    for (const id of [done.job_id, 'job_nothing']) {
      const list = await outputs(reviewer, id);
      expect(list.status).toBe(404);
      expect(list.json().error.message).toContain(
        'is not waiting for a reviewer'
      );
      expect((await file(reviewer, 'chart.svg', id)).status).toBe(404);
    }
  });

  it('is 403 for a researcher, even the one who submitted the job', async () => {
    for (const response of [
      await outputs(alice),
      await file(alice, 'chart.svg')
    ]) {
      expect(response.status).toBe(403);
      expect(response.json().error.code).toBe('forbidden');
    }
  });
});
