import type { PublicData } from '../../data/schema';
import type { ReviewConfig } from '../config';
import { columnLabel, type Labels, type Table } from '../documents';
import {
  linkageData,
  ENTITIES,
  type Entity,
  type Field,
  type LinkageData
} from './data';
import { columnReadings, type Reading } from './values';
import { foldRuns, oneCellRuns } from './fold';
import type { Pacer } from '../pacer';
import { plural, tablePlace, type Finding } from '../rules/findings';

/**
 * Linkage: rows of a table that join back to exactly one record of the data
 * set are records, whatever their columns are called and however their
 * values are written. SDC practice calls the fields that do this
 * quasi-identifiers (key variables): exact times and counts identify a video
 * as well as its id does, so a table of them is microdata even without ids
 * (docs/research/sdc-rules.md § 6 Record linkage).
 *
 * For a spread sample of a table's rows (`config.linkageSampleRows`):
 * 1. each column is read as exact times, whole numbers, region codes,
 *    duration classes or flags (linkage/values.ts): the values, not the
 *    header, say what a column is;
 * 2. a probe of a few rows finds which column matches which field of videos,
 *    comments or users: each row's candidates come from the indexes
 *    (`field = value`, rowids only, at most `PROBE_CANDIDATES`), and the
 *    candidate matching the most columns votes for its column → field pairs;
 * 3. every sampled row takes the rowids of its most selective assigned
 *    indexed value, narrows them through the next values' indexes while
 *    more than a few are left, reads those records and compares every
 *    assigned column in JavaScript. A row links when exactly one record
 *    matches, on at least two identifying columns (exact times; counts of
 *    10 or more that are not categories), or on one exact time;
 * 4. the same is done with the assigned columns shifted against each other
 *    (row combinations broken, the values kept): what links then links by
 *    chance, and is subtracted.
 * When the links beyond chance reach `config.linkageMinRows` and
 * `config.linkageShare` of the rows checked, the table is refused.
 *
 * An aggregate does not link: a group's count or sum that equals one video's
 * like count is one column, and two statistics of a row that equal two
 * fields of one record by chance do so as often with the rows shuffled. A
 * group of one record, or a maximum of two correlated fields, does link: it
 * is that record.
 */

/** Rows of the sample that vote for the column → field assignment. */
const PROBE_ROWS = 20;
/** Candidates a probe row looks at per indexed value (more: the value says little, skipped). */
const PROBE_CANDIDATES = 50;
/** Records a probe row reads that only one value points at, when that value is shared by at most this many. */
const FEW_CANDIDATES = 10;
/** Records a checked row reads without narrowing them by its next indexed value (reading a few is cheaper than a long rowid list). */
const READ_DIRECTLY = 30;
/** Rowids a checked row takes from its most selective indexed value (more: the next value is tried). */
const ROW_CANDIDATES = 1_000;
/** Records a checked row reads after narrowing (more: the row is skipped). */
const ROW_RECORDS = 100;
/**
 * Counts under this tell records apart no better than a category: many
 * records share them, so two small numbers match one record of a small
 * table (users) by chance. They narrow a match but do not make one.
 */
const SMALL_COUNT = 10;

interface ColumnReading {
  column: number;
  reading: Reading;
}

/** A column read one way, compared with a field of the entity. */
interface Pair {
  column: number;
  reading: Reading;
  field: Field;
}

type Value = number | string | null;

/** `count` rows spread over `total` (all of them when there are fewer). */
export function spreadRows(total: number, count: number): number[] {
  if (total <= count) {
    return Array.from({ length: total }, (_, index) => index);
  }
  return Array.from({ length: count }, (_, index) =>
    Math.floor((index * total) / count)
  );
}

/** True when a matched value tells records apart: a time, or a count that is neither a category nor small. */
function identifying(pair: Pair, value: Value): boolean {
  return (
    !pair.field.category &&
    (pair.field.kind === 'time' ||
      (typeof value === 'number' && value >= SMALL_COUNT))
  );
}

/** True when a pair is an exact time (one links on its own; a time to the minute does not). */
function exactTime(pair: Pair): boolean {
  return pair.field.kind === 'time' && !pair.reading.span;
}

/** True when a record's value of a pair's field is the row's value (within the minute for a time to the minute). */
function same(pair: Pair, value: Value, recorded: unknown): boolean {
  if (value === null) {
    return false;
  }
  const span = pair.reading.span;
  return span && typeof value === 'number' && typeof recorded === 'number'
    ? recorded >= value && recorded < value + span
    : recorded === value;
}

/** True when the matched pairs make a link: two identifying columns, or one exact time. */
function links(matched: number[], pairs: Pair[], values: Value[]): boolean {
  const columns = new Set<number>();
  for (const index of matched) {
    const pair = pairs[index];
    if (exactTime(pair)) {
      return true;
    }
    if (identifying(pair, values[index])) {
      columns.add(pair.column);
    }
  }
  return columns.size >= 2;
}

/** The values of one row under each pair (null: the cell does not read that way). */
function rowValues(row: string[], pairs: Pair[]): Value[] {
  return pairs.map(pair => pair.reading.read(row[pair.column] ?? ''));
}

/** The distinct fields of `pairs` (what a lookup reads) and where each pair's field sits in a looked-up record. */
function recordLayout(pairs: Pair[]): { fields: Field[]; slots: number[] } {
  const fields = [...new Set(pairs.map(pair => pair.field))];
  return {
    fields,
    slots: pairs.map(pair => fields.indexOf(pair.field) + 1)
  };
}

/**
 * Step 2: the column → field pairs most probe rows' best candidates agree on.
 * Its work grows with the table's width (a lookup per row and indexed pair,
 * a comparison per candidate and pair): it pauses through the pacer, so a
 * crafted table thousands of columns wide is stopped at the rule's budget
 * (rule_error, manual) instead of running on unchecked.
 */
async function assign(
  entity: Entity,
  lookups: LinkageData,
  rows: string[][],
  pairs: Pair[],
  pacer: Pacer
): Promise<Pair[]> {
  const anchors = pairs
    .map((pair, index) => ({ pair, index }))
    .filter(({ pair }) => pair.field.indexed);
  if (!anchors.length) {
    return [];
  }
  const { fields, slots } = recordLayout(pairs);
  const votes = new Array<number>(pairs.length).fill(0);
  for (const row of spreadRows(rows.length, PROBE_ROWS).map(i => rows[i])) {
    const values = rowValues(row, pairs);
    // Rowids from each indexed value (the index alone); worth reading are the records two
    // columns point at, those an exact time points at, and those of a value shared by few.
    const seen = new Map<number, Set<number>>();
    const wanted = new Set<number>();
    for (const { pair, index } of anchors) {
      const value = values[index];
      // A small count is shared by too many records to point at one.
      if (typeof value !== 'number' || !identifying(pair, value)) {
        continue;
      }
      const rowids = lookups.rowids(
        entity,
        pair.field,
        value,
        PROBE_CANDIDATES,
        pair.reading.span
      );
      await pacer.tick(PROBE_CANDIDATES);
      for (const rowid of rowids ?? []) {
        const columns = seen.get(rowid) ?? new Set<number>();
        columns.add(pair.column);
        seen.set(rowid, columns);
        if (
          columns.size > 1 ||
          exactTime(pair) ||
          rowids!.length <= FEW_CANDIDATES
        ) {
          wanted.add(rowid);
        }
      }
    }
    const candidates = lookups.records(entity, fields, [...wanted]);
    let best: number[] = [];
    let bestScore = 0;
    let tied = false;
    for (const record of candidates) {
      await pacer.tick(pairs.length);
      const matched = pairs.flatMap((pair, index) =>
        same(pair, values[index], record[slots[index]]) ? [index] : []
      );
      if (!links(matched, pairs, values)) {
        continue;
      }
      // Columns matched, a category or small count counting half as much as an identifying value.
      const weights = new Map<number, number>();
      for (const index of matched) {
        const column = pairs[index].column;
        const weight = identifying(pairs[index], values[index]) ? 1 : 0.5;
        weights.set(column, Math.max(weights.get(column) ?? 0, weight));
      }
      const score = [...weights.values()].reduce((sum, w) => sum + w, 0);
      if (score > bestScore) {
        best = matched;
        bestScore = score;
        tied = false;
      } else if (score === bestScore) {
        tied = true;
      }
    }
    if (!tied) {
      for (const index of best) {
        votes[index]++;
      }
    }
  }
  // Each column takes the field it matched most often (at least twice).
  const chosen = new Map<number, number>();
  votes.forEach((count, index) => {
    if (count < 2) {
      return;
    }
    const column = pairs[index].column;
    const current = chosen.get(column);
    if (current === undefined || votes[current] < count) {
      chosen.set(column, index);
    }
  });
  return [...chosen.values()].sort((a, b) => a - b).map(index => pairs[index]);
}

/**
 * Step 3: how many of `rows` link to exactly one record through the assigned
 * pairs. With `decide`, it stops as soon as the count is known to be over
 * `decide` or known to stay at or under it (the chance links only need that).
 */
async function countLinks(
  entity: Entity,
  lookups: LinkageData,
  rows: string[][],
  assigned: Pair[],
  pacer: Pacer,
  decide = Infinity
): Promise<number> {
  const { fields, slots } = recordLayout(assigned);
  const anchors = assigned
    .map((pair, index) => ({ pair, index }))
    .filter(({ pair }) => pair.field.indexed)
    .sort(
      (a, b) =>
        lookups.selectivity(entity, a.pair.field) * (a.pair.reading.span ?? 1) -
        lookups.selectivity(entity, b.pair.field) * (b.pair.reading.span ?? 1)
    );
  const all = assigned.map((_, index) => index);
  let linked = 0;
  for (const [position, row] of rows.entries()) {
    if (
      decide !== Infinity &&
      (linked > decide || linked + rows.length - position <= decide)
    ) {
      break;
    }
    const values = rowValues(row, assigned);
    if (
      !links(
        all.filter(index => values[index] !== null),
        assigned,
        values
      )
    ) {
      continue;
    }
    // The rowids of the most selective indexed value (the index alone), narrowed through
    // the next values' indexes while more than a few are left; then those records, read.
    let rowids: number[] | null = null;
    let lists = 0;
    for (const { pair, index } of anchors) {
      const value = values[index];
      if (typeof value !== 'number') {
        continue;
      }
      lists++;
      const span = pair.reading.span;
      rowids = rowids
        ? lookups.narrow(entity, pair.field, value, rowids, span)
        : lookups.rowids(entity, pair.field, value, ROW_CANDIDATES, span);
      if (rowids && rowids.length <= READ_DIRECTLY) {
        break;
      }
    }
    if (!rowids || rowids.length > ROW_RECORDS) {
      continue;
    }
    const candidates = lookups.records(entity, fields, rowids);
    let matches = 0;
    for (const record of candidates) {
      if (
        all.every(
          index =>
            values[index] === null ||
            same(assigned[index], values[index], record[slots[index]])
        ) &&
        ++matches > 1
      ) {
        break;
      }
    }
    if (matches === 1) {
      linked++;
    }
    await pacer.tick(candidates.length + lists);
  }
  return linked;
}

/**
 * The rows with each assigned column shifted by its own number of rows: the
 * same values, column by column, with the rows' combinations broken. How
 * many of these link is how many links the table's values make by chance.
 */
function shuffledRows(rows: string[][], assigned: Pair[]): string[][] {
  const columns = [...new Set(assigned.map(pair => pair.column))];
  const shifts = new Map(
    columns.map((column, position) => [
      column,
      Math.floor(((position + 1) * rows.length) / (columns.length + 1))
    ])
  );
  return rows.map((row, index) =>
    row.map((cell, column) => {
      const shift = shifts.get(column);
      return shift === undefined
        ? cell
        : (rows[(index + shift) % rows.length][column] ?? '');
    })
  );
}

/** The column → field pairs a table's columns could make with an entity's fields. */
function pairsOf(entity: Entity, columns: ColumnReading[]): Pair[] {
  return columns.flatMap(({ column, reading }) =>
    entity.fields
      .filter(field => field.kind === reading.kind)
      .map(field => ({ column, reading, field }))
  );
}

interface EntityResult {
  entity: Entity;
  pairs: Pair[];
  linked: number;
}

/**
 * The linkage rule for one table: a `fail` naming the file, the table, the
 * linking columns and the fields they match when more than the allowed share
 * of the sampled rows each link to exactly one record.
 */
export async function linkageFindings(
  file: string,
  table: Table,
  data: PublicData,
  config: ReviewConfig,
  labels: Labels,
  pacer: Pacer
): Promise<Finding[]> {
  if (table.rows.length < config.linkageMinRows) {
    return [];
  }
  const sampled = spreadRows(table.rows.length, config.linkageSampleRows).map(
    index => table.rows[index]
  );
  const lookups = linkageData(data);
  // Printed tables have no header: as many columns as the widest row.
  const tableWidth = sampled.reduce(
    (widest, row) => Math.max(widest, row.length),
    table.header.length
  );
  // A chart row per record (one filled bin of many) is read as its value and its bin, two columns after the table's.
  const runs = oneCellRuns(sampled, tableWidth);
  const rows = foldRuns(sampled, tableWidth, runs);
  const width = tableWidth + 2 * runs.length;
  const label = (column: number): string => {
    if (column < tableWidth) {
      return columnLabel(table.header, column, labels);
    }
    const [start, end] = runs[Math.floor((column - tableWidth) / 2)];
    const what =
      (column - tableWidth) % 2 ? 'the filled column of' : 'the value in';
    return `${what} columns ${start + 1}-${end}`;
  };
  const columns: ColumnReading[] = Array.from(
    { length: width },
    (_, column) => column
  ).flatMap(column =>
    columnReadings(
      rows.map(row => row[column] ?? ''),
      lookups.timeRange
    ).map(reading => ({ column, reading }))
  );
  // Without an exact time or two numbers no row can link: nothing to look up.
  const numbers = new Set(
    columns
      .filter(({ reading }) => reading.kind === 'count')
      .map(({ column }) => column)
  );
  if (
    !columns.some(({ reading }) => reading.kind === 'time') &&
    numbers.size < 2
  ) {
    return [];
  }
  const required = Math.max(
    config.linkageMinRows,
    config.linkageShare * rows.length
  );
  const enough = (linked: number) => linked >= required;
  let worst: EntityResult | null = null;
  for (const entity of ENTITIES) {
    const pairs = pairsOf(entity, columns);
    const assigned = await assign(entity, lookups, rows, pairs, pacer);
    if (!assigned.length) {
      continue;
    }
    const linked = await countLinks(entity, lookups, rows, assigned, pacer);
    if (!enough(linked) || (worst && linked <= worst.linked)) {
      continue;
    }
    // Links beyond those the same values make by chance, row combinations broken.
    const chance = await countLinks(
      entity,
      lookups,
      shuffledRows(rows, assigned),
      assigned,
      pacer,
      Math.floor(linked - required)
    );
    if (enough(linked - chance)) {
      worst = { entity, pairs: assigned, linked };
      if (linked === rows.length) {
        break;
      }
    }
  }
  if (!worst) {
    return [];
  }
  const linking = [...worst.pairs].sort((a, b) => a.column - b.column);
  const linkingColumns = linking.map(pair => label(pair.column)).join(', ');
  // In the message a column is named with its field when its header does not already say which one.
  const named = linking
    .map(pair =>
      pair.column < tableWidth && table.header[pair.column] === pair.field.name
        ? label(pair.column)
        : `${label(pair.column)} as ${pair.field.name}`
    )
    .join(', ');
  const where = tablePlace(table);
  const within = table.at ? ` (${table.at})` : '';
  return [
    {
      rule: 'linkage',
      severity: 'fail',
      file,
      location: `${where}${linkingColumns}`,
      message: `${file}${within}: ${worst.linked.toLocaleString('en-US')} of ${plural(rows.length, 'row')} checked each match exactly one ${worst.entity.noun} of the data set on ${named}. This is row-level data even without identifiers: group the records and output counts or statistics per group, or use pyrqs.outputs.`
    }
  ];
}
