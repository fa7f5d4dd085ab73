import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs for shared/intake (stryker.intake.config.mjs): the intake's own tests only. Static
 * mutants (module constants: sets, schemas, regular expressions) run every test related to the file: with
 * vitest.mutation.config.ts that is some 300 tests and 40 s a mutant on a loaded machine, 88 % of a run's time.
 * Fewer tests can only kill fewer mutants, so the score measured this way is a lower bound of the full
 * configuration's.
 */
export default defineConfig({
  // __dirname, not import.meta: the typecheck (tsconfig.check.json) builds tests as CommonJS.
  root: path.resolve(__dirname, '../..'),
  test: {
    // The Lifecycle Workflows caller check is bearer-token.ts's verifyCallerToken, reached through shared/lcw.
    include: ['test/intake/**/*.test.ts', 'test/lcw/app-caller-token.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
  },
});
