import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allowedRoute } from '../../src/runner/gateway';
import { ALICE } from '../helpers/helpers';
import {
  BOB,
  HONEST_SCRIPT,
  REVIEWER,
  startJobsPlatform,
  type JobsPlatform
} from '../helpers/jobs-helpers';

/**
 * Regression tests of a security review: each attack a job script (or a
 * caller) tried, and what the platform must do instead.
 */

let platform: JobsPlatform;
let alice: string;
let bob: string;

beforeAll(async () => {
  platform = await startJobsPlatform();
  alice = await platform.signIn(ALICE);
  bob = await platform.signIn(BOB);
});
afterAll(async () => platform.close());

const FINAL = [
  'approved',
  'rejected',
  'failed',
  'timed_out',
  'cancelled',
  'manual_review'
];
const run = async (token: string, script: string, entry = 'attack.py') => {
  const submitted = await platform.submit(token, entry, { [entry]: script });
  expect(submitted.status).toBe(201);
  return platform.waitFor(token, submitted.json().data.job_id, FINAL);
};

describe("a job's query tasks", () => {
  it("are the job's alone: the researcher's own token cannot page them", async () => {
    const job = await run(
      alice,
      `from pyrqs import rqs
c = rqs.RQSClient()
print("ref", c.create_query_task(category="video", fields="id,username,video_description"))
`
    );
    // The id went out through stdout (approved: it is no identifier); it opens nothing.
    expect(job.status).toBe('approved');
    const zip = (
      await platform.call('GET', `/v2/vce/jobs/${job.job_id}/result/`, {
        token: alice
      })
    ).body;
    const zipPath = join(platform.dataDir, 't1.zip');
    writeFileSync(zipPath, zip);
    const taskId = /ref (\S+)/.exec(
      execFileSync('unzip', [
        '-p',
        zipPath,
        'results/logs/stdout.txt'
      ]).toString()
    )![1];
    const read = await platform.call(
      'GET',
      `/v2/vce/query_tasks/${taskId}/result/?page_size=100000`,
      { token: alice }
    );
    expect(read.status).toBe(404);
    expect(
      (
        await platform.call('GET', `/v2/vce/query_tasks/${taskId}/`, {
          token: alice
        })
      ).status
    ).toBe(404);
  });
});

describe("a job's outputs", () => {
  it("cannot point output/ at another job's results or the platform's files", async () => {
    const honest = await run(bob, HONEST_SCRIPT);
    expect(honest.status).toBe('approved');
    for (const target of [
      `../../${honest.job_id}/work/output`,
      '../../..',
      '/etc'
    ]) {
      const job = await run(
        alice,
        `import os, shutil\nshutil.rmtree("output")\nos.symlink(${JSON.stringify(target)}, "output")\n`
      );
      expect(job.status).toBe('rejected');
      expect(JSON.stringify(job.verdict.findings)).toMatch(
        /output is not a folder/
      );
      expect(job.outputs).toEqual([]);
      expect(JSON.stringify(job)).not.toMatch(
        /vce-mock\.sqlite|attestation-private|videos_by_region/
      );
    }
  });

  it('leaves links, hard links and unportable names behind, and the platform stays up', async () => {
    const job = await run(
      alice,
      `import os
open("output/ok.csv", "w").write("region_code,count\\nUS,40\\n")
os.symlink("/etc/hostname", "output/link.csv")
os.link("output/ok.csv", "output/hard.csv")
open("output/a\\\\..\\\\..\\\\x.csv", "w").write("region_code,count\\nUS,40\\n")
`
    );
    expect(job.status).toBe('rejected');
    const messages = job.verdict.findings
      .map((finding: { message: string }) => finding.message)
      .join('\n');
    expect(messages).toMatch(/link\.csv is not a regular file/);
    expect(messages).toMatch(/hard\.csv is a hard link|ok\.csv is a hard link/);
    expect(messages).toMatch(/name with characters that cannot be released/);
    // Still answering, and the next honest job goes through.
    expect((await run(alice, HONEST_SCRIPT)).status).toBe('approved');
  });

  it("are not listed for a rejected job (their names, sizes and hashes are the script's choice)", async () => {
    const job = await run(
      alice,
      'open("output/7100000000046266.txt", "w").write("x" * 1234)\nprint([1, 2, 3])\n' +
        'from pyrqs import rqs\nfor r in rqs.RQSClient().query(category="video", fields="id", limit=5):\n    print(r["id"])\n'
    );
    expect(job.status).toBe('rejected');
    expect(job.outputs).toEqual([]);
  });
});

describe('the failure report', () => {
  it('names only a file of the job', async () => {
    const job = await run(
      alice,
      `import os, json
os.write(3, (json.dumps({"type": "ValueError", "line": 4242, "file": "alice_smith 7123456789012345"}) + "\\n").encode())
raise SystemExit(1)
`
    );
    expect(job.status).toBe('failed');
    expect(JSON.stringify(job)).not.toContain('alice_smith');
    expect(job.failure?.file ?? null).toBeNull();
  });
});

describe("the job's data gateway", () => {
  it('only opens the exact data routes', () => {
    expect(allowedRoute('POST', '/v2/vce/query/')).toBe(true);
    expect(allowedRoute('GET', '/v2/vce/query_tasks/qt_1/result/')).toBe(true);
    for (const [method, path] of [
      ['GET', '/v2/vce/jobs/'],
      ['GET', '/v2/vce/query_tasks/%2e%2e/%2e%2e/jobs/'],
      ['GET', '/v2/vce/query_tasks/qt_1/resul%74/'],
      ['GET', '/v2/vce/query_tasks/../jobs/'],
      ['POST', '/v2/vce/query'],
      ['GET', '/v2/vce/query/']
    ]) {
      expect(allowedRoute(method, path)).toBe(false);
    }
  });

  it("keeps a test run's token to the data, even past the gateway", async () => {
    const script = `import http.client, os, socket, json
class C(http.client.HTTPConnection):
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX); self.sock.connect(os.environ["RQS_API_URL"][5:])
seen = []
for path in ["/v2/vce/jobs/", "/v2/vce/query_tasks/%2e%2e/%2e%2e/jobs/", "/v2/vce/quota/"]:
    c = C("localhost"); c.request("GET", path, headers={"Authorization": "Bearer " + os.environ["RQS_ACCESS_TOKEN"]})
    seen.append(c.getresponse().status)
print(json.dumps(seen))
`;
    const job = await run(alice, script, 'probe.py');
    expect(job.status).toBe('approved');
    const zipPath = join(platform.dataDir, 'probe.zip');
    writeFileSync(
      zipPath,
      (
        await platform.call('GET', `/v2/vce/jobs/${job.job_id}/result/`, {
          token: alice
        })
      ).body
    );
    expect(
      JSON.parse(
        execFileSync('unzip', [
          '-p',
          zipPath,
          'results/logs/stdout.txt'
        ]).toString()
      )
    ).toEqual([403, 403, 403]);
    const token = platform.store.issueTestRunToken(
      ALICE.clientKey,
      new Date(),
      60,
      job.job_id
    );
    // Straight to the platform with such a token: only data routes answer.
    expect(
      (await platform.call('GET', '/v2/vce/jobs/', { token })).status
    ).toBe(403);
    expect(
      (
        await platform.call('POST', '/v2/vce/query/', {
          token,
          json: { category: 'video', fields: 'id', limit: 1 }
        })
      ).status
    ).toBe(200);
  });
});

describe('reviewers', () => {
  it('decide a job once: two approvals at the same moment give one 200 and one 409, and one intact release', async () => {
    const job = await run(
      alice,
      'open("output/plot.png", "wb").write(bytes([0x89, 0x50, 0x4e, 0x47]))\n'
    );
    expect(job.status).toBe('reviewing');
    const reviewer = await platform.signIn(REVIEWER);
    const decide = () =>
      platform.call('POST', `/v2/vce/review/jobs/${job.job_id}/decision/`, {
        token: reviewer,
        json: { decision: 'approve', reason: 'A bar chart of counts over 10.' }
      });
    const answers = await Promise.all([decide(), decide()]);
    expect(answers.map(answer => answer.status).sort()).toEqual([200, 409]);
    const download = await platform.call(
      'GET',
      `/v2/vce/jobs/${job.job_id}/result/`,
      { token: alice }
    );
    expect(download.status).toBe(200);
    expect(download.headers.get('x-content-sha256')).toBe(
      createHash('sha256').update(download.body).digest('hex')
    );
    expect(
      readdirSync(join(platform.dataDir, 'releases')).filter(name =>
        name.endsWith('.tmp')
      )
    ).toEqual([]);
  });
});

describe('submissions', () => {
  it.each([
    [
      'a file and a folder of the same name',
      { a: 'x = 1\n', 'a/b.py': 'y = 2\n', 'main.py': 'print(1)\n' },
      /both a file and a folder/
    ],
    [
      'old results in output/',
      { 'output/old.csv': 'a\n', 'main.py': 'print(1)\n' },
      /output\/ is where the job writes/
    ]
  ])('refuses %s with a 400 and stores nothing', async (_, files, message) => {
    const before = existsSync(join(platform.dataDir, 'jobs'))
      ? readdirSync(join(platform.dataDir, 'jobs')).length
      : 0;
    const answer = await platform.submit(
      alice,
      'main.py',
      files as Record<string, string>
    );
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.json())).toMatch(message);
    expect(readdirSync(join(platform.dataDir, 'jobs')).length).toBe(before);
  });
});
