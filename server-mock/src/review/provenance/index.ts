import { basename, extname } from 'node:path';
import { ruleEnabled, type ReviewConfig } from '../config';
import type { Document, Table, TextValue } from '../documents';
import { contentFindings, type ContentContext } from '../rules';
import { linkageFindings } from '../linkage';
import { places, plural, type Finding } from '../rules/findings';
import {
  cellText,
  isLabel,
  MAX_RECORD_BYTES,
  parseRecord,
  PROVENANCE_SUFFIX,
  type ProvenanceRecord
} from './record';
import { fileMatches } from './render';

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

export {
  parseRecord,
  PROVENANCE_SUFFIX,
  type ProvenanceRecord
} from './record';
export { renderCsv, renderMarkdown, renderSvg } from './render';
