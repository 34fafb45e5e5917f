/**
 * The labextension the bench measures must be a production build (minified,
 * as `pip install` ships it): the bench checks the built folder and runs
 * `npm run build:prod` when it is a development build or missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const LABEXTENSION = 'jupyterlab_vce/labextension';

/**
 * 'production', 'development' (rspack's development output keeps module paths
 * and `__webpack_exports__`, which minification renames) or 'missing'.
 */
export function buildKind(
  root: string
): 'production' | 'development' | 'missing' {
  const staticDir = join(root, LABEXTENSION, 'static');
  if (
    !existsSync(join(root, LABEXTENSION, 'package.json')) ||
    !existsSync(staticDir)
  ) {
    return 'missing';
  }
  const scripts = readdirSync(staticDir).filter(name => name.endsWith('.js'));
  if (scripts.length === 0) {
    return 'missing';
  }
  const development = scripts.some(name =>
    readFileSync(join(staticDir, name), 'utf8').includes('__webpack_exports__')
  );
  return development ? 'development' : 'production';
}

/** Make sure a production build is in place; says what it did. */
export function ensureProductionBuild(root: string, noBuild: boolean): string {
  const kind = buildKind(root);
  if (kind === 'production') {
    return 'production build in place';
  }
  if (noBuild) {
    throw new Error(
      `${LABEXTENSION} is ${kind === 'missing' ? 'missing' : 'a development build'}: ` +
        'run `npm run build:prod` (or drop --no-build)'
    );
  }
  process.stderr.write(
    `lab-load: ${LABEXTENSION} is ${kind}; npm run build:prod …\n`
  );
  execFileSync('npm', ['run', 'build:prod'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      PATH: `${join(root, '.venv/bin')}:${process.env.PATH ?? ''}`
    }
  });
  if (buildKind(root) !== 'production') {
    throw new Error(
      `npm run build:prod did not leave a production build in ${LABEXTENSION}`
    );
  }
  return 'built with npm run build:prod';
}
