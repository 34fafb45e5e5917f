import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const CLI = join(__dirname, '..', 'dist', 'cli.js');

/** Start the CLI and resolve with its address once it prints the listening line. */
function startCli(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let stderr = '';
  child.stderr.on('data', chunk => (stderr += chunk));
  const address = new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', line => {
      const match = /^vce-mock listening on (http:\/\/\S+)$/.exec(line);
      if (match) {
        resolve(match[1]);
      } else {
        reject(new Error(`unexpected stdout line: ${line}`));
      }
    });
    child.on('exit', code =>
      reject(new Error(`exited with ${code} before listening: ${stderr}`))
    );
  });
  const exited = new Promise<number | null>(resolve =>
    child.on('exit', code => resolve(code))
  );
  return { child, address, exited, stderr: () => stderr };
}

describe('vce-mock CLI', () => {
  beforeAll(() => {
    if (!existsSync(CLI)) {
      throw new Error(
        `${CLI} is missing: run "npm run build" before "npm test".`
      );
    }
  });
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vce-cli-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('listens on a free port, serves the API, and stops cleanly on SIGTERM', async () => {
    const cli = startCli([
      '--port',
      '0',
      '--data-dir',
      dir,
      '--videos',
      '2000',
      '--client',
      'lab-1:s3cret:pi@uni.example'
    ]);
    const base = await cli.address;
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const token = await fetch(`${base}/v2/oauth/token/`, {
      method: 'POST',
      body: new URLSearchParams({
        client_key: 'lab-1',
        client_secret: 's3cret',
        grant_type: 'client_credentials'
      })
    }).then(response => response.json() as Promise<{ access_token: string }>);
    const me = await fetch(`${base}/v2/vce/me/`, {
      headers: { authorization: `Bearer ${token.access_token}` }
    }).then(
      response =>
        response.json() as Promise<{
          data: { primary_researcher_email: string };
        }>
    );
    expect(me.data.primary_researcher_email).toBe('pi@uni.example');
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(statSync(join(dir, 'vce-mock.sqlite')).isFile()).toBe(true);
    expect(cli.stderr()).not.toContain('s3cret');
    expect(cli.stderr()).not.toContain(token.access_token);
  });

  it('registers a demo client once, prints its credentials, and keeps them across restarts', async () => {
    const first = startCli([
      '--port',
      '0',
      '--data-dir',
      dir,
      '--videos',
      '2000'
    ]);
    await first.address;
    first.child.kill('SIGTERM');
    await first.exited;
    const saved = JSON.parse(
      readFileSync(join(dir, 'demo-client.json'), 'utf8')
    );
    expect(statSync(join(dir, 'demo-client.json')).mode & 0o777).toBe(0o600);
    expect(first.stderr()).toContain(`client secret: ${saved.clientSecret}`);

    const second = startCli([
      '--port',
      '0',
      '--data-dir',
      dir,
      '--videos',
      '2000'
    ]);
    const base = await second.address;
    const response = await fetch(`${base}/v2/oauth/token/`, {
      method: 'POST',
      body: new URLSearchParams({
        client_key: saved.clientKey,
        client_secret: saved.clientSecret,
        grant_type: 'client_credentials'
      })
    });
    expect(response.status).toBe(200);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });

  it.each([
    [
      ['--client', 'no-secret'],
      '--client "no-secret" must be KEY:SECRET or KEY:SECRET:EMAIL.'
    ],
    [['--daily-limit', '-5'], '--daily-limit'],
    [
      ['--research-per-minute', '0'],
      '--research-per-minute must be a whole number from 1 to 1000000, not "0".'
    ],
    [['--colour'], "Unknown option '--colour'"]
  ])('exits with 2 on %j, saying what is wrong', (argv, message) => {
    const result = spawnSync(process.execPath, [CLI, ...argv], {
      encoding: 'utf8'
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('exits with 2 and a clear message on a bad flag', () => {
    const result = spawnSync(process.execPath, [CLI, '--port', 'eighty'], {
      encoding: 'utf8'
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      'vce-mock: --port must be a whole number from 0 to 65535, not "eighty".'
    );
    expect(result.stderr).toContain('vce-mock --help');
    expect(result.stdout).toBe('');
  });

  it('registers the researchers and reviewers of --clients-file, each with its project, secrets unprinted', async () => {
    const file = join(dir, 'team.json');
    writeFileSync(
      file,
      JSON.stringify({
        researchers: [
          {
            client_key: 'lab-a',
            client_secret: 'file-Secret-A',
            email: 'a@uni.example',
            project_name: 'Hashtags in 2024'
          }
        ],
        reviewers: [
          {
            client_key: 'rev-1',
            client_secret: 'file-Secret-R',
            email: 'rev@uni.example'
          }
        ]
      }),
      { mode: 0o600 }
    );
    const cli = startCli([
      '--port',
      '0',
      '--data-dir',
      join(dir, 'data'),
      '--videos',
      '2000',
      '--clients-file',
      file
    ]);
    const base = await cli.address;
    const bearer = async (key: string, secret: string) => {
      const token = await fetch(`${base}/v2/oauth/token/`, {
        method: 'POST',
        body: new URLSearchParams({
          client_key: key,
          client_secret: secret,
          grant_type: 'client_credentials'
        })
      }).then(response => response.json() as Promise<{ access_token: string }>);
      return { authorization: `Bearer ${token.access_token}` };
    };
    const me = await fetch(`${base}/v2/vce/me/`, {
      headers: await bearer('lab-a', 'file-Secret-A')
    }).then(
      response =>
        response.json() as Promise<{
          data: { primary_researcher_email: string; project: { name: string } };
        }>
    );
    expect(me.data.primary_researcher_email).toBe('a@uni.example');
    expect(me.data.project.name).toBe('Hashtags in 2024');
    const queue = await fetch(`${base}/v2/vce/review/jobs/`, {
      headers: await bearer('rev-1', 'file-Secret-R')
    });
    expect(queue.status).toBe(200);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    // A clients file replaces the demo client; no secret reaches the logs.
    expect(cli.stderr()).not.toContain('demo research client');
    expect(cli.stderr()).not.toMatch(/file-Secret|warning/);

    // The reviewer taken out of the file: at the next start it can no longer sign in.
    writeFileSync(
      file,
      JSON.stringify({
        researchers: [
          {
            client_key: 'lab-a',
            client_secret: 'file-Secret-A',
            email: 'a@uni.example'
          }
        ]
      })
    );
    const again = startCli([
      '--port',
      '0',
      '--data-dir',
      join(dir, 'data'),
      '--videos',
      '2000',
      '--clients-file',
      file
    ]);
    const restarted = await again.address;
    const refused = await fetch(`${restarted}/v2/oauth/token/`, {
      method: 'POST',
      body: new URLSearchParams({
        client_key: 'rev-1',
        client_secret: 'file-Secret-R',
        grant_type: 'client_credentials'
      })
    });
    expect(refused.status).toBe(401);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
    expect(again.stderr()).toContain(
      'removed 1 client(s) no longer in the clients file: rev-1'
    );
    expect(again.stderr()).not.toMatch(/file-Secret/);
  });

  it('exits with 2 on a bad --clients-file, naming the file and the entry', () => {
    const file = join(dir, 'team.json');
    writeFileSync(
      file,
      JSON.stringify({
        researchers: [{ client_key: 'lab-a', client_secret: 'hidden-1' }]
      })
    );
    chmodSync(file, 0o644);
    const result = spawnSync(
      process.execPath,
      [CLI, '--clients-file', file, '--data-dir', dir],
      { encoding: 'utf8' }
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      `vce-mock: warning: --clients-file ${file}`
    );
    expect(result.stderr).toContain(
      `vce-mock: --clients-file ${file}: researchers[0] needs "email" (a string).`
    );
    expect(result.stderr).not.toContain('hidden-1');
    expect(result.stdout).toBe('');
  });

  it('prints its usage with --help', () => {
    const result = spawnSync(process.execPath, [CLI, '--help'], {
      encoding: 'utf8'
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--client KEY:SECRET[:EMAIL]');
    expect(result.stdout).toContain('--clients-file FILE');
  });
});
