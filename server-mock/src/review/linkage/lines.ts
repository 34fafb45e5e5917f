import type { Table, TextValue } from '../documents';

/**
 * Tables printed as lines, for the linkage rule, two ways:
 * - delimited: `print(posted, likes, views)`, tab-, semicolon- or
 *   comma-separated lines. Each line is split by the first of tab,
 *   semicolon, comma it holds, else by runs of blanks (a date and a clock
 *   time joined by one blank stay one field); lines with the same separator
 *   and number of fields (2 or more) make one table;
 * - by form: the values of lines written from one template (`t=… likes=…`
 *   log lines, one sentence per record, one JSON object per line): each
 *   line's date-times, numbers and two-letter codes are its fields, and
 *   lines whose text around them is the same make one table.
 * Either way the lines of a table may be anywhere in the file. Markdown
 * table rows (documents.ts reads them) are left out; at most `MAX_LINES`
 * lines, spread over the file, are read.
 */

const SEPARATORS: [string, string][] = [
  ['\t', 'tab'],
  [';', 'semicolon'],
  [',', 'comma']
];
const LINE_LOCATION = /^line (\d+)$/;
/** 2024-01-05 12:34:56 (and with a fraction or zone after it) is one field when lines split at blanks. */
const DATE_BLANK_CLOCK = /(\d{4}-\d{2}-\d{2}) (?=\d{2}:\d{2})/g;

/** Lines read per document, spread over it (a table of records keeps its share of them). */
const MAX_LINES = 5_000;
/** The values a template line carries: date-times, whole or decimal numbers (1,234 too), two-letter codes. */
const LINE_VALUE =
  /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?|(?<![\w.])\d{1,3}(?:,\d{3})+(?![\w,])|(?<![\w.])\d+(?:\.\d+)?(?![\w.])|\b[A-Z]{2}\b/g;

function fieldsOf(line: string): { separator: string; fields: string[] } {
  for (const [separator, name] of SEPARATORS) {
    if (line.includes(separator)) {
      return { separator: name, fields: line.split(separator) };
    }
  }
  return {
    separator: 'blank',
    fields: line.trim().replace(DATE_BLANK_CLOCK, '$1T').split(/\s+/)
  };
}

/**
 * The printed tables of a text document with at least `minRows` lines each.
 * `values` must be a text document's lines (readText: one value per line,
 * located "line N"); anything else (a CSV's or JSON's values) gives none.
 */
export function lineTables(
  values: Iterable<TextValue>,
  minRows: number
): Table[] {
  // A text document's values are an array of its lines; a CSV's are cells made on the fly (not read here).
  if (!Array.isArray(values)) {
    return [];
  }
  const all = values as TextValue[];
  const step = Math.max(1, Math.ceil(all.length / MAX_LINES));
  const delimited = new Map<string, Group>();
  const formed = new Map<string, Group>();
  for (let position = 0; position < all.length; position += step) {
    const value = all[position];
    const line = LINE_LOCATION.exec(value.location);
    if (value.whole || !line || value.text.includes('|')) {
      continue;
    }
    const number = Number(line[1]);
    const { separator, fields } = fieldsOf(value.text);
    if (fields.length >= 2 && fields.some(field => field.trim() !== '')) {
      add(
        delimited,
        `${separator} ${fields.length}`,
        `lines of ${fields.length} ${separator}-separated fields`,
        fields.map(field => field.trim()),
        number
      );
    }
    const found = value.text.match(LINE_VALUE) ?? [];
    if (found.length >= 2) {
      add(
        formed,
        value.text.replace(LINE_VALUE, '\u0000'),
        `the values of lines of one form`,
        found,
        number
      );
    }
  }
  return [...delimited.values(), ...formed.values()]
    .filter(group => group.rows.length >= minRows)
    .map(group => ({
      at: `${group.what} (line ${group.lines[0]} on)`,
      header: [],
      rows: group.rows,
      rowNames: group.lines.map(line => `line ${line}`)
    }));
}

interface Group {
  what: string;
  rows: string[][];
  lines: number[];
}

function add(
  groups: Map<string, Group>,
  key: string,
  what: string,
  row: string[],
  line: number
): void {
  const group = groups.get(key) ?? { what, rows: [], lines: [] };
  group.rows.push(row);
  group.lines.push(line);
  groups.set(key, group);
}
