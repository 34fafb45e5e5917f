/**
 * The READMEs and docs point inside the repository (issue 17: README named the
 * guide at a path outside it). Every relative markdown link, and every
 * backticked path that starts with one of the repository's folders, must
 * exist: from the file's folder, the repository's root, or server-mock/ (the
 * stand-in's docs name its files from there). docs/research/ is left out: it
 * quotes other projects' paths as its sources.
 */
declare const require: (id: string) => any;
declare const __dirname: string;
const fs = require('fs');
const path = require('path');
const ROOT = path.resolve(__dirname, '../../..');

/** The documents checked, from the repository's root. */
const DOCUMENTS = [
  'README.md',
  'server-mock/README.md',
  'server-mock/python/README.md',
  'server-mock/test-vectors/README.md',
  'server-mock/test/review/corpus/gaps/README.md',
  'docs/architecture.md',
  'docs/contracts.md',
  'docs/scaling.md',
  'docs/researcher-drive/README.md',
  'docs/research/README.md'
];

/** Where a relative path may be read from. */
const BASES = ['', 'server-mock'];

/** Folders a backticked path starts with when it names a file of this repository. */
const FOLDERS = new Set([
  'docs',
  'src',
  'server-mock',
  'scripts',
  'deploy',
  'ui-tests',
  'jupyterlab_vce',
  'schema',
  'style',
  'test',
  'python',
  'test-vectors',
  'bench'
]);

/** Build outputs the docs name, made by the build (not in the repository). */
const BUILT = /(^|\/)(dist|lib|node_modules|\.venv)\//;

function exists(from: string, target: string): boolean {
  const bases = [path.dirname(from), ...BASES];
  return bases.some(base => {
    const full = path.resolve(ROOT, base, target);
    return (
      (full === ROOT || full.startsWith(ROOT + path.sep)) && fs.existsSync(full)
    );
  });
}

/** The relative targets of markdown links ([text](target)). */
function markdownLinks(text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map(match => match[1].split('#')[0])
    .filter(target => target && !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** Backticked paths that start with a folder of the repository (no placeholders, globs or commands). */
function backtickedPaths(text: string): string[] {
  return [...text.matchAll(/`([^`\s]+)`/g)]
    .map(match => match[1].replace(/[:#].*$/, ''))
    .filter(
      target =>
        target.includes('/') &&
        FOLDERS.has(target.split('/')[0]) &&
        !/[<>*…{}$]/.test(target) &&
        !BUILT.test(target)
    );
}

/** Paths on a machine, never in a repository (what the guide's old path was). */
function machinePaths(text: string): string[] {
  return [
    ...text.matchAll(/(?:^|[\s`(])((?:\/work|\/home|\/root|~)\/[^\s`)]+)/g)
  ].map(match => match[1]);
}

describe('README and docs links', () => {
  it.each(DOCUMENTS)(
    '%s: every relative link and named path exists in the repository',
    document => {
      const text: string = fs.readFileSync(path.join(ROOT, document), 'utf8');
      const missing = [...markdownLinks(text), ...backtickedPaths(text)].filter(
        target => !exists(document, target)
      );
      expect(missing).toEqual([]);
      expect(machinePaths(text)).toEqual([]);
    }
  );

  it("README points to the platform's guide inside the repository", () => {
    const readme: string = fs.readFileSync(
      path.join(ROOT, 'README.md'),
      'utf8'
    );
    expect(readme).toContain('`docs/research/vce-getting-started.txt`');
    expect(
      fs.existsSync(path.join(ROOT, 'docs/research/vce-getting-started.txt'))
    ).toBe(true);
  });

  it('finds a missing path, a link outside the repository and a machine path (the check checks)', () => {
    const text =
      'See `docs/research/no-such-guide.txt`, [the guide](../../outside/guide.txt) and /work/research/vce-getting-started.txt.';
    const named = [...markdownLinks(text), ...backtickedPaths(text)];
    expect(named).toEqual([
      '../../outside/guide.txt',
      'docs/research/no-such-guide.txt'
    ]);
    expect(named.filter(target => !exists('README.md', target))).toEqual(named);
    expect(machinePaths(text)).toEqual([
      '/work/research/vce-getting-started.txt.'
    ]);
  });
});
