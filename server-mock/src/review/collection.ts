import { readFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { ruleEnabled } from './config';
import { readCsv, type Document, type Table } from './documents';
import { contentFindings, type ContentContext } from './rules';
import type { Finding } from './rules/findings';
import { MAX_TEMPLATE_LINE, templateOf } from './templates';

/**
 * Folders of same-shaped files as one table. One small JSON (or text, or
 * CSV) file per record is row-level data split over files: a folder (at any
 * depth of the output) holding at least `collectionMinFiles` files of one
 * shape, or files of one name in sibling folders (`per_video/*\/info.json`),
 * is read as one table with a row per file (JSON: its scalar fields; text:
 * its fields; CSV: its rows) and the file's or folder's name as a column.
 * That table goes through every table rule (`contentFindings`): key
 * columns, counts, linkage.
 */

export interface CollectionEntry {
  name: string;
  path: string;
  regular: boolean;
  bytes: number;
}

/** Files larger than this are not one record's file: they are reviewed on their own only. */
const MAX_MEMBER_BYTES = 64 * 1024;
/** Rows of a CSV that is one record's file. */
const MAX_CSV_MEMBER_ROWS = 3;
/**
 * Rules about single cells, already applied to each file on its own (CSV) or
 * meaningless on fields without names (text): left out for the folder's
 * table. A JSON file's fields are checked as counts only here.
 */
const CELL_RULES = new Set(['small_count', 'zero_count', 'extreme_values']);
/** Fields of one text file read into its row. */
const MAX_TEXT_FIELDS = 200;
/** Headers of the names' column: a code (tables.ts does not take it for a count column). */
const FILE_NAME = 'file_name_code';
const FOLDER_NAME = 'folder_name_code';

interface Member {
  /** The file's name without extension, or its folder's name. */
  name: string;
  shape: string;
  header: string[];
  rows: string[][];
}

function bigIntSafe(content: string): string {
  return content.replace(/([:[,]\s*)(-?\d{16,})(?=\s*[,}\]])/g, '$1"$2"');
}

function scalar(value: unknown): string | null {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return value === null ? '' : null;
}

/** A JSON object's scalar fields, one level of nesting spelled `a.b`; its shape is its top-level keys. */
function jsonMember(content: string): Omit<Member, 'name'> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bigIntSafe(content));
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return null;
  }
  const header: string[] = [];
  const row: string[] = [];
  const entries = Object.entries(parsed as Record<string, unknown>);
  for (const [key, value] of entries) {
    const text = scalar(value);
    if (text !== null) {
      header.push(key);
      row.push(text);
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, item] of Object.entries(
        value as Record<string, unknown>
      )) {
        const innerText = scalar(item);
        if (innerText !== null) {
          header.push(`${key}.${inner}`);
          row.push(innerText);
        }
      }
    }
  }
  return {
    shape: entries
      .map(([key]) => key)
      .sort()
      .join('\u0001'),
    header,
    rows: [row]
  };
}

/** A text file's fields in order; its shape is its lines' templates. */
function textMember(content: string): Omit<Member, 'name'> {
  const templates: string[] = [];
  const fields: string[] = [];
  for (const line of content.split(/\r?\n/)) {
    if (!line.trim()) {
      continue;
    }
    if (line.length > MAX_TEMPLATE_LINE) {
      templates.push(line);
      continue;
    }
    const templated = templateOf(line);
    templates.push(templated.template);
    fields.push(...templated.fields);
  }
  const row = fields.slice(0, MAX_TEXT_FIELDS);
  return {
    shape: templates.join('\n'),
    header: row.map((_, i) => `field ${i + 1}`),
    rows: [row]
  };
}

async function csvMember(bytes: Buffer): Promise<Omit<Member, 'name'> | null> {
  const document = await readCsv(bytes);
  const table = document.tables[0];
  // A CSV of more rows is a table in its own right, reviewed as such.
  if (
    document.unreadable ||
    !table ||
    table.rows.length > MAX_CSV_MEMBER_ROWS
  ) {
    return null;
  }
  return {
    shape: table.header.join('\u0001'),
    header: table.header,
    rows: table.rows
  };
}

async function readMember(
  entry: CollectionEntry,
  extension: string
): Promise<Omit<Member, 'name'> | null> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(entry.path);
  } catch {
    return null;
  }
  if (bytes.includes(0)) {
    return null;
  }
  if (extension === '.json') {
    return jsonMember(bytes.toString('utf8'));
  }
  if (extension === '.csv') {
    return csvMember(bytes);
  }
  return textMember(bytes.toString('utf8'));
}

/** A group of files that may be one table: by folder and type, and by file name across sibling folders. */
interface Group {
  /** How findings show the group, when its names are safe to show. */
  title: string;
  parts: string[];
  extension: string;
  /** Whose name makes the names' column: the file's or its folder's. */
  by: 'file' | 'folder';
  entries: CollectionEntry[];
}

function groupsOf(entries: CollectionEntry[], minFiles: number): Group[] {
  const groups = new Map<string, Group>();
  const add = (
    key: string,
    make: () => Omit<Group, 'entries'>,
    entry: CollectionEntry
  ) => {
    let group = groups.get(key);
    if (!group) {
      group = { ...make(), entries: [] };
      groups.set(key, group);
    }
    group.entries.push(entry);
  };
  for (const entry of entries) {
    const extension = extname(entry.name).toLowerCase();
    if (
      !entry.regular ||
      entry.bytes > MAX_MEMBER_BYTES ||
      !['.json', '.csv', '.txt', '.log', '.md'].includes(extension) ||
      entry.name.split('/').some(part => part.startsWith('.'))
    ) {
      continue;
    }
    const folder = dirname(entry.name) === '.' ? '' : dirname(entry.name);
    add(
      `folder\u0000${folder}\u0000${extension}`,
      () => ({
        title: folder ? `${folder}/` : 'the output folder',
        parts: folder ? folder.split('/') : [],
        extension,
        by: 'file'
      }),
      entry
    );
    if (folder) {
      const parent = dirname(folder) === '.' ? '' : dirname(folder);
      const file = basename(entry.name);
      add(
        `name\u0000${parent}\u0000${file}`,
        () => ({
          title: `${parent ? `${parent}/` : ''}*/${file}`,
          parts: [...(parent ? parent.split('/') : []), file],
          extension,
          by: 'folder'
        }),
        entry
      );
    }
  }
  return [...groups.values()].filter(group => group.entries.length >= minFiles);
}

/** The table of a group's files of one shape (the most common), or null when fewer than `minFiles` share one. */
async function groupTable(
  group: Group,
  minFiles: number
): Promise<{ table: Table; files: number } | null> {
  const byShape = new Map<string, Member[]>();
  for (const entry of group.entries) {
    const member = await readMember(entry, group.extension);
    if (!member) {
      continue;
    }
    const name =
      group.by === 'file'
        ? basename(entry.name, extname(entry.name))
        : basename(dirname(entry.name));
    const members = byShape.get(member.shape) ?? [];
    members.push({ ...member, name });
    byShape.set(member.shape, members);
  }
  const members = [...byShape.values()].sort((a, b) => b.length - a.length)[0];
  if (!members || members.length < minFiles) {
    return null;
  }
  const header = [...new Set(members.flatMap(member => member.header))];
  const rows = members.flatMap(member =>
    member.rows.map(row => [
      member.name,
      ...header.map(key => {
        const at = member.header.indexOf(key);
        return at >= 0 ? (row[at] ?? '') : '';
      })
    ])
  );
  const table: Table = {
    at: '',
    header: [group.by === 'file' ? FILE_NAME : FOLDER_NAME, ...header],
    rows
  };
  if (!['.json', '.csv'].includes(group.extension)) {
    // A text file's fields are only inferred (like `label: N` lines): their counts go to a reviewer.
    table.inferred = true;
  }
  return { table, files: members.length };
}

/** Every table rule on each folder of same-shaped files (the whole-output stage of reviewOutputs). */
export async function collectionFindings(
  entries: CollectionEntry[],
  context: ContentContext
): Promise<Finding[]> {
  const { config, labels } = context;
  const findings: Finding[] = [];
  // The folder's table serves the key-column and linkage rules: off when both are.
  if (!ruleEnabled(config, 'key_column') && !ruleEnabled(config, 'linkage')) {
    return findings;
  }
  let unnamed = 0;
  for (const group of groupsOf(entries, config.collectionMinFiles)) {
    const read = await groupTable(group, config.collectionMinFiles);
    if (!read) {
      continue;
    }
    const { table } = read;
    const files = `${read.files.toLocaleString('en-US')} files as one table`;
    const shown = group.parts.every(part => labels.safe(part))
      ? `${group.title} (${files})`
      : `output folder ${++unnamed} (${files})`;
    const document: Document = {
      tables: [table],
      values: [],
      lines: 0,
      unreadable: null
    };
    const found = await contentFindings(shown, document, false, context);
    findings.push(
      ...(group.extension === '.json'
        ? found
        : found.filter(finding => !CELL_RULES.has(finding.rule)))
    );
  }
  return findings;
}
