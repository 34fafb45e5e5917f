/**
 * What JupyterLab loads at start is what the extension's entries (`index.ts`,
 * the MIME renderer's `renderer/index.ts`) import statically. Views and the
 * code behind them load on first use (`import()`): this walks the static
 * imports and checks that none of it is reached, so a stray import cannot put
 * it back into the start-up bundle unnoticed.
 */
export {};
declare const require: (id: string) => any;
declare const __dirname: string;
const fs = require('fs');
const path = require('path');

const SRC = path.resolve(__dirname, '../..');

/** The relative modules a file imports statically (not `import type`, not `import()`). */
function staticImports(file: string): string[] {
  const text: string = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  const pattern =
    /^\s*(?:import|export)\s+(?!type\b)(?:[^;]*?\sfrom\s+)?'(\.[^']+)'/gm;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    found.push(match[1]);
  }
  return found;
}

function resolve(from: string, specifier: string): string | null {
  const base: string = path.resolve(path.dirname(from), specifier);
  for (const candidate of [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    path.join(base, 'index.ts'),
    path.join(base, 'index.tsx')
  ]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
      return candidate;
    }
  }
  return null;
}

/** Every source module reached from `entry` by static imports (paths relative to src/). */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [path.join(SRC, entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    const name: string = path.relative(SRC, file);
    if (seen.has(name)) {
      continue;
    }
    seen.add(name);
    if (!/\.tsx?$/.test(file)) {
      continue;
    }
    for (const specifier of staticImports(file)) {
      const target = resolve(file, specifier);
      if (target) {
        queue.push(target);
      }
    }
  }
  return seen;
}

describe('the start-up bundle', () => {
  it('finds the modules the plugins wire (the walk works)', () => {
    const start = reachable('index.ts');
    for (const name of [
      'plugins/jobs.ts',
      'jobs/shell.ts',
      'jobs/model.ts',
      'builder/panel.ts',
      'status/StatusItem.tsx',
      'common/lazy.ts'
    ]) {
      expect([name, start.has(name)]).toEqual([name, true]);
    }
  });

  it('holds none of the views, dialogs and models that load on first use', () => {
    const start = reachable('index.ts');
    const lazy = [...start].filter(name =>
      /^(builder\/(session|model|QueryBuilderView|cell-flows|main-area)\.tsx?|query\/(read-cell|validate|generate|catalogue)\.ts|jobs\/(session|actions|panel|attestation|format|submission)\.tsx?|jobs\/views\/|review\/(model|panel|actions)\.tsx?|review\/views\/|inbox\/|signin\/(dialog|connection|LocalClient|SignInBody)\.tsx?|renderer\/table\.ts)/.test(
        name
      )
    );
    expect(lazy).toEqual([]);
  });

  it("the MIME renderer's entry holds no table code", () => {
    expect([...reachable('renderer/index.ts')].sort()).toEqual([
      'common/chunk-error.ts',
      'common/translate.ts',
      'renderer/index.ts',
      'renderer/mime.ts'
    ]);
  });

  it('the styles at start are the frames only: the sections bring theirs', () => {
    const base: string = fs.readFileSync(
      path.join(SRC, '../style/base.css'),
      'utf8'
    );
    expect(base).not.toMatch(/@import/);
    const start = reachable('index.ts');
    expect([...start].filter(name => name.endsWith('.css'))).toEqual([]);
  });

  it('the attestation verifier (jose) loads at the first verification only', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full: string = path.join(dir, entry.name);
        if (entry.isDirectory() && entry.name !== '__tests__') {
          walk(full);
        } else if (/\.tsx?$/.test(entry.name)) {
          files.push(full);
        }
      }
    };
    walk(SRC);
    const staticJose = files.filter(file =>
      /^\s*import\s+(?!type\b)[^;]*?from\s+'jose'/m.test(
        fs.readFileSync(file, 'utf8')
      )
    );
    expect(staticJose).toEqual([]);
  });
});
