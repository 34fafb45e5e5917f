import {
  copyFileSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  rmSync
} from 'node:fs';
import { join } from 'node:path';

/**
 * After a job's processes are gone, its results are copied out of the folder
 * it controlled into one it never saw (`jobs/<id>/collected/`), and only
 * that copy is reviewed and released. Nothing is followed: the output folder
 * and everything in it must be real folders and regular files with one link;
 * links, devices, sockets, FIFOs, hard links and names that are not portable
 * are left behind and named as problems.
 */

export interface Collected {
  /** Relative names copied, POSIX separators. */
  files: string[];
  /** What was left behind and why (plain words; names only when they are portable). */
  problems: string[];
}

/** Portable file names: letters, digits, space, dot, dash, underscore, parentheses; no leading dot. */
const PORTABLE = /^[\p{L}\p{N} _.()-]{1,120}$/u;
export const MAX_COLLECTED_FILES = 1000;

export function portableName(name: string): boolean {
  return (
    PORTABLE.test(name) &&
    !name.startsWith('.') &&
    name !== '..' &&
    !name.endsWith(' ')
  );
}

export function collectOutputs(
  outputDir: string,
  collectedDir: string
): Collected {
  rmSync(collectedDir, { recursive: true, force: true });
  mkdirSync(collectedDir, { recursive: true, mode: 0o700 });
  const files: string[] = [];
  const problems: string[] = [];
  let top;
  try {
    top = lstatSync(outputDir);
  } catch {
    return { files, problems };
  }
  if (!top.isDirectory()) {
    problems.push(
      'output is not a folder (a link or a file was put in its place); nothing in it was collected.'
    );
    return { files, problems };
  }
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir)) {
      const relative = prefix ? `${prefix}/${name}` : name;
      const shown = portableName(name)
        ? `output/${relative}`
        : `an entry of output/${prefix}`;
      if (!portableName(name)) {
        problems.push(
          `${shown} has a name with characters that cannot be released (use letters, digits, space, . - _ ( )).`
        );
        continue;
      }
      const source = join(dir, name);
      const stat = lstatSync(source);
      if (stat.isDirectory()) {
        mkdirSync(join(collectedDir, relative), {
          recursive: true,
          mode: 0o700
        });
        walk(source, relative);
      } else if (!stat.isFile()) {
        problems.push(
          `${shown} is not a regular file (a link, socket or device); only files the script wrote can be released.`
        );
      } else if (stat.nlink !== 1) {
        problems.push(
          `${shown} is a hard link; only files the script wrote can be released.`
        );
      } else if (files.length >= MAX_COLLECTED_FILES) {
        problems.push(
          `output/ has more than ${MAX_COLLECTED_FILES} files; the rest were not collected.`
        );
        return;
      } else {
        copyFileSync(source, join(collectedDir, relative));
        files.push(relative);
      }
    }
  };
  walk(outputDir, '');
  return { files, problems };
}
