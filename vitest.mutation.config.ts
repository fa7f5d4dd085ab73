import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs for each mutant (npm run mutation): the ones that exercise shared/ in-process. The e2e
 * suites drive the built dist/ in a child process, which a mutant of the TypeScript source never reaches; the
 * README commands test runs the CLIs from dist/ too, and the sandbox has no dist/ (its initial run would fail).
 * The SCIM unit tests listed below call shared/domain and shared/orchestration directly.
 */
export default defineConfig({
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/orchestration/**/*.test.ts',
      'test/intake/**/*.test.ts',
      'test/graph/graph-directory.test.ts',
      'test/graph/strictness.test.ts',
      'test/scim/mapping.test.ts',
      'test/scim/fanout-actions.test.ts',
      'test/scim/fanout-circuit.test.ts',
      'test/scim/fanout-drift.test.ts',
    ],
    exclude: [
      'test/unit/guards.test.ts',
      'test/unit/line-length.test.ts',
      'test/unit/readme-commands.test.ts',
      'node_modules/**',
      'dist/**',
    ],
    pool: 'forks',
    testTimeout: 30_000,
  },
});
