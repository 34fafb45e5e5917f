/**
 * The soak bench (issue 18, "What to build" 5; not in the test command):
 * simulated researchers against one stand-in and one Jupyter server with the
 * extension, for a while, then the table (report.ts).
 *
 *   npm run bench:soak                                  50 researchers, 10 minutes
 *   npm run bench:soak -- --minutes 1 --researchers 5   a short run
 *
 * Needs the setup (`bash scripts/setup.sh`: .venv, the stand-in built). Exits
 * 1 when a goal is missed (an error, or memory grown past 50 MiB), 2 on a
 * usage error.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Api, sleep } from './http';
import { loadScripts } from './jobs';
import { parseOptions, USAGE, UsageError, type SoakOptions } from './options';
import {
  kernelToken,
  rssMiB,
  startJupyter,
  startStandIn,
  stop,
  type Server
} from './processes';
import { seeded } from './random';
import { formatReport, sum, verdict, type MemoryFigures } from './report';
import { runResearcher } from './researcher';
import { Stats } from './stats';

const ROOT = resolve(__dirname, '../..');
const LAB_CLIENT = 'soak-lab';
const MEMORY_SAMPLE_MS = 5000;
const PROGRESS_MS = 30_000;

const say = (line: string) => process.stderr.write(`soak: ${line}\n`);

interface Client {
  client_key: string;
  client_secret: string;
  email: string;
}

function makeClients(researchers: number): {
  lab: Client;
  researchers: Client[];
} {
  const client = (key: string): Client => ({
    client_key: key,
    client_secret: randomBytes(24).toString('base64url'),
    email: `${key}@soak.invalid`
  });
  return {
    lab: client(LAB_CLIENT),
    researchers: Array.from({ length: researchers }, (_, i) =>
      client(`soak-r${String(i + 1).padStart(3, '0')}`)
    )
  };
}

async function signIn(base: string, client: Client): Promise<string> {
  const response = await fetch(`${base}/v2/oauth/token/`, {
    method: 'POST',
    body: new URLSearchParams({
      client_key: client.client_key,
      client_secret: client.client_secret,
      grant_type: 'client_credentials'
    })
  });
  if (!response.ok) {
    throw new Error(
      `signing in as ${client.client_key} answered ${response.status}`
    );
  }
  return ((await response.json()) as { access_token: string }).access_token;
}

class MemoryWatch {
  private readonly figures: MemoryFigures[];
  private readonly timer: NodeJS.Timeout;
  private readonly started = Date.now();

  constructor(private readonly servers: Server[]) {
    this.figures = servers.map(server => {
      const now = rssMiB(server.pid);
      return {
        name: server.name,
        startMiB: now,
        endMiB: now,
        peakMiB: now,
        byMinuteMiB: []
      };
    });
    this.timer = setInterval(() => this.sample(), MEMORY_SAMPLE_MS);
  }

  /** Each server's RSS now, as the progress line shows it. */
  now(): string {
    return this.figures
      .map(f => `${f.name} ${f.endMiB.toFixed(0)} MiB`)
      .join(', ');
  }

  private sample(): void {
    const minutes = Math.floor((Date.now() - this.started) / 60_000);
    this.servers.forEach((server, index) => {
      const now = rssMiB(server.pid);
      const figure = this.figures[index];
      figure.endMiB = now;
      if (Number.isFinite(now)) {
        figure.peakMiB = Math.max(figure.peakMiB, now);
      }
      if (figure.byMinuteMiB.length < minutes) {
        figure.byMinuteMiB.push(now);
      }
    });
  }

  finish(): MemoryFigures[] {
    clearInterval(this.timer);
    this.sample();
    return this.figures;
  }
}

/** The servers running now: stopped on the way out, and at once on Ctrl-C. */
const servers: Server[] = [];

function killAtOnce(signal: NodeJS.Signals): void {
  for (const server of servers) {
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  process.stderr.write(`soak: stopped by ${signal}\n`);
  process.exit(130);
}
process.once('SIGINT', killAtOnce);
process.once('SIGTERM', killAtOnce);

async function soak(options: SoakOptions, work: string): Promise<boolean> {
  const clients = makeClients(options.researchers);
  const clientsFile = join(work, 'clients.json');
  writeFileSync(
    clientsFile,
    JSON.stringify({
      researchers: [clients.lab, ...clients.researchers],
      reviewers: []
    }),
    { mode: 0o600 }
  );
  for (const dir of ['mock', 'lab', 'runtime', 'config']) {
    mkdirSync(join(work, dir), { recursive: true });
  }
  const scripts = loadScripts(
    join(ROOT, 'docs/examples/clean_room_starter.py')
  );
  try {
    say(
      `starting the stand-in (${options.videos.toLocaleString('en-US')} videos) on port ${options.port}`
    );
    const standIn = await startStandIn({
      root: ROOT,
      dataDir: join(work, 'mock'),
      clientsFile,
      port: options.port,
      videos: options.videos,
      dailyLimit: options.dailyLimit,
      log: join(work, 'vce-mock.log')
    });
    servers.push(standIn);
    say(`starting the Jupyter server on port ${options.port + 1}`);
    const jupyterToken = randomBytes(24).toString('hex');
    const jupyter = await startJupyter({
      root: ROOT,
      workDir: join(work, 'lab'),
      runtimeDir: join(work, 'runtime'),
      configDir: join(work, 'config'),
      port: options.port + 1,
      token: jupyterToken,
      platformUrl: standIn.url,
      clientKey: clients.lab.client_key,
      clientSecret: clients.lab.client_secret,
      log: join(work, 'jupyter.log')
    });
    servers.push(jupyter);
    const kernel = await kernelToken(jupyter, jupyterToken);
    const sdkTokens = await Promise.all(
      clients.researchers.map(client => signIn(standIn.url, client))
    );

    const stats = new Stats();
    const unfinished = new Map<string, number>();
    const noteUnfinished = (status: string) =>
      unfinished.set(status, (unfinished.get(status) ?? 0) + 1);
    const ext = new Api(stats, {
      name: 'ext',
      base: jupyter.url,
      authorization: () => `token ${jupyterToken}`
    });
    const link = new Api(stats, {
      name: 'mail',
      base: standIn.url,
      authorization: () => null
    });
    const kernelDoor = new Api(stats, {
      name: 'kernel',
      base: `${jupyter.url}/vce/platform`,
      authorization: () => `Bearer ${kernel.accessToken}`
    });

    // Let both servers settle after their start before the first reading.
    await sleep(2000);
    const memory = new MemoryWatch([standIn, jupyter]);
    // A server that exits while the researchers work is an error of its own kind.
    const exits = [standIn, jupyter].map(server => {
      const onExit = (code: number | null, signal: string | null) =>
        stats.outcome(server.name, {
          kind: 'error',
          name: `exited during the soak (${signal ?? `code ${code}`})`
        });
      server.child.once('exit', onExit);
      return () => server.child.off('exit', onExit);
    });
    const stopAll = new AbortController();
    const haltAll = new AbortController();
    // Every researcher's waits and requests listen to these two, by design.
    setMaxListeners(0, stopAll.signal, haltAll.signal);
    const seconds = options.minutes * 60;
    say(
      `${options.researchers} researchers for ${seconds} s (work folder ${work})`
    );
    const started = Date.now();
    const progress = setInterval(() => {
      const snap = stats.snapshot();
      const requests = snap.routes.reduce((n, r) => n + r.requests, 0);
      say(
        `${Math.round((Date.now() - started) / 1000)} s: ${requests} requests, ` +
          `${sum(snap.errors)} errors, ${sum(snap.refusals)} refused as expected; RSS: ${memory.now()}`
      );
    }, PROGRESS_MS);
    const stopTimer = setTimeout(() => stopAll.abort(), seconds * 1000);
    const researchers = sdkTokens.map((token, index) =>
      runResearcher({
        doors: {
          ext,
          kernel: kernelDoor,
          link,
          sdk: new Api(stats, {
            name: 'sdk',
            base: standIn.url,
            authorization: () => `Bearer ${token}`
          })
        },
        stats,
        scripts,
        random: seeded(options.seed * 1_000_003 + index),
        thinkSeconds: options.thinkSeconds,
        stop: stopAll.signal,
        halt: haltAll.signal,
        unfinished: noteUnfinished
      })
    );
    await new Promise<void>(resolve =>
      stopAll.signal.addEventListener('abort', () => resolve())
    );
    const worked = (Date.now() - started) / 1000;
    say(
      `time is up: waiting at most ${options.graceSeconds} s for jobs and tasks still running`
    );
    const graceTimer = setTimeout(
      () => haltAll.abort(),
      options.graceSeconds * 1000
    );
    await Promise.all(researchers);
    clearTimeout(graceTimer);
    clearTimeout(stopTimer);
    clearInterval(progress);
    const memoryFigures = memory.finish();
    exits.forEach(forget => forget());

    await fetch(`${jupyter.url}/api/kernels/${kernel.kernelId}`, {
      method: 'DELETE',
      headers: { authorization: `token ${jupyterToken}` }
    }).catch(() => undefined);
    const input = {
      options,
      seconds: worked,
      snapshot: stats.snapshot(),
      memory: memoryFigures,
      unfinished
    };
    process.stdout.write(`${formatReport(input)}\n`);
    return verdict(input).passed;
  } finally {
    while (servers.length > 0) {
      await stop(servers.pop()!);
    }
  }
}

async function main(): Promise<number> {
  let options: SoakOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const work = mkdtempSync(join(tmpdir(), 'vce-soak-'));
  try {
    return (await soak(options, work)) ? 0 : 1;
  } finally {
    if (options.keep) {
      say(`kept ${work}`);
    } else {
      rmSync(work, { recursive: true, force: true });
    }
  }
}

main().then(
  code => process.exit(code),
  error => {
    process.stderr.write(`soak: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  }
);
