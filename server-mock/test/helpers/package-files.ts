import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const WHEEL = 'pyrqs-1.2.0-py3-none-any.whl';
export const SDIST = 'pyrqs-1.2.0.tar.gz';

export const sha256 = (path: string) =>
  createHash('sha256').update(readFileSync(path)).digest('hex');

/**
 * A packages folder as scripts/build-pyrqs.mjs leaves it: a wheel (any bytes)
 * and an sdist whose PKG-INFO says `Requires-Python: <requiresPython>`; plus
 * a file and a folder the index must not serve.
 */
export function makePackagesDir(requiresPython = '>=3.10,<4'): string {
  const dir = mkdtempSync(join(tmpdir(), 'vce-mock-packages-'));
  writeFileSync(join(dir, WHEEL), Buffer.from('PK\u0003\u0004 a wheel'));
  const source = mkdtempSync(join(tmpdir(), 'vce-mock-sdist-'));
  mkdirSync(join(source, 'pyrqs-1.2.0'));
  writeFileSync(
    join(source, 'pyrqs-1.2.0', 'PKG-INFO'),
    [
      'Metadata-Version: 2.4',
      'Name: pyrqs',
      'Version: 1.2.0',
      `Requires-Python: ${requiresPython}`,
      '',
      'Requires-Python: not-a-header (the description)',
      ''
    ].join('\n')
  );
  execFileSync('tar', ['-czf', join(dir, SDIST), '-C', source, 'pyrqs-1.2.0']);
  writeFileSync(join(dir, 'notes.txt'), 'not a distribution');
  mkdirSync(join(dir, 'pyrqs-9.9.9.tar.gz'));
  return dir;
}
