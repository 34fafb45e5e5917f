import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  isPackageFile,
  PYRQS_PACKAGE,
  stagedPyrqsParent,
  stagePyrqs
} from '../../src/runner/pyrqs-stage';

/** What a job gets of the SDK: the package's sources, nothing else (issue 16 item 9). */
describe('the staged pyrqs package', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'vce-pyrqs-stage-'));
  });
  afterEach(() => {
    for (const dir of [join(root, 'parent', 'pyrqs'), join(root, 'parent')]) {
      try {
        chmodSync(dir, 0o755);
      } catch {
        // not made
      }
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('copies the sources and py.typed, never caches, tests or other files', () => {
    const source = join(root, 'pyrqs');
    mkdirSync(join(source, '__pycache__'), { recursive: true });
    mkdirSync(join(source, 'tests'));
    for (const name of [
      '__init__.py',
      'rqs.py',
      'py.typed',
      'notes.md',
      'rqs.py~',
      '__pycache__/rqs.cpython-311.pyc',
      'tests/test_rqs.py'
    ]) {
      writeFileSync(join(source, name), name);
    }
    const parent = join(root, 'parent');
    mkdirSync(parent);
    stagePyrqs(source, parent);
    expect(readdirSync(parent)).toEqual(['pyrqs']);
    expect(readdirSync(join(parent, 'pyrqs')).sort()).toEqual([
      '__init__.py',
      'py.typed',
      'rqs.py'
    ]);
  });

  it("stages this checkout's package once per process", () => {
    const parent = stagedPyrqsParent();
    expect(stagedPyrqsParent()).toBe(parent);
    expect(readdirSync(parent)).toEqual(['pyrqs']);
    expect(readdirSync(join(parent, 'pyrqs')).sort()).toEqual(
      readdirSync(PYRQS_PACKAGE).filter(isPackageFile).sort()
    );
    expect(readdirSync(join(parent, 'pyrqs'))).toContain('rqs.py');
  });
});
