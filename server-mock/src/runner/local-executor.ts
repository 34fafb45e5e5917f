import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PublicData } from '../data/schema';
import { collectOutputs } from './collect';
import type {
  Executor,
  ExecutorContext,
  ExecutorStatus,
  JobDefinition,
  RuntimeDescription
} from './executor';
import { DataGateway } from './gateway';
import { describeRuntime, jobCgroups, runSandboxed } from './sandbox';

/** What a job must not see: the platform's data dir and the public data's own file (read only through the gateway). */
export function hiddenPathsOf(
  dataDir: string,
  publicData: PublicData
): string[] {
  const file = publicData.db.name;
  const dataFileDir = file && file !== ':memory:' ? dirname(file) : null;
  return dataFileDir && dataFileDir !== dataDir
    ? [dataDir, dataFileDir]
    : [dataDir];
}

interface LocalJob {
  status: ExecutorStatus;
  controller: AbortController;
}

/**
 * Jobs on this machine: one Linux-namespace sandbox a job (src/runner/sandbox.ts,
 * sandbox/launch.sh), its data through a gateway on a Unix socket in its folder
 * (src/runner/gateway.ts), its outputs collected into a copy it never had
 * access to (src/runner/collect.ts).
 */
export class LocalSandboxExecutor implements Executor {
  constructor(private readonly options: ExecutorContext) {}

  async prepare(job: JobDefinition): Promise<ExecutorStatus> {
    // A fresh copy of what was submitted, every attempt.
    rmSync(job.workDir, { recursive: true, force: true });
    rmSync(job.logsDir, { recursive: true, force: true });
    cpSync(job.filesDir, job.workDir, { recursive: true });
    mkdirSync(job.outputDir, { recursive: true });
    mkdirSync(job.logsDir, { recursive: true, mode: 0o700 });
    const local: LocalJob = {
      status: { state: 'prepared', result: null, collected: null },
      controller: new AbortController()
    };
    this.jobs.set(job.id, local);
    return local.status;
  }

  async execute(job: JobDefinition): Promise<ExecutorStatus> {
    const local = this.jobs.get(job.id);
    if (!local || local.status.state !== 'prepared') {
      throw new Error(
        `job ${job.id} is ${local?.status.state ?? 'unknown'} here, not prepared`
      );
    }
    local.status = { ...local.status, state: 'executing' };
    const gateway = await DataGateway.open({
      socketPath: job.data.socketPath,
      app: this.options.app,
      accessToken: job.data.accessToken,
      onRecords: count => this.options.onRecords(job.id, count)
    });
    try {
      const result = await runSandboxed({
        jobId: job.id,
        workDir: job.workDir,
        entry: job.entry,
        stdoutPath: job.stdoutPath,
        stderrPath: job.stderrPath,
        dataSocket: job.data.socketPath,
        accessToken: job.data.accessToken,
        hiddenPaths: this.options.hiddenPaths,
        limits: job.limits,
        signal: local.controller.signal
      });
      local.status = { ...local.status, state: 'executed', result };
      return local.status;
    } finally {
      await gateway.close();
    }
  }

  terminate(job: JobDefinition): boolean {
    const local = this.jobs.get(job.id);
    if (
      !local ||
      (local.status.state !== 'prepared' && local.status.state !== 'executing')
    ) {
      return false;
    }
    local.controller.abort();
    return true;
  }

  async finalize(job: JobDefinition): Promise<ExecutorStatus> {
    const collected = collectOutputs(job.outputDir, job.collectedDir);
    const status: ExecutorStatus = {
      state: 'finalized',
      result: this.jobs.get(job.id)?.status.result ?? null,
      collected
    };
    this.jobs.set(job.id, {
      status,
      controller: this.jobs.get(job.id)?.controller ?? new AbortController()
    });
    return status;
  }

  async cleanup(job: JobDefinition): Promise<void> {
    this.jobs.delete(job.id);
  }

  status(job: JobDefinition): ExecutorStatus {
    return (
      this.jobs.get(job.id)?.status ?? {
        state: 'unknown',
        result: null,
        collected: null
      }
    );
  }

  runtime(): RuntimeDescription {
    return describeRuntime();
  }

  shutdown(): void {
    jobCgroups()?.releaseIdle();
  }

  private readonly jobs = new Map<string, LocalJob>();
}
