import { DEFAULT_LIMITS, prlimitOptions } from '../../src/runner/sandbox';
import {
  slurmBatchScript,
  slurmJobResult,
  slurmTime
} from '../../src/runner/slurm-job';
import { EXAMPLE_TOKEN, exampleJob, SLURM_EXAMPLE } from './cluster-example';

/** The #SBATCH options of a script, in order. */
function directives(script: string): string[] {
  return script
    .split('\n')
    .filter(line => line.startsWith('#SBATCH '))
    .map(line => line.slice('#SBATCH '.length));
}

describe('slurmBatchScript', () => {
  const job = exampleJob();
  const submission = slurmBatchScript(job, SLURM_EXAMPLE);

  it('asks Slurm for the job limits the local sandbox uses', () => {
    expect(submission.script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(directives(submission.script)).toEqual([
      '--job-name=vce-job-20261206150000a1b2c3d4e5',
      '--partition=clean-room',
      '--nodes=1',
      '--ntasks=1',
      '--cpus-per-task=1',
      '--mem=2048M',
      '--time=00:30:00',
      '--no-requeue',
      `--chdir=/srv/vce-data/jobs/${job.id}/work`,
      `--output=/srv/vce-data/jobs/${job.id}/logs/slurm.txt`,
      '--export=PATH,HOME,TMPDIR,LANG,PYTHONIOENCODING,OMP_NUM_THREADS,OPENBLAS_NUM_THREADS,MPLBACKEND,VCE_JOB_ID,RQS_API_URL,RQS_ACCESS_TOKEN'
    ]);
    expect(submission.command).toEqual(['sbatch', '--parsable']);
  });

  it('runs the job step under the same prlimit as the local sandbox, logs in its folder', () => {
    const step = submission.script
      .split('\n')
      .find(line => line.startsWith('exec srun'));
    expect(step).toBe(
      `exec srun --ntasks=1 --cpus-per-task=1 /bin/sh -c 'exec prlimit ${prlimitOptions(DEFAULT_LIMITS).join(' ')} -- /opt/vce/venv/bin/python3 -s -E -B /opt/vce/runtime/bootstrap.py /opt/vce/python analysis.py >/srv/vce-data/jobs/${job.id}/logs/stdout.txt 2>/srv/vce-data/jobs/${job.id}/logs/stderr.txt 3>/srv/vce-data/jobs/${job.id}/logs/failure.jsonl'`
    );
  });

  it('keeps the token out of the script: sbatch exports it from its environment', () => {
    expect(submission.script).not.toContain(EXAMPLE_TOKEN);
    expect(submission.environment.RQS_ACCESS_TOKEN).toBe(EXAMPLE_TOKEN);
    expect(submission.environment.RQS_API_URL).toBe(
      'http://vce-gateway.cluster.example.org:8912'
    );
    // Every variable the script exports has its value in the environment, and no other is passed.
    const exported = directives(submission.script)
      .find(option => option.startsWith('--export='))!
      .slice('--export='.length)
      .split(',');
    expect(Object.keys(submission.environment)).toEqual(exported);
  });

  it('follows other limits and an account', () => {
    const limits = {
      ...DEFAULT_LIMITS,
      wallSeconds: 2 * 86400 + 61,
      memoryBytes: 1.5 * 1024 ** 3 + 1
    };
    const options = directives(
      slurmBatchScript(exampleJob(limits), {
        ...SLURM_EXAMPLE,
        account: 'trusted-research',
        cpusPerTask: 2
      }).script
    );
    expect(options).toContain('--time=2-00:01:01');
    expect(options).toContain('--mem=1537M');
    expect(options).toContain('--account=trusted-research');
    expect(options).toContain('--cpus-per-task=2');
  });

  it('refuses what sbatch would misread, saying why', () => {
    expect(() =>
      slurmBatchScript(job, { ...SLURM_EXAMPLE, partition: 'clean room' })
    ).toThrow(/not a Slurm partition name/);
    expect(() =>
      slurmBatchScript(job, { ...SLURM_EXAMPLE, gatewayUrl: 'gateway:8912' })
    ).toThrow(/must be http\(s\):\/\/host\[:port\]/);
    expect(() =>
      slurmBatchScript(
        { ...job, workDir: '/srv/my data/jobs/x/work' },
        SLURM_EXAMPLE
      )
    ).toThrow(/cannot be given to sbatch/);
    expect(() => slurmTime(0)).toThrow(/above 0/);
  });
});

describe('slurmJobResult', () => {
  const job = exampleJob();

  it('reads sacct states in the local sandbox words', () => {
    expect(
      slurmJobResult(job, {
        state: 'TIMEOUT',
        exitCode: '0:15',
        elapsedSeconds: 1801,
        failureReport: ''
      })
    ).toEqual({
      outcome: 'timed_out',
      exitCode: 0,
      signal: null,
      reason:
        'The job ran longer than its wall-time limit (1800 s) and was stopped.',
      failure: null,
      durationMs: 1_801_000
    });
    expect(
      slurmJobResult(job, {
        state: 'OUT_OF_MEMORY',
        exitCode: '0:125',
        elapsedSeconds: 3,
        failureReport: ''
      }).reason
    ).toMatch(/over its memory limit \(2048 MiB/);
    expect(
      slurmJobResult(job, {
        state: 'CANCELLED by 1000',
        exitCode: '0:9',
        elapsedSeconds: 3,
        failureReport: ''
      }).outcome
    ).toBe('cancelled');
  });

  it("reads an exit, a signal and the script's exception", () => {
    const failed = slurmJobResult(job, {
      state: 'FAILED',
      exitCode: '1:0',
      elapsedSeconds: 5,
      failureReport: '{"type": "ValueError", "line": 3, "file": "analysis.py"}'
    });
    expect(failed.outcome).toBe('exited');
    expect(failed.failure).toEqual({
      type: 'ValueError',
      line: 3,
      file: 'analysis.py',
      message: null
    });
    const xfsz = slurmJobResult(job, {
      state: 'FAILED',
      exitCode: '0:25',
      elapsedSeconds: 5,
      failureReport: ''
    });
    expect(xfsz.outcome).toBe('killed');
    expect(xfsz.reason).toMatch(/file-size limit \(256 MiB\)/);
    expect(
      slurmJobResult(job, {
        state: 'NODE_FAIL',
        exitCode: '0:0',
        elapsedSeconds: 5,
        failureReport: ''
      }).reason
    ).toMatch(/Slurm state NODE_FAIL/);
  });
});
