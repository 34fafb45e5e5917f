import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import { join } from 'node:path';
import {
  buildDisclosureIndex,
  reviewOutputs,
  type Finding,
  type ReviewConfig
} from '../review';
import type { PublicData } from '../data/schema';

import type { ErrorReport } from './model';

/*
 * A failed job's error report (./model.ts ErrorReport): the exception's
 * message and stderr's last lines are the script's own output, so both are
 * reviewed like every output (the review's rules, on a copy): a part the
 * review finds anything in is withheld, and the report says why.
 */

/** The last lines of stderr shown (a traceback's end: the failing call and the exception). */
export const STDERR_TAIL_LINES = 12;
/** At most this much of stderr's end is read, and a line is cut to LINE_CHARS. */
const STDERR_TAIL_BYTES = 8192;
const LINE_CHARS = 300;
/** The exception's message is cut to this length (the bootstrap cuts it too). */
export const MESSAGE_CHARS = 1000;

const MESSAGE_FILE = 'exception-message.txt';
const STDERR_FILE = 'stderr-tail.txt';

/** Control characters (but tab) become spaces; a line is cut to its length. */
function printable(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** The exception's message as reported, cleaned and cut; null when there is none. */
export function cleanMessage(
  message: string | null | undefined
): string | null {
  if (typeof message !== 'string') {
    return null;
  }
  const text = printable(message.replace(/\r\n?/g, '\n'), MESSAGE_CHARS)
    .replace(/\n+/g, '\n')
    .trim();
  return text === '' ? null : text;
}

/** The last non-empty lines of a text (its trailing blank lines dropped), each cut. */
export function tailLines(text: string, count = STDERR_TAIL_LINES): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length && lines[lines.length - 1].trim() === '') {
    lines.pop();
  }
  return lines
    .slice(-count)
    .map(line => printable(line.replace(/\s+$/, ''), LINE_CHARS));
}

/** The end of a file (at most STDERR_TAIL_BYTES), without a cut first line; '' when it cannot be read. */
export function readFileEnd(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, STDERR_TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString('utf8');
    // Reading from the middle of the file: its first line may be cut, drop it.
    return size > length ? text.slice(text.indexOf('\n') + 1) : text;
  } finally {
    closeSync(fd);
  }
}

const PLAIN_RULES: Record<string, string> = {
  identifier_value: 'identifiers of the data set',
  identifier_column: 'identifiers of the data set',
  encoded_identifier: 'identifiers hidden in an encoding',
  verbatim_text: 'text copied from the data set',
  shuffled_text: 'text of the data set',
  high_entropy: 'hashes or encoded data',
  linkage: 'values that link back to single records',
  key_lines: 'a value per record',
  key_column: 'a value per record',
  row_level_data: 'row-level records',
  extreme_values: 'values of single records',
  small_count: 'counts below the threshold'
};

/** Why a part is withheld, in plain words, from the review's findings about it. */
export function withheldReason(findings: Finding[]): string {
  const words = [
    ...new Set(
      findings.map(
        finding => PLAIN_RULES[finding.rule] ?? finding.rule.replace(/_/g, ' ')
      )
    )
  ];
  const list =
    words.length > 1
      ? `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`
      : words[0];
  return `withheld: the output review found ${list} in it`;
}

export interface ErrorReportInput {
  message: string | null;
  stderrPath: string;
  /** A folder of the job's own, made and removed here, for the review's copy. */
  scratchDir: string;
  publicData: PublicData;
  config: ReviewConfig;
  recordsRead: number;
}

/** The reviewed error report of a failed job, or null when it has neither a message nor stderr. */
export async function reviewedErrorReport(
  input: ErrorReportInput
): Promise<ErrorReport | null> {
  const message = cleanMessage(input.message);
  const tail = tailLines(readFileEnd(input.stderrPath));
  if (message === null && tail.length === 0) {
    return null;
  }
  const outputDir = join(input.scratchDir, 'output');
  rmSync(input.scratchDir, { recursive: true, force: true });
  mkdirSync(outputDir, { recursive: true });
  try {
    if (message !== null) {
      writeFileSync(join(outputDir, MESSAGE_FILE), `${message}\n`);
    }
    if (tail.length) {
      writeFileSync(join(outputDir, STDERR_FILE), `${tail.join('\n')}\n`);
    }
    const verdict = await reviewOutputs({
      outputDir,
      logs: [],
      recordsRead: input.recordsRead,
      index: await buildDisclosureIndex(input.publicData),
      config: input.config,
      history: null
    });
    // Fail closed: a finding a person would have to judge withholds the part too.
    const about = (file: string) =>
      verdict.findings.filter(finding => finding.file === file);
    const onMessage = about(MESSAGE_FILE);
    const onStderr = about(STDERR_FILE);
    const unplaced = verdict.findings.filter(
      finding => finding.file !== MESSAGE_FILE && finding.file !== STDERR_FILE
    );
    const messageFindings = [...onMessage, ...unplaced];
    const stderrFindings = [...onStderr, ...unplaced];
    return {
      message:
        message !== null && messageFindings.length === 0 ? message : null,
      message_withheld:
        message !== null && messageFindings.length
          ? withheldReason(messageFindings)
          : null,
      stderr_tail: stderrFindings.length ? [] : tail,
      stderr_withheld:
        tail.length && stderrFindings.length
          ? withheldReason(stderrFindings)
          : null
    };
  } finally {
    rmSync(input.scratchDir, { recursive: true, force: true });
  }
}
