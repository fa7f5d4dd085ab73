import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs for shared/domain/policy.ts (stryker.policy.config.mjs): the policy's own tests only.
 * Most of the policy's mutants are static (in the zod schema, run once at module load), and a static mutant runs
 * every test related to the file: with vitest.mutation.config.ts that is some 230 tests and 30 s a mutant, over
 * 570 static mutants. With the policy tests alone it is a few seconds. Fewer tests can only kill fewer mutants, so
 * the score measured this way is a lower bound of the full configuration's.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/unit/domain/policy*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
  },
});
