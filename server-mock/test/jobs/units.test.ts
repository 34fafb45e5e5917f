import { createHash } from 'node:crypto';
import {
  checkSubmission,
  nameProblem,
  notebookProblem,
  looksLikeText,
  MAX_FILES
} from '../../src/jobs/submission';
import {
  canMove,
  isFinal,
  jobView,
  runtimeSeconds,
  JOB_STATUSES,
  type JobRecord
} from '../../src/jobs/model';
import { approvedMail, rejectedMail } from '../../src/jobs/messages';
import { JobPaths, MAX_SOCKET_PATH } from '../../src/jobs/paths';
import { EventBus } from '../../src/events';
import { linkDigest, linkUrl, newLinkToken } from '../../src/release/links';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('submission names', () => {
  it.each([
    ['analysis.py', null],
    ['lib/helpers.py', null],
    ['data/Régions 2025 (v2).csv', null],
    ['', /empty/],
    ['../x.py', /"\.\."/],
    ['a/../../x.py', /"\.\."/],
    ['a//b.py', /empty/],
    ['./a.py', /"\."/],
    ['/etc/passwd', /absolute/],
    ['C:\\x.py', /backslash/],
    ['.git/config', /hidden/],
    ['lib/.secret', /hidden/],
    ['a\u0000b.py', /characters/],
    ['a$(rm).py', /characters/],
    ['x'.repeat(201), /longer than 200/],
    [Array(10).fill('d').join('/') + '/a.py', /deeper than 8/]
  ])('%j → %s', (name, problem) => {
    const found = nameProblem(name);
    if (problem === null) {
      expect(found).toBeNull();
    } else {
      expect(found).toMatch(problem);
    }
  });
});

describe('notebooks and text', () => {
  it('accepts an nbformat 4 notebook with code, and says what is wrong otherwise', () => {
    const code = (source: unknown) => ({
      cell_type: 'code',
      metadata: {},
      execution_count: null,
      outputs: [],
      source
    });
    const ok = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [code(['print(1)\n'])]
    };
    expect(notebookProblem(Buffer.from(JSON.stringify(ok)))).toBeNull();
    expect(notebookProblem(Buffer.from('{'))).toMatch(/not valid JSON/);
    expect(notebookProblem(Buffer.from('[]'))).toMatch(/no "cells"/);
    expect(
      notebookProblem(Buffer.from(JSON.stringify({ ...ok, nbformat: 3 })))
    ).toMatch(/nbformat 3/);
    expect(
      notebookProblem(
        Buffer.from(
          JSON.stringify({
            ...ok,
            cells: [{ cell_type: 'markdown', metadata: {}, source: 'x' }]
          })
        )
      )
    ).toMatch(/no code cells/);
    expect(
      notebookProblem(Buffer.from(JSON.stringify({ ...ok, cells: [code(42)] })))
    ).toMatch(/cells\[0\]\.source must be (string|array)/);
  });

  it('tells text from binary', () => {
    expect(looksLikeText(Buffer.from('print("héllo")\n'))).toBe(true);
    expect(looksLikeText(Buffer.from([0x70, 0x00, 0x71]))).toBe(false);
    expect(looksLikeText(Buffer.from([0xff, 0xfe, 0x41]))).toBe(false);
  });
});

describe('checkSubmission', () => {
  it('accepts a script with companions and hashes every file', () => {
    const checked = checkSubmission({
      entry: 'a.py',
      files: [
        { name: 'a.py', content_base64: b64('import lib\n') },
        { name: 'lib.py', content_base64: b64('') }
      ]
    });
    expect(checked).toMatchObject({ ok: true, entry: 'a.py' });
    if (checked.ok) {
      expect(checked.files.map(file => [file.name, file.sha256])).toEqual([
        ['a.py', createHash('sha256').update('import lib\n').digest('hex')],
        [
          'lib.py',
          'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
        ]
      ]);
    }
  });

  it('lists every problem at once, naming the field', () => {
    const checked = checkSubmission({
      entry: 'a.sh',
      files: [
        { name: '../a.sh', content_base64: 'x' },
        { name: 'ok.py', content_base64: 'not!' },
        7
      ]
    });
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.problems.map(problem => problem.field)).toEqual([
        'files[0].name',
        'files[1].content_base64',
        'files[2].name',
        'entry'
      ]);
    }
  });

  it('refuses more files than allowed and a body that is not an object', () => {
    const many = Array.from({ length: MAX_FILES + 1 }, (_, index) => ({
      name: `f${index}.py`,
      content_base64: ''
    }));
    expect(checkSubmission({ entry: 'f0.py', files: many })).toMatchObject({
      ok: false,
      problems: [{ field: 'files' }]
    });
    expect(checkSubmission(null)).toMatchObject({
      ok: false,
      problems: [{ field: 'files' }]
    });
    expect(checkSubmission('text')).toMatchObject({ ok: false });
  });
});

function job(overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    jobId: 'job_1',
    stage: 'execution',
    clientKey: 'alice',
    entry: 'a.py',
    status: 'queued',
    createdAt: '2026-11-25T10:00:00.000Z',
    updatedAt: '2026-11-25T10:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    attempts: 0,
    recordsRead: 0,
    resubmittedFrom: null,
    reason: null,
    failure: null,
    errorReport: null,
    verdict: null,
    ...overrides
  };
}

describe('job model', () => {
  it('allows only the documented moves, and final statuses never move', () => {
    expect(canMove('submitted', 'queued')).toBe(true);
    expect(canMove('queued', 'running')).toBe(true);
    expect(canMove('running', 'reviewing')).toBe(true);
    expect(canMove('reviewing', 'approved')).toBe(true);
    expect(canMove('running', 'queued')).toBe(true); // a restart re-runs it
    expect(canMove('queued', 'approved')).toBe(false);
    expect(canMove('reviewing', 'cancelled')).toBe(false);
    for (const status of JOB_STATUSES.filter(isFinal)) {
      expect(JOB_STATUSES.some(to => canMove(status, to))).toBe(false);
    }
  });

  it('measures runtime to the finish, or to now while running', () => {
    expect(runtimeSeconds(job(), new Date())).toBeNull();
    expect(
      runtimeSeconds(
        job({
          startedAt: '2026-11-25T10:00:00Z',
          finishedAt: '2026-11-25T10:00:12.345Z'
        }),
        new Date()
      )
    ).toBe(12.3);
    expect(
      runtimeSeconds(
        job({ startedAt: '2026-11-25T10:00:00Z' }),
        new Date('2026-11-25T10:01:00Z')
      )
    ).toBe(60);
  });

  it('names outputs only for approved jobs (a rejected script chose names and sizes that could carry data)', () => {
    const outputs = [
      { name: 'x.csv', bytes: 1, sha256: 'a'.repeat(64), kind: 'csv' }
    ];
    expect(
      jobView(
        job(),
        { files: [], history: [], outputs, resultAvailable: false },
        new Date()
      ).outputs
    ).toEqual([]);
    const verdict = {
      decision: 'approved' as const,
      findings: [],
      decided_by: 'automatic' as const,
      reviewer_reason: null,
      reviewed_at: '2026-11-25T10:00:00Z'
    };
    expect(
      jobView(
        job({ status: 'approved', verdict }),
        { files: [], history: [], outputs, resultAvailable: true },
        new Date()
      ).outputs
    ).toEqual(outputs);
    const rejected = { ...verdict, decision: 'rejected' as const };
    expect(
      jobView(
        job({ status: 'rejected', verdict: rejected }),
        { files: [], history: [], outputs, resultAvailable: false },
        new Date()
      ).outputs
    ).toEqual([]);
  });
});

describe('mails', () => {
  it('give the link, its expiry and the files when approved', () => {
    const mail = approvedMail(
      job(),
      [{ name: 'x.csv', bytes: 10, sha256: 'b'.repeat(64), kind: 'csv' }],
      'http://h/v2/vce/results/T',
      '2026-12-02T10:00:00Z'
    );
    expect(mail.subject).toBe('[VCE] Results of job job_1 (a.py) are approved');
    expect(mail.text).toContain('http://h/v2/vce/results/T');
    expect(mail.text).toContain('2026-12-02T10:00:00Z');
    expect(mail.text).toContain(`x.csv (10 bytes, SHA-256 ${'b'.repeat(64)})`);
  });

  it("give every failed rule, and the reviewer's reason, when rejected", () => {
    const mail = rejectedMail(job(), {
      decision: 'rejected',
      decided_by: 'reviewer',
      reviewer_reason: 'Counts by user are row-level.',
      reviewed_at: '2026-11-25T10:00:00Z',
      findings: [
        {
          rule: 'small_count',
          severity: 'manual',
          file: 't.csv',
          location: 'row 3',
          message: 'A count of 4 is below 10.'
        }
      ]
    });
    expect(mail.text).toContain('  - Reviewer: Counts by user are row-level.');
    expect(mail.text).toContain('  - t.csv (row 3): A count of 4 is below 10.');
  });
});

describe('event bus', () => {
  it("delivers a client's events to its listeners only, and replays after an id", () => {
    const bus = new EventBus();
    const alice: number[] = [];
    const stop = bus.subscribe('alice', delivered => alice.push(delivered.id));
    bus.publish('alice', {
      type: 'job',
      job_id: 'j1',
      status: 'queued',
      at: 't'
    });
    bus.publish('bob', {
      type: 'job',
      job_id: 'j2',
      status: 'queued',
      at: 't'
    });
    bus.publish('alice', {
      type: 'job',
      job_id: 'j1',
      status: 'running',
      at: 't'
    });
    expect(alice).toEqual([1, 3]);
    expect(bus.since('alice', 1).map(delivered => delivered.id)).toEqual([3]);
    stop();
    expect(bus.listenerCount('alice')).toBe(0);
  });
});

describe('result links', () => {
  it('are 256 random bits, stored as a digest, and join the public URL', () => {
    const token = newLinkToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newLinkToken()).not.toBe(token);
    expect(linkDigest(token)).not.toContain(token);
    expect(linkDigest(token)).toBe(linkDigest(token));
    expect(linkUrl('http://127.0.0.1:8910/', token)).toBe(
      `http://127.0.0.1:8910/v2/vce/results/${token}`
    );
  });
});

describe('JobPaths.socketPath', () => {
  it('stays beside the job when short, and moves to a private temporary folder when the data dir is deep', () => {
    expect(new JobPaths('/tmp/d').socketPath('job_1')).toBe(
      '/tmp/d/jobs/job_1/data.sock'
    );
    const deep = new JobPaths(`/tmp/${'x'.repeat(120)}`).socketPath(
      'job_20261125120000abcdef0123'
    );
    expect(Buffer.byteLength(deep)).toBeLessThanOrEqual(MAX_SOCKET_PATH);
    expect(deep).toMatch(
      /\/vce-[0-9a-f]{12}\/job_20261125120000abcdef0123\.sock$/
    );
  });
});
