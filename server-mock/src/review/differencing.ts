import { createHash } from 'node:crypto';
import type { ReviewConfig } from './config';
import type { Table } from './documents';
import { columnKey, plural, type Finding } from './rules/findings';
import { countColumns, isCount } from './rules/tables';

/**
 * Differencing (rule `differencing`, manual): the same table released twice
 * — same header, same groups — with one group's count (or a few) changed by
 * less than `differencingGap` while the rest are equal gives away the few
 * records in between (a total over everyone, then over everyone but one).
 * ABS DataLab forbids differences under ten between tables; ACRO names the
 * risk and leaves it to a reviewer. The review keeps a fingerprint of each
 * table a researcher's execution jobs wrote (the store's `job_tables`) and
 * compares each new table with those of the same structure from the
 * client's approved jobs and jobs in review, and with the job's other tables.
 *
 * A fingerprint holds no value of the output: the structure is a hash of the
 * header and the group labels; the cells are the counts in group order.
 */
export interface TableFingerprint {
  /** The file as findings show it. */
  file: string;
  /** Where the table is in the file (Table.at). */
  at: string;
  /** Hash of the header and the sorted labels of the groups (non-count columns). */
  structure: string;
  /** The count cells, row by row in group order; null for a suppressed or non-numeric cell. */
  cells: (number | null)[][];
}

/** A table of an earlier job of the same client. */
export interface PreviousTable extends TableFingerprint {
  jobId: string;
  /** True when that job's outputs were released (else it waits for a reviewer). */
  released: boolean;
}

/** Where the review finds a client's earlier tables (the job store; none for a review outside a job). */
export interface TableHistory {
  /** The current job's id, as the findings name it. */
  jobId: string;
  /** Earlier tables of the client with one of these structures (approved jobs and jobs in review, not this one). */
  previous(structures: string[]): PreviousTable[];
}

const hash = (value: unknown) =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);

/** A table's fingerprint, or null when it has no count column. */
export function fingerprint(
  file: string,
  table: Table
): TableFingerprint | null {
  const counts = countColumns(table);
  if (!counts.length || !table.rows.length) {
    return null;
  }
  const groups = table.header
    .map((name, column) => column)
    .filter(column => !counts.includes(column));
  const rows = table.rows
    .map(row => ({
      group: JSON.stringify(groups.map(column => (row[column] ?? '').trim())),
      cells: counts.map(column => {
        const text = (row[column] ?? '').trim();
        return isCount(text) ? Number(text) : null;
      })
    }))
    .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  return {
    file,
    at: table.at,
    structure: hash([
      table.header.map(columnKey),
      counts,
      rows.map(row => row.group)
    ]),
    cells: rows.map(row => row.cells)
  };
}

interface Difference {
  /** Groups with a count that differs. */
  groups: number;
}

/** Two tables of one structure that differ by less than the gap in a few groups, the rest equal; else null. */
export function smallDifference(
  a: TableFingerprint,
  b: TableFingerprint,
  config: Pick<ReviewConfig, 'differencingGap' | 'differencingMaxCells'>
): Difference | null {
  if (a.structure !== b.structure || a.cells.length !== b.cells.length) {
    return null;
  }
  let equal = 0;
  let differing = 0;
  let groups = 0;
  for (let row = 0; row < a.cells.length; row++) {
    let rowDiffers = false;
    const left = a.cells[row];
    const right = b.cells[row] ?? [];
    for (let cell = 0; cell < left.length; cell++) {
      const x = left[cell];
      const y = right[cell];
      if (x === null || y === null || y === undefined) {
        continue;
      }
      if (x === y) {
        equal++;
        continue;
      }
      if (Math.abs(x - y) >= config.differencingGap) {
        return null;
      }
      differing++;
      rowDiffers = true;
    }
    groups += rowDiffers ? 1 : 0;
  }
  return differing >= 1 &&
    differing <= config.differencingMaxCells &&
    differing <= Math.max(1, equal)
    ? { groups }
    : null;
}

function named(table: TableFingerprint): string {
  return table.at ? `${table.file} (${table.at})` : table.file;
}

export function differencingFindings(
  tables: TableFingerprint[],
  history: TableHistory | null,
  config: ReviewConfig
): Finding[] {
  const findings: Finding[] = [];
  const job = history ? `job ${history.jobId}` : 'this job';
  const gap = `by less than ${config.differencingGap}`;
  const advice =
    'Release one version of a table, or make the groups that differ larger (merge or suppress them).';
  // Within the job: two outputs of one table.
  tables.forEach((table, index) => {
    for (const other of tables.slice(index + 1)) {
      const difference = smallDifference(table, other, config);
      if (difference) {
        findings.push({
          rule: 'differencing',
          severity: 'manual',
          file: table.file,
          location: table.at || null,
          message: `${named(table)} and ${named(other)}: two outputs of ${job} hold the same table differing ${gap} in ${plural(difference.groups, 'group')}: the difference singles out records. ${advice} A reviewer checks it.`
        });
      }
    }
  });
  if (!history || !tables.length) {
    return findings;
  }
  const previous = history.previous([
    ...new Set(tables.map(table => table.structure))
  ]);
  for (const table of tables) {
    for (const earlier of previous) {
      const difference = smallDifference(table, earlier, config);
      if (difference) {
        findings.push({
          rule: 'differencing',
          severity: 'manual',
          file: table.file,
          location: table.at || null,
          message: `${named(table)}: the table of ${job} differs from the one ${earlier.released ? 'released' : 'in review'} in job ${earlier.jobId} (${named(earlier)}) ${gap} in ${plural(difference.groups, 'group')}: the difference singles out records. ${advice} A reviewer checks it.`
        });
      }
    }
  }
  return findings;
}
