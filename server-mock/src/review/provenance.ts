import { basename, extname } from 'node:path';
import { ruleEnabled, type ReviewConfig } from './config';
import type { Document, Table, TextValue } from './documents';
import { contentFindings, type ContentContext } from './rules';
import { linkageFindings } from './linkage';
import { places, plural, type Finding } from './rules/findings';

/**
 * The provenance lane (issue 16, item 4): an output written by
 * `pyrqs.outputs.write` comes with a record, `<file>.provenance.json`, that
 * holds every cell's record count and, for sums and means, the two largest
 * contributions' shares of the cell's total. Such a file is checked exactly
 * instead of heuristically:
 * - the record must parse and have the shape below, and the file must be
 *   exactly what the record describes (CSV, markdown and SVG re-rendered and
 *   compared byte for byte; JSON parsed and compared value for value);
 * - every unsuppressed cell's count ≥ the threshold, sums and means pass NK
 *   dominance and the p-ratio from their recorded shares, models have enough
 *   residual degrees of freedom, counts are consistent with the records read;
 * - the labels, header and cell texts get every value rule (identifiers,
 *   encodings, verbatim text) through `contentFindings` on a document made of
 *   them alone (no table, so no count or shape heuristics).
 * What passes is approved without the table heuristics. The record is not
 * released: a top share times the cell's total is the largest single
 * record's value, which is itself disclosive (server-mock/README.md
 * § "The provenance lane").
 *
 * The limit: the record is written inside the sandbox, so a script can forge
 * one. A forged record can still only make the review approve a file whose
 * every cell is described as passing the rules and whose every label and
 * value passes the identifier rules: it can lie about counts or shares, not
 * release a label or value the value rules refuse.
 */

export const PROVENANCE_SUFFIX = '.provenance.json';
const RECORD_FORMAT = 'pyrqs.outputs provenance';
/** Largest record read (a record of a 5,000-row table is well under it). */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;

const KINDS = new Set([
  'crosstab',
  'describe',
  'percentiles',
  'regression',
  'logit',
  'bar_chart'
]);
const MODEL_KINDS = new Set(['regression', 'logit']);
/** Statistics of a group of records: each needs its count. Sums and means need their top shares too. */
const GROUP_STAT =
  /^(count|sum|mean|median|sd|p(?:[1-9]\d?(?:\.\d+)?|0\.\d*[1-9]\d*))$/;
const MAGNITUDE_STATS = new Set(['sum', 'mean']);
/** Statistics of a model (one figure for the whole model). */
const MODEL_STATS = new Set([
  'coef',
  'se',
  't',
  'z',
  'p',
  'n',
  'df_resid',
  'r2',
  'adj_r2',
  'pseudo_r2',
  'iterations'
]);
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/;
const SUPPRESSED = /^<\d+$/;

interface LabelCell {
  label: string;
}
interface StatCell {
  text: string;
  stat: string;
  count?: number;
  suppressed?: boolean;
  top?: number[];
  negative?: boolean;
}
type Cell = LabelCell | StatCell;

export interface ProvenanceRecord {
  file: string;
  kind: string;
  statistic: string;
  records: number;
  exploded: boolean;
  title: string | null;
  header: string[];
  rows: Cell[][];
  model: { n: number; df_resid: number; parameters: number } | null;
}

const isLabel = (cell: Cell): cell is LabelCell => 'label' in cell;
const cellText = (cell: Cell) => (isLabel(cell) ? cell.label : cell.text);

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** A cell of the record, or why it is not one (never quoting it). */
function parseCell(value: unknown, kind: string): Cell | string {
  if (!isObject(value)) {
    return 'a cell is not an object';
  }
  if ('label' in value) {
    return typeof value.label === 'string' && Object.keys(value).length === 1
      ? { label: value.label }
      : 'a label cell is not {"label": text}';
  }
  const { text, stat, count, suppressed, top, negative } = value;
  if (typeof text !== 'string' || typeof stat !== 'string') {
    return 'a statistic cell has no text or stat';
  }
  const group = GROUP_STAT.test(stat);
  if (!group && !(MODEL_KINDS.has(kind) && MODEL_STATS.has(stat))) {
    return 'a cell has a statistic the review does not know';
  }
  if (suppressed !== undefined && suppressed !== true) {
    return 'a cell has a malformed "suppressed"';
  }
  if (suppressed) {
    // Nothing of a suppressed cell may be kept: only its mark.
    return SUPPRESSED.test(text) &&
      count === undefined &&
      top === undefined &&
      negative === undefined
      ? { text, stat, suppressed: true }
      : 'a suppressed cell is not just its mark';
  }
  if (text !== '' && !NUMBER.test(text)) {
    return 'a statistic cell is not a number';
  }
  const cell: StatCell = { text, stat };
  if (group) {
    if (!isCount(count)) {
      return 'a statistic cell has no record count';
    }
    cell.count = count;
  }
  if (MAGNITUDE_STATS.has(stat)) {
    if (negative === true) {
      cell.negative = true;
    } else if (
      Array.isArray(top) &&
      top.length <= 2 &&
      top.every(
        (share, index) =>
          typeof share === 'number' &&
          share >= 0 &&
          share <= 1 + 1e-9 &&
          (index === 0 || share <= (top[index - 1] as number) + 1e-12)
      )
    ) {
      cell.top = top as number[];
    } else {
      return 'a sum or mean has no top contribution shares';
    }
  }
  return cell;
}

/** The record, validated by hand (the review has no schema validator at run time), or why not. */
export function parseRecord(content: string): ProvenanceRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return 'it is not valid JSON';
  }
  if (!isObject(value) || value.format !== RECORD_FORMAT) {
    return 'it is not a pyrqs.outputs provenance record';
  }
  if (value.version !== 1) {
    return 'its version is not one the review reads (1)';
  }
  const { file, kind, statistic, records, header, rows, title, model } = value;
  if (
    typeof file !== 'string' ||
    typeof kind !== 'string' ||
    !KINDS.has(kind)
  ) {
    return 'its file or kind is missing or unknown';
  }
  if (typeof statistic !== 'string' || !isCount(records)) {
    return 'its statistic or records count is missing';
  }
  if (
    !Array.isArray(header) ||
    !header.every(name => typeof name === 'string') ||
    !Array.isArray(rows)
  ) {
    return 'its header or rows are malformed';
  }
  if (title !== undefined && title !== null && typeof title !== 'string') {
    return 'its title is not text';
  }
  const parsedRows: Cell[][] = [];
  for (const row of rows) {
    if (!Array.isArray(row) || row.length !== header.length) {
      return 'a row does not have one cell per column';
    }
    const cells: Cell[] = [];
    for (const item of row) {
      const cell = parseCell(item, kind);
      if (typeof cell === 'string') {
        return cell;
      }
      cells.push(cell);
    }
    parsedRows.push(cells);
  }
  let parsedModel: ProvenanceRecord['model'] = null;
  if (MODEL_KINDS.has(kind)) {
    if (
      !isObject(model) ||
      !isCount(model.n) ||
      !isCount(model.parameters) ||
      typeof model.df_resid !== 'number' ||
      model.df_resid !== model.n - model.parameters
    ) {
      return 'a model has no consistent n, parameters and df_resid';
    }
    parsedModel = {
      n: model.n,
      df_resid: model.df_resid,
      parameters: model.parameters
    };
  }
  return {
    file,
    kind,
    statistic,
    records,
    exploded: value.exploded === true,
    title: typeof title === 'string' ? title : null,
    header: header as string[],
    rows: parsedRows,
    model: parsedModel
  };
}

// --- rendering: the same as pyrqs/outputs.py's render_* (keep both in step) ---

function tableOf(record: ProvenanceRecord): string[][] {
  return [record.header, ...record.rows.map(row => row.map(cellText))];
}

const CSV_QUOTE = /[",\r\n]|^\s|\s$/;

export function renderCsv(record: ProvenanceRecord): string {
  const field = (text: string) =>
    CSV_QUOTE.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  return tableOf(record)
    .map(row => `${row.map(field).join(',')}\n`)
    .join('');
}

export function renderMarkdown(record: ProvenanceRecord): string {
  const cell = (text: string) =>
    text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
  const [header, ...rows] = tableOf(record);
  const lines = record.title ? [`# ${cell(record.title)}`, ''] : [];
  lines.push(`| ${header.map(cell).join(' | ')} |`);
  lines.push(`|${header.map(() => ' --- ').join('|')}|`);
  lines.push(...rows.map(row => `| ${row.map(cell).join(' | ')} |`));
  return `${lines.join('\n')}\n`;
}

/** The value the JSON file holds for a cell (pyrqs render_json). */
function jsonValue(cell: Cell): unknown {
  if (isLabel(cell)) {
    return cell.label;
  }
  if (cell.suppressed) {
    return cell.text;
  }
  return cell.text === '' ? null : Number(cell.text);
}

function jsonMatches(record: ProvenanceRecord, content: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return false;
  }
  const expected = {
    columns: record.header,
    rows: record.rows.map(row =>
      Object.fromEntries(
        record.header.map((name, column) => [name, jsonValue(row[column])])
      )
    )
  };
  return sameJson(parsed, expected);
}

function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => sameJson(item, b[index]))
    );
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every(key => Object.hasOwn(b, key) && sameJson(a[key], b[key]))
    );
  }
  return a === b;
}

const xml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

export function renderSvg(record: ProvenanceRecord): string {
  const [width, labelWidth, barWidth, rowHeight] = [640, 160, 400, 28];
  const bars = record.rows.map(row => ({
    label: cellText(row[0]),
    cell: row[row.length - 1]
  }));
  const countOf = (cell: Cell) =>
    !isLabel(cell) && cell.count !== undefined ? cell.count : null;
  const longest =
    Math.max(
      ...bars.map(bar => countOf(bar.cell)).filter(count => count !== null),
      1
    ) || 1;
  const height = 40 + rowHeight * bars.length + 12;
  const title = xml(record.title ?? '');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}">`,
    `<title>${title}</title>`,
    `<text x="8" y="24" font-family="sans-serif" font-size="16">${title}</text>`
  ];
  bars.forEach(({ label, cell }, index) => {
    const y = 40 + rowHeight * index;
    const count = countOf(cell);
    const bar = count === null ? 0 : Math.floor((count * barWidth) / longest);
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end" font-family="sans-serif" font-size="12">${xml(label)}</text>`
    );
    if (bar) {
      parts.push(
        `<rect x="${labelWidth}" y="${y}" width="${bar}" height="24" fill="#4477aa"/>`
      );
    }
    parts.push(
      `<text x="${labelWidth + bar + 6}" y="${y + 17}" font-family="sans-serif" font-size="12">${xml(cellText(cell))}</text>`
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** True when the file is exactly what the record describes. */
export function fileMatches(
  record: ProvenanceRecord,
  extension: string,
  content: string
): boolean {
  switch (extension) {
    case '.csv':
      return content === renderCsv(record);
    case '.md':
      return content === renderMarkdown(record);
    case '.svg':
      return record.kind === 'bar_chart' && content === renderSvg(record);
    case '.json':
      return jsonMatches(record, content);
    default:
      return false;
  }
}

// --- the rules, exactly, from the record ---

/** The checks on a matching record's cells: threshold, dominance, p-ratio, model dof, consistency. */
export function recordFindings(
  file: string,
  record: ProvenanceRecord,
  recordsRead: number,
  config: ReviewConfig
): Finding[] {
  const small: string[] = [];
  const dominated: string[] = [];
  const pRatio: string[] = [];
  const negative: string[] = [];
  const unchecked: string[] = [];
  const inconsistent: string[] = [];
  let countTotal = 0;
  record.rows.forEach((row, index) => {
    const where = `row ${index + 1}`;
    row.forEach(cell => {
      if (isLabel(cell) || cell.suppressed || cell.count === undefined) {
        return;
      }
      if (cell.count < config.threshold) {
        small.push(where);
      }
      if (cell.count > record.records) {
        inconsistent.push(where);
      }
      if (cell.stat === 'count' && record.statistic === 'count') {
        countTotal += cell.count;
      }
      if (cell.negative) {
        negative.push(where);
      }
      const top = cell.top;
      if (!top || !top.length) {
        return;
      }
      if (top.length < Math.min(config.dominanceN, cell.count)) {
        unchecked.push(where);
        return;
      }
      const topN = top
        .slice(0, config.dominanceN)
        .reduce((sum, share) => sum + share, 0);
      if (topN > config.dominanceK) {
        dominated.push(where);
      }
      const [first, second = 0] = top;
      if (first > 0 && (1 - first - second) / first < config.pRatio) {
        pRatio.push(where);
      }
    });
  });
  const findings: Finding[] = [];
  const add = (
    rule: string,
    severity: 'fail' | 'manual',
    rows: string[],
    message: string
  ) => {
    if (rows.length) {
      findings.push({
        rule,
        severity,
        file,
        location: places(rows),
        message: `${file} (checked exactly from its provenance record): ${message}`
      });
    }
  };
  add(
    'small_count',
    'fail',
    small,
    `${plural(small.length, 'cell')} of fewer than ${config.threshold} records (${places(small)}) are not suppressed. Suppress them (pyrqs.outputs does with threshold=${config.threshold}) or merge groups.`
  );
  add(
    'dominance',
    'fail',
    dominated,
    `in ${plural(dominated.length, 'cell')} (${places(dominated)}) the ${config.dominanceN} largest records make more than ${Math.round(config.dominanceK * 100)}% of the total. Merge those groups or suppress the cells.`
  );
  add(
    'p_ratio',
    'fail',
    pRatio,
    `in ${plural(pRatio.length, 'cell')} (${places(pRatio)}) the rest of the total is under ${Math.round(config.pRatio * 100)}% of the largest record. Merge those groups or suppress the cells.`
  );
  add(
    'dominance',
    'manual',
    negative,
    `${plural(negative.length, 'cell')} (${places(negative)}) sum negative and positive values, so dominance is undefined; a reviewer checks them.`
  );
  add(
    'dominance',
    'manual',
    unchecked,
    `${plural(unchecked.length, 'cell')} (${places(unchecked)}) record fewer top contributions than the dominance rule needs (N=${config.dominanceN}); a reviewer checks them.`
  );
  add(
    'provenance',
    'fail',
    inconsistent,
    `${plural(inconsistent.length, 'cell')} (${places(inconsistent)}) count more records than the result was made from: the record is inconsistent.`
  );
  const problems: string[] = [];
  if (record.records > recordsRead) {
    // The record's number is the script's: a finding never repeats it (it could carry any number out).
    problems.push(
      `it claims more records than the job read (${recordsRead.toLocaleString('en-US')})`
    );
  }
  if (
    record.kind === 'crosstab' &&
    record.statistic === 'count' &&
    !record.exploded &&
    countTotal > record.records
  ) {
    problems.push('its cells count more records than it was made from');
  }
  if (record.model && record.model.n > record.records) {
    problems.push('its model has more observations than records');
  }
  if (
    record.model &&
    record.model.parameters !==
      record.rows.filter(row =>
        row.some(
          cell => !isLabel(cell) && cell.stat === 'coef' && cell.text !== ''
        )
      ).length
  ) {
    problems.push(
      'its model has another number of parameters than coefficients'
    );
  }
  if (problems.length) {
    findings.push({
      rule: 'provenance',
      severity: 'fail',
      file,
      location: null,
      message: `${file}: the provenance record is inconsistent: ${problems.join('; ')}. Write the file with pyrqs.outputs and leave both files as written.`
    });
  }
  if (record.model && record.model.df_resid < config.minResidualDof) {
    findings.push({
      rule: 'residual_dof',
      severity: 'fail',
      file,
      location: null,
      // df_resid is the script's number (any, down to a negative id): not repeated.
      message: `${file} (checked exactly from its provenance record): the model has fewer than ${config.minResidualDof} residual degrees of freedom; its coefficients can reveal single records. Use more data or fewer parameters.`
    });
  }
  if (record.rows.length > config.maxTableRows) {
    findings.push({
      rule: 'table_rows',
      severity: 'fail',
      file,
      location: null,
      message: `${file} has ${plural(record.rows.length, 'row')}; tables may have at most ${config.maxTableRows.toLocaleString('en-US')}. Aggregate further (coarser groups).`
    });
  }
  return findings;
}

/**
 * The record's label columns as a table (the group labels of each row). Not
 * run through the table rules here (numeric labels would read as counts);
 * meant for the linkage rule: an honest row's labels match at least its
 * count of records, so a row that links to exactly one record is a forged
 * record (server-mock/README.md § The provenance lane, "the limit").
 */
export function labelTable(record: ProvenanceRecord): Table {
  const columns = record.header
    .map((name, column) => column)
    .filter(column => record.rows.every(row => isLabel(row[column])));
  return {
    at: '',
    header: columns.map(column => record.header[column]),
    rows: record.rows.map(row => columns.map(column => cellText(row[column])))
  };
}

/** The record's texts as a document of values only: every value rule runs on them, no table rule. */
function labelsDocument(record: ProvenanceRecord): Document {
  const values: TextValue[] = [];
  if (record.title) {
    values.push({ text: record.title, location: 'title', whole: true });
  }
  record.header.forEach((text, column) =>
    values.push({
      text,
      location: `header, column ${column + 1}`,
      whole: true
    })
  );
  record.rows.forEach((row, index) =>
    row.forEach((cell, column) =>
      values.push({
        text: cellText(cell),
        location: `column ${column + 1}, row ${index + 1}`,
        whole: true
      })
    )
  );
  return { tables: [], values, lines: 0, unreadable: null };
}

/** `x.csv` → its record's name, `x.csv.provenance.json`. */
export function recordName(name: string): string {
  return `${name}${PROVENANCE_SUFFIX}`;
}

/** Names that are provenance records of another output in the list. */
export function provenanceRecords(names: string[]): Set<string> {
  const all = new Set(names);
  return new Set(
    names.filter(
      name =>
        name.endsWith(PROVENANCE_SUFFIX) &&
        all.has(name.slice(0, -PROVENANCE_SUFFIX.length))
    )
  );
}

/**
 * The provenance lane's findings for one output file and its record's
 * content. Any failure to read or match the record fails `provenance`: the
 * job is rejected, never approved on heuristics instead.
 */
export async function provenanceFindings(
  file: string,
  name: string,
  content: string | null,
  recordContent: Buffer,
  context: ContentContext
): Promise<Finding[]> {
  const fail = (message: string): Finding[] => [
    { rule: 'provenance', severity: 'fail', file, location: null, message }
  ];
  if (recordContent.length > MAX_RECORD_BYTES) {
    return fail(
      `${file}: its provenance record is over ${MAX_RECORD_BYTES / 1024 / 1024} MiB. Write smaller tables.`
    );
  }
  const record = parseRecord(recordContent.toString('utf8'));
  if (typeof record === 'string') {
    return fail(
      `${file}: its provenance record cannot be used: ${record}. Write the file with pyrqs.outputs.write and leave the record as written.`
    );
  }
  const extension = extname(name).toLowerCase();
  if (
    content === null ||
    record.file !== basename(name) ||
    !fileMatches(record, extension, content)
  ) {
    return fail(
      `${file}: the file differs from its provenance record. Write it with pyrqs.outputs.write and do not change it (or its record) afterwards.`
    );
  }
  return [
    ...recordFindings(file, record, context.recordsRead, context.config),
    ...(await contentFindings(file, labelsDocument(record), false, context)),
    // An honest row's labels match at least its count of records: rows that each link to one record are a forged record.
    ...(ruleEnabled(context.config, 'linkage')
      ? await linkageFindings(
          file,
          labelTable(record),
          context.index.data,
          context.config,
          context.labels,
          context.pacer
        )
      : [])
  ];
}

/** A provenance record whose file is not among the outputs: refused, since its shares are disclosive on their own. */
export function strayRecord(file: string): Finding {
  return {
    rule: 'provenance',
    severity: 'fail',
    file,
    location: null,
    message: `${file} is a provenance record without the file it describes. Records are read with their file and not released; leave out the record or keep its file.`
  };
}
