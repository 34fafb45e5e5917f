/**
 * bench/lab-load: what jupyterlab-vce costs JupyterLab's start, in Debian's
 * Chromium (`npm run bench:lab-load -- --help`).
 *
 * 1. Two labs side by side, each in its own temporary home: one with the
 *    extension (its production build, and the server extension), one where it
 *    is ABSENT (a labextensions folder without it: JupyterLab 4 still loads a
 *    *disabled* extension's JS; the server extension off). Cold loads (a fresh
 *    browser context each) interleaved after a warm-up: `started` and
 *    `restored`, and the extension's files requested before `restored`
 *    (gzip -9 of their bodies as served).
 * 2. The server's readiness with the embedded platform on and off.
 * Prints one table; figures are ratios to the baseline measured in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';
import { ensureProductionBuild, LABEXTENSION } from './build';
import { coldLoad } from './load';
import { parseOptions, USAGE, type LabLoadOptions } from './options';
import { readinessRun } from './readiness';
import {
  formatReport,
  type FileSize,
  type ReadinessArm,
  type Report,
  type Side
} from './report';
import {
  labextensionsFolder,
  makeHome,
  startLab,
  startStandIn,
  stop,
  vceState,
  sleep,
  type Home,
  type Lab,
  type Proc
} from './servers';
import { medianRatio } from './stats';

const ROOT = resolve(__dirname, '../..');
const say = (text: string) => process.stderr.write(`lab-load: ${text}\n`);

async function fileSizes(lab: Lab, paths: string[]): Promise<FileSize[]> {
  const sizes: FileSize[] = [];
  for (const path of [...paths].sort()) {
    const response = await fetch(lab.url + path, {
      headers: {
        authorization: `token ${lab.token}`,
        'accept-encoding': 'identity'
      }
    });
    if (!response.ok) {
      throw new Error(`GET ${path}: HTTP ${response.status}`);
    }
    const body = Buffer.from(await response.arrayBuffer());
    sizes.push({
      path,
      raw: body.length,
      gzip: gzipSync(body, { level: 9 }).length
    });
  }
  return sizes;
}

async function pageLoads(
  options: LabLoadOptions,
  work: string,
  report: Report
): Promise<void> {
  const token = randomBytes(16).toString('hex');
  const withHome = makeHome(ROOT, join(work, 'home-with'));
  const absentHome = makeHome(ROOT, join(work, 'home-absent'));
  const withExt = join(work, 'labextensions-with');
  const absentExt = join(work, 'labextensions-absent');
  const others = labextensionsFolder(
    ROOT,
    withHome,
    withExt,
    join(ROOT, LABEXTENSION)
  );
  labextensionsFolder(ROOT, absentHome, absentExt, null);
  say(`other prebuilt extensions in both labs: ${others.join(', ') || 'none'}`);
  const labs: Lab[] = [];
  const browser = await chromium.launch({
    executablePath: options.chromium,
    args: ['--no-sandbox', '--disable-dev-shm-usage']
  });
  try {
    const [withLab, absentLab] = await Promise.all([
      startLab({
        root: ROOT,
        home: withHome,
        port: options.port,
        token,
        labextensions: withExt,
        serverExtension: true,
        log: join(work, 'lab-with.log')
      }),
      startLab({
        root: ROOT,
        home: absentHome,
        port: options.port + 1,
        token,
        labextensions: absentExt,
        serverExtension: false,
        log: join(work, 'lab-absent.log')
      })
    ]);
    labs.push(withLab, absentLab);
    if ((await vceState(absentLab)) !== null) {
      throw new Error(
        'the server extension answers in the lab where it should be absent'
      );
    }
    // The embedded platform has started before the loads: its start is measured apart.
    for (let i = 0; (await vceState(withLab)) !== 'connected'; i++) {
      if (i > 1200) {
        throw new Error(
          `the embedded platform never connected; see ${withLab.log}`
        );
      }
      await sleep(100);
    }
    const sides: Record<'with' | 'absent', Side> = {
      with: { started: [], restored: [] },
      absent: { started: [], restored: [] }
    };
    const vceFiles = new Set<string>();
    const total = options.warmup + options.loads;
    for (let i = 0; i < total; i++) {
      // Interleaved, and which lab goes first alternates.
      const order: Array<'with' | 'absent'> =
        i % 2 === 0 ? ['with', 'absent'] : ['absent', 'with'];
      for (const side of order) {
        const lab = side === 'with' ? withLab : absentLab;
        const times = await coldLoad(browser, lab.url, lab.token);
        if (side === 'absent' && times.vceFiles.length > 0) {
          throw new Error(`the absent lab loaded ${times.vceFiles[0]}`);
        }
        if (side === 'with' && times.vceFiles.length === 0) {
          throw new Error(
            'the lab with jupyterlab-vce loaded none of its files'
          );
        }
        if (i >= options.warmup) {
          sides[side].started.push(times.started);
          sides[side].restored.push(times.restored);
          times.vceFiles.forEach(file => vceFiles.add(file));
        }
      }
      say(`load ${i + 1}/${total}${i < options.warmup ? ' (warm-up)' : ''}`);
    }
    report.withVce = sides.with;
    report.absent = sides.absent;
    report.ratio = medianRatio(
      sides.with.restored,
      sides.absent.restored,
      options.seed,
      options.resamples
    );
    report.files = await fileSizes(withLab, [...vceFiles]);
  } finally {
    await browser.close();
    await Promise.all(labs.map(lab => stop(lab)));
  }
}

async function readiness(
  options: LabLoadOptions,
  work: string,
  report: Report
): Promise<void> {
  const token = randomBytes(16).toString('hex');
  const key = 'bench-lab-load';
  const secret = randomBytes(24).toString('hex');
  let standIn: Proc | undefined;
  try {
    const running = await startStandIn({
      root: ROOT,
      dataDir: join(work, 'standin-data'),
      port: options.port + 30430,
      client: `${key}:${secret}:bench@vce.localhost`,
      log: join(work, 'standin.log')
    });
    standIn = running;
    const offEnv = {
      RQS_API_URL: running.url,
      RQS_CLIENT_KEY: key,
      RQS_CLIENT_SECRET: secret
    };
    const arms: Array<{
      arm: ReadinessArm;
      home: Home;
      env: NodeJS.ProcessEnv;
    }> = [
      { name: 'on', kind: 'embedded platform on', env: {} },
      { name: 'off', kind: 'embedded platform off', env: offEnv }
    ].map(({ name, kind, env }) => ({
      arm: { name, kind, ready: [], connected: [] },
      home: makeHome(ROOT, join(work, `home-embedded-${name}`)),
      env
    }));
    if (options.before) {
      const env = { PYTHONPATH: options.before };
      arms.push({
        arm: {
          name: 'before',
          kind: `embedded platform on, jupyterlab_vce of ${options.before}`,
          ready: [],
          connected: []
        },
        home: makeHome(ROOT, join(work, 'home-embedded-before'), env),
        env
      });
    }
    report.readiness = arms.map(({ arm }) => arm);
    // One of each first (the embedded platform creates its data folder), not counted.
    for (let i = -1; i < options.readiness; i++) {
      // Interleaved; the order turns by one each round.
      const round = arms.map((_, k) => arms[(k + i + 1) % arms.length]);
      for (const { arm, home, env } of round) {
        const run = await readinessRun({
          root: ROOT,
          home,
          port: options.port + 2,
          token,
          env,
          log: join(work, `readiness-${arm.name}-${i + 1}.log`)
        });
        if (i >= 0) {
          arm.ready.push(run.readyMs);
          arm.connected.push(run.connectedMs);
        }
        say(
          `readiness ${arm.name} ${i + 1}/${options.readiness}${i < 0 ? ' (warm-up)' : ''}: ` +
            `ready ${run.readyMs.toFixed(0)} ms, connected ${run.connectedMs.toFixed(0)} ms (${run.states.join(' → ')})`
        );
      }
    }
  } finally {
    if (standIn) {
      await stop(standIn);
    }
  }
}

async function main(): Promise<void> {
  let options: LabLoadOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'vce-lab-load-'));
  const report: Report = {
    when: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    build: '',
    loads: options.loads,
    warmup: options.warmup,
    seed: options.seed,
    resamples: options.resamples
  };
  try {
    if (!options.skipLoads) {
      report.build = ensureProductionBuild(ROOT, options.noBuild);
      await pageLoads(options, work, report);
    }
    if (!options.skipReadiness) {
      await readiness(options, work, report);
    }
    process.stdout.write(`${formatReport(report)}\n`);
  } catch (error) {
    // What was measured before the failure is still printed (the page loads take minutes).
    process.stdout.write(`${formatReport(report)}\n`);
    throw error;
  } finally {
    if (options.keep) {
      say(`kept ${work}`);
    } else {
      rmSync(work, { recursive: true, force: true });
    }
  }
}

main().catch(error => {
  process.stderr.write(`lab-load: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
