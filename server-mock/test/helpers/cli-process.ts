import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The built CLI (`vce-mock`, dist/cli.js) as a child process on a data folder,
 * for the tests that kill it (-9) and start it again on the same folder.
 */

export const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

export const CLI_CLIENT = {
  key: 'lab-18',
  secret: 'eighteen-secret',
  email: 'pi18@uni.example'
};

export const FINAL_JOB_STATUSES = [
  'approved',
  'rejected',
  'failed',
  'cancelled',
  'timed_out'
];
export const FINAL_TASK_STATUSES = ['Completed', 'AnalysisFailed', 'Cancelled'];

export function requireBuiltCli(): void {
  if (!existsSync(CLI)) {
    throw new Error(
      `${CLI} is missing: run "npm run build" before "npm test".`
    );
  }
}

export interface RunningCli {
  child: ChildProcess;
  base: string;
  bearer: string;
  /** kill -9, and wait until it is gone. */
  kill(): Promise<void>;
  /** SIGTERM (a clean stop), and wait until it is gone. */
  stop(): Promise<void>;
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>(resolve => child.once('exit', () => resolve()));

/** Start the CLI on `dataDir` (port 0) and sign in as CLI_CLIENT. */
export async function startCli(
  dataDir: string,
  extra: string[] = []
): Promise<RunningCli> {
  const child = spawn(
    process.execPath,
    [
      CLI,
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--client',
      `${CLI_CLIENT.key}:${CLI_CLIENT.secret}:${CLI_CLIENT.email}`,
      ...extra
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  );
  let stderr = '';
  child.stderr!.on('data', chunk => (stderr += chunk));
  const base = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', line => {
      const match = /^vce-mock listening on (http:\/\/\S+)$/.exec(line);
      if (match) resolve(match[1]);
    });
    child.on('exit', code =>
      reject(new Error(`exited with ${code} before listening: ${stderr}`))
    );
  });
  child.stdout!.resume();
  const response = await fetch(`${base}/v2/oauth/token/`, {
    method: 'POST',
    body: new URLSearchParams({
      client_key: CLI_CLIENT.key,
      client_secret: CLI_CLIENT.secret,
      grant_type: 'client_credentials'
    })
  });
  const bearer = ((await response.json()) as { access_token: string })
    .access_token;
  return {
    child,
    base,
    bearer,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
    }
  };
}

/** A JSON call as the client; the status and the parsed body. */
export async function api(
  cli: RunningCli,
  method: string,
  path: string,
  body?: unknown
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${cli.base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${cli.bearer}`,
      ...(body ? { 'content-type': 'application/json' } : {})
    },
    body: body ? JSON.stringify(body) : undefined
  });
  return { status: response.status, body: await response.json() };
}

/** A submission body: one Python file. */
export function submission(name: string, source: string) {
  return {
    entry: name,
    files: [{ name, content_base64: Buffer.from(source).toString('base64') }]
  };
}

/** Poll `what` until `done`, every 150 ms, at most `timeoutMs`. */
export async function waitUntil<T>(
  what: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await what();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting; last: ${JSON.stringify(value)}`);
    await new Promise(resolve => setTimeout(resolve, 150));
  }
}
