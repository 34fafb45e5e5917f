import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { extname, join } from 'node:path';
import { collectionFindings } from './collection';
import { ruleEnabled, type ReviewConfig } from './config';
import type { DisclosureIndex } from './disclosure-index';
import {
  readCsv,
  readJson,
  readText,
  type Document,
  type Labels
} from './documents';
import {
  differencingFindings,
  fingerprint,
  type TableFingerprint,
  type TableHistory
} from './differencing';
import { embeddedTableFindings } from './embedded';
import { guarded, ruleError } from './guard';
import { DominanceCache, magnitudeFindings } from './dominance';
import { Pacer, yieldToEventLoop } from './pacer';
import {
  PROVENANCE_SUFFIX,
  provenanceFindings,
  provenanceRecords,
  strayRecord
} from './provenance';
import { contentFindings } from './rules';
import type { Finding } from './rules/findings';
import { fileNameFindings } from './rules/identifiers';
import { fileLabel, reviewLabels } from './rules/labels';
import { documentRows } from './rules/tables';
import { unclassifiedFindings } from './unclassified';

export {
  DEFAULT_REVIEW_CONFIG,
  reviewThresholdConfig,
  ruleEnabled,
  type ReviewConfig
} from './config';
export { buildDisclosureIndex, type DisclosureIndex } from './disclosure-index';
export type { Finding } from './rules/findings';
export type {
  PreviousTable,
  TableFingerprint,
  TableHistory
} from './differencing';

/**
 * The automatic output review (docs/contracts.md § Review): every file of the
 * output folder and both logs are read and checked; any failed rule rejects
 * the job, anything only a person can judge sends it to a reviewer, and a job
 * with neither is approved. README § "Output review" lists the rules.
 */
/** Where the printed output (stdout.txt, stderr.txt) sits among the outputs and in the release zip's results. */
export const LOGS_FOLDER = 'logs/';

export interface ReviewInput {
  outputDir: string;
  logs: { name: 'stdout.txt' | 'stderr.txt'; path: string }[];
  recordsRead: number;
  index: DisclosureIndex;
  config: ReviewConfig;
  /** The client's earlier tables, for `differencing` across jobs (none: only within this job). */
  history?: TableHistory | null;
}

export interface ReviewedFile {
  name: string;
  bytes: number;
  sha256: string;
  kind: string;
}

export interface Verdict {
  decision: 'approved' | 'rejected' | 'manual_review';
  findings: Finding[];
  files: ReviewedFile[];
  /** Fingerprints of the tables reviewed, for the store to keep (differencing.ts); not part of the API's verdict. */
  tables: TableFingerprint[];
}

interface Entry {
  name: string;
  path: string;
  regular: boolean;
  bytes: number;
}

/**
 * Everything under the output folder, without following links; stops once
 * it has seen more than `limit` files or more than `limit` folders (the
 * review then reads none of them).
 */
function walk(
  dir: string,
  limit: number,
  prefix = '',
  found = { entries: [] as Entry[], folders: 0 }
): { entries: Entry[]; folders: number } {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (found.entries.length > limit || found.folders > limit) {
      break;
    }
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      found.folders++;
      walk(path, limit, name, found);
      continue;
    }
    let stats: Stats | null = null;
    try {
      stats = lstatSync(path);
    } catch {
      stats = null;
    }
    found.entries.push({
      name,
      path,
      regular: entry.isFile() && !!stats?.isFile(),
      bytes: stats?.isFile() ? stats.size : 0
    });
  }
  return found;
}

function kindOf(name: string): string {
  const extension = extname(name).toLowerCase();
  return extension ? extension.slice(1) : 'none';
}

async function readDocument(
  extension: string,
  bytes: Buffer,
  content: string,
  labels: Labels
): Promise<Document> {
  if (extension === '.csv') {
    return readCsv(bytes, labels);
  }
  if (extension === '.json') {
    return readJson(content, labels);
  }
  return readText(content);
}

function asText(bytes: Buffer): string | null {
  if (bytes.includes(0)) {
    return null;
  }
  const text = bytes.toString('utf8');
  return text.includes('\ufffd') && !bytes.toString('latin1').includes('\ufffd')
    ? null
    : text;
}

interface ReviewState {
  input: ReviewInput;
  labels: Labels;
  pacer: Pacer;
  dominance: DominanceCache;
  tables: TableFingerprint[];
  /** Outputs written by pyrqs.outputs: their provenance records (read by the review, not released). */
  provenance: Set<string>;
}

interface FileReview {
  file: ReviewedFile | null;
  findings: Finding[];
  /** Table rows or lines the file holds, for the row-dump check across files. */
  rows: number;
}

/** `shown` is how findings name the file: its name when safe to show, else "output file N". */
async function reviewFile(
  entry: Entry,
  shown: string,
  state: ReviewState,
  isLog: boolean
): Promise<FileReview> {
  const { input, labels } = state;
  const { config } = input;
  const name = entry.name;
  if (!entry.regular) {
    return {
      file: null,
      findings: [
        {
          rule: 'file_type',
          severity: 'fail',
          file: shown,
          location: null,
          message: `${shown} is not a regular file (a link, socket or device). Only files the script wrote can be released.`
        }
      ],
      rows: 0
    };
  }
  const bytes = readFileSync(entry.path);
  const file: ReviewedFile = {
    name,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    kind: isLog ? 'log' : kindOf(name)
  };
  const findings: Finding[] = [];
  const done = () => ({ file, findings, rows: 0 });
  const extension = extname(name).toLowerCase();
  if (!isLog) {
    findings.push(...fileNameFindings(shown, name, input.index, config));
  }
  // Every part of the path: .cache/a.csv is as hidden as .a.csv.
  if (!isLog && name.split('/').some(part => part.startsWith('.'))) {
    findings.push({
      rule: 'file_type',
      severity: 'fail',
      file: shown,
      location: null,
      message: `${shown} is a hidden file or in a hidden folder; hidden files are not released. Give it a visible name or leave it out.`
    });
    return done();
  }
  if (
    !isLog &&
    !config.checkedTypes.includes(extension) &&
    !config.manualTypes.includes(extension)
  ) {
    const type = !extension
      ? 'files without an extension'
      : labels.safe(extension)
        ? `"${extension}" files`
        : 'files of its type';
    findings.push({
      rule: 'file_type',
      severity: 'fail',
      file: shown,
      location: null,
      message: `${shown}: ${type} cannot be released. Allowed: ${[...config.checkedTypes, ...config.manualTypes].join(' ')}.`
    });
    return done();
  }
  if (bytes.length > config.maxFileBytes) {
    findings.push({
      rule: 'file_size',
      severity: 'fail',
      file: shown,
      location: null,
      message: `${shown} is ${(bytes.length / 1024 / 1024).toFixed(1)} MiB; outputs may be at most ${(config.maxFileBytes / 1024 / 1024).toFixed(0)} MiB. Aggregate further.`
    });
    return done();
  }
  // The provenance lane: checked exactly against its record, without the heuristics.
  if (!isLog && state.provenance.has(`${name}${PROVENANCE_SUFFIX}`)) {
    const record = readFileSync(`${entry.path}${PROVENANCE_SUFFIX}`);
    findings.push(
      ...(await provenanceFindings(shown, name, asText(bytes), record, {
        ...input,
        labels,
        pacer: state.pacer
      }))
    );
    // Differencing covers this lane too: its tables are fingerprinted like any other's.
    const content = asText(bytes);
    if (content !== null && config.checkedTypes.includes(extension)) {
      findings.push(
        ...(await guarded(
          'differencing',
          shown,
          config,
          state.pacer,
          async () => {
            const read = await readDocument(extension, bytes, content, labels);
            keepFingerprints(shown, read.tables, state);
            return [];
          }
        ))
      );
    }
    return done();
  }
  if (!isLog && config.manualTypes.includes(extension)) {
    findings.push({
      rule: 'figure',
      severity: 'manual',
      file: shown,
      location: null,
      message: `${shown}: figures and HTML cannot be checked automatically; a reviewer looks at it before release.`
    });
    return done();
  }
  const text = asText(bytes);
  if (text === null) {
    findings.push({
      rule: 'file_type',
      severity: 'fail',
      file: shown,
      location: null,
      message: `${shown} is not text (binary content in a ${isLog ? 'log' : 'text'} file). Write results as CSV, JSON or text.`
    });
    return done();
  }
  let document: Document;
  try {
    document = await readDocument(
      isLog ? '.txt' : extension,
      bytes,
      text,
      labels
    );
  } catch {
    findings.push(ruleError('reading', shown, 'failed with an error'));
    return done();
  }
  if (document.unreadable) {
    findings.push({
      rule: 'file_type',
      severity: 'fail',
      file: shown,
      location: null,
      message: `${shown} cannot be checked: ${document.unreadable}. Fix the file's format.`
    });
    return done();
  }
  findings.push(
    ...(await contentFindings(shown, document, isLog, {
      recordsRead: input.recordsRead,
      index: input.index,
      config,
      labels,
      pacer: state.pacer
    }))
  );
  findings.push(
    ...(await guarded('unclassified', shown, config, state.pacer, () =>
      unclassifiedFindings(
        shown,
        isLog ? '.txt' : extension,
        text,
        document,
        config
      )
    ))
  );
  // Dominance looks each cell's contributions up in the data; a table already refused for its size is not worth it.
  const tables = document.tables.filter(
    table => table.rows.length <= config.maxTableRows
  );
  const scanned = state.dominance.scanMs;
  findings.push(
    ...(await guarded(
      'dominance',
      shown,
      config,
      state.pacer,
      async () => {
        const found: Finding[] = [];
        for (const table of tables) {
          found.push(
            ...(await magnitudeFindings(
              shown,
              table,
              state.dominance,
              config,
              labels
            ))
          );
        }
        return found;
      },
      () => state.dominance.scanMs - scanned
    ))
  );
  keepFingerprints(shown, tables, state);
  if (
    ruleEnabled(config, 'log_tables') &&
    (isLog ||
      extension === '.txt' ||
      extension === '.md' ||
      extension === '.log')
  ) {
    // Tables printed in text get the table rules a .csv gets (embedded.ts).
    findings.push(
      ...(await guarded('log_tables', shown, config, state.pacer, () =>
        embeddedTableFindings(shown, text, { ...state, ...input, labels })
      ))
    );
  }
  return { file, findings, rows: documentRows(document) };
}

/** Fingerprints of a file's tables, for differencing (at most `maxDifferencingTables` a job). */
function keepFingerprints(
  shown: string,
  tables: Document['tables'],
  state: ReviewState
): void {
  for (const table of tables) {
    if (state.tables.length >= state.input.config.maxDifferencingTables) {
      return;
    }
    const print =
      table.rows.length <= state.input.config.maxTableRows
        ? fingerprint(shown, table)
        : null;
    if (print) {
      state.tables.push(print);
    }
  }
}

/** A file whose review failed outside the guarded rules (reading it, say) goes to a reviewer; the review goes on. */
async function reviewGuarded(
  entry: Entry,
  shown: string,
  state: ReviewState,
  isLog: boolean
): Promise<FileReview> {
  try {
    return await reviewFile(entry, shown, state, isLog);
  } catch {
    return {
      file: null,
      findings: [ruleError('review', shown, 'failed with an error')],
      rows: 0
    };
  }
}

/**
 * The whole review's time budget: `spent(left)` is true once it is over,
 * noting how many files and logs are left unread (the first call that finds
 * it over counts them); `finding` is the one `rule_error` that says so.
 */
function reviewClock(config: Pick<ReviewConfig, 'reviewBudgetMs'>) {
  const deadline = Date.now() + config.reviewBudgetMs;
  const clock = {
    left: 0,
    over: false,
    spent(left: number): boolean {
      if (!clock.over && Date.now() > deadline) {
        clock.over = true;
        clock.left = left;
      }
      return clock.over;
    },
    finding(): Finding {
      const ms = config.reviewBudgetMs;
      const budget = ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
      return {
        rule: 'rule_error',
        severity: 'manual',
        file: '(all outputs)',
        location: null,
        message: `The review ran out of its time (${budget}) ${clock.left ? `with ${clock.left.toLocaleString('en-US')} output file${clock.left === 1 ? '' : 's'} or log${clock.left === 1 ? '' : 's'} not yet read` : 'before its checks across files'}; nothing is approved unchecked: a reviewer checks the rest.`
      };
    }
  };
  return clock;
}

function rejectedUnread(message: string): Verdict {
  return {
    decision: 'rejected',
    findings: [
      {
        rule: 'output_limits',
        severity: 'fail',
        file: '(all outputs)',
        location: null,
        message
      }
    ],
    files: [],
    tables: []
  };
}

/**
 * The order a verdict shows its findings in: what the output gives away
 * (identifiers, linked rows, keys) before the limits it went over (rows,
 * sizes), so the researcher reads the cause first. Stable within a rule.
 */
const TELLING_ORDER = [
  'identifier_value',
  'encoded_identifier',
  'identifier_column',
  'verbatim_text',
  'shuffled_text',
  'linkage',
  'key_column',
  'key_lines',
  'provenance',
  'row_level_data',
  'small_count',
  'dominance',
  'p_ratio',
  'residual_dof'
];

function mostTellingFirst(findings: Finding[]): Finding[] {
  const rank = (rule: string) => {
    const at = TELLING_ORDER.indexOf(rule);
    return at === -1 ? TELLING_ORDER.length : at;
  };
  return findings
    .map((finding, at) => ({ finding, at }))
    .sort((a, b) => rank(a.finding.rule) - rank(b.finding.rule) || a.at - b.at)
    .map(({ finding }) => finding);
}

export async function reviewOutputs(input: ReviewInput): Promise<Verdict> {
  const { config } = input;
  const files: ReviewedFile[] = [];
  const findings: Finding[] = [];
  const state: ReviewState = {
    input,
    labels: reviewLabels(input.index, config),
    pacer: new Pacer(),
    dominance: new DominanceCache(input.index.data),
    tables: [],
    provenance: new Set()
  };
  // Limits first: nothing is read of a job over them.
  const walked = walk(input.outputDir, config.maxFiles);
  if (
    walked.entries.length > config.maxFiles ||
    walked.folders > config.maxFiles
  ) {
    return rejectedUnread(
      `The job wrote more than ${config.maxFiles.toLocaleString('en-US')} output files or folders; none was read. Write fewer, aggregated files.`
    );
  }
  const entries = walked.entries.sort((a, b) => a.name.localeCompare(b.name));
  state.provenance = provenanceRecords(
    entries.filter(entry => entry.regular).map(entry => entry.name)
  );
  const logs = input.logs.flatMap(log => {
    try {
      const stats = lstatSync(log.path);
      return [
        {
          ...log,
          regular: stats.isFile(),
          bytes: stats.isFile() ? stats.size : 0
        }
      ];
    } catch {
      return [];
    }
  });
  const totalBytes = [...entries, ...logs].reduce(
    (sum, entry) => sum + entry.bytes,
    0
  );
  if (totalBytes > config.maxTotalBytes) {
    return rejectedUnread(
      `The outputs and logs make ${(totalBytes / 1024 / 1024).toFixed(1)} MiB together; at most ${(config.maxTotalBytes / 1024 / 1024).toFixed(0)} MiB are reviewed, so none was read. Aggregate further.`
    );
  }
  let rows = 0;
  let rowFiles = 0;
  // The whole review is bounded too (config.reviewBudgetMs): what is left when it is spent is not read.
  const outOfTime = reviewClock(config);
  const count = (reviewed: FileReview) => {
    rows += reviewed.rows;
    rowFiles += reviewed.rows > 0 ? 1 : 0;
  };
  for (const [position, entry] of entries.entries()) {
    if (outOfTime.spent(entries.length - position + logs.length)) {
      break;
    }
    const shown = fileLabel(entry.name, position + 1, state.labels);
    if (entry.name.startsWith(LOGS_FOLDER)) {
      findings.push({
        rule: 'file_type',
        severity: 'fail',
        file: shown,
        location: null,
        message: `${shown}: the folder "${LOGS_FOLDER}" of the results holds what the script printed; write your file under another name.`
      });
      continue;
    }
    if (entry.name.endsWith(PROVENANCE_SUFFIX)) {
      // A record is read with its file and withheld; one without its file is refused (its shares are disclosive).
      if (!state.provenance.has(entry.name)) {
        findings.push(strayRecord(shown));
      }
      continue;
    }
    const reviewed = await reviewGuarded(entry, shown, state, false);
    if (reviewed.file) {
      files.push(reviewed.file);
    }
    findings.push(...reviewed.findings);
    count(reviewed);
    await yieldToEventLoop();
  }
  for (const [position, log] of logs.entries()) {
    if (outOfTime.spent(logs.length - position)) {
      break;
    }
    const reviewed = await reviewGuarded(
      {
        name: log.name,
        path: log.path,
        regular: log.regular,
        bytes: log.bytes
      },
      log.name,
      state,
      true
    );
    findings.push(...reviewed.findings);
    count(reviewed);
    // What the script printed is an output too: released with the results once reviewed.
    if (reviewed.file && reviewed.file.bytes > 0) {
      files.push({ ...reviewed.file, name: `${LOGS_FOLDER}${log.name}` });
    }
    await yieldToEventLoop();
  }
  // Folders of same-shaped files (one small file per record) as one table each; the provenance lane's files and records are checked exactly instead.
  findings.push(
    ...(outOfTime.spent(0)
      ? []
      : await collectionFindings(
          entries.filter(
            entry =>
              !entry.name.startsWith(LOGS_FOLDER) &&
              !entry.name.endsWith(PROVENANCE_SUFFIX) &&
              !state.provenance.has(`${entry.name}${PROVENANCE_SUFFIX}`)
          ),
          {
            recordsRead: input.recordsRead,
            index: input.index,
            config,
            labels: state.labels,
            pacer: state.pacer
          }
        ))
  );
  if (outOfTime.over) {
    findings.push(outOfTime.finding());
  }
  // A dump split over several files is a dump: rows and lines of all outputs against the records read.
  // (Once one file is a dump on its own, the sum says nothing more.)
  if (
    rowFiles > 1 &&
    !findings.some(finding => finding.rule === 'row_level_data') &&
    input.recordsRead >= config.threshold &&
    rows >= config.rowDumpRatio * input.recordsRead
  ) {
    findings.push({
      rule: 'row_level_data',
      severity: 'fail',
      file: '(all outputs)',
      location: null,
      message: `The outputs and logs together have ${rows.toLocaleString('en-US')} rows and lines for ${input.recordsRead.toLocaleString('en-US')} records read: about one per record is individual data, even split over files. Group the records and output counts or statistics per group.`
    });
  }
  if (ruleEnabled(config, 'differencing')) {
    findings.push(
      ...(await guarded(
        'differencing',
        '(all outputs)',
        config,
        state.pacer,
        () => differencingFindings(state.tables, input.history ?? null, config)
      ))
    );
  }
  // A disabled rule (config.disabledRules, for measuring) decides nothing, hooked or not.
  const kept = mostTellingFirst(
    findings.filter(finding => ruleEnabled(config, finding.rule))
  );
  const decision = kept.some(finding => finding.severity === 'fail')
    ? 'rejected'
    : kept.length
      ? 'manual_review'
      : 'approved';
  return { decision, findings: kept, files, tables: state.tables };
}
