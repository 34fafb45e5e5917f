/**
 * Identifier and verbatim-text rules: identifier columns, and identifiers or
 * quoted texts of the data set in a document's values and in file names.
 */

import { ruleEnabled, type ReviewConfig } from '../config';
import type { DisclosureIndex } from '../disclosure-index';
import {
  columnLabel,
  CsvValues,
  type Document,
  type Labels,
  type Table,
  type TextValue
} from '../documents';
import { REGION_CODES } from '../../data/vocabulary';
import type { Pacer } from '../pacer';
import { foldText } from '../text';
import {
  cellsPlace,
  columnKey,
  places,
  plural,
  tablePlace,
  type Finding
} from './findings';
import {
  digitRunHasId,
  identifiersIn as importedIdentifiersIn,
  MAX_ID_DIGITS,
  NOTHING as IMPORTED_NOTHING,
  rowHasSplitId as importedRowHasSplitId,
  type IdentifierKind,
  type ValueFindings
} from './identifier-search';
import { resetInflateBudget } from '../decodes';
import { CodeRuns, isCsvDocument } from './decodes';

// Bound once: tsx (the benchmarks' runner) reads an imported name through a getter at every use, and these are used per cell.
const identifiersIn = importedIdentifiersIn;
const NOTHING = IMPORTED_NOTHING;
const rowHasSplitId = importedRowHasSplitId;

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

/** Region codes as the data writes them (upper case). */
const REGIONS = new Set<string>(REGION_CODES);

export function identifierColumns(
  file: string,
  table: Table,
  labels: Labels
): Finding[] {
  // A header row of region codes is a cross-tab by region: "ID" there is Indonesia, not an id.
  const regionHeaders = table.header.filter(name => REGIONS.has(name)).length;
  return table.header.flatMap((name, column) => {
    if (!IDENTIFIER_COLUMNS.has(columnKey(foldText(name)))) {
      return [];
    }
    if (REGIONS.has(name) && regionHeaders >= 3) {
      return [];
    }
    const label = columnLabel(table.header, column, labels);
    return [
      {
        rule: 'identifier_column',
        severity: 'fail' as const,
        file,
        location: `${tablePlace(table)}${label}`,
        column: `${tablePlace(table)}${label}`,
        message: `${file}: ${tablePlace(table)}${label} identifies people or single records (ids, usernames, display names, verbatim texts). Aggregate over it instead (counts, means by a category) and leave the column out.`
      }
    ];
  });
}

/** A line that is all base64: wrapped base64 (76 characters a line) is joined across such lines. */
const BASE64_LINE = /^\s*[A-Za-z0-9+/_-]{16,}={0,2}\s*$/;

/**
 * Short numbers, dates and decimals cannot hold an id (15+ digits), a name or
 * an encoding; date-times with microseconds can (rules/decodes.ts).
 */
export const PLAIN_NUMBER =
  /^[-+]?[\d.,:/ ]{0,14}$|^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?Z?)?$/;

/** `PLAIN_NUMBER.test(text)`, the usual cells (short numbers, dates) decided without the regular expression. */
export function isPlainNumber(text: string): boolean {
  const length = text.length;
  const first = length ? text.charCodeAt(0) : 0;
  const start = first === 43 || first === 45 ? 1 : 0; // + or -
  if (length - start <= 14) {
    let plain = true;
    for (let i = start; i < length && plain; i++) {
      const code = text.charCodeAt(i);
      // 0-9 . , : / and space
      plain =
        (code >= 48 && code <= 57) ||
        code === 46 ||
        code === 44 ||
        code === 58 ||
        code === 47 ||
        code === 32;
    }
    if (plain) {
      return true;
    }
  }
  if (length === 10 && isDate(text)) {
    return true;
  }
  // Both forms start with a sign, a digit or one of . , : / and space (or are empty): a word is not one.
  if (length && !PLAIN_START.test(text[0])) {
    return false;
  }
  return PLAIN_NUMBER.test(text);
}

const PLAIN_START = /[-+\d.,:/ ]/;

/** YYYY-MM-DD (digits and dashes only). */
function isDate(text: string): boolean {
  for (let i = 0; i < 10; i++) {
    const code = text.charCodeAt(i);
    if (i === 4 || i === 7 ? code !== 45 : code < 48 || code > 57) {
      return false;
    }
  }
  return true;
}
/** Values this long are not remembered between cells (tables repeat short values: categories, dates). */
const REMEMBERED_LENGTH = 200;

/** Values longer than this are checked a piece at a time. */
const LONG_VALUE = 32 * 1024;
/** Pieces overlap by this much, so an id, a name or a run of words across a cut is still whole in one. */
const PIECE_OVERLAP = 2048;
/** A piece ends at whitespace when there is some this close after its nominal end (an encoded token stays whole). */
const PIECE_STRETCH = 1024 * 1024;

/** Overlapping pieces of a long text, cut at whitespace where possible. */
export function* pieces(text: string): Generator<string> {
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + LONG_VALUE);
    if (end < text.length) {
      const space = text.slice(end, end + PIECE_STRETCH).search(/\s/);
      end =
        space === -1 ? Math.min(text.length, end + PIECE_STRETCH) : end + space;
    }
    yield text.slice(start, end);
    if (end >= text.length) {
      return;
    }
    let next = Math.max(start + 1, end - PIECE_OVERLAP);
    const space = text.slice(next, end).search(/\s/);
    next = space === -1 ? next : next + space + 1;
    start = next;
  }
}

/**
 * Ids, usernames, display names, encoded identifiers and verbatim texts in
 * every value of a document (and ids split over adjacent cells or lines).
 */
export async function identifierValues(
  file: string,
  document: Document,
  index: DisclosureIndex,
  config: ReviewConfig,
  pacer: Pacer
): Promise<Finding[]> {
  // Locations by kind, then by table column ('' for lines, JSON paths and the like): one finding each.
  const byKind = new Map<
    IdentifierKind,
    Map<string, { location: string; row: number | null }[]>
  >();
  const verbatim: string[] = [];
  const encodedVerbatim: string[] = [];
  const shuffled: string[] = [];
  // How encoded identifiers were written, by column ('' for lines and paths), and encoded texts.
  const idNotations = new Map<string, Set<string>>();
  const textNotations = new Set<string>();
  const add = (
    kind: IdentifierKind,
    location: string,
    cell?: { column: string; row: number }
  ) => {
    const columns =
      byKind.get(kind) ??
      new Map<string, { location: string; row: number | null }[]>();
    const list = columns.get(cell?.column ?? '') ?? [];
    list.push({ location, row: cell?.row ?? null });
    columns.set(cell?.column ?? '', list);
    byKind.set(kind, columns);
  };
  const record = (
    found: ValueFindings,
    location: string,
    cell?: { column: string; row: number }
  ) => {
    for (const kind of found.kinds) {
      add(kind, location, cell);
    }
    if (found.kinds.includes('encoded identifier')) {
      const column = cell?.column ?? '';
      const set = idNotations.get(column) ?? new Set<string>();
      found.notations.forEach(notation => set.add(notation));
      idNotations.set(column, set);
    }
    if (found.verbatim === 'plain') {
      verbatim.push(location);
    } else if (found.verbatim === 'encoded') {
      encodedVerbatim.push(location);
      found.notations.forEach(notation => textNotations.add(notation));
    }
    if (found.shuffled) {
      shuffled.push(location);
    }
  };
  // Text lines: ids split over the end of one line and the start of the next, base64 wrapped over lines.
  let previousLine: TextValue | null = null;
  const wrapped = { text: '', lines: 0, location: '' };
  const flushWrapped = () => {
    if (wrapped.lines > 1) {
      record(
        identifiersIn({ text: wrapped.text, whole: true }, index, config),
        wrapped.location
      );
    }
    wrapped.lines = 0;
    wrapped.text = '';
  };
  // Character codes over consecutive values: a JSON array of numbers, cells of a row.
  const codeRuns = new CodeRuns<TextValue>((text, first, count) => {
    const found = identifiersIn({ text, whole: true }, index, config);
    if (found.kinds.length || found.verbatim) {
      record(
        {
          kinds: ['encoded identifier'],
          verbatim: found.verbatim ? 'encoded' : null,
          notations: ['character codes'],
          shuffled: false
        },
        `${first.location} and the next ${count - 1} values`,
        first.cell
      );
    }
  });
  const csv = isCsvDocument(document);
  const decodes = ruleEnabled(config, 'decodes');
  resetInflateBudget();
  const seenWhole = new Map<string, ValueFindings>();
  const seenText = new Map<string, ValueFindings>();
  /** A value up to `LONG_VALUE` characters (values are remembered by text: tables repeat short values). */
  const findingsOf = (text: string, whole: boolean): ValueFindings => {
    if (isPlainNumber(text)) {
      return NOTHING;
    }
    const remember = text.length <= REMEMBERED_LENGTH;
    const seen = whole ? seenWhole : seenText;
    let found = remember ? seen.get(text) : undefined;
    if (!found) {
      found = identifiersIn({ text, whole }, index, config);
      if (remember && seen.size < 200_000) {
        seen.set(text, found);
      }
    }
    return found;
  };
  /** A long line or string is read in pieces, the event loop running between them. */
  const checkLong = async (value: TextValue) => {
    const merged = new Set<IdentifierKind>();
    const notations: string[] = [];
    let mixed = false;
    let quoted: ValueFindings['verbatim'] = null;
    for (const piece of pieces(value.text)) {
      await pacer.pause();
      const found = identifiersIn({ text: piece, whole: false }, index, config);
      found.kinds.forEach(kind => merged.add(kind));
      notations.push(...found.notations);
      mixed ||= found.shuffled;
      quoted = quoted === 'plain' ? quoted : (found.verbatim ?? quoted);
    }
    record(
      { kinds: [...merged], verbatim: quoted, notations, shuffled: mixed },
      value.location,
      value.cell
    );
  };
  const values = document.values;
  if (values instanceof CsvValues) {
    // A CSV's cells, read from its rows: a value object only for a cell with something to report.
    for (let column = 0; column < values.header.length; column++) {
      const value = values.headerCell(column);
      if (value.text.length > LONG_VALUE) {
        await checkLong(value);
      } else {
        record(findingsOf(value.text, true), value.location);
      }
    }
    for (let row = 0; row < values.rows.length; row++) {
      const cells = values.rows[row];
      for (let column = 0; column < cells.length; column++) {
        if (pacer.due()) {
          await pacer.pause();
        }
        const text = cells[column];
        if (text.length > LONG_VALUE) {
          await checkLong(values.cell(row, column));
          continue;
        }
        const found = findingsOf(text, true);
        if (found !== NOTHING) {
          const value = values.cell(row, column);
          record(found, value.location, value.cell);
        }
      }
    }
  }
  // Any other document's values (lines, JSON values), in order: ids split over lines, wrapped base64, character codes.
  for (const value of values instanceof CsvValues ? [] : values) {
    if (pacer.due()) {
      await pacer.pause();
    }
    if (!csv && decodes) {
      codeRuns.push(value.text, value, () => codeGroup(value));
    }
    if (!value.whole) {
      const tail =
        previousLine && /\d\s*$/.test(previousLine.text)
          ? /(\d{1,40})\s*$/.exec(previousLine.text.slice(-60))
          : null;
      const head = tail && /^\s*(\d+)/.exec(value.text);
      // An id split over two lines: only when neither line holds one by itself
      // (two lines of whole ids would otherwise count each id again).
      if (
        tail &&
        head &&
        !findingsOf(previousLine!.text, previousLine!.whole).kinds.includes(
          'id'
        ) &&
        !findingsOf(value.text, value.whole).kinds.includes('id') &&
        (tail[1] + head[1]).length <= 2 * MAX_ID_DIGITS &&
        digitRunHasId(tail[1] + head[1], index)
      ) {
        add('id', `${previousLine!.location} and the next`);
      }
      previousLine = value;
      if (BASE64_LINE.test(value.text)) {
        if (!wrapped.lines) {
          wrapped.location = value.location;
        }
        wrapped.text += value.text.trim();
        wrapped.lines++;
      } else {
        flushWrapped();
      }
    }
    if (value.text.length > LONG_VALUE) {
      await checkLong(value);
      continue;
    }
    record(findingsOf(value.text, value.whole), value.location, value.cell);
  }
  flushWrapped();
  codeRuns.end();
  if (csv && decodes) {
    // A CSV's rows: character codes over adjacent cells.
    const [table] = document.tables;
    for (let row = 0; row < table.rows.length; row++) {
      if (row % 5000 === 4999) {
        await pacer.tick(5000);
      }
      const cells = table.rows[row];
      if (cells.length < 5) {
        continue; // a run needs five cells
      }
      for (let column = 0; column < cells.length; column++) {
        codeRuns.push(
          cells[column],
          { location: `row ${row + 1}`, text: '', whole: true },
          () => `row ${row}`
        );
      }
      codeRuns.end();
    }
  }
  for (const table of document.tables) {
    const split: string[] = [];
    for (let row = 0; row < table.rows.length; row++) {
      if (row % 5000 === 4999) {
        await pacer.tick(5000);
      }
      if (rowHasSplitId(table.rows[row], index)) {
        split.push(
          `${tablePlace(table)}${table.rowNames?.[row] ?? `row ${row + 1}`}`
        );
      }
    }
    for (const location of split) {
      add('id', `${location} (split over adjacent cells)`);
    }
  }
  // One finding per kind and column: the researcher fixes a column, and "and N more" stays within it.
  const findings: Finding[] = [...byKind].flatMap(([kind, columns]) =>
    [...columns].map(([column, found]) => {
      // A place found twice (a line read whole and as part of a run) is said once.
      const unique = [
        ...new Map(found.map(entry => [entry.location, entry])).values()
      ];
      const where = column
        ? cellsPlace(column, unique)
        : places(unique.map(entry => entry.location));
      return {
        rule:
          kind === 'encoded identifier'
            ? 'encoded_identifier'
            : 'identifier_value',
        severity: 'fail' as const,
        file,
        location: where,
        column: column || null,
        message:
          kind === 'encoded identifier'
            ? `${file} contains ${plural(found.length, 'value')} that decode to identifiers of the data set (${where}; written as ${notationList(idNotations.get(column))}). Encoding, reversing or spelling out does not anonymise: leave identifiers out.`
            : `${file} contains ${countedPlaces(found, column)} with ${kind === 'id' ? 'ids' : `${kind}s`} of the data set (${where}). Identifiers of people, videos or comments may not leave the clean room: output aggregates only.`
      };
    })
  );
  const quoted = [...verbatim, ...encodedVerbatim];
  if (quoted.length) {
    findings.push({
      rule: 'verbatim_text',
      severity: 'fail',
      file,
      location: places(quoted),
      message: `${file} quotes texts of the data set word for word${encodedVerbatim.length ? ` (some written as ${notationList(textNotations)})` : ''} (${config.verbatimWords} or more words of a description, transcript, comment or bio; ${places(quoted)}). Verbatim texts identify their authors: report topics, word counts or other aggregates instead.`
    });
  }
  if (shuffled.length) {
    findings.push({
      rule: 'shuffled_text',
      severity: 'fail',
      file,
      location: places(shuffled),
      message: `${file} holds texts of the data set with their words in another order (${config.shuffledWords} or more words, all those of one description, transcript, comment or bio; ${places(shuffled)}). The words of a text identify its author in any order: report topics, word counts or other aggregates instead.`
    });
  }
  return findings;
}

/**
 * What a finding counts, said as what it is: "200 lines" (a line with two ids,
 * or an id split over it and the next, is one line each), "12 cells" of a
 * column, else "3 values" (JSON values, keys).
 */
export function countedPlaces(
  found: { location: string; row: number | null }[],
  column: string
): string {
  if (column) {
    return plural(new Set(found.map(entry => entry.location)).size, 'cell');
  }
  const lines = new Set<number>();
  for (const { location } of found) {
    const line = /^line (\d+)( and the next)?$/.exec(location);
    if (!line) {
      return plural(new Set(found.map(entry => entry.location)).size, 'value');
    }
    lines.add(Number(line[1]));
    if (line[2]) {
      lines.add(Number(line[1]) + 1);
    }
  }
  return plural(lines.size, 'line');
}

/** Values whose codes may spell one text: the cells of one row, the items of one JSON array, one line. */
function codeGroup(value: TextValue): string {
  if (value.cell) {
    return `row ${value.cell.row}`;
  }
  return value.location.replace(/\[\d+\]$/, '[]');
}

/** Notations as a finding says them: "base36, number words". */
function notationList(notations: Set<string> | undefined): string {
  return notations?.size ? [...notations].sort().join(', ') : 'an encoding';
}

/**
 * The names of an output file and its folders are values too: each part,
 * with and without its extension, is checked like a whole cell. The finding
 * does not name the file (its `file` is "output file N").
 */
export function fileNameFindings(
  file: string,
  relativeName: string,
  index: DisclosureIndex,
  config: ReviewConfig
): Finding[] {
  const parts = relativeName.split('/').flatMap(part => {
    const stem = part.replace(/\.[^.]*$/, '');
    return stem && stem !== part ? [part, stem] : [part];
  });
  const kinds = new Set<string>();
  for (const part of parts) {
    const found = identifiersIn({ text: part, whole: true }, index, config);
    found.kinds.forEach(kind =>
      kinds.add(
        kind === 'encoded identifier'
          ? 'an encoded identifier'
          : kind === 'id'
            ? 'an id'
            : `a ${kind}`
      )
    );
    if (found.verbatim) {
      kinds.add('text of the data set');
    }
  }
  if (!kinds.size) {
    return [];
  }
  return [
    {
      rule: 'identifier_value',
      severity: 'fail',
      file,
      location: 'file name',
      message: `The name of ${file} (or of its folder) holds ${[...kinds].join(', ')} of the data set. File and folder names are released with the results: name outputs after what they aggregate.`
    }
  ];
}
