import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs for a schema-heavy file (stryker.narrow.config.mjs): only those named by MUTATION_TESTS
 * (comma-separated globs). Most mutants of a zod schema or a table are static (run once at module load), and a
 * static mutant runs every test related to the file: for shared/domain/policy.ts that is some 230 tests and 30 s a
 * mutant over 570 static mutants; hr-event.ts and country.ts are imported by nearly every test. With the file's own
 * tests it is a few seconds. Fewer tests can only kill fewer mutants: the score measured so is a lower bound.
 */
const tests = (process.env.MUTATION_TESTS ?? '')
  .split(',')
  .map((glob) => glob.trim())
  .filter(Boolean);

export default defineConfig({
  root: path.resolve(__dirname, '../..'),
  test: {
    include: tests,
    pool: 'forks',
    testTimeout: 30_000,
  },
});
