import type { FastifyInstance } from 'fastify';
/**
 * What runs a job, seen from the job lifecycle (src/jobs/lifecycle.ts): the
 * lifecycle hands an Executor a JobDefinition and moves it through
 * prepare → execute → finalize → cleanup, and may ask its status at any time
 * (the shape of the executor API of OpenSAFELY's job-runner). The local
 * Linux-namespace sandbox (src/runner/local-executor.ts) is one Executor; a
 * cluster's (Kubernetes, Slurm) would be another, with the lifecycle unchanged.
 */

/**
 * What the platform gives every executor when it builds one: the app a job's
 * data requests are answered by (in process; a remote executor would expose it
 * to its jobs), the platform paths jobs must not see, and a callback for the
 * records each data answer carried to a job (the job's `records_read`).
 */
export interface ExecutorContext {
  app: FastifyInstance;
  hiddenPaths: string[];
  onRecords: (jobId: string, count: number) => void;
}

/** A job's resource limits (README.md § What the sandbox enforces). */
export interface JobLimits {
  wallSeconds: number;
  cpuSeconds: number;
  memoryBytes: number;
  fileSizeBytes: number;
  processes: number;
  openFiles: number;
}

/** Everything an executor is told about a job: plain data, no platform objects. */
export interface JobDefinition {
  /** The job id. */
  id: string;
  /** The script to run, relative to `workDir`. */
  entry: string;
  /** The submitted files, as the researcher sent them (never written to). */
  filesDir: string;
  /** The job's own folder: a fresh copy of `filesDir` every attempt. */
  workDir: string;
  /** Where the script writes its results (inside `workDir`). */
  outputDir: string;
  /** Where `finalize` puts the copy of the results the review reads (the job never sees it). */
  collectedDir: string;
  /** The job's logs: its stdout and stderr. */
  logsDir: string;
  stdoutPath: string;
  stderrPath: string;
  limits: JobLimits;
  /** The job's only way to the data: its socket and token (RQS_API_URL, RQS_ACCESS_TOKEN: src/runner/sandbox.ts). */
  data: { socketPath: string; accessToken: string };
}

/** The exception a script raised, as far as the platform can name it. */
export interface ScriptFailure {
  type: string;
  line: number | null;
  file: string | null;
  /** The exception's message as the script made it: unreviewed, never shown as it is. */
  message?: string | null;
}

/** How a job's run ended. */
export interface ExecutionResult {
  outcome: 'exited' | 'timed_out' | 'killed' | 'cancelled';
  exitCode: number | null;
  signal: string | null;
  reason: string | null;
  failure: ScriptFailure | null;
  durationMs: number;
}

/** What `finalize` collected of the job's outputs: the files, and what could not be collected. */
export interface CollectedOutputs {
  files: string[];
  problems: string[];
}

export type ExecutorState =
  'unknown' | 'prepared' | 'executing' | 'executed' | 'finalized';

/** Where a job is with this executor, and what it has produced so far. */
export interface ExecutorStatus {
  state: ExecutorState;
  result: ExecutionResult | null;
  collected: CollectedOutputs | null;
}

/** The runtime as a job's attestation states it. */
export interface RuntimeDescription {
  platform: string;
  os: string;
  python: string;
  isolation: string;
  enforced: string[];
}

export interface Executor {
  /** Make the job's folder ready to run (a fresh copy of its files, empty output and logs). */
  prepare(job: JobDefinition): Promise<ExecutorStatus>;
  /** Run the job; resolves when every process of it is gone, with its result. */
  execute(job: JobDefinition): Promise<ExecutorStatus>;
  /** Stop a prepared or executing job (its result is then `cancelled`); false if it is not here. */
  terminate(job: JobDefinition): boolean;
  /**
   * Collect the outputs into `collectedDir`. Reads only what the job left on
   * disk, so it also finalizes a job another process executed (restart recovery).
   */
  finalize(job: JobDefinition): Promise<ExecutorStatus>;
  /** Forget the job (its files stay: the review and the release read them). */
  cleanup(job: JobDefinition): Promise<void>;
  status(job: JobDefinition): ExecutorStatus;
  /** What this executor runs jobs on, and what it enforces. */
  runtime(): RuntimeDescription;
  /** The platform stops: release what idle jobs held on the machine. */
  shutdown(): void;
}
