/**
 * Architecture as code (issue 15): the layering the code relies on, checked by dependency-cruiser in .ci/run.
 * Pure domain and orchestration logic knows no SDK, adapter, function registration or local host; function
 * registrations never reach into the local host (it does not exist in Azure); no cycles.
 * See docs/architecture.md.
 */
const SDKS = '^node_modules/(@azure|@microsoft|durable-functions|better-sqlite3|rate-limiter-flexible)';

module.exports = {
  forbidden: [
    {
      name: 'pure-core-imports-no-sdk',
      comment: 'shared/domain and shared/orchestration are pure: no Azure, Graph, durable or storage SDK.',
      severity: 'error',
      from: { path: '^shared/(domain|orchestration)/' },
      to: { path: SDKS },
    },
    {
      name: 'pure-core-imports-no-adapter',
      comment: 'shared/domain and shared/orchestration depend on ports, never on adapters, functions/ or local/.',
      severity: 'error',
      from: { path: '^shared/(domain|orchestration)/' },
      to: { path: '^(shared/adapters|shared/services|functions|local)/|^shared/services\\.ts$' },
    },
    {
      name: 'app-never-imports-local-host',
      comment: 'functions/ and shared/ run in Azure, where local/ (host, emulators, CLI) does not exist.',
      severity: 'error',
      from: { path: '^(functions|shared)/' },
      to: { path: '^local/' },
    },
    {
      name: 'orchestrators-import-no-adapter',
      comment: 'Orchestrators are replayed: they reach the world only through activities, never an adapter.',
      severity: 'error',
      from: { path: '^functions/orchestrations/' },
      to: { path: '^shared/(adapters/|services\\.ts$)|^node_modules/(@azure/(?!functions)|@microsoft|better-sqlite3)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|test/fixtures)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
