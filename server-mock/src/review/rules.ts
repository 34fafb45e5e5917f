import type { ReviewConfig } from './config';
import { ID_PATTERN, type DisclosureIndex } from './disclosure-index';
import type { Document, Table, TextValue } from './documents';
import { normalName, SHINGLE_WORDS, shingleHashes, words } from './text';

/**
 * The review's rules: pure functions from a read output to findings. Each
 * finding names the rule, the file and where (column, row, line), and says in
 * plain words what is wrong and what to do. Values are never quoted: the
 * verdict is shown outside the clean room.
 */
export interface Finding {
  rule: string;
  severity: 'fail' | 'manual';
  file: string;
  location: string | null;
  message: string;
}

const MAX_LOCATIONS = 3;

function places(locations: string[]): string {
  const shown = locations.slice(0, MAX_LOCATIONS).join('; ');
  return locations.length > MAX_LOCATIONS ? `${shown}; and ${locations.length - MAX_LOCATIONS} more` : shown;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

// --- identifiers ----------------------------------------------------------------------------

/** Column names that hold who someone is or which record it was (ids, usernames, display names). */
const IDENTIFIER_COLUMNS = new Set([
  'id',
  'user_id',
  'userid',
  'video_id',
  'videoid',
  'comment_id',
  'commentid',
  'parent_comment_id',
  'author_id',
  'creator_id',
  'username',
  'user_name',
  'usernames',
  'display_name',
  'displayname',
  'display_names',
  'nickname',
  'handle',
  'author',
  'creator',
  'uploader',
  'screen_name',
  'avatar_url',
  'bio_url',
  'video_description',
  'voice_to_text',
  'bio_description',
  'text',
  'comment_text'
]);

export function columnKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

export function identifierColumns(file: string, table: Table): Finding[] {
  return table.header
    .filter(name => IDENTIFIER_COLUMNS.has(columnKey(name)))
    .map(name => ({
      rule: 'identifier_column',
      severity: 'fail' as const,
      file,
      location: `${table.at ? `${table.at}, ` : ''}column ${name}`,
      message: `${file} has a column "${name}" that identifies people or single records (ids, usernames, display names, verbatim texts). Aggregate over it instead (counts, means by a category) and leave the column out.`
    }));
}

const ID_IN_TEXT = /(?<!\d)\d{15,19}(?!\d)/g;
const NAME_TOKEN = /[\p{L}\p{N}._]+/gu;
const BASE64_TOKEN = /[A-Za-z0-9+/_-]{8,}={0,2}/g;
const HEX_TOKEN = /\b(?:[0-9a-fA-F]{2}){5,}\b/g;
/** In running text a bare word is a username only when it looks like one (a digit, _ or .) or follows @. */
const DISTINCTIVE_USERNAME = /[\d_.]/;
const NAME_WORDS = /[\p{L}\p{N}']+/gu;

/** What an encoded token decodes to, when it is printable text; else null. */
function decoded(token: string): string[] {
  const found: string[] = [];
  const attempts: Buffer[] = [];
  if (/^[0-9a-fA-F]+$/.test(token) && token.length % 2 === 0) {
    attempts.push(Buffer.from(token, 'hex'));
  }
  attempts.push(Buffer.from(token.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
  for (const bytes of attempts) {
    const text = bytes.toString('utf8');
    if (text.length >= 4 && /^[\x20-\x7e]+$/.test(text)) {
      found.push(text);
    }
  }
  return found;
}

type IdentifierKind = 'id' | 'username' | 'display name' | 'encoded identifier';

/** The identifiers of the data set in one value, by kind. */
export function identifiersIn(value: TextValue, index: DisclosureIndex): IdentifierKind[] {
  const kinds = new Set<IdentifierKind>();
  const isIdentifier = (text: string): IdentifierKind | null => {
    const trimmed = text.trim();
    if (ID_PATTERN.test(trimmed) && index.hasId(Number(trimmed))) {
      return 'id';
    }
    const lower = trimmed.toLowerCase().replace(/^@/, '');
    if (lower.length >= 5 && index.usernames.has(lower)) {
      return 'username';
    }
    return null;
  };
  for (const match of value.text.match(ID_IN_TEXT) ?? []) {
    if (index.hasId(Number(match))) {
      kinds.add('id');
    }
  }
  for (const match of value.text.matchAll(NAME_TOKEN)) {
    const clean = match[0].replace(/^[._]+|[._]+$/g, '').toLowerCase();
    const mentioned = match.index! > 0 && value.text[match.index! - 1] === '@';
    if (clean.length >= 5 && index.usernames.has(clean) && (value.whole || mentioned || DISTINCTIVE_USERNAME.test(clean))) {
      kinds.add('username');
    }
  }
  if (value.whole) {
    const name = normalName(value.text);
    if (name.length >= 3 && index.displayNames.has(name)) {
      kinds.add('display name');
    }
  } else {
    // In running text only names of two or three words count: single first names are ordinary words.
    const list = value.text.match(NAME_WORDS) ?? [];
    for (let i = 0; i + 1 < list.length; i++) {
      for (const size of [2, 3]) {
        if (i + size <= list.length && index.displayNames.has(normalName(list.slice(i, i + size).join(' ')))) {
          kinds.add('display name');
        }
      }
    }
  }
  for (const token of [...(value.text.match(BASE64_TOKEN) ?? []), ...(value.text.match(HEX_TOKEN) ?? [])]) {
    if (decoded(token).some(text => isIdentifier(text) !== null || [...(text.match(ID_IN_TEXT) ?? [])].some(id => index.hasId(Number(id))))) {
      kinds.add('encoded identifier');
    }
  }
  return [...kinds];
}

/** Short numbers, dates and decimals cannot hold an id (15+ digits), a name or an encoding. */
const PLAIN_NUMBER = /^[-+]?\d{0,14}(?:[.,]\d+)?(?:e[-+]?\d+)?$|^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+Z?)?$/i;

export function identifierValues(file: string, values: Iterable<TextValue>, index: DisclosureIndex): Finding[] {
  const byKind = new Map<IdentifierKind, string[]>();
  // Tables repeat their values (categories, dates): each distinct value is looked up once.
  const seen = new Map<string, IdentifierKind[]>();
  for (const value of values) {
    if (PLAIN_NUMBER.test(value.text)) {
      continue;
    }
    const key = `${value.whole ? 'w' : 't'}${value.text}`;
    let kinds = seen.get(key);
    if (!kinds) {
      kinds = identifiersIn(value, index);
      if (seen.size < 200_000) {
        seen.set(key, kinds);
      }
    }
    for (const kind of kinds) {
      const list = byKind.get(kind) ?? [];
      list.push(value.location);
      byKind.set(kind, list);
    }
  }
  return [...byKind].map(([kind, locations]) => ({
    rule: kind === 'encoded identifier' ? 'encoded_identifier' : 'identifier_value',
    severity: 'fail' as const,
    file,
    location: places(locations),
    message:
      kind === 'encoded identifier'
        ? `${file} contains ${plural(locations.length, 'value')} that decode (base64 or hex) to identifiers of the data set (${places(locations)}). Encoding does not anonymise: leave identifiers out.`
        : `${file} contains ${plural(locations.length, kind === 'id' ? 'id' : kind)} of the data set (${places(locations)}). Identifiers of people, videos or comments may not leave the clean room: output aggregates only.`
  }));
}

/** Runs of at least `verbatimWords` consecutive words copied from one text of the data set. */
export function verbatimText(file: string, values: Iterable<TextValue>, index: DisclosureIndex, config: ReviewConfig): Finding[] {
  const needed = Math.max(1, config.verbatimWords - SHINGLE_WORDS + 1);
  const locations: string[] = [];
  for (const value of values) {
    if (value.text.length < config.verbatimWords * 2) {
      continue; // too short to hold that many words
    }
    const list = words(value.text);
    if (list.length < config.verbatimWords) {
      continue;
    }
    let run = 0;
    for (const hash of shingleHashes(list)) {
      run = index.hasShingle(hash) ? run + 1 : 0;
      if (run >= needed) {
        locations.push(value.location);
        break;
      }
    }
  }
  if (!locations.length) {
    return [];
  }
  return [
    {
      rule: 'verbatim_text',
      severity: 'fail',
      file,
      location: places(locations),
      message: `${file} quotes texts of the data set word for word (${config.verbatimWords} or more words of a description, transcript, comment or bio; ${places(locations)}). Verbatim texts identify their authors: report topics, word counts or other aggregates instead.`
    }
  ];
}

// --- tables ---------------------------------------------------------------------------------

const COUNT_COLUMN = /^(n|count|counts|freq|frequency|num|number|size|total|records|videos|users|comments|creators|accounts|n_.+|num_.+|number_of_.+|count_.+|.+_count|.+_counts|.+_n)$/;
const MIN_MAX_COLUMN = /^(min|max|minimum|maximum|min_.+|max_.+|.+_min|.+_max)$/;
const SUPPRESSED = /^(|na|nan|null|none|\*|-|\[redacted]|redacted|<\s*\d+)$/i;

export function isCount(text: string): boolean {
  return /^\d+$/.test(text.trim());
}

/** Columns of a table that hold counts: by name, or the one integer column of a table of categories. */
export function countColumns(table: Table): number[] {
  const columnValues = (column: number) => table.rows.map(row => (row[column] ?? '').trim()).filter(text => !SUPPRESSED.test(text));
  const integer = (column: number) => {
    const values = columnValues(column);
    return values.length > 0 && values.every(isCount);
  };
  const named = table.header.map((name, column) => column).filter(column => COUNT_COLUMN.test(columnKey(table.header[column])) && integer(column));
  if (named.length) {
    return named;
  }
  const numeric = table.header.map((name, column) => column).filter(column => columnValues(column).every(text => text !== '' && !Number.isNaN(Number(text))));
  const integers = numeric.filter(integer);
  return integers.length === 1 && numeric.length === 1 && table.header.length > 1 ? integers : [];
}

/** Frequency-table cells below the threshold (ACRO threshold; zeros as class disclosure). */
export function smallCounts(file: string, table: Table, config: ReviewConfig): Finding[] {
  const findings: Finding[] = [];
  const severity = table.inferred ? ('manual' as const) : ('fail' as const);
  for (const column of countColumns(table)) {
    const name = table.header[column];
    const small: string[] = [];
    const zeros: string[] = [];
    table.rows.forEach((row, index) => {
      const text = (row[column] ?? '').trim();
      if (!isCount(text)) {
        return;
      }
      const count = Number(text);
      if (count === 0) {
        zeros.push(`row ${index + 1}`);
      } else if (count < config.threshold) {
        small.push(`row ${index + 1}`);
      }
    });
    const where = `${table.at ? `${table.at}, ` : ''}column ${name}`;
    if (small.length) {
      findings.push({
        rule: 'small_count',
        severity,
        file,
        location: `${where}: ${places(small)}`,
        message: `${file}, column "${name}": ${plural(small.length, 'count')} below ${config.threshold} (${places(small)}). Groups this small can single people out: merge them into larger groups or suppress them (write them as "<${config.threshold}").`
      });
    }
    if (zeros.length && config.zerosAreDisclosive) {
      findings.push({
        rule: 'zero_count',
        severity: 'manual',
        file,
        location: `${where}: ${places(zeros)}`,
        message: `${file}, column "${name}": ${plural(zeros.length, 'zero count')} (${places(zeros)}). A zero can reveal that nobody in a group has a property (class disclosure): a reviewer checks it.`
      });
    }
  }
  return findings;
}

export function tableSize(file: string, table: Table, recordsRead: number, config: ReviewConfig): Finding[] {
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
  if (recordsRead >= config.threshold && table.rows.length >= config.rowDumpRatio * recordsRead && !table.inferred) {
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

export function minMaxColumns(file: string, table: Table): Finding[] {
  return table.header
    .filter(name => MIN_MAX_COLUMN.test(columnKey(name)))
    .map(name => ({
      rule: 'extreme_values',
      severity: 'manual' as const,
      file,
      location: `${table.at ? `${table.at}, ` : ''}column ${name}`,
      message: `${file}, column "${name}": minimums and maximums are single records' values; a reviewer checks them.`
    }));
}

// --- logs and text --------------------------------------------------------------------------

export function linesDump(file: string, lines: number, recordsRead: number, config: ReviewConfig): Finding[] {
  if (recordsRead < config.threshold || lines < config.rowDumpRatio * recordsRead) {
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

const DOF_PATTERNS = [/Df Residuals:\s*(\d+(?:\.\d+)?)/g, /"?df_resid(?:ual)?"?\s*[:=]\s*(\d+(?:\.\d+)?)/gi, /residual degrees of freedom\D{0,5}(\d+(?:\.\d+)?)/gi];

/** Models with too few residual degrees of freedom (ACRO `safe_dof_threshold`). */
export function residualDof(file: string, values: Iterable<TextValue>, config: ReviewConfig): Finding[] {
  const low: string[] = [];
  for (const value of values) {
    if (!/resid/i.test(value.text)) {
      continue;
    }
    for (const pattern of DOF_PATTERNS) {
      for (const match of value.text.matchAll(pattern)) {
        if (Number(match[1]) < config.minResidualDof) {
          low.push(value.location);
        }
      }
    }
  }
  return low.length
    ? [
        {
          rule: 'residual_dof',
          severity: 'fail',
          file,
          location: places(low),
          message: `${file}: a model has fewer than ${config.minResidualDof} residual degrees of freedom (${places(low)}); its coefficients can reveal single records. Use more data or fewer parameters.`
        }
      ]
    : [];
}

/** Every check that reads a document's content. */
export function contentFindings(file: string, document: Document, recordsRead: number, index: DisclosureIndex, config: ReviewConfig, isLog: boolean): Finding[] {
  const findings: Finding[] = [];
  for (const table of document.tables) {
    findings.push(...identifierColumns(file, table), ...tableSize(file, table, recordsRead, config), ...smallCounts(file, table, config), ...minMaxColumns(file, table));
  }
  if (isLog || document.tables.length === 0) {
    findings.push(...linesDump(file, document.lines, recordsRead, config));
  }
  findings.push(...identifierValues(file, document.values, index), ...verbatimText(file, document.values, index, config), ...residualDof(file, document.values, config));
  return findings;
}
