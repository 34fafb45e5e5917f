import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { nbformatProblem, shownValue } from './notebook-schema';

/**
 * What a job submission may hold, checked before anything is stored: an entry
 * script (`.py`, or `.ipynb` run top to bottom) and, optionally, the companion
 * files of its folder (local modules, small inputs), as the platform's
 * open-source base submits the working folder with hidden files left out.
 */

/** Largest entry script (bytes): a script, not a data set. */
export const MAX_ENTRY_BYTES = 2 * 1024 * 1024;
/** Largest submission, all files together (bytes, decoded). */
export const MAX_TOTAL_BYTES = 20 * 1024 * 1024;
/** Most files in one submission. */
export const MAX_FILES = 200;
/** Longest file path, and deepest folder nesting. */
export const MAX_NAME_LENGTH = 200;
export const MAX_DEPTH = 8;

export const ENTRY_EXTENSIONS = ['.py', '.ipynb'] as const;

export interface SubmissionProblem {
  field: string;
  value?: string;
  message: string;
}

export interface SubmittedContent {
  name: string;
  content: Buffer;
  sha256: string;
}

export type SubmissionCheck =
  | { ok: true; entry: string; files: SubmittedContent[] }
  | { ok: false; problems: SubmissionProblem[] };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
// A path segment: letters, digits and . _ - space + ( ) @ , only; the rest is a trick or a typo.
const SAFE_SEGMENT = /^[\p{L}\p{N}._\- +()@,]+$/u;

export function sha256Hex(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Why a file name cannot be stored as given, or null when it is a safe relative path. */
export function nameProblem(name: string): string | null {
  if (name.length === 0) {
    return 'is empty: give the file name relative to the script folder, e.g. "helpers.py".';
  }
  if (name.length > MAX_NAME_LENGTH) {
    return `is longer than ${MAX_NAME_LENGTH} characters.`;
  }
  if (name.includes('\\')) {
    return 'contains a backslash: separate folders with "/".';
  }
  if (name.startsWith('/')) {
    return 'is an absolute path: give it relative to the script folder.';
  }
  const segments = name.split('/');
  if (segments.length > MAX_DEPTH) {
    return `is nested deeper than ${MAX_DEPTH} folders.`;
  }
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') {
      return 'has an empty, "." or ".." part: give a plain relative path inside the script folder.';
    }
    if (segment.startsWith('.')) {
      return 'is a hidden file or folder: hidden files are left out of submissions.';
    }
    if (!SAFE_SEGMENT.test(segment)) {
      return 'has characters other than letters, digits, space and . _ - + ( ) @ , : rename it.';
    }
  }
  if (posix.normalize(name) !== name) {
    return 'is not a normalised path.';
  }
  return null;
}

/** True when the bytes are text a script can be (UTF-8, no NUL). */
export function looksLikeText(content: Buffer): boolean {
  if (content.includes(0)) {
    return false;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
    return true;
  } catch {
    return false;
  }
}

/** Why a notebook cannot run top to bottom, or null. */
export function notebookProblem(content: Buffer): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content.toString('utf8'));
  } catch {
    return 'is not valid JSON, so it is not a notebook: save it again from JupyterLab.';
  }
  const notebook = parsed as { nbformat?: unknown; cells?: unknown };
  if (
    typeof notebook !== 'object' ||
    notebook === null ||
    !Array.isArray(notebook.cells)
  ) {
    return 'has no "cells" list: it is not an nbformat 4 notebook.';
  }
  if (notebook.nbformat !== 4) {
    return `is nbformat ${shownValue(notebook.nbformat)}; only nbformat 4 notebooks run: save it again from JupyterLab.`;
  }
  const invalid = nbformatProblem(notebook);
  if (invalid) {
    return `is not a valid nbformat 4 notebook: ${invalid}. Save it again from JupyterLab, or find the fault with nbformat.validate.`;
  }
  const cells = notebook.cells as { cell_type?: unknown }[];
  if (!cells.some(cell => cell.cell_type === 'code')) {
    return 'has no code cells: there is nothing to run.';
  }
  return null;
}

/**
 * Check a submission body `{entry, files: [{name, content_base64}]}`:
 * every mistake is listed (field, value, what to do); nothing is partial.
 */
export function checkSubmission(body: unknown): SubmissionCheck {
  const problems: SubmissionProblem[] = [];
  const input = (typeof body === 'object' && body !== null ? body : {}) as {
    entry?: unknown;
    files?: unknown;
  };
  if (!Array.isArray(input.files) || input.files.length === 0) {
    return {
      ok: false,
      problems: [
        {
          field: 'files',
          message:
            'files must be a non-empty list of {"name", "content_base64"}: include at least the script.'
        }
      ]
    };
  }
  if (input.files.length > MAX_FILES) {
    return {
      ok: false,
      problems: [
        {
          field: 'files',
          message: `A submission holds at most ${MAX_FILES} files, not ${input.files.length}: leave out data sets and outputs.`
        }
      ]
    };
  }
  const files: SubmittedContent[] = [];
  const seen = new Set<string>();
  let total = 0;
  input.files.forEach((file: unknown, index: number) => {
    const at = `files[${index}]`;
    const { name, content_base64: encoded } = (
      typeof file === 'object' && file !== null ? file : {}
    ) as { name?: unknown; content_base64?: unknown };
    if (typeof name !== 'string') {
      problems.push({
        field: `${at}.name`,
        message:
          'name must be a string: the path relative to the script folder.'
      });
      return;
    }
    const problem = nameProblem(name);
    if (problem) {
      problems.push({
        field: `${at}.name`,
        value: name.slice(0, 200),
        message: `The file name ${problem}`
      });
      return;
    }
    if (seen.has(name.toLowerCase())) {
      problems.push({
        field: `${at}.name`,
        value: name,
        message:
          'The same file name appears twice (names are compared ignoring case).'
      });
      return;
    }
    seen.add(name.toLowerCase());
    if (
      typeof encoded !== 'string' ||
      encoded.length % 4 !== 0 ||
      !BASE64.test(encoded)
    ) {
      problems.push({
        field: `${at}.content_base64`,
        value: name,
        message: `The content of ${name} is not standard base64 (RFC 4648 with padding).`
      });
      return;
    }
    const content = Buffer.from(encoded, 'base64');
    total += content.length;
    files.push({ name, content, sha256: sha256Hex(content) });
  });
  // A file and a folder cannot share a name, and output/ is where the job's results go.
  const folders = new Set(
    files.flatMap(file =>
      file.name
        .split('/')
        .slice(0, -1)
        .map((_, depth, parts) =>
          parts
            .slice(0, depth + 1)
            .join('/')
            .toLowerCase()
        )
    )
  );
  for (const file of files) {
    if (folders.has(file.name.toLowerCase())) {
      problems.push({
        field: 'files',
        value: file.name,
        message: `"${file.name}" is both a file and a folder of the submission: rename one of them.`
      });
    }
    if (file.name.split('/')[0].toLowerCase() === 'output') {
      problems.push({
        field: 'files',
        value: file.name,
        message: `"${file.name}": the folder output/ is where the job writes its results; leave old results out of the submission.`
      });
    }
  }
  if (total > MAX_TOTAL_BYTES) {
    problems.push({
      field: 'files',
      message: `The files add up to ${total} bytes, more than the ${MAX_TOTAL_BYTES} bytes (20 MiB) a submission may hold: leave out data and outputs; the job reads the data through pyrqs.`
    });
  }
  const entry = input.entry;
  if (typeof entry !== 'string' || entry.length === 0) {
    problems.push({
      field: 'entry',
      message:
        'entry must name the script to run, e.g. "analysis.py" or "study.ipynb".'
    });
  } else if (
    !ENTRY_EXTENSIONS.some(extension => entry.toLowerCase().endsWith(extension))
  ) {
    problems.push({
      field: 'entry',
      value: entry,
      message: `The script must be a .py file or a .ipynb notebook, not "${entry}".`
    });
  } else if (problems.length === 0) {
    const script = files.find(file => file.name === entry);
    if (!script) {
      problems.push({
        field: 'entry',
        value: entry,
        message: `The entry "${entry}" is not among the files: include it.`
      });
    } else if (script.content.length === 0) {
      problems.push({
        field: 'entry',
        value: entry,
        message: `${entry} is empty: save the script before submitting it.`
      });
    } else if (script.content.length > MAX_ENTRY_BYTES) {
      problems.push({
        field: 'entry',
        value: entry,
        message: `${entry} is ${script.content.length} bytes, more than the ${MAX_ENTRY_BYTES} bytes (2 MiB) a script may be.`
      });
    } else if (!looksLikeText(script.content)) {
      problems.push({
        field: 'entry',
        value: entry,
        message: `${entry} is not UTF-8 text: it looks binary, so it cannot be a script.`
      });
    } else if (entry.toLowerCase().endsWith('.ipynb')) {
      const problem = notebookProblem(script.content);
      if (problem) {
        problems.push({
          field: 'entry',
          value: entry,
          message: `${entry} ${problem}`
        });
      }
    }
  }
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, entry: entry as string, files };
}
