/**
 * Tables printed inside text: a script that prints a CSV or JSON to stdout
 * (or writes one into a .txt file) releases the same table as a .csv file
 * would, so the table rules must see it too. Blocks of consecutive lines
 * with the same number of commas or tabs are read as CSV; lines that are
 * JSON objects (JSON Lines) as a table of records; a text that is one JSON
 * document as JSON. Each is a `Document` of tables only (its values are the
 * text's lines, already scanned), passed through the same content rules.
 */

import type { ReviewConfig } from './config';
import type { DisclosureIndex } from './disclosure-index';
import {
  readCsv,
  readJson,
  type Document,
  type Labels,
  type Table
} from './documents';
import { magnitudeFindings, type DominanceCache } from './dominance';
import type { Pacer } from './pacer';
import { contentFindings } from './rules';
import type { Finding } from './rules/findings';

/** A block needs a header and this many rows. */
const MIN_ROWS = 2;
/** Cells longer than this, or a header cell with more words, make a block prose, not a table. */
const MAX_HEADER_CELL = 40;
const MAX_HEADER_WORDS = 4;
/** Texts longer than this are not searched for blocks (a CSV that large is a file of its own). */
const MAX_TEXT = 16 * 1024 * 1024;

function delimiterCount(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const character of line) {
    if (character === '"') {
      quoted = !quoted;
    } else if (character === delimiter && !quoted) {
      count++;
    }
  }
  return count;
}

/** A header names columns: every cell starts with a letter and is short (a line of data, `5144,23,ES`, is no header). */
const HEADER_CELL = /^["']?[\p{L}_][^,\t]*$/u;

function looksLikeHeader(cells: string[]): boolean {
  return cells.every(
    cell =>
      HEADER_CELL.test(cell.trim()) &&
      cell.trim().length <= MAX_HEADER_CELL &&
      cell.trim().split(/\s+/).length <= MAX_HEADER_WORDS
  );
}

/** Consecutive lines with the same (≥ 1) count of one delimiter, header first. */
async function delimitedBlocks(
  lines: string[],
  labels: Labels
): Promise<Table[]> {
  const tables: Table[] = [];
  for (const delimiter of [',', '\t']) {
    for (let start = 0; start < lines.length;) {
      if (!lines[start].includes(delimiter) || /^\s*[[{]/.test(lines[start])) {
        start++;
        continue;
      }
      const count = delimiterCount(lines[start], delimiter);
      let end = start + 1;
      while (
        end < lines.length &&
        lines[end].includes(delimiter) &&
        !/^\s*[[{]/.test(lines[end]) &&
        delimiterCount(lines[end], delimiter) === count
      ) {
        end++;
      }
      if (count >= 1 && end - start > MIN_ROWS) {
        const block = lines.slice(start, end).join('\n');
        const read = await readCsv(
          delimiter === ',' ? block : block.replace(/\t/g, ','),
          labels
        );
        const table = read.tables[0];
        if (!read.unreadable && table && looksLikeHeader(table.header)) {
          tables.push({
            ...table,
            at: `lines ${start + 1}–${end} (${delimiter === ',' ? 'CSV' : 'tab-separated'})`
          });
        }
      }
      start = end;
    }
  }
  return tables;
}

/** Runs of lines that are JSON objects: a table of records. */
function jsonLines(lines: string[]): Table[] {
  const tables: Table[] = [];
  let run: { start: number; records: Record<string, unknown>[] } | null = null;
  const flush = (end: number) => {
    if (run && run.records.length > MIN_ROWS) {
      const header = [...new Set(run.records.flatMap(Object.keys))];
      tables.push({
        at: `lines ${run.start + 1}–${end} (JSON lines)`,
        header,
        rows: run.records.map(record =>
          header.map(key => {
            const value = record[key];
            return typeof value === 'string' || typeof value === 'number'
              ? String(value)
              : '';
          })
        )
      });
    }
    run = null;
  };
  lines.forEach((line, at) => {
    const trimmed = line.trim();
    let record: unknown = null;
    if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
      try {
        record = JSON.parse(trimmed);
      } catch {
        record = null;
      }
    }
    if (record && typeof record === 'object' && !Array.isArray(record)) {
      run ??= { start: at, records: [] };
      run.records.push(record as Record<string, unknown>);
    } else {
      flush(at);
    }
  });
  flush(lines.length);
  return tables;
}

/**
 * The tables printed inside a text (a log, a .txt or .md file), as a
 * document of tables only; null when there are none.
 */
export async function embeddedTables(
  text: string,
  labels: Labels
): Promise<Document | null> {
  if (text.length > MAX_TEXT) {
    return null;
  }
  const tables: Table[] = [];
  const trimmed = text.trim();
  if (/^[[{]/.test(trimmed) && /[\]}]$/.test(trimmed)) {
    const json = readJson(trimmed, labels);
    if (!json.unreadable) {
      tables.push(
        ...json.tables.map(table => ({
          ...table,
          at: `printed JSON, ${table.at}`
        }))
      );
    }
  }
  const lines = text.split(/\r?\n/);
  // A text that is one JSON document has no other tables (its lines have commas too).
  if (!tables.length) {
    tables.push(...jsonLines(lines));
    if (text.includes(',') || text.includes('\t')) {
      tables.push(...(await delimitedBlocks(lines, labels)));
    }
  }
  return tables.length
    ? { tables, values: [], lines: 0, unreadable: null }
    : null;
}

/** The content rules and dominance over the tables printed inside a text file or log. */
export async function embeddedTableFindings(
  file: string,
  text: string,
  context: {
    recordsRead: number;
    index: DisclosureIndex;
    config: ReviewConfig;
    labels: Labels;
    pacer: Pacer;
    dominance: DominanceCache;
  }
): Promise<Finding[]> {
  const document = await embeddedTables(text, context.labels);
  if (!document) {
    return [];
  }
  // Linkage reads a text's lines as tables of its own (linkage/lines.ts): not twice.
  const findings = await contentFindings(file, document, false, {
    ...context,
    config: {
      ...context.config,
      disabledRules: [...(context.config.disabledRules ?? []), 'linkage']
    }
  });
  for (const table of document.tables) {
    if (table.rows.length <= context.config.maxTableRows) {
      findings.push(
        ...(await magnitudeFindings(
          file,
          table,
          context.dominance,
          context.config,
          context.labels
        ))
      );
    }
  }
  return findings;
}
