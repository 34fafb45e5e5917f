/**
 * Key columns and key lines: row-level data found by its shape. A column
 * (table column, JSON field, list, object keys, a field of lines printed in a
 * loop) whose values are nearly all distinct, numerous and not categories of
 * the data set holds a value per record, whatever the values look like
 * (hashes, tokens, floats, exact times). SDC practice: a cell per individual
 * is microdata, not an aggregate (docs/research/sdc-rules.md §7).
 */

import { Categories, TIME_OF_DAY, exactTime, numberOf } from '../categories';
import type { DisclosureIndex } from '../disclosure-index';
import { ruleEnabled, type ReviewConfig } from '../config';
import {
  columnLabel,
  type Document,
  type Labels,
  type Table
} from '../documents';
import type { Pacer } from '../pacer';
import { MAX_TEMPLATE_LINE, templateOf } from '../templates';
import { plural, tablePlace, type Finding } from './findings';

export interface KeyContext {
  config: ReviewConfig;
  labels: Labels;
  categories: Categories;
  pacer: Pacer;
}

/** Rows (or lines) of one table read by the rule; a longer table is judged by its first rows. */
const SAMPLE_ROWS = 20_000;
/** Lines of a text grouped by template (a file at the size limit has about 400,000); records printed after them are not seen. */
const MAX_LINES = 100_000;
/** Distinct values of a column whose categories are checked (evenly spread); the share is estimated from them. */
const SAMPLE_DISTINCT = 1_000;
/** Cells that hold nothing: suppressed, missing. */
const EMPTY = /^(|na|nan|null|none|n\/a|\*|-|\[redacted]|redacted|<\s*\d+)$/i;
const MARKDOWN_ROW = /^\s*\|.*\|\s*$/;

type Role = 'ignored' | 'label' | 'measure' | 'key' | 'times';

interface Column {
  index: number;
  distinct: number;
  values: number;
  highCard: boolean;
  role: Role;
}

/** A column's sampled distinct values, evenly spread. */
function sample(distinct: Set<string>): string[] {
  const all = [...distinct];
  if (all.length <= SAMPLE_DISTINCT) {
    return all;
  }
  const step = all.length / SAMPLE_DISTINCT;
  return Array.from(
    { length: SAMPLE_DISTINCT },
    (_, i) => all[Math.floor(i * step)]
  );
}

/** Times of day in the order written, never going back (but once, at midnight): a log's clock. */
function clockOfDay(values: string[]): boolean {
  let wraps = 0;
  let last = -1;
  for (const value of values) {
    const [h, m, s] = value
      .split(':')
      .map(part => parseFloat(part.replace(',', '.')));
    const seconds = h * 3600 + m * 60 + s;
    if (seconds < last && ++wraps > 1) {
      return false;
    }
    last = seconds;
  }
  return true;
}

/** Each column's role; pauses through the pacer per column (thousands of columns are seconds of work: the guard's deadline stops it). */
async function classify(
  table: Table,
  rows: string[][],
  context: KeyContext,
  depth: number
): Promise<Column[]> {
  const columns: Column[] = [];
  for (let index = 0; index < table.header.length; index++) {
    columns.push(await classifyColumn(index, rows, context, depth));
    await context.pacer.tick(rows.length + 1);
  }
  return columns;
}

async function classifyColumn(
  index: number,
  rows: string[][],
  context: KeyContext,
  depth: number
): Promise<Column> {
  const { config, categories } = context;
  const nearly = config.keyDistinctShare;
  const values: string[] = [];
  const distinct = new Set<string>();
  for (const row of rows) {
    const text = (row[index] ?? '').trim();
    if (!EMPTY.test(text)) {
      values.push(text);
      distinct.add(text);
    }
  }
  const column: Column = {
    index,
    distinct: distinct.size,
    values: values.length,
    highCard:
      distinct.size >= config.keyFloor &&
      distinct.size >= nearly * values.length,
    role: 'ignored'
  };
  if (distinct.size < 2) {
    return column;
  }
  const numeric = [...distinct].every(text => !Number.isNaN(numberOf(text)));
  if (!numeric && !column.highCard) {
    // Labels with repeats: groups, whatever they are.
    column.role = 'label';
    return column;
  }
  const sampled = sample(distinct);
  if (column.highCard) {
    // Exact times: a log's clock is nobody's record; a record's time is a key, even among measures.
    const times = sampled.map(exactTime);
    const timed = times.filter(time => time !== null);
    if (timed.length >= nearly * sampled.length) {
      const clock = timed.filter(time => categories.isClock(time)).length;
      column.role = clock >= nearly * timed.length ? 'ignored' : 'times';
      return column;
    }
    if (
      sampled.filter(text => TIME_OF_DAY.test(text)).length >=
      nearly * sampled.length
    ) {
      column.role = clockOfDay(values) ? 'ignored' : 'times';
      return column;
    }
  }
  if (categories.share(sampled) >= nearly) {
    column.role = 'label';
  } else if (numeric) {
    // Numbers with many repeats and few values (bin edges, years, levels) group rows; others are measures.
    column.role =
      distinct.size < config.keyFloor && distinct.size <= values.length / 2
        ? 'label'
        : 'measure';
  } else {
    column.role = (await textKey(values, context, depth)) ? 'key' : 'label';
  }
  return column;
}

/**
 * Whether distinct texts are a key: single tokens (hashes, codes) are; texts
 * of several fields (sentences, `US 2024-01-03 13:47:12`) are when the fields
 * of one template are a key in their turn, and varied prose is not.
 */
async function textKey(
  values: string[],
  context: KeyContext,
  depth: number
): Promise<boolean> {
  const groups = new Map<string, string[][]>();
  let tokens = 0;
  for (const value of values) {
    const { template, fields } = templateOf(value);
    if (fields.length <= 1) {
      tokens++;
    }
    const rows = groups.get(template) ?? [];
    rows.push(fields);
    groups.set(template, rows);
  }
  if (tokens >= context.config.keyDistinctShare * values.length || depth > 0) {
    return true;
  }
  for (const rows of groups.values()) {
    if (
      rows.length >= context.config.keyFloor &&
      (
        await keyColumns(
          {
            at: '',
            header: rows[0].map((_, i) => `field ${i + 1}`),
            rows
          },
          context,
          depth + 1
        )
      ).length > 0
    ) {
      return true;
    }
  }
  return false;
}

function distinctTuples(rows: string[][], columns: number[]): number {
  const seen = new Set<string>();
  for (const row of rows) {
    seen.add(columns.map(column => (row[column] ?? '').trim()).join('\u0001'));
  }
  return seen.size;
}

export interface KeyFinding {
  kind: 'key' | 'times' | 'values' | 'combination';
  columns: number[];
  distinct: number;
  rows: number;
  /** The table's rows when more than the rows read (`SAMPLE_ROWS`). */
  of?: number;
}

/**
 * The key columns of a table: non-categories nearly all distinct (`key`),
 * exact times (`times`); measures nearly all distinct in a table whose
 * labels do not make its rows groups (`values`); and, without such a
 * column, two or more measures that together are distinct per row when the
 * labels do not (`combination`: exact counts side by side, no label).
 */
export async function keyColumns(
  table: Table,
  context: KeyContext,
  depth = 0
): Promise<KeyFinding[]> {
  const of = table.rows.length > SAMPLE_ROWS ? { of: table.rows.length } : {};
  return (await keyColumnsOfSample(table, context, depth)).map(found => ({
    ...found,
    ...of
  }));
}

async function keyColumnsOfSample(
  table: Table,
  context: KeyContext,
  depth: number
): Promise<KeyFinding[]> {
  const { config } = context;
  const rows = table.rows.slice(0, SAMPLE_ROWS);
  if (rows.length < config.keyFloor) {
    return [];
  }
  const columns = await classify(table, rows, context, depth);
  const found: KeyFinding[] = columns
    .filter(column => column.role === 'key' || column.role === 'times')
    .filter(column => column.highCard)
    .map(column => ({
      kind: column.role as 'key' | 'times',
      columns: [column.index],
      distinct: column.distinct,
      rows: column.values
    }));
  if (found.length) {
    return found;
  }
  const labels = columns
    .filter(column => column.role === 'label')
    .map(column => column.index);
  const nearly = config.keyDistinctShare;
  if (labels.length && distinctTuples(rows, labels) >= nearly * rows.length) {
    // Every row a group of categories: its numbers are the groups' statistics.
    return [];
  }
  const measures = columns.filter(column => column.role === 'measure');
  if (labels.length) {
    const each = measures.filter(column => column.highCard);
    if (each.length) {
      return each.map(column => ({
        kind: 'values' as const,
        columns: [column.index],
        distinct: column.distinct,
        rows: column.values
      }));
    }
  }
  const varied = measures.filter(
    column => column.distinct >= config.keyFloor / 2
  );
  if (varied.length >= 2) {
    const together = distinctTuples(
      rows,
      varied.map(column => column.index)
    );
    if (together >= config.keyFloor && together >= nearly * rows.length) {
      return [
        {
          kind: 'combination',
          columns: varied.map(column => column.index),
          distinct: together,
          rows: rows.length
        }
      ];
    }
  }
  return [];
}

const TO_DO = {
  key_column:
    'Drop the key column, or group the records and output counts or statistics per group (pyrqs.outputs writes them with their cell counts).',
  key_lines:
    'Print counts or statistics per group, not a line per record (pyrqs.outputs writes them with their cell counts).'
};

function thresholds(config: ReviewConfig): string {
  return `at least ${config.keyFloor} values, ${Math.round(config.keyDistinctShare * 100)}% of them distinct`;
}

function what(found: KeyFinding): string {
  const rows = found.of
    ? `the first ${found.rows.toLocaleString('en-US')} of ${plural(found.of, 'row')}`
    : plural(found.rows, 'row');
  const counts = `${plural(found.distinct, 'distinct value')} in ${rows}`;
  switch (found.kind) {
    case 'key':
      return `${counts}, not categories of the data set (regions, hashtags, dates, bins…): a value per record is a key to row-level data`;
    case 'times':
      return `${counts} that are exact times: a posting time per record is row-level data`;
    case 'values':
      return `${counts}, while the other columns do not make each row a group: these are records' own values, not group statistics`;
    case 'combination':
      return `together ${plural(found.distinct, 'distinct combination')} in ${rows}, with no column of categories that makes each row a group: each row is one record's values`;
  }
}

/** Columns a finding names (a combination of thousands would be a message of thousands of names); the rest are counted. */
const MAX_NAMED_COLUMNS = 10;

/** Findings for the key columns of a table; `name` says a column (`column 2 (x)`, `field 3`). */
function tableFindings(
  rule: 'key_column' | 'key_lines',
  file: string,
  place: string,
  table: Table,
  found: KeyFinding[],
  name: (column: number) => string,
  config: ReviewConfig
): Finding[] {
  return found.map(item => {
    const shown = item.columns.slice(0, MAX_NAMED_COLUMNS).map(name);
    const more = item.columns.length - shown.length;
    const columns = more
      ? `${shown.join(', ')} and ${plural(more, 'more column')}`
      : shown.join(' and ');
    const location = `${place}${columns}`;
    return {
      rule,
      severity: 'fail' as const,
      file,
      location,
      column:
        rule === 'key_column' && item.columns.length === 1
          ? name(item.columns[0])
          : null,
      message: `${file}, ${location}: ${what(item)} (rule: ${thresholds(config)}, not categories). ${TO_DO[rule]}`
    };
  });
}

/** Key columns of every table of a document, and of a JSON file's lists and object keys. */
export async function keyColumnFindings(
  file: string,
  document: Document,
  context: KeyContext
): Promise<Finding[]> {
  const { config, labels, pacer } = context;
  const findings: Finding[] = [];
  for (const table of document.tables) {
    // `label: N` lines of a text are read by the key-lines rule.
    if (table.inferred && table.rowNames) {
      continue;
    }
    const found = await keyColumns(table, context);
    findings.push(
      ...tableFindings(
        'key_column',
        file,
        tablePlace(table),
        table,
        found,
        column => columnLabel(table.header, column, labels),
        config
      )
    );
    await pacer.tick(table.rows.length);
  }
  for (const table of jsonColumns(document)) {
    findings.push(
      ...tableFindings(
        'key_column',
        file,
        `${table.at}, `,
        table,
        await keyColumns(table, context),
        column => table.header[column],
        config
      )
    );
    await pacer.tick(table.rows.length);
  }
  return findings;
}

/**
 * A JSON file's other columns: the keys of one object, the items of a list
 * of scalars, the columns of a list of lists. Read from the document's
 * values by their paths (documents.ts readJson: `a.b (key)`, `a[3]`,
 * `a[3][1]`). CSV and text documents have none.
 */
function jsonColumns(document: Document): Table[] {
  const single = document.tables.length === 1 && document.tables[0].at === '';
  if (single || document.lines > 0) {
    return [];
  }
  const counted = new Set(
    document.tables
      .filter(table => table.inferred && !table.rowNames)
      .map(table => table.at)
  );
  const keys = new Map<string, string[]>();
  const lists = new Map<string, string[]>();
  const grids = new Map<string, string[][]>();
  const add = <T>(map: Map<string, T[]>, at: string, item: T) => {
    const list = map.get(at);
    if (list) {
      list.push(item);
    } else {
      map.set(at, [item]);
    }
  };
  let seen = 0;
  for (const value of document.values) {
    if (++seen > SAMPLE_ROWS * 10) {
      break;
    }
    if (!value.whole || value.cell) {
      continue;
    }
    const location = value.location;
    if (location.endsWith(' (key)')) {
      const at = location.slice(0, -' (key)'.length);
      const dot = at.lastIndexOf('.');
      const parent = dot >= 0 ? at.slice(0, dot) : '(top level)';
      add(keys, parent, value.text);
      continue;
    }
    const grid = /^(.*)\[(\d+)\]\[(\d+)\]$/.exec(location);
    if (grid) {
      const rows = grids.get(grid[1]) ?? [];
      grids.set(grid[1], rows);
      const row = Number(grid[2]);
      (rows[row] ??= [])[Number(grid[3])] = value.text;
      continue;
    }
    const list = /^(.*)\[(\d+)\]$/.exec(location);
    if (list) {
      add(lists, list[1] || '(top level)', value.text);
    }
  }
  const tables: Table[] = [];
  for (const [at, items] of keys) {
    if (!counted.has(at)) {
      tables.push({ at, header: ['keys'], rows: items.map(item => [item]) });
    }
  }
  for (const [at, items] of lists) {
    tables.push({ at, header: ['items'], rows: items.map(item => [item]) });
  }
  for (const [at, sparse] of grids) {
    const rows = sparse
      .filter(Boolean)
      .map(row => Array.from(row, cell => cell ?? ''));
    const width = Math.max(...rows.map(row => row.length));
    tables.push({
      at: at || '(top level)',
      header: Array.from(
        { length: width },
        (_, i) => `item ${i + 1} of each list`
      ),
      rows
    });
  }
  return tables;
}

/**
 * Key lines: lines of a text or log that share a template (fields masked),
 * at least the floor of them, read as a table of their fields. Markdown
 * table rows are left to the table rules.
 */
export async function keyLineFindings(
  file: string,
  document: Document,
  context: KeyContext
): Promise<Finding[]> {
  const { config, pacer } = context;
  const groups = new Map<string, { lines: number[]; rows: string[][] }>();
  let read = 0;
  for (const value of document.values) {
    // Lines are a text's values; a table's or JSON's values are whole cells (and many).
    if (value.whole) {
      break;
    }
    if (!value.location.startsWith('line ')) {
      continue;
    }
    if (++read > MAX_LINES) {
      break;
    }
    const text = value.text;
    if (
      !text.trim() ||
      text.length > MAX_TEMPLATE_LINE ||
      MARKDOWN_ROW.test(text)
    ) {
      continue;
    }
    const { template, fields } = templateOf(text);
    if (!fields.length) {
      continue;
    }
    let group = groups.get(template);
    if (!group) {
      group = { lines: [], rows: [] };
      groups.set(template, group);
    }
    group.lines.push(Number(value.location.slice('line '.length)));
    group.rows.push(fields);
    await pacer.tick();
  }
  const findings: Finding[] = [];
  for (const group of groups.values()) {
    if (group.rows.length < config.keyFloor) {
      continue;
    }
    const width = group.rows[0].length;
    const table: Table = {
      at: '',
      header: Array.from({ length: width }, (_, i) => `field ${i + 1}`),
      rows: group.rows
    };
    const first = group.lines[0];
    const last = group.lines[group.lines.length - 1];
    findings.push(
      ...tableFindings(
        'key_lines',
        file,
        `lines ${first}–${last} (${plural(group.rows.length, 'line')} of one pattern), `,
        table,
        await keyColumns(table, context),
        column => `field ${column + 1}`,
        config
      )
    );
  }
  return findings;
}

/** One of the two rules on one document (rules/index.ts contentFindings; off when `disabledRules` says so). */
export async function keyValueFindings(
  file: string,
  document: Document,
  context: {
    index: DisclosureIndex;
    config: ReviewConfig;
    labels: Labels;
    pacer: Pacer;
  },
  rule: 'key_column' | 'key_lines'
): Promise<Finding[]> {
  if (!ruleEnabled(context.config, rule)) {
    return [];
  }
  const { index, ...rest } = context;
  const keys: KeyContext = { ...rest, categories: new Categories(index.data) };
  return rule === 'key_column'
    ? keyColumnFindings(file, document, keys)
    : keyLineFindings(file, document, keys);
}
