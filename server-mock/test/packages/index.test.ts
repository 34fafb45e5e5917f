import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultPackagesDir,
  escapeHtml,
  loadPackageIndex,
  normaliseName,
  parseDistributionName,
  renderProjectPage,
  renderRootPage
} from '../../src/packages/index';
import {
  makePackagesDir,
  SDIST,
  sha256,
  WHEEL
} from '../helpers/package-files';

describe('the package index (PEP 503)', () => {
  let dir: string;
  beforeAll(() => {
    dir = makePackagesDir();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('normalises names as PEP 503 does', () => {
    expect(normaliseName('PyRQS')).toBe('pyrqs');
    expect(normaliseName('Py.r__q-_-s')).toBe('py-r-q-s');
  });

  it('reads a project and its kind from wheel and sdist names only', () => {
    expect(parseDistributionName(WHEEL)).toEqual({
      project: 'pyrqs',
      kind: 'wheel'
    });
    expect(parseDistributionName('Py_RQS-0.1.0-1-py3-none-any.whl')).toEqual({
      project: 'py-rqs',
      kind: 'wheel'
    });
    expect(parseDistributionName(SDIST)).toEqual({
      project: 'pyrqs',
      kind: 'sdist'
    });
    expect(parseDistributionName('notes.txt')).toBeNull();
    expect(parseDistributionName('../pyrqs-1.0.tar.gz')).toBeNull();
  });

  it('lists each file with the SHA-256 of its content and Requires-Python of the sdist', () => {
    const index = loadPackageIndex(dir);
    expect(index.problem).toBeNull();
    expect([...index.files.keys()].sort()).toEqual([SDIST, WHEEL].sort());
    const project = index.projects.get('pyrqs')!;
    expect(project.requiresPython).toBe('>=3.10,<4');
    for (const file of project.files) {
      expect(file.path).toBe(join(dir, file.filename));
      expect(file.sha256).toBe(sha256(join(dir, file.filename)));
    }
  });

  it('renders the pages with hash fragments and HTML-escaped Requires-Python', () => {
    const index = loadPackageIndex(dir);
    const root = renderRootPage(index);
    expect(root).toMatch(/^<!DOCTYPE html>/);
    expect(root).toContain('<a href="pyrqs/">pyrqs</a>');
    const page = renderProjectPage(index.projects.get('pyrqs')!);
    expect(page).toContain(
      `<a href="${WHEEL}#sha256=${sha256(join(dir, WHEEL))}" data-requires-python="&gt;=3.10,&lt;4">${WHEEL}</a>`
    );
    expect(page).toContain(`${SDIST}#sha256=${sha256(join(dir, SDIST))}`);
    expect(page).not.toContain('notes.txt');
    expect(page).not.toContain('9.9.9');
  });

  it('escapes markup in the metadata it shows', () => {
    const hostile = makePackagesDir('>=3.10"><script>alert(1)</script>');
    try {
      const page = renderProjectPage(
        loadPackageIndex(hostile).projects.get('pyrqs')!
      );
      expect(page).not.toContain('<script>');
      expect(page).toContain(
        'data-requires-python="&gt;=3.10&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"'
      );
    } finally {
      rmSync(hostile, { recursive: true, force: true });
    }
    expect(escapeHtml(`<a href='x'>&"`)).toBe(
      '&lt;a href=&#39;x&#39;&gt;&amp;&quot;'
    );
  });

  it('is empty, and says why, without a folder or without files', () => {
    const missing = loadPackageIndex(join(dir, 'absent'));
    expect(missing.files.size).toBe(0);
    expect(missing.problem).toContain('no package folder');
    const emptyDir = mkdtempSync(join(tmpdir(), 'vce-mock-empty-'));
    try {
      const empty = loadPackageIndex(emptyDir);
      expect(empty.files.size).toBe(0);
      expect(empty.problem).toContain('no wheel or sdist');
      expect(renderRootPage(empty)).not.toContain('<a ');
    } finally {
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });

  it("defaults to the stand-in's own dist/python", () => {
    expect(defaultPackagesDir()).toBe(
      join(__dirname, '..', '..', 'dist', 'python')
    );
  });
});
