/**
 * The import rules of src/ (npm run lint:deps): no import circles; the route
 * modules are registered by src/app.ts alone; the runner (the executors) knows
 * nothing of the routes or of the job lifecycle that drives it.
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
      name: 'routes-only-from-app',
      severity: 'error',
      comment:
        'Route modules only wire HTTP to services and models: src/app.ts registers them, nothing else imports them.',
      from: { pathNot: '^src/app\\.ts$' },
      to: { path: '^src/routes/' }
    },
    {
      name: 'runner-not-to-routes-or-jobs',
      severity: 'error',
      comment:
        'src/runner/ runs jobs behind the Executor interface: the lifecycle (src/jobs/) imports it, never the reverse.',
      from: { path: '^src/runner/' },
      to: { path: '^src/(routes|jobs)/' }
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment:
        'Every module is imported by another, or is an entry point (the CLI, the library entry, the demo client).',
      from: {
        orphan: true,
        pathNot: ['\\.d\\.ts$', '^src/(cli|app|demo-client)\\.ts$']
      },
      to: {}
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true
  }
};
