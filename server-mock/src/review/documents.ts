import { parse as parseCsv } from 'csv-parse/sync';

/**
 * Output files as the rules read them: tables (CSV, JSON arrays of records),
 * and text values with where they were found. Pure functions over strings.
 */

export interface Table {
  /** Where the table is inside the file ('' for a CSV; a JSON path otherwise). */
  at: string;
  header: string[];
  rows: string[][];
  /** A table the review inferred (a JSON object of name → count): its findings go to a reviewer, not a refusal. */
  inferred?: boolean;
}

export interface TextValue {
  text: string;
  /** 'line 3', 'column username, row 2', 'top[4]'. */
  location: string;
  /** True when the value is a whole cell or JSON string (display names are matched whole there). */
  whole: boolean;
}

export interface Document {
  tables: Table[];
  /** Every value, re-iterable; a CSV's cells are made as they are read (no array of millions kept). */
  values: Iterable<TextValue>;
  /** Lines of a text file or log (for row-dump checks), else 0. */
  lines: number;
  /** Why the file could not be read as its type says, or null. */
  unreadable: string | null;
}

export function readCsv(content: string): Document {
  let records: string[][];
  try {
    records = parseCsv(content, { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
  } catch (error) {
    return { tables: [], values: [], lines: 0, unreadable: `it is not valid CSV (${(error as Error).message.split('\n')[0]})` };
  }
  const [header = [], ...rows] = records;
  const values: Iterable<TextValue> = {
    *[Symbol.iterator]() {
      for (let column = 0; column < header.length; column++) {
        yield { text: header[column], location: `header, column ${column + 1}`, whole: true };
      }
      for (let row = 0; row < rows.length; row++) {
        const cells = rows[row];
        for (let column = 0; column < cells.length; column++) {
          yield new CellValue(cells[column], header, row, column);
        }
      }
    }
  };
  return { tables: [{ at: '', header, rows }], values, lines: rows.length, unreadable: null };
}

/** A table cell; its location is only spelled out when a finding needs it. */
class CellValue implements TextValue {
  readonly whole = true;
  constructor(
    readonly text: string,
    private readonly header: string[],
    private readonly row: number,
    private readonly column: number
  ) {}
  get location(): string {
    return `column ${this.header[this.column] ?? this.column + 1}, row ${this.row + 1}`;
  }
}

export function readText(content: string): Document {
  const lines = content.split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') {
    lines.pop();
  }
  return {
    tables: [],
    values: lines.map((text, index) => ({ text, location: `line ${index + 1}`, whole: false })),
    lines: lines.length,
    unreadable: null
  };
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

/** A JSON array of objects is a table; every scalar anywhere is a value to scan. */
export function readJson(content: string): Document {
  let parsed: unknown;
  try {
    // Big integers must keep every digit: ids have 16.
    parsed = JSON.parse(content.replace(/([:[,]\s*)(-?\d{16,})(?=\s*[,}\]])/g, '$1"$2"'));
  } catch (error) {
    return { tables: [], values: [], lines: 0, unreadable: `it is not valid JSON (${(error as Error).message})` };
  }
  const tables: Table[] = [];
  const values: TextValue[] = [];
  const walk = (value: unknown, path: string) => {
    const text = scalarText(value);
    if (text !== null) {
      values.push({ text, location: path || '(top level)', whole: true });
      return;
    }
    if (Array.isArray(value)) {
      if (value.length && value.every(item => item && typeof item === 'object' && !Array.isArray(item))) {
        const header = [...new Set(value.flatMap(item => Object.keys(item as object)))];
        tables.push({
          at: path || '(top level)',
          header,
          rows: value.map(item => header.map(key => scalarText((item as Record<string, unknown>)[key]) ?? ''))
        });
      }
      value.forEach((item, index) => walk(item, `${path}[${index}]`));
      return;
    }
    if (value && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      // An object of name → number is a one-column table (a Counter dumped as JSON).
      if (entries.length >= 3 && entries.every(([, item]) => Number.isInteger(item))) {
        tables.push({ at: path || '(top level)', header: ['key', 'count'], rows: entries.map(([key, item]) => [key, String(item)]), inferred: true });
      }
      for (const [key, item] of entries) {
        values.push({ text: key, location: `${path ? `${path}.` : ''}${key} (key)`, whole: true });
        walk(item, path ? `${path}.${key}` : key);
      }
    }
  };
  walk(parsed, '');
  return { tables, values, lines: 0, unreadable: null };
}
