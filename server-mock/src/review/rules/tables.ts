/**
 * Table and count rules: count columns, small and zero counts, table size,
 * row-level dumps, minimums and maximums (docs/research/sdc-rules.md).
 */

import type { ReviewConfig } from '../config';
import {
  columnLabel,
  type Document,
  type Labels,
  type Table
} from '../documents';
import {
  columnKey,
  placesOf,
  plural,
  tablePlace,
  type Finding
} from './findings';
import { digitsOf as importedDigitsOf } from './identifier-search';
import { namesStatistic } from './statistic-labels';

// Bound once: tsx (the benchmarks' runner) reads an imported name through a getter at every use, and these are used per cell.
const digitsOf = importedDigitsOf;

const COUNT_COLUMN =
  /^(n|count|counts|freq|frequency|num|number|size|total|records|videos|users|comments|creators|accounts|n_.+|num_.+|number_of_.+|count_.+|.+_count|.+_counts|.+_n)$/;
/** Integer columns that are not counts: flags, positions, calendar parts, codes, statistics. */
const NOT_COUNT_COLUMN =
  /^(is|has)_|(^|_)(year|month|day|week|weekday|hour|minute|second|quarter|date|time|rank|ranking|index|idx|order|position|pos|bin|bucket|group|level|category|code|id|mean|avg|average|median|std|sd|var|pct|percent|percentage|share|ratio|rate|min|max|minimum|maximum|sum|p\d+|q\d+|from|to|start|end|lower|upper|edge|edges|bound|bounds)($|_)/;
const MIN_MAX_COLUMN =
  /^(min|max|minimum|maximum|min_.+|max_.+|.+_min|.+_max)$/;
const SUPPRESSED = /^(|na|nan|null|none|\*|-|\[redacted]|redacted|<\s*\d+)$/i;

/** A whole number, also written as a float ("3.0"). */
export function isCount(text: string): boolean {
  return digitsOf(text) !== null || /^\d+(?:\.0*)?$/.test(text.trim());
}

/**
 * Columns of a table that hold counts: by name, and every other column whose
 * values are all whole numbers (unless its name says it is something else: a
 * year, a rank, a mean…). When every column is numeric, the first is taken as
 * the category.
 */
export function countColumns(table: Table): number[] {
  let known = countColumnsOf.get(table);
  if (!known) {
    known = findCountColumns(table);
    countColumnsOf.set(table, known);
  }
  return known;
}

const countColumnsOf = new WeakMap<Table, number[]>();

function findCountColumns(table: Table): number[] {
  const width = table.header.length;
  // One pass over the rows: which columns have values, all numeric, all whole.
  const present = new Array<boolean>(width).fill(false);
  const numeric = new Array<boolean>(width).fill(true);
  const whole = new Array<boolean>(width).fill(true);
  for (const row of table.rows) {
    for (let column = 0; column < width; column++) {
      if (!numeric[column] && !whole[column]) {
        continue;
      }
      const cell = row[column] ?? '';
      if (digitsOf(cell) !== null) {
        present[column] = true; // a whole number: whole and numeric stay as they are
        continue;
      }
      const text = cell.trim();
      if (SUPPRESSED.test(text)) {
        continue;
      }
      present[column] = true;
      if (whole[column] && !isCount(text)) {
        whole[column] = false;
      }
      if (numeric[column] && Number.isNaN(Number(text))) {
        numeric[column] = false;
      }
    }
  }
  const columns = table.header.map((name, column) => column);
  const integer = (column: number) => present[column] && whole[column];
  const named = columns.filter(
    column =>
      COUNT_COLUMN.test(columnKey(table.header[column])) && integer(column)
  );
  if (width < 2) {
    return named;
  }
  const allNumeric = columns.every(
    column => present[column] && numeric[column]
  );
  const inferred = columns.filter(
    column =>
      !named.includes(column) &&
      !NOT_COUNT_COLUMN.test(columnKey(table.header[column])) &&
      !namesStatistic(table.header[column]) &&
      integer(column) &&
      !(column === 0 && allNumeric)
  );
  return [...named, ...inferred].sort((a, b) => a - b);
}

/**
 * Rows whose label names a statistic ("p90", "median", "mean likes"): their
 * cells are that statistic of each column (a quantile table), not the sizes
 * of groups, so small whole numbers there are not small counts. The label is
 * the row's name, else its first cell when that is not a count column.
 */
export function statisticRows(table: Table): Set<number> {
  const rows = new Set<number>();
  const counts = countColumns(table);
  // Labels repeat down a table (a region, a day): each is read once.
  const statistic = new Map<string, boolean>();
  table.rows.forEach((row, index) => {
    const label =
      table.rowNames?.[index] ?? (counts.includes(0) ? '' : (row[0] ?? ''));
    if (!label) {
      return;
    }
    let named = statistic.get(label);
    if (named === undefined) {
      named = namesStatistic(label);
      if (statistic.size < 100_000) {
        statistic.set(label, named);
      }
    }
    if (named) {
      rows.add(index);
    }
  });
  return rows;
}

function rowName(table: Table, row: number): string {
  return table.rowNames?.[row] ?? `row ${row + 1}`;
}

/** Frequency-table cells below the threshold (ACRO threshold; zeros as class disclosure). */
export function smallCounts(
  file: string,
  table: Table,
  config: ReviewConfig,
  labels: Labels
): Finding[] {
  const findings: Finding[] = [];
  const severity = table.inferred ? ('manual' as const) : ('fail' as const);
  const statistics = statisticRows(table);
  for (const column of countColumns(table)) {
    // Rows by number: only the few a finding shows are named.
    const small: number[] = [];
    const zeros: number[] = [];
    table.rows.forEach((row, index) => {
      if (statistics.has(index)) {
        return;
      }
      const cell = row[column] ?? '';
      const text = digitsOf(cell) ?? cell.trim();
      if (!isCount(text)) {
        return;
      }
      const count = Number(text);
      if (count === 0) {
        zeros.push(index);
      } else if (count < config.threshold) {
        small.push(index);
      }
    });
    const where = `${tablePlace(table)}${columnLabel(table.header, column, labels)}`;
    const placesOfRows = (rows: number[]) =>
      placesOf(rows.length, at => rowName(table, rows[at]));
    if (small.length) {
      const shown = placesOfRows(small);
      findings.push({
        rule: 'small_count',
        severity,
        file,
        location: `${where}: ${shown}`,
        message: `${file}, ${where}: ${plural(small.length, 'count')} below ${config.threshold} (${shown}). Groups this small can single people out: merge them into larger groups or suppress them (write them as "<${config.threshold}").`
      });
    }
    if (zeros.length && config.zerosAreDisclosive) {
      const shown = placesOfRows(zeros);
      findings.push({
        rule: 'zero_count',
        severity: 'manual',
        file,
        location: `${where}: ${shown}`,
        message: `${file}, ${where}: ${plural(zeros.length, 'zero count')} (${shown}). A zero can reveal that nobody in a group has a property (class disclosure): a reviewer checks it.`
      });
    }
  }
  return findings;
}

export function tableSize(
  file: string,
  table: Table,
  recordsRead: number,
  config: ReviewConfig
): Finding[] {
  const findings: Finding[] = [];
  const where = table.at ? ` (${table.at})` : '';
  if (table.rows.length > config.maxTableRows) {
    findings.push({
      rule: 'table_rows',
      severity: 'fail',
      file,
      location: table.at || null,
      message: `${file}${where} has ${plural(table.rows.length, 'row')}; tables may have at most ${config.maxTableRows.toLocaleString('en-US')}. Aggregate further (coarser groups).`
    });
  }
  if (
    recordsRead >= config.threshold &&
    table.rows.length >= config.rowDumpRatio * recordsRead &&
    !table.inferred
  ) {
    findings.push({
      rule: 'row_level_data',
      severity: 'fail',
      file,
      location: table.at || null,
      message: `${file}${where} has ${plural(table.rows.length, 'row')} for ${plural(recordsRead, 'record')} read: about one row per record is individual data, not an aggregate. Group the records and output counts or statistics per group.`
    });
  }
  return findings;
}

export function minMaxColumns(
  file: string,
  table: Table,
  labels: Labels
): Finding[] {
  return table.header.flatMap((name, column) => {
    if (!MIN_MAX_COLUMN.test(columnKey(name))) {
      return [];
    }
    const where = `${tablePlace(table)}${columnLabel(table.header, column, labels)}`;
    return [
      {
        rule: 'extreme_values',
        severity: 'manual' as const,
        file,
        location: where,
        message: `${file}, ${where}: minimums and maximums are single records' values; a reviewer checks them.`
      }
    ];
  });
}

export function linesDump(
  file: string,
  lines: number,
  recordsRead: number,
  config: ReviewConfig
): Finding[] {
  if (
    recordsRead < config.threshold ||
    lines < config.rowDumpRatio * recordsRead
  ) {
    return [];
  }
  return [
    {
      rule: 'row_level_data',
      severity: 'fail',
      file,
      location: null,
      message: `${file} has ${plural(lines, 'line')} for ${plural(recordsRead, 'record')} read: about a line per record is individual data. Print summaries, not records.`
    }
  ];
}

/** Rows a document contributes to the row-dump check across files: its lines, or its tables' rows. */
export function documentRows(document: Document): number {
  const tableRows = document.tables
    .filter(table => !table.inferred)
    .reduce((sum, table) => sum + table.rows.length, 0);
  return Math.max(document.lines, tableRows);
}
