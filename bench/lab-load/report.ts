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

export interface ReadinessSide {
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
  on?: ReadinessSide;
  off?: ReadinessSide;
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
  for (const [label, side] of [
    ['with jupyterlab-vce', report.withVce],
    ['jupyterlab-vce absent', report.absent]
  ] as const) {
    if (side) {
      table.push([
        `${label}: started`,
        ms(median(side.started)),
        ms(quantile(side.started, 0.9))
      ]);
      table.push([
        `${label}: restored`,
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
  if (report.on && report.off) {
    const on = median(report.on.ready);
    const off = median(report.off.ready);
    table.push([
      `server ready, embedded platform on (n=${report.on.ready.length})`,
      s(on),
      s(quantile(report.on.ready, 0.9))
    ]);
    table.push([
      `server ready, embedded platform off (n=${report.off.ready.length})`,
      s(off),
      s(quantile(report.off.ready, 0.9))
    ]);
    table.push([
      'server ready on/off, median',
      (on / off).toFixed(3),
      `delay ${s(on - off)}`
    ]);
    table.push([
      'platform connected, embedded on / off',
      s(median(report.on.connected)),
      s(median(report.off.connected))
    ]);
  }
  lines.push(rows(table));
  lines.push(
    `(bootstrap: ${report.resamples} resamples, seed ${report.seed}; KB = 1,000 bytes; gzip -9 of the bodies as served)`
  );
  return lines.join('\n');
}
