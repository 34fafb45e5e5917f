/**
 * The platform's package index: a PEP 503 "simple" repository of the SDK
 * (pyrqs), so that the guide's `pip install -U --index-url …/simple/ pyrqs`
 * works against the stand-in (docs/research/vce-getting-started.txt).
 *
 * The files are read once, at start, from one folder (the stand-in's own
 * dist/python/, built by scripts/build-pyrqs.mjs): each wheel or sdist is
 * hashed and kept in a fixed map from file name to path. Requests only look
 * names up in that map; request text never becomes part of a path.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, lstatSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** One distribution file the index serves. */
export interface PackageFile {
  filename: string;
  /** Absolute path, fixed at start. */
  path: string;
  /** SHA-256 of the file at start, hex: the `#sha256=` fragment pip checks. */
  sha256: string;
  kind: 'wheel' | 'sdist';
}

/** One project of the index (PEP 503 normalised name). */
export interface PackageProject {
  name: string;
  /** `Requires-Python` of the project's metadata, or null when unknown. */
  requiresPython: string | null;
  files: PackageFile[];
}

export interface PackageIndex {
  /** Normalised project name → project. */
  projects: Map<string, PackageProject>;
  /** File name → file: the only files served. */
  files: Map<string, PackageFile>;
  /** Why the index is empty (no folder, no files), or null. */
  problem: string | null;
}

/** PEP 503: runs of "-", "_" and "." become one "-", lower case. */
export function normaliseName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** The stand-in's own dist/python/ (from src/ or dist/, source tree or npm package). */
export function defaultPackagesDir(): string {
  return resolve(__dirname, '..', '..', 'dist', 'python');
}

export function emptyPackageIndex(problem: string | null = null): PackageIndex {
  return { projects: new Map(), files: new Map(), problem };
}

/** Project name and kind of a distribution file name, or null for anything else. */
export function parseDistributionName(
  filename: string
): { project: string; kind: 'wheel' | 'sdist' } | null {
  // Wheel: {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl; names use "_" for "-".
  const wheel = /^([A-Za-z0-9_.]+)-[^-]+(-[^-]+)?-[^-]+-[^-]+-[^-]+\.whl$/.exec(
    filename
  );
  if (wheel) {
    return { project: normaliseName(wheel[1]), kind: 'wheel' };
  }
  const sdist = /^([A-Za-z0-9_.-]+)-[^-]+\.tar\.gz$/.exec(filename);
  if (sdist) {
    return { project: normaliseName(sdist[1]), kind: 'sdist' };
  }
  return null;
}

/** `Requires-Python` of an sdist's top-level PKG-INFO (a ustar archive, gzipped), or null. */
export function sdistRequiresPython(archive: Buffer): string | null {
  let tar: Buffer;
  try {
    tar = gunzipSync(archive);
  } catch {
    return null;
  }
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512);
    const name = header.toString('utf8', 0, 100).replace(/\0.*$/s, '');
    if (!name) {
      return null;
    }
    const prefix = header.toString('utf8', 345, 500).replace(/\0.*$/s, '');
    const size = parseInt(
      header.toString('ascii', 124, 136).replace(/\0.*$/s, '').trim() || '0',
      8
    );
    const path = prefix ? `${prefix}/${name}` : name;
    const body = offset + 512;
    if (/^[^/]+\/PKG-INFO$/.test(path)) {
      const text = tar.toString('utf8', body, body + size);
      // Headers end at the first empty line (the description follows).
      const headers = text.split(/\r?\n\r?\n/)[0];
      const match = /^Requires-Python:[ \t]*(.*?)[ \t]*$/im.exec(headers);
      return match ? match[1] : null;
    }
    offset = body + Math.ceil(size / 512) * 512;
  }
  return null;
}

/** Read a folder of wheels and sdists into an index; an absent or empty folder gives an empty one. */
export function loadPackageIndex(dir: string): PackageIndex {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return emptyPackageIndex(
      `no package folder ${dir} (build it with \`npm run build\` in server-mock/, with Python and hatchling on PATH)`
    );
  }
  const index = emptyPackageIndex();
  for (const filename of names) {
    const parsed = parseDistributionName(filename);
    const path = join(dir, filename);
    // Regular files only: a link could point anywhere on the machine.
    if (!parsed || !lstatSync(path).isFile()) {
      continue;
    }
    const content = readFileSync(path);
    const file: PackageFile = {
      filename,
      path,
      sha256: createHash('sha256').update(content).digest('hex'),
      kind: parsed.kind
    };
    let project = index.projects.get(parsed.project);
    if (!project) {
      project = { name: parsed.project, requiresPython: null, files: [] };
      index.projects.set(parsed.project, project);
    }
    project.files.push(file);
    if (parsed.kind === 'sdist' && project.requiresPython === null) {
      project.requiresPython = sdistRequiresPython(content);
    }
    index.files.set(filename, file);
  }
  if (index.files.size === 0) {
    index.problem = `no wheel or sdist in ${dir} (build them with \`npm run build\` in server-mock/, with Python and hatchling on PATH)`;
  }
  return index;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;'
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, char => HTML_ESCAPES[char]);
}

function page(title: string, body: string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html>',
    '  <head>',
    '    <meta name="pypi:repository-version" content="1.0">',
    `    <title>${escapeHtml(title)}</title>`,
    '  </head>',
    '  <body>',
    ...body.map(line => `    ${line}<br>`),
    '  </body>',
    '</html>',
    ''
  ].join('\n');
}

/** `/simple/`: one anchor per project. */
export function renderRootPage(index: PackageIndex): string {
  return page(
    'Simple index',
    [...index.projects.keys()]
      .sort()
      .map(
        name =>
          `<a href="${escapeHtml(encodeURIComponent(name))}/">${escapeHtml(name)}</a>`
      )
  );
}

/** `/simple/<project>/`: one anchor per file, with its hash and Requires-Python. */
export function renderProjectPage(project: PackageProject): string {
  const requires =
    project.requiresPython !== null
      ? ` data-requires-python="${escapeHtml(project.requiresPython)}"`
      : '';
  return page(
    `Links for ${project.name}`,
    project.files.map(
      file =>
        `<a href="${escapeHtml(encodeURIComponent(file.filename))}#sha256=${file.sha256}"${requires}>${escapeHtml(file.filename)}</a>`
    )
  );
}
