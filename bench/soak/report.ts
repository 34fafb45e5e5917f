/** The soak's table, as text (markdown tables, so it pastes into an issue). Pure. */
import type { SoakOptions } from './options';
import type { Snapshot } from './stats';

export interface MemoryFigures {
  name: string;
  startMiB: number;
  endMiB: number;
  peakMiB: number;
  /** RSS at the end of each whole minute of the run (the trend: warm-up, or growth). */
  byMinuteMiB: number[];
}

export interface ReportInput {
  options: SoakOptions;
  /** Seconds the researchers worked (the end of the grace period excluded). */
  seconds: number;
  snapshot: Snapshot;
  memory: MemoryFigures[];
  /** Jobs and tasks still not at an end state when the soak stopped: status → count. */
  unfinished: Map<string, number>;
}

/** The goals of issue 18: no error, and each server's memory flat within 50 MiB. */
export const MEMORY_GOAL_MIB = 50;

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const mib = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'gone');

export function sum(map: Map<string, number>): number {
  return [...map.values()].reduce((a, b) => a + b, 0);
}

function kinds(title: string, map: Map<string, number>): string[] {
  if (map.size === 0) {
    return [`${title}: none`];
  }
  return [
    `${title}:`,
    '| kind — where | count |',
    '|---|---:|',
    ...[...map.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([kind, count]) => `| ${kind} | ${int(count)} |`)
  ];
}

export interface Verdict {
  errors: number;
  memoryOk: boolean;
  /** Every server still ran at the end (its memory could be read). */
  measured: boolean;
  passed: boolean;
}

export function verdict(input: ReportInput): Verdict {
  const errors = sum(input.snapshot.errors);
  const measured = input.memory.every(m => Number.isFinite(m.endMiB));
  const memoryOk =
    measured &&
    input.memory.every(m => m.endMiB - m.startMiB <= MEMORY_GOAL_MIB);
  return { errors, memoryOk, measured, passed: errors === 0 && memoryOk };
}

export function formatReport(input: ReportInput): string {
  const { options, seconds, snapshot } = input;
  const requests = snapshot.routes.reduce((n, r) => n + r.requests, 0);
  const refused = sum(snapshot.refusals);
  const result = verdict(input);
  const lines = [
    `soak: ${options.researchers} researchers for ${(seconds / 60).toFixed(1)} min ` +
      `(--minutes ${options.minutes} --researchers ${options.researchers} --seed ${options.seed} ` +
      `--videos ${options.videos} --daily-limit ${options.dailyLimit} --think ${options.thinkSeconds})`,
    `requests served: ${int(requests)} (${(requests / Math.max(seconds, 1)).toFixed(1)}/s); ` +
      `errors: ${int(result.errors)} (goal 0); refused as expected: ${int(refused)}`,
    '',
    '| route | requests | errors | refused | p50 ms | p99 ms | max ms |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...snapshot.routes.map(
      r =>
        `| ${r.route} | ${int(r.requests)} | ${int(r.errors)} | ${int(r.refused)} | ` +
        `${ms(r.p50Ms)} | ${ms(r.p99Ms)} | ${ms(r.maxMs)} |`
    ),
    '',
    ...kinds('errors by kind', snapshot.errors),
    '',
    ...kinds('refused as expected', snapshot.refusals),
    '',
    `memory (RSS, MiB; goal: end − start ≤ ${MEMORY_GOAL_MIB}):`,
    '| process | start | end | peak | end − start | each minute |',
    '|---|---:|---:|---:|---:|---|',
    ...input.memory.map(
      m =>
        `| ${m.name} | ${mib(m.startMiB)} | ${mib(m.endMiB)} | ${mib(m.peakMiB)} | ` +
        `${m.endMiB - m.startMiB >= 0 ? '+' : ''}${mib(m.endMiB - m.startMiB)} | ` +
        `${m.byMinuteMiB.map(mib).join(', ') || '–'} |`
    ),
    '',
    `counts: ${
      [...snapshot.counters.entries()]
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([name, n]) => `${name} ${int(n)}`)
        .join('; ') || 'none'
    }`,
    `unfinished when the soak stopped: ${
      [...input.unfinished.entries()].map(([s, n]) => `${n} ${s}`).join(', ') ||
      'none'
    }`,
    `verdict: ${result.passed ? 'PASS' : 'FAIL'} (errors ${int(result.errors)}, memory ${
      result.memoryOk
        ? 'flat'
        : result.measured
          ? `grew more than ${MEMORY_GOAL_MIB} MiB`
          : 'not read at the end: a server was gone'
    })`
  ];
  return lines.join('\n');
}
