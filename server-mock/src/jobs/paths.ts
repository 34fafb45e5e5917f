import { join } from 'node:path';

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
  socketPath(jobId: string): string {
    return join(this.jobDir(jobId), 'data.sock');
  }
  archivePath(jobId: string): string {
    return join(this.releasesDir, `${jobId}.zip`);
  }
}
