import { parse as parseCsvStream } from 'csv-parse';
import { yieldToEventLoop } from './pacer';
import { namesStatistic } from './rules/statistic-labels';

/**
 * Output files as the rules read them: tables (CSV, JSON arrays of records,
 * JSON objects of name → count, markdown tables, `label: N` lines), and text
 * values with where they were found.
 *
 * Locations never quote what the script wrote: columns are named by position,
 * JSON keys by their place, and a header or key is added only when `Labels`
 * says it is safe to show (rules/labels.ts reviewLabels: short, plain
 * characters, no identifier or text of the data set).
 */

export interface Labels {
  /** True when a script-controlled name (header, key, file name) may be shown in a finding. */
  safe(text: string): boolean;
}

/** Names with plain characters only, at most 40 of them (no identifier check: for callers without an index). */
export const PLAIN_LABEL = /^[A-Za-z0-9_ .-]{1,40}$/;
export const plainLabels: Labels = { safe: text => PLAIN_LABEL.test(text) };

export interface Table {
  /** Where the table is inside the file ('' for a CSV; a JSON path, 'table 1 (line 3)' otherwise). Safe to show. */
  at: string;
  header: string[];
  rows: string[][];
  /** A table the review inferred (a JSON object of name → count, `label: N` lines): its findings go to a reviewer, not a refusal. */
  inferred?: boolean;
  /** How findings name the rows, when not 'row N' (the lines of `label: N` lines). */
  rowNames?: string[];
}

export interface TextValue {
  text: string;
  /** 'line 3', 'column 2 (username), row 2', 'top[4]'. Safe to show. */
  location: string;
  /** True when the value is a whole cell or JSON string (display names are matched whole there). */
  whole: boolean;
  /** A table cell's column ('column 2 (username)') and 1-based row: findings are filed by column. */
  cell?: { column: string; row: number };
}

export interface Document {
  tables: Table[];
  /** Every value, re-iterable; a CSV's cells are made as they are read (no array of millions kept). */
  values: Iterable<TextValue>;
  /** Non-blank lines of a text file or log (for row-dump checks), else 0. */
  lines: number;
  /** Why the file could not be read as its type says, or null. Never quotes the content. */
  unreadable: string | null;
}

/** A column as findings name it: by position, and by its header only when that is safe to show. */
export function columnLabel(
  header: string[],
  column: number,
  labels: Labels
): string {
  const name = header[column];
  return name !== undefined && labels.safe(name)
    ? `column ${column + 1} (${name})`
    : `column ${column + 1}`;
}

/** Bytes handed to the CSV parser at a time; the event loop runs between them. */
const CSV_CHUNK_BYTES = 1 << 20;

/**
 * A CSV without a quote character, split by hand (records as csv-parse
 * would give them with the options readCsv uses); null when the file needs
 * the real parser. Scripts mostly write such files, and csv-parse takes
 * about a second for 10 MB of them, the review's whole budget
 * (bench/jobs.ts). The real parser is kept for quoted fields, for a lone
 * `\r` as the first line end (its old-Mac mode) and for UTF-16 (BOM FF FE).
 */
async function splitPlainCsv(bytes: Buffer): Promise<string[][] | null> {
  if (
    bytes.includes(0x22) ||
    (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
  ) {
    return null;
  }
  let text = bytes.toString('utf8');
  if (
    bytes.length >= 3 &&
    bytes[0] === 0xef &&
    bytes[1] === 0xbb &&
    bytes[2] === 0xbf
  ) {
    text = text.slice(1);
  }
  // Like csv-parse, the first line end found (\r\n or \n) is the only one: another stays in its field.
  const firstEnd = text.search(/[\r\n]/);
  let lineEnd = '\n';
  if (firstEnd !== -1 && text[firstEnd] === '\r') {
    if (text[firstEnd + 1] !== '\n') {
      return null;
    }
    lineEnd = '\r\n';
  }
  const records: string[][] = [];
  let nextYield = CSV_CHUNK_BYTES;
  for (let start = 0; start < text.length;) {
    let end = text.indexOf(lineEnd, start);
    if (end === -1) {
      end = text.length;
    }
    // Empty lines are skipped (skip_empty_lines); a line of one comma is two empty cells.
    if (end > start) {
      records.push(text.slice(start, end).split(','));
    }
    start = end + lineEnd.length;
    if (start >= nextYield) {
      nextYield += CSV_CHUNK_BYTES;
      await yieldToEventLoop();
    }
  }
  return records;
}

/** csv-parse a chunk at a time, so a large file does not hold the event loop. */
function parseCsv(bytes: Buffer): Promise<string[][]> {
  return new Promise<string[][]>((resolve, reject) => {
    const parser = parseCsvStream({
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true
    });
    const read: string[][] = [];
    parser.on('readable', () => {
      let record: string[] | null;
      while ((record = parser.read() as string[] | null) !== null) {
        read.push(record);
      }
    });
    parser.on('error', reject);
    parser.on('end', () => resolve(read));
    void (async () => {
      for (let start = 0; start < bytes.length; start += CSV_CHUNK_BYTES) {
        if (parser.destroyed) {
          return;
        }
        parser.write(bytes.subarray(start, start + CSV_CHUNK_BYTES));
        await yieldToEventLoop();
      }
      parser.end();
    })();
  });
}

/** A CSV as a table: split by hand when it has no quotes, else parsed by csv-parse. */
export async function readCsv(
  content: string | Buffer,
  labels: Labels = plainLabels
): Promise<Document> {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  let records: string[][];
  try {
    records = (await splitPlainCsv(bytes)) ?? (await parseCsv(bytes));
  } catch (error) {
    // csv-parse's messages can quote the offending field: only its code and line are shown.
    const { code, lines } = error as { code?: string; lines?: number };
    const what = [
      typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : null,
      typeof lines === 'number' ? `line ${lines}` : null
    ]
      .filter(Boolean)
      .join(', ');
    return {
      tables: [],
      values: [],
      lines: 0,
      unreadable: `it is not valid CSV${what ? ` (${what})` : ''}`
    };
  }
  const [header = [], ...rows] = records;
  return {
    tables: [{ at: '', header, rows }],
    values: new CsvValues(header, rows, labels),
    lines: rows.length,
    unreadable: null
  };
}

/**
 * A CSV's values: its header's cells, then every row's cells, in order;
 * each cell's value object is made as it is read (no array of millions
 * kept). Rules that scan every cell of a large file read `header` and
 * `rows` directly and ask for `cell(row, column)` only for the cells they
 * report (a value object per cell is most of the review's garbage).
 */
export class CsvValues implements Iterable<TextValue> {
  private readonly columns: string[];
  constructor(
    readonly header: string[],
    readonly rows: string[][],
    labels: Labels
  ) {
    this.columns = header.map((_name, column) =>
      columnLabel(header, column, labels)
    );
  }
  /** The value of the header's `column` (0-based). */
  headerCell(column: number): TextValue {
    return {
      text: this.header[column],
      location: `header, column ${column + 1}`,
      whole: true
    };
  }
  /** The value of `rows[row][column]` (0-based). */
  cell(row: number, column: number): TextValue {
    return new CellValue(this.rows[row][column], this.columns, row, column);
  }
  *[Symbol.iterator](): Iterator<TextValue> {
    for (let column = 0; column < this.header.length; column++) {
      yield this.headerCell(column);
    }
    for (let row = 0; row < this.rows.length; row++) {
      const cells = this.rows[row];
      for (let column = 0; column < cells.length; column++) {
        yield new CellValue(cells[column], this.columns, row, column);
      }
    }
  }
}

/** A table cell; its location is only spelled out when a finding needs it. */
class CellValue implements TextValue {
  readonly whole = true;
  constructor(
    readonly text: string,
    private readonly columns: string[],
    private readonly row: number,
    private readonly column: number
  ) {}
  get cell(): { column: string; row: number } {
    return {
      column: this.columns[this.column] ?? `column ${this.column + 1}`,
      row: this.row + 1
    };
  }
  get location(): string {
    const { column, row } = this.cell;
    return `${column}, row ${row}`;
  }
}

/** A markdown table row: `| a | b |` (outer pipes optional on one side, not both). */
const MARKDOWN_ROW = /^\s*\|.*\|\s*$/;
const MARKDOWN_RULE = /^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$/;

function markdownCells(line: string): string[] {
  const cells = line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/);
  return cells.map(cell => cell.trim());
}

/** `label: 12`, `label = 12`, `label: 12 videos`: a count after a label. */
const LABELLED_COUNT =
  /^\s*[-*]?\s*([^:=|]{1,80}?)\s*[:=]\s*(\d+(?:\.0+)?)(?:\s+[\p{L}_][\p{L}_ ]{0,30})?\s*$/u;

export function readText(content: string): Document {
  const lines = content.split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') {
    lines.pop();
  }
  const tables: Table[] = [];
  // Markdown tables: a header row, a rule row (| --- |), then rows.
  for (let i = 0; i + 1 < lines.length; i++) {
    if (
      !lines[i].includes('|') ||
      !MARKDOWN_ROW.test(lines[i]) ||
      !MARKDOWN_RULE.test(lines[i + 1])
    ) {
      continue;
    }
    const header = markdownCells(lines[i]);
    const rows: string[][] = [];
    let next = i + 2;
    for (; next < lines.length && MARKDOWN_ROW.test(lines[next]); next++) {
      rows.push(markdownCells(lines[next]));
    }
    tables.push({
      at: `table ${tables.length + 1} (line ${i + 1})`,
      header,
      rows
    });
    i = next - 1;
  }
  // `label: N` lines: a key/count table the review infers, as for JSON objects of counts.
  const labelled: string[][] = [];
  const labelledLines: number[] = [];
  lines.forEach((line, index) => {
    const match =
      line.length <= 200 && (line.includes(':') || line.includes('='))
        ? LABELLED_COUNT.exec(line)
        : null;
    // "median hashtags per video: 2" is a statistic, not a group of 2.
    if (match && !namesStatistic(match[1])) {
      labelled.push([match[1], match[2]]);
      labelledLines.push(index + 1);
    }
  });
  if (labelled.length) {
    tables.push({
      at: `"label: number" lines`,
      header: ['label', 'count'],
      rows: labelled,
      inferred: true,
      rowNames: labelledLines.map(line => `line ${line}`)
    });
  }
  return {
    tables,
    values: lines.map((text, index) => ({
      text,
      location: `line ${index + 1}`,
      whole: false
    })),
    lines: lines.reduce((count, line) => (line.trim() ? count + 1 : count), 0),
    unreadable: null
  };
}

/** Most digits of script-chosen keys in one shown JSON path (a year, not an id). */
const MAX_PATH_DIGITS = 4;

function digitCount(text: string): number {
  let digits = 0;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code >= 48 && code <= 57) {
      digits++;
    }
  }
  return digits;
}

/** Digits of the script's keys in a path (not of the review's `<key N>` and `[N]`). */
function keyDigits(path: string): number {
  return digitCount(path.replace(/<key \d+>|\[\d+\]/g, ''));
}

function scalarText(value: unknown): string | null {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    return String(value);
  }
  return null;
}

/**
 * How deep a JSON text nests (brackets outside strings), counted in one pass
 * without recursion: a text too deep to read is measured before it is parsed.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 92) {
        i++;
      } else if (char === 34) {
        inString = false;
      }
    } else if (char === 34) {
      inString = true;
    } else if (char === 123 || char === 91) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
      }
    } else if (char === 125 || char === 93) {
      depth--;
    }
  }
  return deepest;
}

/**
 * JSON nested deeper than this is not parsed (reading it recurses once per
 * level and would overflow the stack at about 10,000): the file is read as
 * text, so the identifier rules still see it, and `unclassified` (deeper than
 * `unclassifiedJsonDepth`) sends it to a reviewer. A platform choice.
 */
const MAX_READ_JSON_DEPTH = 1000;

/**
 * A JSON array of objects is a table; an object of name → integer with two or
 * more entries is an inferred one (a Counter dumped as JSON); every scalar
 * anywhere, keys included, is a value to scan. Paths name keys only when they
 * are safe to show, else by position (`<key 2>`).
 */
export function readJson(
  content: string,
  labels: Labels = plainLabels
): Document {
  if (jsonDepth(content) > MAX_READ_JSON_DEPTH) {
    return readText(content);
  }
  let parsed: unknown;
  try {
    // Big integers must keep every digit: ids have 16.
    parsed = JSON.parse(
      content.replace(/([:[,]\s*)(-?\d{16,})(?=\s*[,}\]])/g, '$1"$2"')
    );
  } catch (error) {
    // V8's message quotes the text around the error: only its position is shown.
    const position = /position (\d+)/.exec((error as Error).message);
    return {
      tables: [],
      values: [],
      lines: 0,
      unreadable: `it is not valid JSON${position ? ` (at character ${position[1]})` : ''}`
    };
  }
  const tables: Table[] = [];
  const values: TextValue[] = [];
  const keyPath = (path: string, key: string, position: number) => {
    const safe = labels.safe(key) && !/[.[\]<>]/.test(key);
    // Keys are shown one by one, but a path joins them: at most 4 digits of keys in a shown path,
    // so nested keys ("7100" › "0000" › "0004" › "6266") cannot spell out an id in a finding.
    const shown =
      safe && keyDigits(path) + digitCount(key) <= MAX_PATH_DIGITS
        ? key
        : `<key ${position + 1}>`;
    return path ? `${path}.${shown}` : shown;
  };
  const walk = (value: unknown, path: string) => {
    const text = scalarText(value);
    if (text !== null) {
      values.push({ text, location: path || '(top level)', whole: true });
      return;
    }
    if (Array.isArray(value)) {
      if (
        value.length &&
        value.every(
          item => item && typeof item === 'object' && !Array.isArray(item)
        )
      ) {
        const header = [
          ...new Set(value.flatMap(item => Object.keys(item as object)))
        ];
        tables.push({
          at: path || '(top level)',
          header,
          rows: value.map(item =>
            header.map(
              key => scalarText((item as Record<string, unknown>)[key]) ?? ''
            )
          )
        });
      }
      value.forEach((item, index) => walk(item, `${path}[${index}]`));
      return;
    }
    if (value && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      // An object of name → integer is a key/count table (a Counter dumped as JSON).
      // Keys naming a statistic ("median_likes": 2) are left out of it: not counts.
      const counted = entries.filter(([key]) => !namesStatistic(key));
      if (
        counted.length >= 2 &&
        entries.every(([, item]) => Number.isInteger(item))
      ) {
        tables.push({
          at: path || '(top level)',
          header: ['key', 'count'],
          rows: counted.map(([key, item]) => [key, String(item)]),
          inferred: true
        });
      }
      entries.forEach(([key, item], position) => {
        const at = keyPath(path, key, position);
        values.push({ text: key, location: `${at} (key)`, whole: true });
        walk(item, at);
      });
    }
  };
  walk(parsed, '');
  return { tables, values, lines: 0, unreadable: null };
}
