#!/usr/bin/env node
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from './app';
import { parseCli, USAGE, UsageError, type CliConfig } from './config';
import { mergeClients, readClientsFile } from './clients-file';
import { loadFixtureData } from './data/fixture';
import { openPublicData } from './data/open';
import { warmUp } from './query/engine';
import type { PublicData } from './data/schema';
import { demoBanner, loadOrCreateDemoClient } from './demo-client';
import { reviewThresholdConfig } from './review';
import { defaultPackagesDir, loadPackageIndex } from './packages/index';
import {
  FaultPlanError,
  readFaultPlanFile,
  type FaultPlan
} from './research/fault-plan';

export const DATABASE_FILE = 'vce-mock.sqlite';

/**
 * The flags, with the clients of --clients-file added and the plan of --faults;
 * a usage error or a bad plan exits with 2.
 */
function readConfig(): { config: CliConfig; faultPlan: FaultPlan | null } {
  try {
    let config = parseCli(process.argv.slice(2));
    if (config.help) {
      return { config, faultPlan: null };
    }
    if (config.clientsFile !== null) {
      const file = readClientsFile(config.clientsFile, message =>
        process.stderr.write(`vce-mock: warning: ${message}\n`)
      );
      config = { ...config, ...mergeClients(config, file, config.clientsFile) };
    }
    const faultPlan =
      config.faultsFile === null ? null : readFaultPlanFile(config.faultsFile);
    return { config, faultPlan };
  } catch (error) {
    if (error instanceof UsageError || error instanceof FaultPlanError) {
      process.stderr.write(
        `vce-mock: ${error.message}\nRun "vce-mock --help" for the options.\n`
      );
      process.exit(2);
    }
    throw error;
  }
}

/** The public data the query engine serves: a fixture, or the generated set of (seed, videos). */
function loadPublicData(config: CliConfig): PublicData {
  if (config.fixtureData !== null) {
    return loadFixtureData(config.fixtureData);
  }
  return openPublicData({
    dataDir: config.dataDir,
    seed: config.seed,
    videos: config.videos,
    ...(config.testStageMinFollowers !== null
      ? { testStageMinFollowers: config.testStageMinFollowers }
      : {})
  });
}

async function main(): Promise<void> {
  const { config, faultPlan } = readConfig();
  if (config.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const clients =
    config.clients.length > 0
      ? config.clients
      : [loadOrCreateDemoClient(config.dataDir)];
  if (config.clients.length === 0) {
    process.stderr.write(`${demoBanner(clients[0])}\n`);
  }

  const publicData = loadPublicData(config);
  // Load the tables' ids now, not at the first query of each table.
  warmUp(publicData);
  const packageIndex = loadPackageIndex(
    config.packagesDir ?? defaultPackagesDir()
  );
  const app = buildApp({
    store: join(config.dataDir, DATABASE_FILE),
    clients: [...clients, ...config.reviewers],
    // With a clients file, the file and the flags are the whole team: a client taken
    // out of the file stops working at the next start.
    removeOtherClients: config.clientsFile !== null,
    jobs: {
      dataDir: config.dataDir,
      workers: config.jobs.workers,
      limits: {
        ...(config.jobs.wallSeconds !== null
          ? {
              wallSeconds: config.jobs.wallSeconds,
              cpuSeconds: config.jobs.wallSeconds
            }
          : {}),
        ...(config.jobs.memoryMiB !== null
          ? { memoryBytes: config.jobs.memoryMiB * 1024 * 1024 }
          : {})
      },
      review:
        config.jobs.reviewThreshold !== null
          ? reviewThresholdConfig(config.jobs.reviewThreshold)
          : {},
      linkTtlSeconds: config.jobs.linkTtlSeconds,
      smtpUrl: config.jobs.smtpUrl,
      publicUrl: config.jobs.publicUrl ?? undefined
    },
    publicData,
    queryWorkers: config.queryWorkers,
    packageIndex,
    tokenTtlSeconds: config.tokenTtlSeconds,
    dailyLimit: config.dailyLimit,
    researchLimits: config.researchLimits,
    researchFaults: faultPlan,
    logger: {
      level: process.env.VCE_MOCK_LOG_LEVEL ?? 'info',
      stream: process.stderr
    }
  });
  let closing = false;
  const close = async (signal: string) => {
    if (closing) {
      return;
    }
    closing = true;
    app.log.info(`${signal}: closing`);
    await app.close();
    publicData.db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void close('SIGTERM'));
  process.on('SIGINT', () => void close('SIGINT'));

  if (packageIndex.problem) {
    app.log.warn(`package index /simple/ is empty: ${packageIndex.problem}`);
  }
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port =
    typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  process.stdout.write(`vce-mock listening on http://${host}:${port}\n`);
}

main().catch(error => {
  process.stderr.write(
    `vce-mock: could not start: ${(error as Error).message}\n`
  );
  process.exit(1);
});
