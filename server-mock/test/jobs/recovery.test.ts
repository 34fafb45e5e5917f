import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { waitUntil } from '../helpers/cli-process';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const CLIENT = {
  key: 'lab-9',
  secret: 'nine-secret',
  email: 'pi9@uni.example'
};

function startCli(dataDir: string): {
  child: ChildProcess;
  address: Promise<string>;
} {
  const child = spawn(
    process.execPath,
    [
      CLI,
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--videos',
      '2000',
      '--job-workers',
      '1',
      '--client',
      `${CLIENT.key}:${CLIENT.secret}:${CLIENT.email}`
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  );
  let stderr = '';
  child.stderr!.on('data', chunk => (stderr += chunk));
  const address = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', line => {
      const match = /^vce-mock listening on (http:\/\/\S+)$/.exec(line);
      if (match) resolve(match[1]);
    });
    child.on('exit', code =>
      reject(new Error(`exited with ${code} before listening: ${stderr}`))
    );
  });
  return { child, address };
}

async function token(base: string): Promise<string> {
  const response = await fetch(`${base}/v2/oauth/token/`, {
    method: 'POST',
    body: new URLSearchParams({
      client_key: CLIENT.key,
      client_secret: CLIENT.secret,
      grant_type: 'client_credentials'
    })
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function api(
  base: string,
  bearer: string,
  method: string,
  path: string,
  body?: unknown
): Promise<any> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(body ? { 'content-type': 'application/json' } : {})
    },
    body: body ? JSON.stringify(body) : undefined
  });
  return response.json();
}

const script = (seconds: number, name: string) =>
  `import csv, time\ntime.sleep(${seconds})\nwith open("output/${name}.csv", "w", newline="") as f:\n    w = csv.writer(f)\n    w.writerow(["group", "n"])\n    w.writerow(["all", 2000])\n`;

describe('durability: kill -9 with jobs queued and running', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  beforeAll(() => {
    if (!existsSync(CLI))
      throw new Error(
        `${CLI} is missing: run "npm run build" before "npm test".`
      );
    dir = mkdtempSync(join(tmpdir(), 'vce-recovery-'));
  });
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('accounts for every job after a restart: re-run, finished, never released twice', async () => {
    const first = startCli(dir);
    children.push(first.child);
    const base = await first.address;
    const bearer = await token(base);
    const ids: string[] = [];
    for (const [index, seconds] of [3, 0, 0].entries()) {
      const name = `part${index}`;
      const job = await api(base, bearer, 'POST', '/v2/vce/jobs/', {
        entry: `${name}.py`,
        files: [
          {
            name: `${name}.py`,
            content_base64: Buffer.from(script(seconds, name)).toString(
              'base64'
            )
          }
        ]
      });
      ids.push(job.data.job_id);
    }
    await waitUntil(
      () => api(base, bearer, 'GET', `/v2/vce/jobs/${ids[0]}/`),
      job => job.data.status === 'running'
    );
    expect(
      (await api(base, bearer, 'GET', `/v2/vce/jobs/${ids[1]}/`)).data.status
    ).toBe('queued');

    first.child.kill('SIGKILL');
    await new Promise(resolve => first.child.once('exit', resolve));

    const second = startCli(dir);
    children.push(second.child);
    const base2 = await second.address;
    const bearer2 = await token(base2);
    const finals = [];
    for (const id of ids) {
      finals.push(
        (
          await waitUntil(
            () => api(base2, bearer2, 'GET', `/v2/vce/jobs/${id}/`),
            job =>
              [
                'approved',
                'rejected',
                'failed',
                'cancelled',
                'timed_out'
              ].includes(job.data.status)
          )
        ).data
      );
    }
    expect(finals.map(job => job.status)).toEqual([
      'approved',
      'approved',
      'approved'
    ]);
    expect(finals[0].attempts).toBe(2);
    expect(
      finals[0].history.map((entry: { status: string }) => entry.status)
    ).toEqual([
      'submitted',
      'queued',
      'running',
      'queued',
      'running',
      'reviewing',
      'approved'
    ]);
    expect(finals[0].history[3].note).toMatch(/restarted during the run/);
    second.child.kill('SIGTERM');
    await new Promise(resolve => second.child.once('exit', resolve));

    const db = new Database(join(dir, 'vce-mock.sqlite'), { readonly: true });
    const releases = db
      .prepare('SELECT job_id, count(*) AS n FROM releases GROUP BY job_id')
      .all() as { n: number }[];
    const mails = db
      .prepare('SELECT job_id, count(*) AS n FROM mail GROUP BY job_id')
      .all() as { n: number }[];
    db.close();
    expect(releases).toHaveLength(3);
    expect(releases.every(row => row.n === 1)).toBe(true);
    expect(mails).toHaveLength(3);
    expect(mails.every(row => row.n === 1)).toBe(true);
  }, 120_000);
});
