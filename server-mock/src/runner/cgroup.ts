import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  statSync,
  writeFileSync
} from 'node:fs';
import { join } from 'node:path';

/**
 * Control groups for clean-room jobs: a memory limit and a process limit for
 * the whole job (every process it forks, together), which rlimits cannot
 * give (RLIMIT_AS is per process, RLIMIT_NPROC per uid). The kernel stops a
 * job that goes over its memory (OOM kill, counted here so the researcher is
 * told why) and refuses its forks past the process limit.
 *
 * Both hierarchies are handled: cgroup v1 (separate `memory` and `pids`
 * mounts, as on this project's machines) and cgroup v2 (one unified tree
 * where the `memory` and `pids` controllers can be enabled). Each platform
 * process keeps its jobs' groups under a folder of its own,
 * `vce-<pid>-<start time>`; folders of platforms that are gone (idle for 10
 * minutes) are removed when another starts.
 * Needs root; without it (or without the controllers) jobs run with their
 * rlimits only, and the attestation says so.
 */

export type CgroupLayout =
  { version: 1; memory: string; pids: string } | { version: 2; root: string };

const CGROUP_ROOT = '/sys/fs/cgroup';
const PREFIX = 'vce-';
/** Processes of the sandbox itself in a job's group besides the job's: the outer `unshare` and the launcher. */
const SANDBOX_PROCESSES = 3;

/** How many times the kernel killed a process of the group for memory (`oom_kill N` in v1 memory.oom_control, v2 memory.events). */
export function parseOomKills(text: string): number {
  const match = /^oom_kill (\d+)$/m.exec(text);
  return match ? Number(match[1]) : 0;
}

function writable(path: string): boolean {
  try {
    const probe = join(path, `${PREFIX}probe-${process.pid}`);
    mkdirSync(probe);
    rmdirSync(probe);
    return true;
  } catch {
    return false;
  }
}

function controllersOf(path: string): string[] {
  try {
    return readFileSync(join(path, 'cgroup.controllers'), 'utf8')
      .trim()
      .split(/\s+/);
  } catch {
    return [];
  }
}

/** The hierarchy this machine lets the platform use for jobs, or null (not root, no controllers). */
export function detectCgroupLayout(root = CGROUP_ROOT): CgroupLayout | null {
  if (process.getuid?.() !== 0) {
    return null;
  }
  const memory = join(root, 'memory');
  const pids = join(root, 'pids');
  if (
    existsSync(join(memory, 'memory.limit_in_bytes')) &&
    existsSync(join(pids, 'cgroup.procs')) &&
    writable(memory) &&
    writable(pids)
  ) {
    return { version: 1, memory, pids };
  }
  for (const unified of [root, join(root, 'unified')]) {
    const controllers = controllersOf(unified);
    if (
      controllers.includes('memory') &&
      controllers.includes('pids') &&
      writable(unified)
    ) {
      return { version: 2, root: unified };
    }
  }
  return null;
}

/** A process's start time (clock ticks since boot, /proc/PID/stat field 22), or null when it is not there. */
export function processStartTime(pid: number | 'self'): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** A platform's folder name: its pid and start time, so a reused pid is not mistaken for it. */
export function platformFolderName(pid: number, startTime: string): string {
  return `${PREFIX}${pid}-${startTime}`;
}

/** Whether a folder belongs to a platform that is gone: its process is not running, or a newer one has its pid. */
export function isStaleFolder(
  name: string,
  startTimeOf: (pid: number) => string | null = processStartTime
): boolean {
  const match = /^vce-(\d+)-(\d+)$/.exec(name);
  if (!match) {
    return false; // not ours (or an older layout): left alone
  }
  return startTimeOf(Number(match[1])) !== match[2];
}

/** Folders changed this recently are never taken for stale (a platform that cannot see the other's pid). */
const STALE_AFTER_MS = 10 * 60 * 1000;

function removeTree(path: string): void {
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      removeTree(join(path, entry.name));
    }
  }
  rmdirSync(path);
}

/** Per platform process: its folder in each hierarchy, made once; stale folders of dead platforms removed. */
export class JobCgroups {
  private readonly parents: string[];
  private runs = 0;

  private constructor(readonly layout: CgroupLayout) {
    const tops =
      layout.version === 1 ? [layout.memory, layout.pids] : [layout.root];
    const own = platformFolderName(
      process.pid,
      processStartTime('self') ?? String(Date.now())
    );
    for (const top of tops) {
      for (const entry of readdirSync(top, { withFileTypes: true })) {
        if (
          !entry.isDirectory() ||
          entry.name === own ||
          !isStaleFolder(entry.name)
        ) {
          continue;
        }
        const folder = join(top, entry.name);
        try {
          // A platform in another PID namespace looks gone from here: only folders idle for a while go.
          if (Date.now() - statSync(folder).mtimeMs > STALE_AFTER_MS) {
            removeTree(folder);
          }
        } catch {
          // a group still holds a process: left for a later start
        }
      }
    }
    this.parents = tops.map(top => join(top, own));
    this.ensureParents();
  }

  /** This platform's folders, made if missing (an idle platform removes them). */
  private ensureParents(): void {
    for (const parent of this.parents) {
      mkdirSync(parent, { recursive: true });
    }
    if (this.layout.version === 2) {
      // Controllers reach a v2 group only through its parents' subtree_control.
      writeFileSync(
        join(this.layout.root, 'cgroup.subtree_control'),
        '+memory +pids'
      );
      writeFileSync(
        join(this.parents[0], 'cgroup.subtree_control'),
        '+memory +pids'
      );
    }
  }

  /** Remove this platform's folders when no job of it is running (they come back with the next job). */
  releaseIdle(): void {
    for (const parent of this.parents) {
      try {
        rmdirSync(parent);
      } catch {
        // a job's group is still in it (another runner of this process), or already gone
      }
    }
  }

  /** The groups of this machine, or null when jobs cannot have any here. */
  static open(
    layout: CgroupLayout | null = detectCgroupLayout()
  ): JobCgroups | null {
    if (!layout) {
      return null;
    }
    try {
      return new JobCgroups(layout);
    } catch {
      return null;
    }
  }

  /** What the attestation's runtime says is enforced (the limits themselves are listed beside it). */
  describe(): string {
    return `cgroup v${this.layout.version}: memory and process limits for the whole job`;
  }

  /** One job's groups, limits written; its launcher joins them through `procsFiles` before the job starts. */
  create(jobId: string, memoryBytes: number, processes: number): JobCgroup {
    if (!/^[\w-]{1,80}$/.test(jobId)) {
      throw new Error(`not a job id: ${jobId}`);
    }
    this.ensureParents();
    const made: string[] = [];
    try {
      // A run of its own (a job run again keeps its id; its last groups may still be reaped).
      let groups: string[];
      for (;;) {
        const name = `${jobId}-${++this.runs}`;
        groups = this.parents.map(parent => join(parent, name));
        if (!groups.some(group => existsSync(group))) {
          break;
        }
      }
      for (const group of groups) {
        mkdirSync(group);
        made.push(group);
      }
      const limit = String(memoryBytes);
      // The job's own processes plus the sandbox's: the outer unshare and the launcher (PID 1).
      const pidsMax = String(processes + SANDBOX_PROCESSES);
      let memoryEvents: string;
      if (this.layout.version === 1) {
        const [memory, pids] = groups;
        writeFileSync(join(memory, 'memory.limit_in_bytes'), limit);
        if (existsSync(join(memory, 'memory.memsw.limit_in_bytes'))) {
          writeFileSync(join(memory, 'memory.memsw.limit_in_bytes'), limit); // no swapping past the limit
        } else {
          writeFileSync(join(memory, 'memory.swappiness'), '0'); // no swap accounting: keep the job out of swap
        }
        writeFileSync(join(pids, 'pids.max'), pidsMax);
        memoryEvents = join(memory, 'memory.oom_control');
      } else {
        const [group] = groups;
        writeFileSync(join(group, 'memory.max'), limit);
        if (existsSync(join(group, 'memory.swap.max'))) {
          writeFileSync(join(group, 'memory.swap.max'), '0');
        }
        writeFileSync(join(group, 'pids.max'), pidsMax);
        memoryEvents = join(group, 'memory.events');
      }
      return new JobCgroup(
        groups.map(group => join(group, 'cgroup.procs')),
        memoryEvents,
        groups
      );
    } catch (error) {
      for (const group of made.reverse()) {
        try {
          rmdirSync(group);
        } catch {
          // left for a later start's clean-up
        }
      }
      throw error;
    }
  }
}

export class JobCgroup {
  constructor(
    /** The files a process writes `0` to, to join the job's groups (its children follow). */
    readonly procsFiles: string[],
    private readonly memoryEvents: string,
    private readonly groups: string[]
  ) {}

  /** How many processes of the job the kernel killed for going over the memory limit. */
  oomKills(): number {
    try {
      return parseOomKills(readFileSync(this.memoryEvents, 'utf8'));
    } catch {
      return 0;
    }
  }

  /** Remove the groups once their processes are gone (the kernel may take a moment to reap them). */
  async remove(): Promise<void> {
    for (const group of this.groups) {
      for (let attempt = 0; ; attempt++) {
        try {
          rmdirSync(group);
          break;
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT' || attempt >= 50) {
            break; // gone, or left for the next start's clean-up
          }
          await new Promise(resolve => setTimeout(resolve, 20));
        }
      }
    }
  }
}
