/** The bench's one table, as text. Pure. */
import { median, quantile, type RatioInterval } from './stats';

export interface Side {
  started: number[];
  restored: number[];
}

export interface FileSize {
  path: string;
  raw: number;
  gzip: number;
}

/** Spawns of `jupyter lab` of one kind: ms to /api/status answering, and to `connected`. */
export interface ReadinessArm {
  name: string;
  kind: string;
  ready: number[];
  connected: number[];
}

export interface Report {
  when: string;
  build: string;
  loads: number;
  warmup: number;
  seed: number;
  resamples: number;
  withVce?: Side;
  absent?: Side;
  ratio?: RatioInterval;
  files?: FileSize[];
  /** `off` (RQS_API_URL at a running stand-in) is the baseline of the others. */
  readiness?: ReadinessArm[];
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const s = (value: number) => `${(value / 1000).toFixed(2)} s`;
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

function rows(table: string[][]): string {
  const widths = table[0].map((_, i) =>
    Math.max(...table.map(row => row[i].length))
  );
  return table
    .map(row =>
      row
        .map((cell, i) =>
          i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])
        )
        .join('  ')
    )
    .join('\n');
}

/** The file's name without its content hash: `remoteEntry.js`, `lib_index_js.js`. */
export function shortName(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.replace(/\.[0-9a-f]{16,}\.js$/, '.js');
}

export function formatReport(report: Report): string {
  const parts = [report.when];
  if (report.withVce) {
    parts.push(
      report.build,
      `${report.loads} cold loads of each lab after ${report.warmup} warm-up, interleaved`
    );
  }
  const lines: string[] = [`lab-load (${parts.join('; ')})`];
  const table: string[][] = [['', 'median', 'p90']];
  for (const [kind, side] of [
    ['with jupyterlab-vce', report.withVce],
    ['jupyterlab-vce absent', report.absent]
  ] as const) {
    if (side) {
      table.push([
        `${kind}: started`,
        ms(median(side.started)),
        ms(quantile(side.started, 0.9))
      ]);
      table.push([
        `${kind}: restored`,
        ms(median(side.restored)),
        ms(quantile(side.restored, 0.9))
      ]);
    }
  }
  if (report.ratio) {
    const { ratio, low, high } = report.ratio;
    table.push([
      'ratio with/absent, median restored',
      `${ratio.toFixed(3)}`,
      `95 % CI ${low.toFixed(3)}–${high.toFixed(3)}`
    ]);
  }
  if (report.files) {
    for (const file of report.files) {
      table.push([
        `start-up JS/CSS: ${shortName(file.path)}`,
        `${kb(file.gzip)} gzip`,
        `${kb(file.raw)} raw`
      ]);
    }
    const gzip = report.files.reduce((sum, file) => sum + file.gzip, 0);
    const raw = report.files.reduce((sum, file) => sum + file.raw, 0);
    table.push([
      `start-up total (${report.files.length} files before restored)`,
      `${kb(gzip)} gzip`,
      `${kb(raw)} raw`
    ]);
  }
  const off = report.readiness?.find(arm => arm.name === 'off');
  for (const arm of report.readiness ?? []) {
    table.push([
      `server ready, ${arm.kind} (n=${arm.ready.length})`,
      s(median(arm.ready)),
      s(quantile(arm.ready, 0.9))
    ]);
  }
  for (const arm of report.readiness ?? []) {
    if (off && arm !== off) {
      const ratio = median(arm.ready) / median(off.ready);
      const delay = median(arm.ready) - median(off.ready);
      table.push([
        `server ready ${arm.name}/off, median`,
        ratio.toFixed(3),
        `delay ${s(delay)}`
      ]);
    }
  }
  for (const arm of report.readiness ?? []) {
    table.push([
      `platform connected, ${arm.kind}`,
      s(median(arm.connected)),
      s(quantile(arm.connected, 0.9))
    ]);
  }
  lines.push(rows(table));
  lines.push(
    `(bootstrap: ${report.resamples} resamples, seed ${report.seed}; KB = 1,000 bytes; gzip -9 of the bodies as served)`
  );
  return lines.join('\n');
}
