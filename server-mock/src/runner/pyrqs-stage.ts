import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * What a job sees of the SDK: a folder holding the `pyrqs` package and
 * nothing else (issue 16 item 9). The repository's `python/` folder also
 * holds the stand-in's tests, caches, README and pyproject; a job has no
 * business reading them, and `__pycache__` files written by a developer's
 * Python would be code the job runs without anyone reviewing it. So the
 * package's sources (`*.py`, `py.typed`) are copied once per platform process
 * into a fresh folder, and that folder is what the sandbox binds (read-only)
 * as the parent of `pyrqs` (sandbox/launch.sh, `VCE_PYRQS`).
 *
 * Cluster jobs get the same view from their image: `pyrqsParent`
 * (./cluster-job.ts) holds only the package (docs/scaling.md).
 */

/** The SDK package in this checkout (or npm package): python/pyrqs. */
export const PYRQS_PACKAGE = resolve(__dirname, '..', '..', 'python', 'pyrqs');

/** The files of the package a job may see: its sources and the typing marker. */
export function isPackageFile(name: string): boolean {
  return /^[A-Za-z_][\w]*\.py$/.test(name) || name === 'py.typed';
}

/**
 * Copy the package's files from `source` into `parent`/pyrqs (made here):
 * nothing but `isPackageFile` names, no folders (so no `__pycache__`).
 * Readable by every uid (jobs run as their own), writable by none.
 */
export function stagePyrqs(source: string, parent: string): void {
  const target = join(parent, 'pyrqs');
  mkdirSync(target);
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    if (entry.isFile() && isPackageFile(entry.name)) {
      copyFileSync(join(source, entry.name), join(target, entry.name));
      chmodSync(join(target, entry.name), 0o444);
    }
  }
  chmodSync(target, 0o555);
  chmodSync(parent, 0o555);
}

let staged: string | null = null;

/**
 * The folder whose only entry is `pyrqs/`, staged on first use and removed
 * when the process exits; staged again if it went away (a long-running
 * platform's temporary folder may be cleaned under it).
 */
export function stagedPyrqsParent(): string {
  if (staged && existsSync(join(staged, 'pyrqs', '__init__.py'))) {
    return staged;
  }
  const parent = mkdtempSync(join(tmpdir(), 'vce-pyrqs-'));
  stagePyrqs(PYRQS_PACKAGE, parent);
  process.once('exit', () => {
    try {
      chmodSync(parent, 0o755);
      chmodSync(join(parent, 'pyrqs'), 0o755);
      rmSync(parent, { recursive: true, force: true });
    } catch {
      // a leftover folder in the temporary dir is harmless
    }
  });
  staged = parent;
  return parent;
}
