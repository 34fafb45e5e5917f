import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { verifyAttestation } from '../../src/release/attestation';
import { collectOutputs } from '../../src/runner/collect';
import type {
  Executor,
  ExecutorStatus,
  JobDefinition,
  RuntimeDescription
} from '../../src/runner/executor';
import { startJobsPlatform, type JobsPlatform } from '../helpers/jobs-helpers';

/**
 * The job lifecycle drives any Executor (src/runner/executor.ts), not only the
 * local sandbox: an executor given through JobsOptions.executor runs every job,
 * in the order prepare → execute → finalize → cleanup, and its runtime is what
 * the attestation states. This one runs nothing on the machine (as a cluster's
 * executor would run elsewhere): it writes a fixed aggregate as the job's output.
 */
class RecordingExecutor implements Executor {
  readonly calls: string[] = [];
  private readonly states = new Map<string, ExecutorStatus>();

  async prepare(job: JobDefinition): Promise<ExecutorStatus> {
    this.calls.push(`prepare ${job.entry}`);
    rmSync(job.workDir, { recursive: true, force: true });
    cpSync(job.filesDir, job.workDir, { recursive: true });
    mkdirSync(job.outputDir, { recursive: true });
    mkdirSync(job.logsDir, { recursive: true });
    return this.set(job, { state: 'prepared', result: null, collected: null });
  }

  async execute(job: JobDefinition): Promise<ExecutorStatus> {
    this.calls.push('execute');
    writeFileSync(
      `${job.outputDir}/videos_by_region.csv`,
      'region_code,videos\nUS,1200\nGB,800\n'
    );
    mkdirSync(dirname(job.stdoutPath), { recursive: true });
    writeFileSync(job.stdoutPath, 'counted 2000 videos in 2 regions\n');
    writeFileSync(job.stderrPath, '');
    return this.set(job, {
      state: 'executed',
      result: {
        outcome: 'exited',
        exitCode: 0,
        signal: null,
        reason: null,
        failure: null,
        durationMs: 5
      },
      collected: null
    });
  }

  terminate(job: JobDefinition): boolean {
    this.calls.push('terminate');
    return this.states.has(job.id);
  }

  async finalize(job: JobDefinition): Promise<ExecutorStatus> {
    this.calls.push('finalize');
    const collected = collectOutputs(job.outputDir, job.collectedDir);
    return this.set(job, {
      state: 'finalized',
      result: this.status(job).result,
      collected: { files: collected.files, problems: collected.problems }
    });
  }

  async cleanup(job: JobDefinition): Promise<void> {
    this.calls.push('cleanup');
    this.states.delete(job.id);
  }

  status(job: JobDefinition): ExecutorStatus {
    return (
      this.states.get(job.id) ?? {
        state: 'unknown',
        result: null,
        collected: null
      }
    );
  }

  runtime(): RuntimeDescription {
    return {
      platform: 'recording executor (test)',
      os: 'none',
      python: 'none',
      isolation: 'none: nothing runs',
      enforced: []
    };
  }

  shutdown(): void {
    this.calls.push('shutdown');
  }

  private set(job: JobDefinition, status: ExecutorStatus): ExecutorStatus {
    this.states.set(job.id, status);
    return status;
  }
}

describe('the job lifecycle with another executor (JobsOptions.executor)', () => {
  let platform: JobsPlatform;
  const executor = new RecordingExecutor();

  beforeAll(async () => {
    platform = await startJobsPlatform({ jobs: { executor: () => executor } });
  });

  afterAll(async () => {
    await platform.close();
  });

  it('runs the job on it, reviews what it produced, and attests its runtime', async () => {
    const token = await platform.signIn();
    const created = (
      await platform.submit(token, 'analysis.py', {
        'analysis.py': 'print("never run here")\n'
      })
    ).json().data;
    const job = await platform.waitFor(token, created.job_id, [
      'approved',
      'rejected',
      'failed'
    ]);

    expect(job.status).toBe('approved');
    expect(executor.calls).toEqual([
      'prepare analysis.py',
      'execute',
      'finalize',
      'cleanup'
    ]);
    expect(
      job.outputs.map((output: { name: string }) => output.name)
    ).toContain('videos_by_region.csv');

    const attestation = (
      await platform.call('GET', `/v2/vce/jobs/${job.job_id}/attestation/`, {
        token
      })
    ).json().data;
    const jwks = (await platform.call('GET', '/.well-known/jwks.json')).json();
    const verified = await verifyAttestation(attestation.jws, jwks);
    expect(verified.valid).toBe(true);
    if (verified.valid) {
      expect(verified.statement.runtime).toMatchObject({
        platform: 'recording executor (test)',
        isolation: 'none: nothing runs'
      });
    }
  });
});

/** Prepares only when the test says so: a cluster's executor may take a while to. */
class SlowPrepareExecutor extends RecordingExecutor {
  private release: () => void = () => undefined;
  // Set before `preparing` below, which replaces it.
  private started: () => void = () => undefined;
  readonly preparing = new Promise<void>(resolve => (this.started = resolve));

  async prepare(job: JobDefinition): Promise<ExecutorStatus> {
    this.started();
    await new Promise<void>(resolve => (this.release = resolve));
    return super.prepare(job);
  }

  finishPreparing(): void {
    this.release();
  }
}

describe('a cancel while the executor prepares the job', () => {
  let platform: JobsPlatform;
  const executor = new SlowPrepareExecutor();

  beforeAll(async () => {
    platform = await startJobsPlatform({ jobs: { executor: () => executor } });
  });

  afterAll(async () => {
    await platform.close();
  });

  it('is accepted, and the job never executes', async () => {
    const token = await platform.signIn();
    const created = (
      await platform.submit(token, 'analysis.py', {
        'analysis.py': 'print("never run")\n'
      })
    ).json().data;
    await executor.preparing;
    const cancel = await platform.call(
      'POST',
      `/v2/vce/jobs/${created.job_id}/cancel/`,
      { token }
    );
    expect(cancel.status).toBe(200);
    executor.finishPreparing();
    const job = await platform.waitFor(token, created.job_id, [
      'cancelled',
      'approved',
      'failed'
    ]);
    expect(job.status).toBe('cancelled');
    expect(executor.calls).not.toContain('execute');
    expect(executor.calls).toContain('cleanup');
  });
});
