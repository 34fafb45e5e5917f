/**
 * The platform's own query modules (server-mock/src/query), read from their
 * source by relative path, for tests that compare the frontend with them.
 *
 * The frontend's TypeScript program (and ts-jest's) is rooted at src/ and
 * cannot compile a file outside it, so this transpiles server-mock's modules
 * itself (typescript.transpileModule) and runs them as CommonJS.
 */
declare const require: (id: string) => any;
declare const __dirname: string;

export interface IPlatformField {
  type: string;
  operations: readonly string[];
  values?: readonly string[];
  description: string;
}
export interface IPlatformCatalogue {
  CATEGORIES: readonly string[];
  OPERATIONS: readonly string[];
  GROUP_OPERATORS: readonly string[];
  REGION_CODES: readonly string[];
  QUERY_LIMITS: Record<string, unknown> & { test: unknown };
  CATALOGUE: Record<
    string,
    {
      timeColumn: string | null;
      conditions: Record<string, IPlatformField>;
      returnable: Record<string, string>;
    }
  >;
  publicCatalogue(): unknown;
}

/** Load a server-mock TypeScript module and its relative imports. */
export function loadPlatformModule(
  file: string,
  cache = new Map<string, unknown>()
): any {
  const fs = require('fs');
  const path = require('path');
  const ts = require('typescript');
  const resolved = path.resolve(file);
  if (cache.has(resolved)) {
    return cache.get(resolved);
  }
  const source = fs.readFileSync(`${resolved}.ts`, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022
    }
  });
  const module = { exports: {} as Record<string, unknown> };
  cache.set(resolved, module.exports);
  const localRequire = (id: string) =>
    id.startsWith('.')
      ? loadPlatformModule(path.join(path.dirname(resolved), id), cache)
      : require(id);
  new Function('exports', 'require', 'module', outputText)(
    module.exports,
    localRequire,
    module
  );
  return module.exports;
}

export interface IPlatformValidation {
  validateQuery(
    body: unknown,
    stage: 'test' | 'job'
  ):
    | { ok: true }
    | { ok: false; problems: { field: string; message: string }[] };
}

const QUERY_DIR = require('path').join(
  __dirname,
  '../../../server-mock/src/query'
);

/** server-mock/src/query/catalogue.ts */
export const platformCatalogue = (): IPlatformCatalogue =>
  loadPlatformModule(require('path').join(QUERY_DIR, 'catalogue'));

/** server-mock/src/query/validate.ts */
export const platformValidation = (): IPlatformValidation =>
  loadPlatformModule(require('path').join(QUERY_DIR, 'validate'));
