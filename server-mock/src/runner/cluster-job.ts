import { isAbsolute, relative, sep } from 'node:path';
import type { JobDefinition } from './executor';
import { jobEnvironment, prlimitOptions } from './sandbox';

/**
 * What a clean-room job is on a cluster, shared by the Kubernetes Job
 * (./kubernetes-job.ts) and the Slurm batch script (./slurm-job.ts): the same
 * JobDefinition the lifecycle gives the local executor (src/jobs/paths.ts
 * `jobDefinition`), so its limits, its folders and its environment cannot
 * drift from what the local sandbox enforces (./sandbox.ts).
 *
 * Pure functions: they describe a job, they start nothing. docs/scaling.md
 * maps the executor seam (prepare → execute → finalize → cleanup) onto them.
 */

/** Where the job runtime (sandbox/bootstrap.py and pyrqs) sits in the job image or on the cluster's nodes. */
export interface JobRuntimePaths {
  /** The folder holding bootstrap.py (the repository's server-mock/sandbox/). */
  runtimeDir: string;
  /**
   * A folder holding the pyrqs package and nothing else (the image copies
   * server-mock/python/pyrqs/*.py and py.typed there: not the stand-in's tests,
   * caches or pyproject), as the local sandbox stages it (./pyrqs-stage.ts).
   */
  pyrqsParent: string;
  /** The job's interpreter (the local executor's VCE_JOB_PYTHON). */
  python: string;
}

/** The job's view of its folders on the cluster: its work folder (cwd, output/ inside) and its logs folder. */
export interface JobMounts {
  work: string;
  logs: string;
}

/** The file the bootstrap reports a script's exception to (its fd 3: sandbox/bootstrap.py), in the logs folder. */
export const FAILURE_FILE = 'failure.jsonl';

/** A job id as the lifecycle makes it (src/jobs/service.ts `newJobId`): checked again, it is put in names and scripts. */
const JOB_ID = /^job_[0-9a-z]{1,40}$/;
/** A submitted entry: a relative path without `..` (src/jobs/submission.ts checks it on submission). */
const ENTRY = /^[\w .()/-]{1,200}$/;

/** Why a job cannot be described for a cluster: a clear message, never a half-made manifest. */
export class ClusterJobError extends Error {}

/** Check what ends up in names, paths and commands (a job definition comes from the platform, but is checked here too). */
export function checkJob(job: JobDefinition): void {
  if (!JOB_ID.test(job.id)) {
    throw new ClusterJobError(
      `The job id ${JSON.stringify(job.id)} is not one the platform makes (job_ and lowercase letters or digits).`
    );
  }
  if (
    !ENTRY.test(job.entry) ||
    job.entry.startsWith('/') ||
    job.entry.split('/').includes('..')
  ) {
    throw new ClusterJobError(
      `The entry ${JSON.stringify(job.entry)} is not a relative path inside the job's folder.`
    );
  }
}

/**
 * A path of the platform's data dir relative to it (a subPath of the
 * platform's shared volume); refuses one outside it, which a cluster job could
 * not be given without exposing more of the platform.
 */
export function pathInDataDir(dataDir: string, path: string): string {
  const inside = relative(dataDir, path);
  if (
    inside === '' ||
    isAbsolute(inside) ||
    inside === '..' ||
    inside.startsWith(`..${sep}`)
  ) {
    throw new ClusterJobError(
      `${path} is not inside the platform's data dir ${dataDir}: a cluster job only sees its own folders of the shared data volume.`
    );
  }
  return inside.split(sep).join('/');
}

/**
 * The job's environment: the local sandbox's scrubbed environment
 * (./sandbox.ts `jobEnvironment`) with the data gateway's URL in place of the
 * Unix socket (a cluster job reaches the gateway over the cluster network).
 */
export function clusterJobEnvironment(
  job: JobDefinition,
  gatewayUrl: string
): Record<string, string> {
  if (!/^https?:\/\/[^/\s]+\/?$/.test(gatewayUrl)) {
    throw new ClusterJobError(
      `The data gateway URL ${JSON.stringify(gatewayUrl)} must be http(s)://host[:port] with no path (the job adds /v2/vce/query/).`
    );
  }
  return {
    ...jobEnvironment(
      { jobId: job.id, accessToken: job.data.accessToken },
      'unused'
    ),
    RQS_API_URL: gatewayUrl.replace(/\/$/, '')
  };
}

/**
 * The job's command: the local sandbox's rlimits (./sandbox.ts
 * `prlimitOptions`: address space, CPU seconds, file size, processes, open
 * files) around the bootstrap, as sandbox/launch.sh runs it, with stdout,
 * stderr and the failure channel (fd 3) written to the job's logs folder.
 * A shell command line for `sh -c`; every part is quoted.
 */
export function clusterJobCommand(
  job: JobDefinition,
  runtime: JobRuntimePaths,
  mounts: JobMounts
): string {
  checkJob(job);
  const words = [
    'prlimit',
    ...prlimitOptions(job.limits),
    '--',
    runtime.python,
    '-s',
    '-E',
    '-B',
    `${runtime.runtimeDir}/bootstrap.py`,
    runtime.pyrqsParent,
    job.entry
  ].map(shellQuote);
  const logs = shellQuote(mounts.logs);
  return [
    'exec',
    ...words,
    `>${logs}/stdout.txt`,
    `2>${logs}/stderr.txt`,
    `3>${logs}/${FAILURE_FILE}`
  ].join(' ');
}

/** A word for `sh`: as it is when it is plainly safe, else in single quotes. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word)
    ? word
    : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A name for the job on the cluster: `vce-` and the job id in DNS-1123 form (at most 63 characters). */
export function clusterJobName(job: JobDefinition): string {
  checkJob(job);
  return `vce-${job.id.replace(/_/g, '-')}`.slice(0, 63);
}

/** Whole MiB, rounded up (Slurm's --mem unit; a limit is never made smaller). */
export function mebibytes(bytes: number): number {
  return Math.ceil(bytes / 1024 ** 2);
}
