/**
 * The two servers the soak loads, started as a lab would run them: the
 * stand-in's built CLI (`server-mock/dist/cli.js`) on a fresh data folder with
 * a clients file, and `jupyter server` from `.venv` with the extension,
 * pointed at it (`RQS_API_URL`) and signed in as the lab's client. Each runs
 * in a process group of its own, so stopping it stops its children (job
 * sandboxes, the kernel). Also: a process's resident memory, from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './http';
import { stopGroup } from '../process-group';

export interface Server {
  name: string;
  child: ChildProcess;
  pid: number;
  url: string;
  log: string;
}

const READY_TIMEOUT_MS = 180_000;

/** Start `command` in its own process group, its output to `log`. */
function start(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  log: string
): ChildProcess {
  const child = spawn(command, args, {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe']
  });
  const out = createWriteStream(log);
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  child.on('error', error => out.write(`${name}: ${error.message}\n`));
  return child;
}

async function until(
  name: string,
  child: ChildProcess,
  log: string,
  ready: () => Promise<boolean>
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited before it was ready; see ${log}`);
    }
    if (await ready().catch(() => false)) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${name} was not ready after ${READY_TIMEOUT_MS / 1000} s; see ${log}`
      );
    }
    await sleep(250);
  }
}

export async function startStandIn(options: {
  root: string;
  dataDir: string;
  clientsFile: string;
  port: number;
  videos: number;
  dailyLimit: number;
  log: string;
}): Promise<Server> {
  const url = `http://127.0.0.1:${options.port}`;
  const child = start(
    'the stand-in',
    process.execPath,
    [
      join(options.root, 'server-mock/dist/cli.js'),
      '--port',
      String(options.port),
      '--data-dir',
      options.dataDir,
      '--clients-file',
      options.clientsFile,
      '--videos',
      String(options.videos),
      '--daily-limit',
      String(options.dailyLimit)
    ],
    { ...process.env },
    options.root,
    options.log
  );
  await until('the stand-in', child, options.log, async () =>
    readFileSync(options.log, 'utf8').includes('vce-mock listening on')
  );
  return {
    name: 'stand-in (vce-mock)',
    child,
    pid: child.pid!,
    url,
    log: options.log
  };
}

export async function startJupyter(options: {
  root: string;
  workDir: string;
  runtimeDir: string;
  configDir: string;
  port: number;
  token: string;
  platformUrl: string;
  clientKey: string;
  clientSecret: string;
  log: string;
}): Promise<Server> {
  const url = `http://127.0.0.1:${options.port}`;
  const venvBin = join(options.root, '.venv/bin');
  const args = [
    'server',
    '--no-browser',
    `--port=${options.port}`,
    '--ServerApp.port_retries=0',
    '--ServerApp.ip=127.0.0.1',
    `--ServerApp.root_dir=${options.workDir}`,
    `--IdentityProvider.token=${options.token}`
  ];
  if (process.getuid?.() === 0) {
    args.push('--allow-root');
  }
  const child = start(
    'the Jupyter server',
    join(venvBin, 'jupyter'),
    args,
    {
      ...process.env,
      PATH: `${venvBin}:${process.env.PATH ?? ''}`,
      JUPYTER_RUNTIME_DIR: options.runtimeDir,
      // No user configuration: only .venv's (where the extension is enabled) and the flags above.
      JUPYTER_CONFIG_DIR: options.configDir,
      RQS_API_URL: options.platformUrl,
      RQS_CLIENT_KEY: options.clientKey,
      RQS_CLIENT_SECRET: options.clientSecret
    },
    options.workDir,
    options.log
  );
  await until('the Jupyter server', child, options.log, async () => {
    const response = await fetch(`${url}/vce/api/status`, {
      headers: { authorization: `token ${options.token}` }
    });
    return response.ok;
  });
  return {
    name: 'Jupyter server (jupyterlab_vce)',
    child,
    pid: child.pid!,
    url,
    log: options.log
  };
}

/** SIGTERM to the server's process group, SIGKILL after 10 s if it is still there. */
export function stop(server: Server): Promise<void> {
  return stopGroup(server);
}

/** The process's resident set (VmRSS) in MiB, or NaN when it is gone. */
export function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return kb ? Number(kb[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * The kernel token: what the extension gives kernels (`RQS_ACCESS_TOKEN`),
 * and holds nowhere else a client can read. The soak starts one kernel through
 * Jupyter's REST API and reads the variable from that kernel's environment
 * (/proc/<pid>/environ, as a process of the same user may): exactly what
 * pyrqs in that kernel would send to the kernel route.
 */
export async function kernelToken(
  jupyter: Server,
  token: string
): Promise<{ kernelId: string; accessToken: string }> {
  const response = await fetch(`${jupyter.url}/api/kernels`, {
    method: 'POST',
    headers: {
      authorization: `token ${token}`,
      'content-type': 'application/json'
    },
    body: JSON.stringify({ name: 'python3' })
  });
  if (!response.ok) {
    throw new Error(
      `starting a kernel answered ${response.status}: ${await response.text()}`
    );
  }
  const { id } = (await response.json()) as { id: string };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    for (const pid of childrenOf(jupyter.pid)) {
      const cmdline = safeRead(`/proc/${pid}/cmdline`);
      if (!cmdline.includes(id)) {
        continue;
      }
      const variable = safeRead(`/proc/${pid}/environ`)
        .split('\0')
        .find(entry => entry.startsWith('RQS_ACCESS_TOKEN='));
      if (variable) {
        return {
          kernelId: id,
          accessToken: variable.slice('RQS_ACCESS_TOKEN='.length)
        };
      }
    }
    await sleep(200);
  }
  throw new Error(
    `kernel ${id} never showed RQS_ACCESS_TOKEN in its environment`
  );
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
    const stat = safeRead(`/proc/${entry}/stat`);
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === pid) {
      children.push(Number(entry));
    }
  }
  return children;
}
