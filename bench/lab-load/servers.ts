/**
 * The processes the bench runs: JupyterLab servers from the checkout's `.venv`,
 * each in a temporary home of its own (no user configuration), and the
 * platform stand-in (`server-mock/dist/cli.js`). Each runs in a process group
 * of its own, so stopping it stops its children (the embedded stand-in).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync
} from 'node:fs';
import { join } from 'node:path';
import { stopGroup } from '../process-group';

export interface Proc {
  child: ChildProcess;
  pid: number;
  log: string;
}

export interface Lab extends Proc {
  url: string;
  token: string;
}

export const sleep = (ms: number): Promise<void> =>
  new Promise(resolve => setTimeout(resolve, ms));

const READY_TIMEOUT_MS = 180_000;

function launch(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  log: string
): Proc {
  const child = spawn(command, args, {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe']
  });
  const out = createWriteStream(log);
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  child.on('error', error => out.write(`spawn: ${error.message}\n`));
  return { child, pid: child.pid!, log };
}

function exited(proc: Proc): boolean {
  return proc.child.exitCode !== null || proc.child.signalCode !== null;
}

/** Poll `ready` every `everyMs` until it says yes; throws when the process ends or time runs out. */
export async function until(
  what: string,
  proc: Proc,
  ready: () => Promise<boolean>,
  everyMs = 250
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited(proc)) {
      throw new Error(`${what} exited before it was ready; see ${proc.log}`);
    }
    if (await ready().catch(() => false)) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} was not ready in time; see ${proc.log}`);
    }
    await sleep(everyMs);
  }
}

/** SIGTERM to the process group, SIGKILL after 10 s if it is still there. */
export async function stop(proc: Proc): Promise<void> {
  if (!exited(proc)) {
    await stopGroup(proc);
  }
}

/** The platform variables a lab must not inherit from this shell. */
const PLATFORM_ENV = [
  'RQS_API_URL',
  'RQS_CLIENT_KEY',
  'RQS_CLIENT_SECRET',
  'RQS_ACCESS_TOKEN',
  'RQS_PIP_INDEX_URL',
  'VCE_MOCK_BIN',
  'VCE_MOCK_CLIENT'
];

/** A temporary home: Jupyter's config, data and runtime folders inside, a work folder. */
export interface Home {
  dir: string;
  work: string;
  env: NodeJS.ProcessEnv;
}

export function makeHome(
  root: string,
  dir: string,
  extra: NodeJS.ProcessEnv = {}
): Home {
  const work = join(dir, 'work');
  mkdirSync(work, { recursive: true });
  mkdirSync(join(dir, '.jupyter'), { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of PLATFORM_ENV) {
    delete env[name];
  }
  Object.assign(env, {
    HOME: dir,
    PATH: `${join(root, '.venv/bin')}:${process.env.PATH ?? ''}`,
    JUPYTER_CONFIG_DIR: join(dir, '.jupyter'),
    JUPYTER_DATA_DIR: join(dir, '.local/share/jupyter'),
    JUPYTER_RUNTIME_DIR: join(dir, 'runtime'),
    JUPYTER_PLATFORM_DIRS: '1',
    ...extra
  });
  return { dir, work, env };
}

/** Jupyter's labextension folders as the `.venv` sees them (for `home`). */
function labextensionDirs(root: string, home: Home): string[] {
  const out = execFileSync(
    join(root, '.venv/bin/python'),
    [
      '-c',
      'import json; from jupyter_core.paths import jupyter_path; ' +
        "print(json.dumps(jupyter_path('labextensions')))"
    ],
    { env: home.env, encoding: 'utf8' }
  );
  return JSON.parse(out) as string[];
}

/**
 * A labextensions folder holding every prebuilt extension the `.venv` has but
 * jupyterlab-vce (links), plus `vce` (its built folder) when given: the lab
 * with it and the lab where it is ABSENT differ in that one extension only.
 */
export function labextensionsFolder(
  root: string,
  home: Home,
  into: string,
  vce: string | null
): string[] {
  mkdirSync(into, { recursive: true });
  const others: string[] = [];
  const link = (source: string, name: string) => {
    const target = join(into, name);
    if (!existsSync(target)) {
      mkdirSync(join(target, '..'), { recursive: true });
      symlinkSync(source, target);
      others.push(name);
    }
  };
  for (const dir of labextensionDirs(root, home)) {
    if (!existsSync(dir)) {
      continue;
    }
    for (const entry of readdirSync(dir)) {
      const names = entry.startsWith('@')
        ? readdirSync(join(dir, entry)).map(name => `${entry}/${name}`)
        : [entry];
      for (const name of names) {
        if (name !== 'jupyterlab-vce') {
          link(join(dir, name), name);
        }
      }
    }
  }
  if (vce !== null) {
    symlinkSync(vce, join(into, 'jupyterlab-vce'));
  }
  return others;
}

export async function startLab(options: {
  root: string;
  home: Home;
  port: number;
  token: string;
  labextensions: string;
  serverExtension: boolean;
  log: string;
}): Promise<Lab> {
  const { home, port, token } = options;
  const config = {
    ServerApp: {
      jpserver_extensions: { jupyterlab_vce: options.serverExtension }
    },
    LabApp: {
      labextensions_path: [options.labextensions],
      expose_app_in_browser: true
    }
  };
  writeFileSync(
    join(home.dir, '.jupyter/jupyter_server_config.json'),
    JSON.stringify(config, null, 2)
  );
  const args = [
    'lab',
    '--no-browser',
    `--port=${port}`,
    '--ServerApp.port_retries=0',
    '--ServerApp.ip=127.0.0.1',
    `--ServerApp.root_dir=${home.work}`,
    `--IdentityProvider.token=${token}`,
    '--LabApp.expose_app_in_browser=True',
    `--LabApp.labextensions_path=${options.labextensions}`
  ];
  if (process.getuid?.() === 0) {
    args.push('--allow-root');
  }
  const proc = launch(
    join(options.root, '.venv/bin/jupyter'),
    args,
    home.env,
    home.work,
    options.log
  );
  const url = `http://127.0.0.1:${port}`;
  await until('JupyterLab', proc, async () => {
    const response = await fetch(`${url}/api/status`, {
      headers: { authorization: `token ${token}` }
    });
    return response.ok;
  });
  return { ...proc, url, token };
}

/** `GET /vce/api/status` of a lab: its platform state, or null when the route is absent. */
export async function vceState(lab: Lab): Promise<string | null> {
  const response = await fetch(`${lab.url}/vce/api/status`, {
    headers: { authorization: `token ${lab.token}` }
  });
  if (response.status === 404) {
    return null;
  }
  const status = (await response.json()) as { platform: { state: string } };
  return status.platform.state;
}

export async function startStandIn(options: {
  root: string;
  dataDir: string;
  port: number;
  client: string;
  log: string;
}): Promise<Proc & { url: string }> {
  mkdirSync(options.dataDir, { recursive: true });
  const proc = launch(
    process.execPath,
    [
      join(options.root, 'server-mock/dist/cli.js'),
      '--host',
      '127.0.0.1',
      '--port',
      String(options.port),
      '--data-dir',
      options.dataDir
    ],
    { ...process.env, VCE_MOCK_CLIENT: options.client },
    options.root,
    options.log
  );
  await until('the stand-in', proc, async () =>
    readFileSync(options.log, 'utf8').includes('vce-mock listening on')
  );
  return { ...proc, url: `http://127.0.0.1:${options.port}` };
}

export { launch };
