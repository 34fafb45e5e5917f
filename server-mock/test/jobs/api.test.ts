import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAttestation } from '../../src/release/attestation';
import { ALICE } from '../helpers/helpers';
import {
  BOB,
  HONEST_SCRIPT,
  jobTestData,
  REVIEWER,
  startJobsPlatform,
  type JobsPlatform
} from '../helpers/jobs-helpers';
import { assertEventStream } from '../helpers/openapi-conformance';
import { unzip } from '../helpers/zip';

const sha256 = (content: Buffer | string) =>
  createHash('sha256').update(content).digest('hex');

/** The expected honest answer, computed from the data set directly. */
function regionCounts(): string {
  const rows = jobTestData()
    .db.prepare(
      'SELECT region_code, count(*) AS n FROM videos GROUP BY region_code ORDER BY region_code'
    )
    .all() as { region_code: string; n: number }[];
  return (
    [
      'region_code,video_count',
      ...rows
        .filter(row => row.n >= 10)
        .map(row => `${row.region_code},${row.n}`)
    ].join('\r\n') + '\r\n'
  );
}

describe('execution stage over real HTTP', () => {
  let platform: JobsPlatform;
  let alice: string;
  beforeAll(async () => {
    platform = await startJobsPlatform();
    alice = await platform.signIn(ALICE);
  });
  afterAll(async () => platform.close());

  it('takes an honest aggregate script to approved, releases it by link and mail, and attests it', async () => {
    const submitted = await platform.submit(alice, 'analysis.py', {
      'analysis.py': HONEST_SCRIPT
    });
    expect(submitted.status).toBe(201);
    const job = submitted.json().data;
    expect(job.status).toBe('submitted');
    expect(job.files).toEqual([
      {
        name: 'analysis.py',
        bytes: Buffer.byteLength(HONEST_SCRIPT),
        sha256: sha256(HONEST_SCRIPT)
      }
    ]);

    const done = await platform.waitFor(alice, job.job_id, [
      'approved',
      'rejected',
      'failed',
      'timed_out'
    ]);
    expect(done.status).toBe('approved');
    expect(
      done.history.map((entry: { status: string }) => entry.status)
    ).toEqual(['submitted', 'queued', 'running', 'reviewing', 'approved']);
    expect(done.records_read).toBe(3000);
    expect(done.verdict).toMatchObject({
      decision: 'approved',
      decided_by: 'automatic',
      findings: []
    });
    // What the script printed is released too, once reviewed.
    expect(done.outputs.map((output: { name: string }) => output.name)).toEqual(
      ['logs/stdout.txt', 'videos_by_region.csv']
    );
    expect(done.result_available).toBe(true);
    expect(done.runtime_seconds).toBeGreaterThan(0);

    // The researcher's download (bearer) and the mailed link give the same zip.
    const download = await platform.call(
      'GET',
      `/v2/vce/jobs/${job.job_id}/result/`,
      { token: alice }
    );
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/zip');
    expect(download.headers.get('x-content-sha256')).toBe(
      sha256(download.body)
    );
    const entries = await unzip(download.body);
    expect([...entries.keys()].sort()).toEqual([
      'attestation.jws',
      'manifest.json',
      'results/logs/stdout.txt',
      'results/videos_by_region.csv'
    ]);
    expect(entries.get('results/videos_by_region.csv')!.toString()).toBe(
      regionCounts()
    );
    expect(entries.get('results/logs/stdout.txt')!.toString()).toMatch(
      /^regions written: \d+\n$/
    );
    const manifest = JSON.parse(entries.get('manifest.json')!.toString());
    expect(manifest.files).toEqual(
      done.outputs.map(
        (output: { name: string; bytes: number; sha256: string }) => ({
          name: `results/${output.name}`,
          bytes: output.bytes,
          sha256: output.sha256
        })
      )
    );

    const outbox = (
      await platform.call('GET', '/v2/vce/outbox/', { token: alice })
    ).json().data;
    expect(outbox.transport).toBe('outbox');
    const mail = outbox.messages.find(
      (message: { job_id: string }) => message.job_id === job.job_id
    );
    expect(mail).toMatchObject({
      kind: 'approved',
      to: ALICE.email,
      transport: 'outbox'
    });
    expect(existsSync(join(platform.dataDir, 'outbox', mail.file))).toBe(true);
    const eml = readFileSync(
      join(platform.dataDir, 'outbox', mail.file),
      'utf8'
    );
    expect(eml).toContain(`To: ${ALICE.email}`);
    const link = /http:\/\/\S+\/v2\/vce\/results\/[A-Za-z0-9_-]{43}/.exec(
      mail.text
    )![0];
    expect(eml.replace(/=\r?\n/g, '')).toContain(link.slice(-43));
    const byLink = await fetch(link);
    expect(byLink.status).toBe(200);
    expect(sha256(Buffer.from(await byLink.arrayBuffer()))).toBe(
      sha256(download.body)
    );

    // The attestation verifies against the served key and names the downloaded bytes; one changed byte fails.
    const attestation = (
      await platform.call('GET', `/v2/vce/jobs/${job.job_id}/attestation/`, {
        token: alice
      })
    ).json().data;
    expect(entries.get('attestation.jws')!.toString().trim()).toBe(
      attestation.jws
    );
    const jwks = (await platform.call('GET', '/.well-known/jwks.json')).json();
    const results = new Map([
      ['videos_by_region.csv', entries.get('results/videos_by_region.csv')!],
      ['logs/stdout.txt', entries.get('results/logs/stdout.txt')!]
    ]);
    const verified = await verifyAttestation(attestation.jws, jwks, results);
    expect(verified).toMatchObject({ valid: true, mismatches: [] });
    if (verified.valid) {
      expect(verified.statement).toMatchObject({
        job_id: job.job_id,
        status: 'approved',
        verdict: 'approved',
        submitted_files: [
          { name: 'analysis.py', sha256: sha256(HONEST_SCRIPT) }
        ],
        outputs: done.outputs.map(
          (output: { name: string; sha256: string }) => ({
            name: output.name,
            sha256: output.sha256
          })
        )
      });
      expect(verified.statement.runtime).toHaveProperty('limits');
    }
    const changed = Buffer.from(results.get('videos_by_region.csv')!);
    changed[changed.length - 3] ^= 1;
    expect(
      await verifyAttestation(
        attestation.jws,
        jwks,
        new Map([...results, ['videos_by_region.csv', changed]])
      )
    ).toMatchObject({
      valid: true,
      mismatches: ['videos_by_region.csv: SHA-256 differs']
    });
    const [header, payload, signature] = attestation.jws.split('.');
    const forged = JSON.parse(Buffer.from(payload, 'base64url').toString());
    forged.outputs[0].sha256 = sha256(changed);
    const forgedJws = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    expect(await verifyAttestation(forgedJws, jwks)).toMatchObject({
      valid: false
    });
  });

  it('runs a notebook top to bottom with a companion module from its folder', async () => {
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        {
          cell_type: 'markdown',
          metadata: {},
          source: ['# Likes by duration']
        },
        {
          cell_type: 'code',
          metadata: {},
          execution_count: null,
          outputs: [],
          source: [
            'from helpers.stats import bucket_counts\n',
            'from pyrqs import rqs\n'
          ]
        },
        {
          cell_type: 'code',
          metadata: {},
          execution_count: null,
          outputs: [],
          source: [
            'records = rqs.RQSClient().query_all(category="video", fields="duration_type", page_size=500)\n',
            'bucket_counts(records, "duration_type", "output/by_duration.csv")\n'
          ]
        }
      ]
    };
    const helpers =
      'import csv\nfrom collections import Counter\n\ndef bucket_counts(records, key, path):\n    counts = Counter(r[key] for r in records)\n' +
      '    with open(path, "w", newline="") as handle:\n        w = csv.writer(handle)\n        w.writerow([key, "videos"])\n' +
      '        for k, n in sorted(counts.items()):\n            if n >= 10:\n                w.writerow([k, n])\n';
    const response = await platform.submit(alice, 'study.ipynb', {
      'study.ipynb': JSON.stringify(notebook),
      'helpers/__init__.py': '',
      'helpers/stats.py': helpers
    });
    expect(response.status).toBe(201);
    const done = await platform.waitFor(alice, response.json().data.job_id, [
      'approved',
      'rejected',
      'failed',
      'timed_out'
    ]);
    expect(done.status).toBe('approved');
    expect(done.files.map((file: { name: string }) => file.name)).toEqual([
      'helpers/__init__.py',
      'helpers/stats.py',
      'study.ipynb'
    ]);
    expect(done.outputs.map((output: { name: string }) => output.name)).toEqual(
      ['by_duration.csv']
    );
    expect(done.records_read).toBe(3000);
  });

  it('rehearses a script on the test-stage sample: verdict shown, quota charged, nothing released', async () => {
    const before = (
      await platform.call('GET', '/v2/vce/quota/', { token: alice })
    ).json().data.used;
    const honest = (
      await platform.call('POST', '/v2/vce/test-runs/', {
        token: alice,
        json: {
          entry: 'analysis.py',
          files: [
            {
              name: 'analysis.py',
              content_base64: Buffer.from(HONEST_SCRIPT).toString('base64')
            }
          ]
        }
      })
    ).json().data;
    expect(honest).toMatchObject({ stage: 'test', status: 'submitted' });
    const done = await platform.waitFor(alice, honest.job_id, [
      'approved',
      'rejected',
      'failed',
      'timed_out'
    ]);
    // The test stage answers one sample of at most the page size (1,000), not all 3,000 videos.
    expect(done).toMatchObject({
      stage: 'test',
      status: 'approved',
      result_available: false,
      records_read: 1000
    });
    expect(done.history.at(-1).note).toMatch(
      /Test run: the review would approve/
    );
    expect(
      (await platform.call('GET', '/v2/vce/quota/', { token: alice })).json()
        .data.used
    ).toBe(before + 1000);
    expect(
      (
        await platform.call('GET', `/v2/vce/jobs/${honest.job_id}/result/`, {
          token: alice
        })
      ).status
    ).toBe(409);
    const outbox = (
      await platform.call('GET', '/v2/vce/outbox/', { token: alice })
    ).json().data.messages;
    expect(
      outbox.some((message: { text: string }) =>
        message.text.includes(honest.job_id)
      )
    ).toBe(false);
    const jws = (
      await platform.call('GET', `/v2/vce/jobs/${honest.job_id}/attestation/`, {
        token: alice
      })
    ).json().data.jws;
    const jwks = (await platform.call('GET', '/.well-known/jwks.json')).json();
    expect(await verifyAttestation(jws, jwks)).toMatchObject({
      valid: true,
      statement: { stage: 'test', outputs: [] }
    });

    const leaking =
      'from pyrqs import rqs\nfor r in rqs.RQSClient().query(category="video", fields="id,region_code", limit=30):\n    print(r["id"])\n';
    const leak = (
      await platform.call('POST', '/v2/vce/test-runs/', {
        token: alice,
        json: {
          entry: 'leak.py',
          files: [
            {
              name: 'leak.py',
              content_base64: Buffer.from(leaking).toString('base64')
            }
          ]
        }
      })
    ).json().data;
    const refused = await platform.waitFor(alice, leak.job_id, [
      'approved',
      'rejected',
      'failed'
    ]);
    expect(refused).toMatchObject({
      stage: 'test',
      status: 'rejected',
      result_available: false
    });
    expect(refused.verdict.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: 'identifier_value',
          file: 'stdout.txt'
        })
      ])
    );

    const tests = (
      await platform.call('GET', '/v2/vce/jobs/?stage=test', { token: alice })
    ).json().data.jobs;
    expect(tests.map((job: { job_id: string }) => job.job_id)).toEqual([
      leak.job_id,
      honest.job_id
    ]);
    const real = (
      await platform.call('GET', '/v2/vce/jobs/?stage=execution', {
        token: alice
      })
    ).json().data.jobs;
    expect(
      real.every((job: { stage: string }) => job.stage === 'execution')
    ).toBe(true);
    expect(
      (
        await platform.call('GET', '/v2/vce/jobs/?stage=rehearsal', {
          token: alice
        })
      ).status
    ).toBe(400);
  });

  it("tells the researcher the exception's type, line and message of a failed script, as the review lets them through (an id of the data set is withheld: test-runs.test.ts)", async () => {
    const script =
      'import os\nsecret_value = "7100000000000013-secret"\nraise ValueError(secret_value)\n';
    const done = await platform.runToEnd(alice, 'broken.py', {
      'broken.py': script
    });
    expect(done.status).toBe('failed');
    expect(done.failure).toEqual({
      type: 'ValueError',
      line: 3,
      file: 'broken.py'
    });
    // Not an id of the data set: the review lets the message through, and the traceback's end without the platform's frames.
    expect(done.error_report).toEqual({
      message: '7100000000000013-secret',
      message_withheld: null,
      stderr_tail: [
        'Traceback (most recent call last):',
        '  File "/mnt/work/broken.py", line 3, in <module>',
        '    raise ValueError(secret_value)',
        'ValueError: 7100000000000013-secret'
      ],
      stderr_withheld: null
    });
    expect(done.outputs).toEqual([]);
    const attestation = (
      await platform.call('GET', `/v2/vce/jobs/${done.job_id}/attestation/`, {
        token: alice
      })
    ).json().data;
    const jwks = (await platform.call('GET', '/.well-known/jwks.json')).json();
    expect(await verifyAttestation(attestation.jws, jwks)).toMatchObject({
      valid: true,
      statement: { status: 'failed', verdict: null, outputs: [] }
    });
    expect(
      (
        await platform.call('GET', `/v2/vce/jobs/${done.job_id}/result/`, {
          token: alice
        })
      ).status
    ).toBe(409);
  });

  it('cancels a queued job at once and a running job by stopping it', async () => {
    const slow = 'import time\nfor _ in range(600):\n    time.sleep(0.05)\n';
    const first = (
      await platform.submit(alice, 'slow1.py', { 'slow1.py': slow })
    ).json().data;
    const second = (
      await platform.submit(alice, 'slow2.py', { 'slow2.py': slow })
    ).json().data;
    const third = (
      await platform.submit(alice, 'slow3.py', { 'slow3.py': slow })
    ).json().data;
    await platform.waitFor(alice, first.job_id, ['running']);
    await platform.waitFor(alice, second.job_id, ['running']);
    // Two workers are busy: the third waits in the queue.
    expect(
      (
        await platform.call('GET', `/v2/vce/jobs/${third.job_id}/`, {
          token: alice
        })
      ).json().data.status
    ).toBe('queued');
    const queuedCancel = await platform.call(
      'POST',
      `/v2/vce/jobs/${third.job_id}/cancel/`,
      { token: alice }
    );
    expect(queuedCancel.status).toBe(200);
    expect(queuedCancel.json().data).toMatchObject({
      status: 'cancelled',
      started_at: null
    });

    const runningCancel = await platform.call(
      'POST',
      `/v2/vce/jobs/${first.job_id}/cancel/`,
      { token: alice }
    );
    expect(runningCancel.status).toBe(200);
    expect(runningCancel.json().data.status).toBe('cancelled');
    expect(
      runningCancel
        .json()
        .data.history.map((entry: { status: string }) => entry.status)
    ).toEqual(['submitted', 'queued', 'running', 'cancelled']);
    await platform.call('POST', `/v2/vce/jobs/${second.job_id}/cancel/`, {
      token: alice
    });

    const again = await platform.call(
      'POST',
      `/v2/vce/jobs/${first.job_id}/cancel/`,
      { token: alice }
    );
    expect(again.status).toBe(409);
    expect(again.json().error.code).toBe('job_not_cancellable');
    expect(again.json().error.message).toContain('cancelled');
  });

  it("keeps each client's jobs to itself: another client's job is 404", async () => {
    const bob = await platform.signIn(BOB);
    const job = (
      await platform.submit(alice, 'mine.py', { 'mine.py': 'print("hello")\n' })
    ).json().data;
    for (const path of [
      `/v2/vce/jobs/${job.job_id}/`,
      `/v2/vce/jobs/${job.job_id}/result/`,
      `/v2/vce/jobs/${job.job_id}/attestation/`,
      `/v2/vce/jobs/${job.job_id}/files/`
    ]) {
      const response = await platform.call('GET', path, { token: bob });
      expect(response.status).toBe(404);
    }
    expect(
      (
        await platform.call('POST', `/v2/vce/jobs/${job.job_id}/cancel/`, {
          token: bob
        })
      ).status
    ).toBe(404);
    const list = (
      await platform.call('GET', '/v2/vce/jobs/', { token: bob })
    ).json().data;
    expect(
      list.jobs.map((entry: { job_id: string }) => entry.job_id)
    ).not.toContain(job.job_id);
    expect(
      (await platform.call('GET', `/v2/vce/results/${'A'.repeat(43)}`)).status
    ).toBe(404);
  });

  it('lists jobs newest first, filtered by status and paged', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      ids.push(
        (
          await platform.submit(alice, `p${index}.py`, {
            [`p${index}.py`]: 'print(1)\n'
          })
        ).json().data.job_id
      );
    }
    for (const id of ids) {
      await platform.waitFor(alice, id, [
        'approved',
        'rejected',
        'failed',
        'manual_review'
      ]);
    }
    const first = (
      await platform.call('GET', '/v2/vce/jobs/?page_size=2', { token: alice })
    ).json().data;
    expect(first.jobs.map((job: { job_id: string }) => job.job_id)).toEqual([
      ids[2],
      ids[1]
    ]);
    expect(first.has_more).toBe(true);
    const second = (
      await platform.call(
        'GET',
        `/v2/vce/jobs/?page_size=2&cursor=${first.cursor}`,
        { token: alice }
      )
    ).json().data;
    expect(second.jobs[0].job_id).toBe(ids[0]);
    const cancelled = (
      await platform.call(
        'GET',
        '/v2/vce/jobs/?status=cancelled&page_size=100',
        { token: alice }
      )
    ).json().data;
    expect(cancelled.jobs.length).toBeGreaterThan(0);
    expect(
      cancelled.jobs.every(
        (job: { status: string }) => job.status === 'cancelled'
      )
    ).toBe(true);
    const bad = await platform.call('GET', '/v2/vce/jobs/?status=done', {
      token: alice
    });
    expect(bad.status).toBe(400);
    expect(bad.json().error.message).toContain('"done" is not a job status');
    expect(
      (
        await platform.call('GET', '/v2/vce/jobs/?page_size=1000', {
          token: alice
        })
      ).status
    ).toBe(400);
    expect(
      (
        await platform.call('GET', '/v2/vce/jobs/?cursor=nonsense', {
          token: alice
        })
      ).status
    ).toBe(400);
  });

  it('resubmits a job as a new one and shows the submitted script as it was', async () => {
    const job = (
      await platform.submit(alice, 'again.py', {
        'again.py': 'print("again")\n'
      })
    ).json().data;
    const again = await platform.call(
      'POST',
      `/v2/vce/jobs/${job.job_id}/resubmit/`,
      { token: alice }
    );
    expect(again.status).toBe(201);
    expect(again.json().data).toMatchObject({
      resubmitted_from: job.job_id,
      entry: 'again.py',
      files: job.files
    });
    expect(again.json().data.job_id).not.toBe(job.job_id);
    const file = (
      await platform.call('GET', `/v2/vce/jobs/${job.job_id}/files/`, {
        token: alice
      })
    ).json().data;
    expect(file).toEqual({
      name: 'again.py',
      bytes: 15,
      sha256: sha256('print("again")\n'),
      encoding: 'utf-8',
      content: 'print("again")\n'
    });
    expect(
      (
        await platform.call(
          'GET',
          `/v2/vce/jobs/${job.job_id}/files/?name=nope.py`,
          { token: alice }
        )
      ).status
    ).toBe(404);
  });

  it('streams job and quota events to the client that owns them', async () => {
    const controller = new AbortController();
    const response = await fetch(`${platform.base}/v2/vce/events/`, {
      headers: { authorization: `Bearer ${alice}` },
      signal: controller.signal
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    let text = '';
    const waitForText = async (pattern: RegExp) => {
      const deadline = Date.now() + 30_000;
      while (!pattern.test(text)) {
        if (Date.now() > deadline) throw new Error(`no ${pattern} in ${text}`);
        const { value } = await reader.read();
        text += Buffer.from(value!).toString();
      }
    };
    await waitForText(/event: quota\ndata: \{"type":"quota"/);
    const job = (
      await platform.submit(alice, 'ev.py', { 'ev.py': 'print("events")\n' })
    ).json().data;
    await waitForText(
      new RegExp(
        `"job_id":"${job.job_id}","status":"(approved|rejected|manual_review|reviewing)"`
      )
    );
    expect(text).toContain(`"job_id":"${job.job_id}","status":"queued"`);
    expect(text).toContain(`"job_id":"${job.job_id}","status":"running"`);
    // A test-stage query charges the quota: the stream says so at once.
    const used = (
      await platform.call('GET', '/v2/vce/quota/', { token: alice })
    ).json().data.used;
    await platform.call('POST', '/v2/vce/query/', {
      token: alice,
      json: { category: 'video', fields: 'id', limit: 7 }
    });
    await waitForText(
      new RegExp(
        `"type":"quota","day":"\\d{4}-\\d{2}-\\d{2}","daily_limit":5000,"used":${used + 7}`
      )
    );
    controller.abort();
    // Every event is the contract's PlatformEvent (openapi.yaml), named by its type.
    const events = assertEventStream(
      text.slice(0, text.lastIndexOf('\n\n') + 2)
    );
    expect(new Set(events.map(event => event.type))).toEqual(
      new Set(['job', 'quota'])
    );
  });

  it("refuses what a token may not do: a job's token outside the data, reviewers and researchers each on their own routes", async () => {
    const jobToken = platform.store.issueJobToken(ALICE.clientKey, new Date());
    const denied = await platform.call('GET', '/v2/vce/jobs/', {
      token: jobToken
    });
    expect(denied.status).toBe(403);
    expect(denied.json().error.message).toContain(
      "A job's access token can only read data"
    );
    expect(
      (await platform.call('GET', '/v2/vce/quota/', { token: jobToken })).status
    ).toBe(403);
    const reviewer = await platform.signIn(REVIEWER);
    expect(
      (await platform.submit(reviewer, 'r.py', { 'r.py': 'print(1)\n' })).status
    ).toBe(403);
    expect(
      (await platform.call('GET', '/v2/vce/review/jobs/', { token: alice }))
        .status
    ).toBe(403);
    expect(
      (await platform.call('GET', '/v2/vce/review/jobs/', { token: reviewer }))
        .status
    ).toBe(200);
    expect(
      (await platform.call('GET', '/v2/vce/me/', { token: reviewer })).json()
        .data.role
    ).toBe('reviewer');
  });

  it('keeps the jobs folder closed to other users and the submitted files byte for byte', () => {
    const root = join(platform.dataDir, 'jobs');
    expect(statSync(root).mode & 0o077).toBe(0);
    const jobs = readdirSync(root);
    expect(jobs.length).toBeGreaterThan(0);
    for (const jobId of jobs) {
      for (const file of platform.store.database
        .prepare('SELECT name, sha256 FROM job_files WHERE job_id = ?')
        .all(jobId) as { name: string; sha256: string }[]) {
        expect(
          sha256(readFileSync(join(root, jobId, 'submitted', file.name)))
        ).toBe(file.sha256);
      }
    }
  });
});

describe('bad submissions', () => {
  let platform: JobsPlatform;
  let alice: string;
  beforeAll(async () => {
    platform = await startJobsPlatform();
    alice = await platform.signIn(ALICE);
  });
  afterAll(async () => platform.close());

  const cases: [string, () => unknown, RegExp][] = [
    [
      'an empty script',
      () => ({ entry: 'a.py', files: [{ name: 'a.py', content_base64: '' }] }),
      /a\.py is empty/
    ],
    [
      'a wrong extension',
      () => ({
        entry: 'a.sh',
        files: [
          { name: 'a.sh', content_base64: Buffer.from('ls').toString('base64') }
        ]
      }),
      /must be a \.py file or a \.ipynb notebook/
    ],
    [
      'binary content',
      () => ({
        entry: 'a.py',
        files: [
          {
            name: 'a.py',
            content_base64: Buffer.from([0, 159, 146, 150]).toString('base64')
          }
        ]
      }),
      /looks binary/
    ],
    [
      'an invalid notebook',
      () => ({
        entry: 'n.ipynb',
        files: [
          {
            name: 'n.ipynb',
            content_base64: Buffer.from('{"cells": [').toString('base64')
          }
        ]
      }),
      /not valid JSON/
    ],
    [
      'a notebook without code',
      () => ({
        entry: 'n.ipynb',
        files: [
          {
            name: 'n.ipynb',
            content_base64: Buffer.from(
              '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}'
            ).toString('base64')
          }
        ]
      }),
      /no code cells/
    ],
    [
      'a path trick',
      () => ({
        entry: 'a.py',
        files: [
          { name: 'a.py', content_base64: 'eA==' },
          { name: '../../etc/passwd', content_base64: 'eA==' }
        ]
      }),
      /"\." or "\.\." part/
    ],
    [
      'an absolute path',
      () => ({
        entry: '/tmp/a.py',
        files: [{ name: '/tmp/a.py', content_base64: 'eA==' }]
      }),
      /absolute path/
    ],
    [
      'a hidden file',
      () => ({
        entry: 'a.py',
        files: [
          { name: 'a.py', content_base64: 'eA==' },
          { name: '.env', content_base64: 'eA==' }
        ]
      }),
      /hidden file/
    ],
    [
      'a backslash',
      () => ({
        entry: 'a.py',
        files: [
          { name: 'a.py', content_base64: 'eA==' },
          { name: '..\\x.py', content_base64: 'eA==' }
        ]
      }),
      /backslash/
    ],
    ['no files', () => ({ entry: 'a.py', files: [] }), /non-empty list/],
    [
      'an entry not among the files',
      () => ({
        entry: 'b.py',
        files: [{ name: 'a.py', content_base64: 'eA==' }]
      }),
      /not among the files/
    ],
    [
      'bad base64',
      () => ({
        entry: 'a.py',
        files: [{ name: 'a.py', content_base64: 'not base64!' }]
      }),
      /not standard base64/
    ],
    [
      'an oversized script',
      () => ({
        entry: 'a.py',
        files: [
          {
            name: 'a.py',
            content_base64: Buffer.alloc(3 * 1024 * 1024, 0x61).toString(
              'base64'
            )
          }
        ]
      }),
      /more than the 2097152 bytes/
    ],
    [
      'duplicate names',
      () => ({
        entry: 'a.py',
        files: [
          { name: 'a.py', content_base64: 'eA==' },
          { name: 'A.py', content_base64: 'eA==' }
        ]
      }),
      /appears twice/
    ]
  ];
  it.each(cases)(
    'refuses %s with a 400 that says what to do, and stores nothing',
    async (_name, body, message) => {
      const before = (
        await platform.call('GET', '/v2/vce/jobs/?page_size=100', {
          token: alice
        })
      ).json().data.jobs.length;
      const response = await platform.call('POST', '/v2/vce/jobs/', {
        token: alice,
        json: body()
      });
      expect(response.status).toBe(400);
      expect(response.json().error.code).toBe('invalid_params');
      expect(response.json().error.message).toMatch(message);
      expect(response.json().data.problems.length).toBeGreaterThan(0);
      const after = (
        await platform.call('GET', '/v2/vce/jobs/?page_size=100', {
          token: alice
        })
      ).json().data.jobs.length;
      expect(after).toBe(before);
    }
  );

  it('refuses a body over the size limit with 413, unknown job ids with 404, wrong methods with 405', async () => {
    const huge = Buffer.alloc(30 * 1024 * 1024, 0x61).toString('base64');
    const tooLarge = await platform.call('POST', '/v2/vce/jobs/', {
      token: alice,
      json: { entry: 'a.py', files: [{ name: 'a.py', content_base64: huge }] }
    });
    expect(tooLarge.status).toBe(413);
    expect(
      (await platform.call('GET', '/v2/vce/jobs/job_nope/', { token: alice }))
        .status
    ).toBe(404);
    expect(
      (
        await platform.call('POST', '/v2/vce/jobs/job_nope/cancel/', {
          token: alice
        })
      ).status
    ).toBe(404);
    expect(
      (await platform.call('DELETE', '/v2/vce/jobs/', { token: alice })).status
    ).toBe(405);
  });
});

describe('links expire', () => {
  it('answers 410 for an expired link, saying what to do', async () => {
    const platform = await startJobsPlatform({ jobs: { linkTtlSeconds: 1 } });
    try {
      const alice = await platform.signIn(ALICE);
      const job = (
        await platform.submit(alice, 'analysis.py', {
          'analysis.py': HONEST_SCRIPT
        })
      ).json().data;
      expect(
        (
          await platform.waitFor(alice, job.job_id, [
            'approved',
            'rejected',
            'failed'
          ])
        ).status
      ).toBe('approved');
      const mail = (
        await platform.call('GET', '/v2/vce/outbox/', { token: alice })
      ).json().data.messages[0];
      const path = /\/v2\/vce\/results\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
      await new Promise(resolve => setTimeout(resolve, 1100));
      const expired = await platform.call('GET', path);
      expect(expired.status).toBe(410);
      expect(expired.json().error.message).toMatch(
        /expired at .* download the results from the Data Clean Room panel/
      );
      // The signed-in download still works.
      expect(
        (
          await platform.call('GET', `/v2/vce/jobs/${job.job_id}/result/`, {
            token: alice
          })
        ).status
      ).toBe(200);
    } finally {
      await platform.close();
    }
  }, 60_000);
});
