import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
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
 * process keeps its jobs' groups under a folder of its own, `vce-<pid>`;
 * folders of platforms that are gone are removed when another starts.
 * Needs root; without it (or without the controllers) jobs run with their
 * rlimits only, and the attestation says so.
 */

export type CgroupLayout = { version: 1; memory: string; pids: string } | { version: 2; root: string };

const CGROUP_ROOT = '/sys/fs/cgroup';
const PREFIX = 'vce-';

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
    return readFileSync(join(path, 'cgroup.controllers'), 'utf8').trim().split(/\s+/);
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
  if (existsSync(join(memory, 'memory.limit_in_bytes')) && existsSync(join(pids, 'cgroup.procs')) && writable(memory) && writable(pids)) {
    return { version: 1, memory, pids };
  }
  for (const unified of [root, join(root, 'unified')]) {
    const controllers = controllersOf(unified);
    if (controllers.includes('memory') && controllers.includes('pids') && writable(unified)) {
      return { version: 2, root: unified };
    }
  }
  return null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

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
    const tops = layout.version === 1 ? [layout.memory, layout.pids] : [layout.root];
    for (const top of tops) {
      for (const entry of readdirSync(top, { withFileTypes: true })) {
        const pid = entry.isDirectory() && entry.name.startsWith(PREFIX) ? Number(entry.name.slice(PREFIX.length)) : NaN;
        if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) {
          try {
            removeTree(join(top, entry.name));
          } catch {
            // a group still holds a process: left for a later start
          }
        }
      }
    }
    this.parents = tops.map(top => join(top, `${PREFIX}${process.pid}`));
    this.ensureParents();
  }

  /** This platform's folders, made if missing (an idle platform removes them). */
  private ensureParents(): void {
    for (const parent of this.parents) {
      mkdirSync(parent, { recursive: true });
    }
    if (this.layout.version === 2) {
      // Controllers reach a v2 group only through its parents' subtree_control.
      writeFileSync(join(this.layout.root, 'cgroup.subtree_control'), '+memory +pids');
      writeFileSync(join(this.parents[0], 'cgroup.subtree_control'), '+memory +pids');
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
  static open(layout: CgroupLayout | null = detectCgroupLayout()): JobCgroups | null {
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
    // A run of its own (a job run again keeps its id; its last groups may still be reaped).
    const name = `${jobId}-${++this.runs}`;
    this.ensureParents();
    const groups = this.parents.map(parent => join(parent, name));
    for (const group of groups) {
      mkdirSync(group);
    }
    const limit = String(memoryBytes);
    let memoryEvents: string;
    if (this.layout.version === 1) {
      const [memory, pids] = groups;
      writeFileSync(join(memory, 'memory.limit_in_bytes'), limit);
      if (existsSync(join(memory, 'memory.memsw.limit_in_bytes'))) {
        writeFileSync(join(memory, 'memory.memsw.limit_in_bytes'), limit); // no swapping past the limit
      }
      writeFileSync(join(pids, 'pids.max'), String(processes));
      memoryEvents = join(memory, 'memory.oom_control');
    } else {
      const [group] = groups;
      writeFileSync(join(group, 'memory.max'), limit);
      if (existsSync(join(group, 'memory.swap.max'))) {
        writeFileSync(join(group, 'memory.swap.max'), '0');
      }
      writeFileSync(join(group, 'pids.max'), String(processes));
      memoryEvents = join(group, 'memory.events');
    }
    return new JobCgroup(
      groups.map(group => join(group, 'cgroup.procs')),
      memoryEvents,
      groups
    );
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
