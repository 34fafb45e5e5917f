import type { ChildProcess } from 'node:child_process';

/** A child started in a process group of its own (`detached: true`): its pid is the group's. */
export interface GroupLeader {
  child: ChildProcess;
  pid: number;
}

/** SIGTERM to the child's process group, SIGKILL after `graceMs` if it is still there; resolves once the child is gone. */
export async function stopGroup(
  leader: GroupLeader,
  graceMs = 10_000
): Promise<void> {
  const { child } = leader;
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve())
  );
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-leader.pid, name);
    } catch {
      // the group is gone already
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
