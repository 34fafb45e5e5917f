/**
 * The import rules of the extension's src/ (npm run lint:deps): no import
 * circles; plugins only wire, so nothing but src/index.ts imports them; the
 * pure query model knows nothing of the UI; shared helpers import no feature.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A module never imports, directly or through others, a module that imports it.',
      from: {},
      to: { circular: true }
    },
    {
      name: 'plugins-only-from-index',
      severity: 'error',
      comment:
        'Plugins wire features into JupyterLab: src/index.ts lists them, nothing else imports them.',
      from: { pathNot: '^src/index\\.ts$' },
      to: { path: '^src/plugins/' }
    },
    {
      name: 'query-model-is-pure',
      severity: 'error',
      comment:
        "src/query/ is the pure query model (catalogue, validation, cell generation and reading): no UI, no HTTP; the contract's wire types (src/api/types.ts) are allowed.",
      from: { path: '^src/query/' },
      to: {
        path: '^src/(builder|jobs|plugins|status|signin|renderer|events|api)/|^node_modules/(react|@jupyterlab/(apputils|application|notebook|ui-components))/',
        pathNot: '^src/api/(types\\.ts|platform\\.d\\.ts)$'
      }
    },
    {
      name: 'common-imports-no-feature',
      severity: 'error',
      comment:
        'src/common/ holds helpers every feature shares: it imports none of them.',
      from: { path: '^src/common/' },
      to: {
        path: '^src/(builder|jobs|plugins|status|signin|renderer|events|query)/'
      }
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment:
        'Every module is imported by another, or is an entry point (src/index.ts, the MIME renderer).',
      from: {
        orphan: true,
        pathNot: [
          '\\.d\\.ts$',
          '^src/index\\.ts$',
          '^src/renderer/index\\.ts$',
          '^src/__tests__/'
        ]
      },
      to: {}
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/__tests__/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true
  }
};
