import { PathExt } from '@jupyterlab/coreutils';
import type { Contents } from '@jupyterlab/services';
import { base64ToBytes, bytesToBase64, sha256Hex } from './digest';
import type { JobSubmission, SubmissionLimits } from '../api/types';
import { isScriptPath, SCRIPT_EXTENSIONS } from './script-path';

export { isScriptPath, SCRIPT_EXTENSIONS };

/** The platform's limits: typed by the contract's constants (server-mock/openapi.yaml, SubmissionLimits). */
export const MAX_ENTRY_BYTES: SubmissionLimits['max_entry_bytes'] = 2_097_152; // 2 MiB
export const MAX_TOTAL_BYTES: SubmissionLimits['max_total_bytes'] = 20_971_520; // 20 MiB
export const MAX_FILES: SubmissionLimits['max_files'] = 200;
export const MAX_DEPTH = 8;

/** Folders never sent with a script: caches, checkpoints, downloaded results. */
const SKIPPED_FOLDERS = new Set([
  '__pycache__',
  'node_modules',
  '.ipynb_checkpoints',
  '.git'
]);

/** The part of Jupyter's contents manager a submission reads with. */
export interface IContentsReader {
  get(path: string, options?: Contents.IFetchOptions): Promise<Contents.IModel>;
}

/** Why a file cannot be submitted, said so the researcher knows what to change. */
export class SubmissionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubmissionError';
  }
}

export interface IPreparedFile {
  /** Relative to the script's folder, "/" between folders. */
  name: string;
  bytes: number;
  sha256: string;
  contentBase64: string;
}

/** A submission ready to confirm and send. */
export interface IPreparedSubmission {
  /** The script's path in the workspace. */
  path: string;
  /** The script's name, relative to its folder. */
  entry: string;
  /** The script first, then its companions. */
  files: IPreparedFile[];
  totalBytes: number;
  /** Companion files left out (hidden, caches, the results folder). */
  skipped: string[];
}

function mib(count: number): string {
  return `${(count / 1048576).toFixed(1)} MiB`;
}

/** Check the script's own bytes: kind, emptiness, size, a notebook's JSON. */
export function checkScript(path: string, bytes: Uint8Array): void {
  const name = PathExt.basename(path);
  if (!isScriptPath(path)) {
    throw new SubmissionError(
      `"${name}" is not a script: the Data Clean Room runs Python scripts (.py) and notebooks (.ipynb).`
    );
  }
  if (bytes.length === 0) {
    throw new SubmissionError(
      `"${name}" is empty: write the analysis first, save it, then submit it.`
    );
  }
  if (bytes.length > MAX_ENTRY_BYTES) {
    throw new SubmissionError(
      `"${name}" is ${mib(bytes.length)}: a script may be at most ${mib(MAX_ENTRY_BYTES)}. Keep data out of the script; read it with the SDK.`
    );
  }
  if (path.toLowerCase().endsWith('.ipynb')) {
    let notebook: unknown;
    const text = new TextDecoder().decode(bytes);
    try {
      notebook = JSON.parse(text);
    } catch (error) {
      throw new SubmissionError(
        `"${name}" is not a valid notebook: it is not JSON${jsonErrorPlace(text, error)}. ` +
          'Fix it in a text editor (right-click it, Open With > Editor), or go back to a saved copy (File > Revert Notebook to Checkpoint).'
      );
    }
    const cells = (notebook as { cells?: unknown }).cells;
    if (
      typeof notebook !== 'object' ||
      notebook === null ||
      !Array.isArray(cells)
    ) {
      throw new SubmissionError(
        `"${name}" is not a valid notebook: it has no list of cells.`
      );
    }
    const code = cells.filter(
      cell => (cell as { cell_type?: string })?.cell_type === 'code'
    );
    if (code.length === 0) {
      throw new SubmissionError(
        `"${name}" has no code cell: there is nothing to run.`
      );
    }
  }
}

/** " (the first problem is at line L, column C)" from a JSON.parse error, or "" when it does not say where. */
export function jsonErrorPlace(text: string, error: unknown): string {
  // Not `instanceof Error`: a SyntaxError may come from another realm (a test's, a worker's).
  const message = String(
    (error as { message?: unknown } | null)?.message ?? ''
  );
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) {
    return ` (the first problem is at line ${lineColumn[1]}, column ${lineColumn[2]})`;
  }
  const position = /position (\d+)/.exec(message);
  if (!position) {
    return '';
  }
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return ` (the first problem is at line ${line}, column ${column})`;
}

async function readFile(
  contents: IContentsReader,
  path: string
): Promise<Uint8Array> {
  const model = await contents.get(path, {
    type: 'file',
    format: 'base64',
    content: true
  });
  const content = model.content as string | null;
  if (typeof content !== 'string') {
    return new Uint8Array();
  }
  return model.format === 'base64'
    ? base64ToBytes(content)
    : new TextEncoder().encode(content);
}

async function prepared(
  name: string,
  bytes: Uint8Array
): Promise<IPreparedFile> {
  return {
    name,
    bytes: bytes.length,
    sha256: await sha256Hex(bytes),
    contentBase64: bytesToBase64(bytes)
  };
}

/** The companion files of a folder, recursively, with the ones left out. */
async function companions(
  contents: IContentsReader,
  folder: string,
  entryPath: string,
  skipFolders: Set<string>
): Promise<{
  paths: { path: string; name: string; size: number | null }[];
  skipped: string[];
}> {
  const paths: { path: string; name: string; size: number | null }[] = [];
  const skipped: string[] = [];
  const walk = async (dir: string, prefix: string, depth: number) => {
    const listing = await contents.get(dir, {
      type: 'directory',
      content: true
    });
    for (const item of (listing.content as Contents.IModel[]) ?? []) {
      const name = prefix ? `${prefix}/${item.name}` : item.name;
      if (item.name.startsWith('.')) {
        skipped.push(name);
        continue;
      }
      if (item.type === 'directory') {
        if (
          SKIPPED_FOLDERS.has(item.name) ||
          skipFolders.has(item.path) ||
          depth >= MAX_DEPTH
        ) {
          skipped.push(`${name}/`);
        } else {
          await walk(item.path, name, depth + 1);
        }
      } else if (item.path !== entryPath) {
        paths.push({
          path: item.path,
          name,
          size: typeof item.size === 'number' ? item.size : null
        });
      }
    }
  };
  await walk(folder, '', 1);
  return { paths, skipped };
}

/**
 * Read a script (and, on request, its folder's companion files) from the
 * workspace, check it as the platform will, and hash every file.
 */
export async function prepareSubmission(
  contents: IContentsReader,
  path: string,
  options: { withCompanions: boolean; skipFolders?: string[] }
): Promise<IPreparedSubmission> {
  const name = PathExt.basename(path);
  if (!isScriptPath(path)) {
    checkScript(path, new Uint8Array(1));
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(contents, path);
  } catch (error) {
    throw new SubmissionError(
      `"${name}" could not be read from the workspace: ${(error as Error).message}`
    );
  }
  checkScript(path, bytes);
  const files = [await prepared(name, bytes)];
  let skipped: string[] = [];
  if (options.withCompanions) {
    const folder = PathExt.dirname(path);
    const found = await companions(
      contents,
      folder,
      path,
      new Set(options.skipFolders ?? [])
    );
    skipped = found.skipped;
    if (found.paths.length + 1 > MAX_FILES) {
      throw new SubmissionError(
        `The folder holds ${found.paths.length + 1} files: at most ${MAX_FILES} can be submitted. Move the script to a folder with only what it needs, or submit it alone.`
      );
    }
    const known = found.paths.reduce(
      (sum, item) => sum + (item.size ?? 0),
      bytes.length
    );
    if (known > MAX_TOTAL_BYTES) {
      const largest = [...found.paths]
        .sort((a, b) => (b.size ?? 0) - (a.size ?? 0))
        .slice(0, 3);
      throw new SubmissionError(
        `The script and its folder add up to ${mib(known)}: at most ${mib(MAX_TOTAL_BYTES)} can be submitted. The largest files: ${largest.map(item => `${item.name} (${mib(item.size ?? 0)})`).join(', ')}. Move them out, or submit the script alone.`
      );
    }
    for (const item of found.paths) {
      files.push(
        await prepared(item.name, await readFile(contents, item.path))
      );
    }
  }
  const totalBytes = files.reduce((sum, file) => sum + file.bytes, 0);
  if (totalBytes > MAX_TOTAL_BYTES) {
    throw new SubmissionError(
      `The files add up to ${mib(totalBytes)}: at most ${mib(MAX_TOTAL_BYTES)} can be submitted.`
    );
  }
  return { path, entry: name, files, totalBytes, skipped };
}

/** The body of `POST /vce/api/jobs`. */
export function submissionBody(prepared: IPreparedSubmission): JobSubmission {
  return {
    entry: prepared.entry,
    files: prepared.files.map(file => ({
      name: file.name,
      content_base64: file.contentBase64
    }))
  };
}
