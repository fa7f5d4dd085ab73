import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs for each mutant (npm run mutation): the ones that exercise shared/ in-process. The e2e
 * suites drive the built dist/ in a child process, which a mutant of the TypeScript source never reaches.
 */
export default defineConfig({
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/orchestration/**/*.test.ts',
      'test/intake/**/*.test.ts',
      'test/graph/graph-directory.test.ts',
      'test/graph/strictness.test.ts',
    ],
    exclude: ['test/unit/guards.test.ts', 'test/unit/line-length.test.ts', 'node_modules/**', 'dist/**'],
    pool: 'forks',
    testTimeout: 30_000,
  },
});
