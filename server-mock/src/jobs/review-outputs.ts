import { lstatSync } from 'node:fs';
import { extname, isAbsolute, relative } from 'node:path';
import { LOGS_FOLDER } from '../review';
import type { OutputFile, VerdictFinding } from './model';

/** What the review read of a job, as a reviewer sees it (`ReviewOutput` in openapi.yaml). */
export interface ReviewOutput {
  name: string;
  bytes: number;
  sha256: string;
  kind: string;
  media_type: string;
  findings: VerdictFinding[];
}

/**
 * Media types of the file kinds the review reads or sends to a person
 * (review/config.ts `checkedTypes`, `manualTypes`); anything else is bytes.
 */
const MEDIA_TYPES: Record<string, string> = {
  csv: 'text/csv',
  txt: 'text/plain',
  log: 'text/plain',
  md: 'text/markdown',
  json: 'application/json',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  svg: 'image/svg+xml',
  html: 'text/html'
};

/** The media type of an output by its kind (`log`) or name's extension; octet-stream when unknown. */
export function mediaTypeOf(output: Pick<OutputFile, 'name' | 'kind'>): string {
  const kind =
    output.kind === 'log' ? 'log' : extname(output.name).slice(1).toLowerCase();
  return MEDIA_TYPES[kind] ?? 'application/octet-stream';
}

/**
 * The findings about one output. Findings name a file as the review showed it:
 * its name for outputs, the bare log name (`stdout.txt`) for the logs; a finding
 * about a file whose name was not safe to show, or about several files, stays
 * with the job's verdict only.
 */
export function findingsOf(
  output: Pick<OutputFile, 'name' | 'kind'>,
  findings: readonly VerdictFinding[]
): VerdictFinding[] {
  const shown =
    output.kind === 'log' && output.name.startsWith(LOGS_FOLDER)
      ? output.name.slice(LOGS_FOLDER.length)
      : output.name;
  return findings.filter(finding => finding.file === shown);
}

/** The job's outputs and logs the review read, each with its media type and findings. */
export function reviewerOutputList(
  outputs: readonly OutputFile[],
  findings: readonly VerdictFinding[]
): ReviewOutput[] {
  return outputs.map(output => ({
    name: output.name,
    bytes: output.bytes,
    sha256: output.sha256,
    kind: output.kind,
    media_type: mediaTypeOf(output),
    findings: findingsOf(output, findings)
  }));
}

/**
 * Whether `path` is a regular file inside `root` (no `..` step, no link): the
 * last check before an output's bytes leave, although its name already came
 * from the job's own output list.
 */
export function isRegularFileUnder(root: string, path: string): boolean {
  const rest = relative(root, path);
  if (!rest || rest.startsWith('..') || isAbsolute(rest)) {
    return false;
  }
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}
