#!/usr/bin/env node
/**
 * Build the SDK stand-in (python/, pyrqs) into a wheel and an sdist in
 * dist/python/ (or the folder given as the first argument): the files the
 * platform's package index (/simple/) serves. Uses hatchling, pyrqs' build
 * backend, from the Python on PATH ($PYTHON, else python3); without it the
 * stand-in still builds and runs, with an empty index, and this says why.
 * With VCE_REQUIRE_PYRQS=1 (npm pack, scripts/setup.sh) a missing wheel is an
 * error instead: a package or a setup never ships an empty index unnoticed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(process.argv[2] ?? join(root, 'dist', 'python'));
const python = process.env.PYTHON || 'python3';
const required = process.env.VCE_REQUIRE_PYRQS === '1';

// PEP 517 hooks of the backend itself: no isolated build environment, no download.
const BUILD = `
import sys
import hatchling.build as backend
out = sys.argv[1]
print(backend.build_wheel(out))
print(backend.build_sdist(out))
`;

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const result = spawnSync(python, ['-c', BUILD, outDir], {
  cwd: join(root, 'python'),
  encoding: 'utf8',
  env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }
});
if (result.error || result.status !== 0) {
  const why = result.error
    ? `${python} not found (${result.error.code ?? result.error.message})`
    : (result.stderr.trim().split('\n').pop() ??
      `${python} exited with ${result.status}`);
  const message = `the package index will be empty: ${why}; install Python with hatchling (requirements-dev.txt) and run npm run build again.`;
  if (required) {
    process.stderr.write(`build-pyrqs: ${message}\n`);
    process.exit(1);
  }
  process.stdout.write(`build-pyrqs: ${message}\n`);
  process.exit(0);
}
process.stdout.write(
  `build-pyrqs: ${readdirSync(outDir).sort().join(', ')} in ${outDir}\n`
);
