import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  openSync,
  readdirSync
} from 'node:fs';
import { arch, release, type } from 'node:os';
import { join, resolve } from 'node:path';
import { JobCgroups, type JobCgroup } from './cgroup';
import type { ExecutionResult, JobLimits, ScriptFailure } from './executor';
import { stagedPyrqsParent } from './pyrqs-stage';

/**
 * The clean-room sandbox: one job, one process tree, run by
 * `sandbox/launch.sh` inside fresh Linux namespaces (docs/contracts.md §
 * Sandbox; README § "What the sandbox enforces").
 *
 * - network namespace: no interface but a downed loopback; the data comes
 *   through the job's Unix socket, bound into the sandbox at /mnt/data.sock;
 * - mount namespace: the job sees its own folder at /mnt/work and nothing of
 *   the platform (data dir, other jobs, keys, public data file, /root, /home,
 *   /run are covered by empty read-only tmpfs); /tmp is a fresh 64 MiB tmpfs;
 * - PID namespace with the launcher as PID 1: the job cannot see or signal the
 *   platform's processes, and everything it forks dies with it;
 * - its own unprivileged uid (when the platform runs as root), no new
 *   privileges, no capabilities;
 * - a control group per job (./cgroup, as root): memory and processes for the
 *   whole job, all its processes together;
 * - rlimits: address space, CPU seconds, file size, processes, open files;
 *   wall time is enforced here (SIGKILL to the whole tree);
 * - a scrubbed environment: only PATH, HOME, LANG, the job's data URL and token;
 * - of the SDK, only the `pyrqs` package (./pyrqs-stage.ts).
 * When the platform dies (even by kill -9), the kernel kills the job
 * (parent-death signal, then the namespace's PID 1).
 */

/** Defaults for a rehearsal platform on a 2-core machine (README § execution-stage defaults). */
export const DEFAULT_LIMITS: JobLimits = {
  wallSeconds: 30 * 60,
  cpuSeconds: 20 * 60,
  memoryBytes: 2 * 1024 ** 3,
  fileSizeBytes: 256 * 1024 ** 2,
  processes: 64,
  openFiles: 256
};

export interface SandboxRequest {
  jobId: string;
  workDir: string;
  entry: string;
  stdoutPath: string;
  stderrPath: string;
  dataSocket: string;
  accessToken: string;
  hiddenPaths: string[];
  limits: JobLimits;
  signal?: AbortSignal;
}

export type { ScriptFailure };

export type SandboxResult = ExecutionResult;

export type IsolationMode = 'namespaces' | 'user-namespaces' | 'rlimits-only';

export interface RuntimeDescription {
  platform: string;
  os: string;
  python: string;
  isolation: IsolationMode;
  enforced: string[];
}

const SANDBOX_DIR = resolve(__dirname, '..', '..', 'sandbox');
const STAGE = '/mnt';
/** The job's uids (when the platform runs as root): one per running job. */
const FIRST_JOB_UID = 61000;
const JOB_UIDS = 1000;

export function jobPython(): string {
  return process.env.VCE_JOB_PYTHON || 'python3';
}

let isolation: IsolationMode | null = null;

/** What this machine lets us enforce, probed once: namespaces as root, in a user namespace, or rlimits only. */
export function isolationMode(): IsolationMode {
  if (isolation) {
    return isolation;
  }
  const root = process.getuid?.() === 0;
  const args = [
    ...(root ? [] : ['--user', '--map-root-user']),
    '--net',
    '--mount',
    '--pid',
    '--fork',
    'true'
  ];
  const probe = spawnSync('unshare', args, { stdio: 'ignore', timeout: 5000 });
  isolation =
    probe.status === 0
      ? root
        ? 'namespaces'
        : 'user-namespaces'
      : 'rlimits-only';
  return isolation;
}

let cgroups: JobCgroups | null | undefined;

/** The control groups jobs get on this machine (root, namespaces, memory and pids controllers), opened once. */
export function jobCgroups(): JobCgroups | null {
  if (cgroups === undefined) {
    cgroups = isolationMode() === 'namespaces' ? JobCgroups.open() : null;
  }
  return cgroups;
}

let pythonVersion: string | null = null;

/** The runtime, as the attestation states it. */
export function describeRuntime(): RuntimeDescription {
  if (pythonVersion === null) {
    const answer = spawnSync(
      jobPython(),
      ['-c', 'import sys; print(sys.version.split()[0])'],
      { encoding: 'utf8', timeout: 5000 }
    );
    pythonVersion =
      answer.status === 0
        ? `Python ${answer.stdout.trim()}`
        : 'Python (unknown)';
  }
  const mode = isolationMode();
  const enforced = [
    'rlimits: address space, CPU time, file size, processes, open files',
    'wall-time limit',
    'scrubbed environment'
  ];
  if (mode !== 'rlimits-only') {
    enforced.push(
      'network namespace (no network)',
      'mount namespace (platform paths hidden)',
      'PID namespace'
    );
  }
  if (mode === 'namespaces') {
    enforced.push('own unprivileged uid, no capabilities, no new privileges');
  }
  const groups = jobCgroups();
  if (groups) {
    enforced.push(groups.describe());
  }
  return {
    platform: 'vce-mock',
    os: `${type()} ${release()} ${arch()}`,
    python: pythonVersion,
    isolation: mode,
    enforced
  };
}

/** `prlimit` options for the limits (soft = hard: the job cannot raise them). */
export function prlimitOptions(limits: JobLimits): string[] {
  return [
    `--as=${limits.memoryBytes}`,
    // Soft CPU limit sends SIGXCPU (reported as "CPU time limit"); the hard one, 5 s later, SIGKILL.
    `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 5}`,
    `--fsize=${limits.fileSizeBytes}`,
    `--nproc=${limits.processes}`,
    `--nofile=${limits.openFiles}`,
    '--core=0'
  ];
}

/** The environment the job's Python gets: nothing of the platform's. */
export function jobEnvironment(
  request: Pick<SandboxRequest, 'jobId' | 'accessToken'>,
  socketInJob: string
): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: '/tmp',
    TMPDIR: '/tmp',
    LANG: 'C.UTF-8',
    PYTHONIOENCODING: 'utf-8',
    OMP_NUM_THREADS: '1',
    OPENBLAS_NUM_THREADS: '1',
    MPLBACKEND: 'Agg',
    VCE_JOB_ID: request.jobId,
    RQS_API_URL: `unix:${socketInJob}`,
    RQS_ACCESS_TOKEN: request.accessToken
  };
}

const MIB = 1024 * 1024;
const SIGNALS: Record<number, string> = {
  9: 'SIGKILL',
  24: 'SIGXCPU',
  25: 'SIGXFSZ',
  11: 'SIGSEGV',
  6: 'SIGABRT',
  15: 'SIGTERM'
};

/** Plain words for how a job ended that was not its own exception. */
export function explainEnd(
  exitCode: number | null,
  signal: string | null,
  limits: JobLimits
): string | null {
  const viaShell =
    exitCode !== null && exitCode > 128 && exitCode < 160
      ? (SIGNALS[exitCode - 128] ?? `signal ${exitCode - 128}`)
      : null;
  const sig = signal ?? viaShell;
  switch (sig) {
    case null:
      return null;
    case 'SIGXCPU':
      return `The job used its CPU time limit (${limits.cpuSeconds} s) and was stopped.`;
    case 'SIGXFSZ':
      return `The job wrote a file over the file-size limit (${Math.round(limits.fileSizeBytes / MIB)} MiB) and was stopped.`;
    case 'SIGKILL':
      return `The job was killed by the system, most likely for going over its memory limit (${Math.round(limits.memoryBytes / MIB)} MiB).`;
    case 'SIGSEGV':
      return 'The job crashed (segmentation fault), often a native library running out of memory.';
    default:
      return `The job was stopped by ${sig}.`;
  }
}

const PYTHON_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,79}$/;
/** Exception names a report may carry as they are; any other name could be chosen to leak data. */
const KNOWN_EXCEPTIONS = new Set(
  (
    'BaseException Exception ArithmeticError AssertionError AttributeError BlockingIOError BrokenPipeError BufferError ' +
    'ChildProcessError ConnectionAbortedError ConnectionError ConnectionRefusedError ConnectionResetError EOFError ' +
    'FileExistsError FileNotFoundError FloatingPointError GeneratorExit ImportError IndentationError IndexError ' +
    'InterruptedError IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError ModuleNotFoundError ' +
    'NameError NotADirectoryError NotImplementedError OSError OverflowError PermissionError ProcessLookupError ' +
    'RecursionError ReferenceError RuntimeError StopIteration SyntaxError SystemError TabError TimeoutError TypeError ' +
    'UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError ValueError ZeroDivisionError ' +
    'JSONDecodeError gaierror herror timeout Error ' +
    'RQSError AuthenticationError ValidationError QuotaExceededError PlatformUnavailableError ConfigurationError ' +
    'QueryTaskError'
  ).split(' ')
);
const FILE_NAME = /^[\w .()/-]{1,200}$/;

/**
 * The failure the bootstrap reported on fd 3, sanitised: the script controls
 * that channel, so only a known exception name, an integer line and a file
 * name of its own folder pass; anything else is replaced. The message passes
 * as text, never shown before the output review has read it.
 */
export function parseFailure(reported: string): ScriptFailure | null {
  const line = reported.split('\n').find(text => text.trim().startsWith('{'));
  if (!line) {
    return null;
  }
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) {
    return null;
  }
  const raw = value as Record<string, unknown>;
  const typeName =
    typeof raw.type === 'string' &&
    PYTHON_IDENTIFIER.test(raw.type) &&
    KNOWN_EXCEPTIONS.has(raw.type)
      ? raw.type
      : 'an exception class defined in the script';
  const lineNumber =
    Number.isInteger(raw.line) &&
    (raw.line as number) > 0 &&
    (raw.line as number) < 1e7
      ? (raw.line as number)
      : null;
  const file =
    typeof raw.file === 'string' &&
    FILE_NAME.test(raw.file) &&
    !raw.file.split('/').includes('..')
      ? raw.file
      : null;
  // The message is the script's output: kept as it came (cut), reviewed before anyone sees it (jobs/error-report.ts).
  const message =
    typeof raw.message === 'string' && raw.message !== ''
      ? raw.message.slice(0, 1000)
      : null;
  return { type: typeName, line: lineNumber, file, message };
}

const activeUids = new Set<number>();

function takeUid(): number {
  for (let offset = 0; offset < JOB_UIDS; offset++) {
    const uid = FIRST_JOB_UID + offset;
    if (!activeUids.has(uid)) {
      activeUids.add(uid);
      return uid;
    }
  }
  throw new Error('no free job uid');
}

/** Give the job's folder (and only it) to the job's uid; never follow links. */
function chownTree(path: string, uid: number): void {
  chownSync(path, uid, uid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) {
      chownTree(child, uid);
    } else if (entry.isFile()) {
      chownSync(child, uid, uid);
    }
  }
}

/** Run one job in the sandbox; resolves when every process of it is gone. */
/** Jobs run without namespaces only when this is set (a development machine that forbids them). */
export const UNSANDBOXED_ENV = 'VCE_ALLOW_UNSANDBOXED_JOBS';

export async function runSandboxed(
  request: SandboxRequest
): Promise<SandboxResult> {
  const started = Date.now();
  const mode = isolationMode();
  if (mode === 'rlimits-only' && process.env[UNSANDBOXED_ENV] !== '1') {
    return {
      outcome: 'killed',
      exitCode: null,
      signal: null,
      reason:
        'This platform cannot isolate jobs here (Linux namespaces are not allowed), so the job was not run. Run the platform as root or allow unprivileged user namespaces; for a trusted development machine only, set VCE_ALLOW_UNSANDBOXED_JOBS=1.',
      failure: null,
      durationMs: 0
    };
  }
  const { limits } = request;
  const uid = mode === 'namespaces' ? takeUid() : null;
  const stdout = openSync(request.stdoutPath, 'w', 0o600);
  const stderr = openSync(request.stderrPath, 'w', 0o600);
  let group: JobCgroup | null = null;
  try {
    if (uid !== null) {
      chownTree(request.workDir, uid);
      chownSync(request.dataSocket, uid, uid);
      chmodSync(request.dataSocket, 0o600);
    }
    let command: string;
    let args: string[];
    let env: Record<string, string>;
    if (mode === 'rlimits-only') {
      command = 'setpriv';
      args = [
        '--pdeathsig',
        'KILL',
        '--',
        'prlimit',
        ...prlimitOptions(limits),
        '--',
        jobPython(),
        '-s',
        '-E',
        '-B',
        join(SANDBOX_DIR, 'bootstrap.py'),
        stagedPyrqsParent(),
        request.entry
      ];
      env = jobEnvironment(request, request.dataSocket);
    } else {
      command = 'setpriv';
      args = [
        '--pdeathsig',
        'KILL',
        '--',
        'unshare',
        ...(mode === 'user-namespaces' ? ['--user', '--map-root-user'] : []),
        '--net',
        '--mount',
        '--pid',
        '--kill-child',
        '--',
        '/bin/sh',
        join(SANDBOX_DIR, 'launch.sh')
      ];
      env = {
        ...jobEnvironment(request, `${STAGE}/data.sock`),
        VCE_WORK: request.workDir,
        VCE_SOCKET: request.dataSocket,
        VCE_RUNTIME: SANDBOX_DIR,
        // Only the pyrqs package: not the stand-in's tests, caches or pyproject (./pyrqs-stage.ts).
        VCE_PYRQS: stagedPyrqsParent(),
        VCE_HIDE: request.hiddenPaths.join('\n'),
        VCE_UID: uid === null ? '' : String(uid),
        VCE_PRLIMIT: prlimitOptions(limits).join(' '),
        VCE_PYTHON: jobPython(),
        VCE_ENTRY: request.entry
      };
    }
    const groups = mode === 'namespaces' ? jobCgroups() : null;
    if (groups) {
      group = groups.create(
        request.jobId,
        limits.memoryBytes,
        limits.processes
      );
      // The first process joins the job's groups, then becomes the sandbox: everything the job starts is in them.
      args = [
        '-c',
        JOIN_GROUPS_THEN_EXEC,
        'vce-join',
        ...group.procsFiles,
        '--',
        command,
        ...args
      ];
      command = '/bin/sh';
    }
    const result = await supervise(
      command,
      args,
      env,
      request,
      stdout,
      stderr,
      started
    );
    // A process killed for memory explains a job that ended badly; a job that
    // coped with it and exited 0 stands as it is.
    const endedBadly =
      result.outcome === 'killed' ||
      (result.outcome === 'exited' && result.exitCode !== 0);
    return group && endedBadly && group.oomKills() > 0
      ? {
          ...result,
          outcome: 'killed',
          reason: `The job went over its memory limit (${Math.round(limits.memoryBytes / MIB)} MiB for all its processes together) and the system stopped it.`,
          // An exception the script raised after a worker was killed is a consequence, not the cause.
          failure: null
        }
      : result;
  } finally {
    closeSync(stdout);
    closeSync(stderr);
    await group?.remove();
    if (uid !== null) {
      activeUids.delete(uid);
    }
  }
}

/** `sh -c` script: write 0 (this process) to each cgroup.procs file given before `--`, then exec the rest. */
const JOIN_GROUPS_THEN_EXEC =
  'while [ "$1" != -- ]; do echo 0 > "$1" || exit 125; shift; done; shift; exec "$@"';

function supervise(
  command: string,
  args: string[],
  env: Record<string, string>,
  request: SandboxRequest,
  stdout: number,
  stderr: number,
  started: number
): Promise<SandboxResult> {
  return new Promise(resolvePromise => {
    const child = spawn(command, args, {
      cwd: request.workDir,
      env,
      detached: true,
      stdio: ['ignore', stdout, stderr, 'pipe']
    });
    let reported = '';
    const failureChannel = child.stdio[3] as NodeJS.ReadableStream | null;
    failureChannel?.setEncoding('utf8');
    failureChannel?.on('data', (chunk: string) => {
      // One JSON line: type, line, file and the message (1,000 characters, escaped up to 6 each).
      if (reported.length < 16384) {
        reported += chunk;
      }
    });
    failureChannel?.on('error', () => undefined);
    let stoppedFor: 'timed_out' | 'cancelled' | null = null;
    const killTree = (why: 'timed_out' | 'cancelled') => {
      stoppedFor ??= why;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(
      () => killTree('timed_out'),
      request.limits.wallSeconds * 1000
    );
    const onAbort = () => killTree('cancelled');
    if (request.signal?.aborted) {
      onAbort();
    }
    request.signal?.addEventListener('abort', onAbort, { once: true });
    let spawnError: Error | null = null;
    child.on('error', error => {
      spawnError = error;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      const durationMs = Date.now() - started;
      if (spawnError) {
        resolvePromise({
          outcome: 'killed',
          exitCode: null,
          signal: null,
          reason: `The sandbox could not start (${spawnError.message}).`,
          failure: null,
          durationMs
        });
        return;
      }
      if (stoppedFor === 'timed_out') {
        resolvePromise({
          outcome: 'timed_out',
          exitCode: code,
          signal,
          reason: `The job ran longer than its wall-time limit (${request.limits.wallSeconds} s) and was stopped.`,
          failure: null,
          durationMs
        });
        return;
      }
      if (stoppedFor === 'cancelled') {
        resolvePromise({
          outcome: 'cancelled',
          exitCode: code,
          signal,
          reason: null,
          failure: null,
          durationMs
        });
        return;
      }
      if (code === 125) {
        resolvePromise({
          outcome: 'killed',
          exitCode: code,
          signal,
          reason:
            'The sandbox could not be prepared; the job did not run. Report it with the job id.',
          failure: null,
          durationMs
        });
        return;
      }
      const failure = code === 1 ? parseFailure(reported) : null;
      const ended = explainEnd(code, signal, request.limits);
      let reason = ended;
      if (!reason && failure?.type === 'MemoryError') {
        reason = `The script ran out of memory: the limit is ${Math.round(request.limits.memoryBytes / MIB)} MiB (MemoryError${failure.line ? ` at line ${failure.line}` : ''}).`;
      } else if (!reason && failure?.type === 'BlockingIOError') {
        reason = `The script could not start more processes: the limit is ${request.limits.processes} (BlockingIOError${failure.line ? ` at line ${failure.line}` : ''}).`;
      }
      resolvePromise({
        outcome: ended ? 'killed' : 'exited',
        exitCode: code,
        signal,
        reason,
        failure,
        durationMs
      });
    });
  });
}
