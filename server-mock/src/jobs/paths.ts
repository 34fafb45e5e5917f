import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOGS_FOLDER } from '../review';
import type { JobDefinition, JobLimits } from '../runner/executor';

/** sun_path holds 108 bytes with its terminating NUL. */
export const MAX_SOCKET_PATH = 107;

/** Where the execution stage keeps things under the platform's data dir (docs/contracts.md § Layout on disk). */
export class JobPaths {
  constructor(readonly dataDir: string) {}

  get jobsRoot(): string {
    return join(this.dataDir, 'jobs');
  }
  get releasesDir(): string {
    return join(this.dataDir, 'releases');
  }
  get outboxDir(): string {
    return join(this.dataDir, 'outbox');
  }
  get keysDir(): string {
    return join(this.dataDir, 'keys');
  }
  jobDir(jobId: string): string {
    return join(this.jobsRoot, jobId);
  }
  submittedDir(jobId: string): string {
    return join(this.jobDir(jobId), 'submitted');
  }
  workDir(jobId: string): string {
    return join(this.jobDir(jobId), 'work');
  }
  outputDir(jobId: string): string {
    return join(this.workDir(jobId), 'output');
  }
  /** The results copied out of the job's reach after it ended: what is reviewed and released. */
  collectedDir(jobId: string): string {
    return join(this.jobDir(jobId), 'collected');
  }
  logsDir(jobId: string): string {
    return join(this.jobDir(jobId), 'logs');
  }
  stdoutPath(jobId: string): string {
    return join(this.logsDir(jobId), 'stdout.txt');
  }
  stderrPath(jobId: string): string {
    return join(this.logsDir(jobId), 'stderr.txt');
  }
  /**
   * The job's data socket. A Unix socket path has at most 107 bytes (sun_path);
   * under a deep data dir it goes to a private folder in the system's temporary
   * directory instead (mode 0700, named after the data dir).
   */
  socketPath(jobId: string): string {
    const beside = join(this.jobDir(jobId), 'data.sock');
    if (Buffer.byteLength(beside) <= MAX_SOCKET_PATH) {
      return beside;
    }
    const folder = join(
      tmpdir(),
      `vce-${createHash('sha256').update(this.dataDir).digest('hex').slice(0, 12)}`
    );
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    return join(folder, `${jobId}.sock`);
  }
  /**
   * Where an output the review read lives: `logs/stdout.txt` and `logs/stderr.txt`
   * in the logs folder, anything else in the collected copy. `name` must come
   * from the job's own output list (the review's names), never from a caller.
   */
  outputSource(jobId: string, name: string): string {
    return name.startsWith(LOGS_FOLDER)
      ? join(this.logsDir(jobId), name.slice(LOGS_FOLDER.length))
      : join(this.collectedDir(jobId), name);
  }
  /** The folder `outputSource` resolves `name` under (logs or collected outputs). */
  outputRoot(jobId: string, name: string): string {
    return name.startsWith(LOGS_FOLDER)
      ? this.logsDir(jobId)
      : this.collectedDir(jobId);
  }
  archivePath(jobId: string): string {
    return join(this.releasesDir, `${jobId}.zip`);
  }
}

/** A job as an executor is told it: its folders under the data dir, its limits and its data token. */
export function jobDefinition(
  paths: JobPaths,
  job: { jobId: string; entry: string },
  limits: JobLimits,
  accessToken: string
): JobDefinition {
  const id = job.jobId;
  return {
    id,
    entry: job.entry,
    filesDir: paths.submittedDir(id),
    workDir: paths.workDir(id),
    outputDir: paths.outputDir(id),
    collectedDir: paths.collectedDir(id),
    logsDir: paths.logsDir(id),
    stdoutPath: paths.stdoutPath(id),
    stderrPath: paths.stderrPath(id),
    limits,
    data: { socketPath: paths.socketPath(id), accessToken }
  };
}
