/**
 * The embedded platform's effect on the server's readiness: the time from
 * spawning `jupyter lab` to its HTTP answering `/api/status`, with the
 * embedded platform on (no RQS_API_URL: the server starts the stand-in) and
 * off (RQS_API_URL at a stand-in already running). Also, after it answers,
 * when `/vce/api/status` first says `connected` (the platform answers).
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { launch, sleep, stop, type Home } from './servers';

export interface Readiness {
  /** ms from spawn to /api/status answering 200. */
  readyMs: number;
  /** ms from spawn to /vce/api/status saying `connected`. */
  connectedMs: number;
  /** The platform states /vce/api/status said on the way (in order, without repeats). */
  states: string[];
}

const TIMEOUT_MS = 120_000;

export async function readinessRun(options: {
  root: string;
  home: Home;
  port: number;
  token: string;
  env: NodeJS.ProcessEnv;
  log: string;
}): Promise<Readiness> {
  const { home, port, token } = options;
  const args = [
    'lab',
    '--no-browser',
    `--port=${port}`,
    '--ServerApp.port_retries=0',
    '--ServerApp.ip=127.0.0.1',
    `--ServerApp.root_dir=${home.work}`,
    `--IdentityProvider.token=${token}`
  ];
  if (process.getuid?.() === 0) {
    args.push('--allow-root');
  }
  const url = `http://127.0.0.1:${port}`;
  const headers = { authorization: `token ${token}` };
  const t0 = performance.now();
  const proc = launch(
    join(options.root, '.venv/bin/jupyter'),
    args,
    { ...home.env, ...options.env },
    home.work,
    options.log
  );
  try {
    const deadline = Date.now() + TIMEOUT_MS;
    const ask = async (path: string): Promise<Response | null> => {
      try {
        return await fetch(url + path, { headers });
      } catch {
        return null; // not listening yet
      }
    };
    let readyMs = NaN;
    while (Number.isNaN(readyMs)) {
      const response = await ask('/api/status');
      if (response?.ok) {
        readyMs = performance.now() - t0;
      } else if (Date.now() > deadline || proc.child.exitCode !== null) {
        throw new Error(
          `jupyter lab never answered /api/status; see ${proc.log}`
        );
      } else {
        await sleep(10);
      }
    }
    const states: string[] = [];
    for (;;) {
      const response = await ask('/vce/api/status');
      if (response?.status === 404) {
        throw new Error(`the server extension is not loaded; see ${proc.log}`);
      }
      const state = response?.ok
        ? ((await response.json()) as { platform: { state: string } }).platform
            .state
        : 'no answer';
      if (states[states.length - 1] !== state) {
        states.push(state);
      }
      if (state === 'connected') {
        return { readyMs, connectedMs: performance.now() - t0, states };
      }
      if (Date.now() > deadline) {
        throw new Error(
          `the platform never connected (${states.join(' → ')}); see ${proc.log}`
        );
      }
      await sleep(25);
    }
  } finally {
    await stop(proc);
  }
}
