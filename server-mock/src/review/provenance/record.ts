/** A provenance record of pyrqs.outputs: its format, its cells, and how it is parsed and validated (provenance/index.ts). */

export const PROVENANCE_SUFFIX = '.provenance.json';
const RECORD_FORMAT = 'pyrqs.outputs provenance';
/** Largest record read (a record of a 5,000-row table is well under it). */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

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
export type Cell = LabelCell | StatCell;

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

export const isLabel = (cell: Cell): cell is LabelCell => 'label' in cell;
export const cellText = (cell: Cell) =>
  isLabel(cell) ? cell.label : cell.text;

export function isObject(value: unknown): value is Record<string, unknown> {
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
