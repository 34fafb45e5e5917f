import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { ReviewConfig } from './config';
import type { DisclosureIndex } from './disclosure-index';
import { readCsv, readJson, readText, type Document } from './documents';
import { magnitudeFindings } from './magnitude';
import { contentFindings, type Finding } from './rules';

export { DEFAULT_REVIEW_CONFIG, reviewThresholdConfig, type ReviewConfig } from './config';
export { buildDisclosureIndex, type DisclosureIndex } from './disclosure-index';
export type { Finding } from './rules';

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
}

interface Entry {
  name: string;
  path: string;
  regular: boolean;
}

/** Everything under the output folder, without following links. */
function walk(dir: string, prefix = ''): Entry[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap(entry => {
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return walk(path, name);
    }
    return [{ name, path, regular: entry.isFile() && lstatSync(path).isFile() }];
  });
}

function kindOf(name: string): string {
  const extension = extname(name).toLowerCase();
  return extension ? extension.slice(1) : 'none';
}

function readDocument(extension: string, content: string): Document {
  if (extension === '.csv') {
    return readCsv(content);
  }
  if (extension === '.json') {
    return readJson(content);
  }
  return readText(content);
}

function asText(bytes: Buffer): string | null {
  if (bytes.includes(0)) {
    return null;
  }
  const text = bytes.toString('utf8');
  return text.includes('\ufffd') && !bytes.toString('latin1').includes('\ufffd') ? null : text;
}

function reviewFile(entry: Entry, input: ReviewInput, isLog: boolean): { file: ReviewedFile | null; findings: Finding[] } {
  const { config } = input;
  const name = entry.name;
  if (!entry.regular) {
    return {
      file: null,
      findings: [{ rule: 'file_type', severity: 'fail', file: name, location: null, message: `${name} is not a regular file (a link, socket or device). Only files the script wrote can be released.` }]
    };
  }
  const bytes = readFileSync(entry.path);
  const file: ReviewedFile = { name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), kind: isLog ? 'log' : kindOf(name) };
  const findings: Finding[] = [];
  const extension = extname(name).toLowerCase();
  const base = name.split('/').pop() ?? name;
  if (!isLog && base.startsWith('.')) {
    findings.push({ rule: 'file_type', severity: 'fail', file: name, location: null, message: `${name} is a hidden file; hidden files are not released. Give it a visible name or leave it out.` });
    return { file, findings };
  }
  if (!isLog && !config.checkedTypes.includes(extension) && !config.manualTypes.includes(extension)) {
    findings.push({
      rule: 'file_type',
      severity: 'fail',
      file: name,
      location: null,
      message: `${name}: ${extension ? `"${extension}" files` : 'files without an extension'} cannot be released. Allowed: ${[...config.checkedTypes, ...config.manualTypes].join(' ')}.`
    });
    return { file, findings };
  }
  if (bytes.length > config.maxFileBytes) {
    findings.push({
      rule: 'file_size',
      severity: 'fail',
      file: name,
      location: null,
      message: `${name} is ${(bytes.length / 1024 / 1024).toFixed(1)} MiB; outputs may be at most ${(config.maxFileBytes / 1024 / 1024).toFixed(0)} MiB. Aggregate further.`
    });
    return { file, findings };
  }
  if (!isLog && config.manualTypes.includes(extension)) {
    findings.push({ rule: 'figure', severity: 'manual', file: name, location: null, message: `${name}: figures and HTML cannot be checked automatically; a reviewer looks at it before release.` });
    return { file, findings };
  }
  const text = asText(bytes);
  if (text === null) {
    findings.push({ rule: 'file_type', severity: 'fail', file: name, location: null, message: `${name} is not text (binary content in a ${extension || 'log'} file). Write results as CSV, JSON or text.` });
    return { file, findings };
  }
  const document = readDocument(isLog ? '.txt' : extension, text);
  if (document.unreadable) {
    findings.push({ rule: 'file_type', severity: 'fail', file: name, location: null, message: `${name} cannot be checked: ${document.unreadable}. Fix the file's format.` });
    return { file, findings };
  }
  findings.push(...contentFindings(name, document, input.recordsRead, input.index, config, isLog));
  // Dominance looks each cell's contributions up in the data; a table already refused for its size is not worth it.
  for (const table of document.tables.filter(table => table.rows.length <= config.maxTableRows)) {
    findings.push(...magnitudeFindings(name, table, input.index.data, config));
  }
  return { file, findings };
}

export async function reviewOutputs(input: ReviewInput): Promise<Verdict> {
  const files: ReviewedFile[] = [];
  const findings: Finding[] = [];
  for (const entry of walk(input.outputDir).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(LOGS_FOLDER)) {
      findings.push({
        rule: 'file_type',
        severity: 'fail',
        file: entry.name,
        location: null,
        message: `output/${entry.name}: the folder "${LOGS_FOLDER}" of the results holds what the script printed; write your file under another name.`
      });
      continue;
    }
    const reviewed = reviewFile(entry, input, false);
    if (reviewed.file) {
      files.push(reviewed.file);
    }
    findings.push(...reviewed.findings);
  }
  for (const log of input.logs) {
    let regular = false;
    try {
      regular = lstatSync(log.path).isFile();
    } catch {
      continue;
    }
    const reviewed = reviewFile({ name: log.name, path: log.path, regular }, input, true);
    findings.push(...reviewed.findings);
    // What the script printed is an output too: released with the results once reviewed.
    if (reviewed.file && reviewed.file.bytes > 0) {
      files.push({ ...reviewed.file, name: `${LOGS_FOLDER}${log.name}` });
    }
  }
  const decision = findings.some(finding => finding.severity === 'fail') ? 'rejected' : findings.length ? 'manual_review' : 'approved';
  return { decision, findings, files };
}
