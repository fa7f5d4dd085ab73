// StrykerJS with only the tests MUTATION_TESTS names (vitest.narrow.config.ts says why), e.g.
//   MUTATION_TESTS='test/unit/domain/policy*.test.ts' npx stryker run test/mutation/stryker.narrow.config.mjs \
//     --mutate shared/domain/policy.ts --concurrency 1 --incrementalFile .stryker-tmp/domain_policy.json \
//     --reporters clear-text,json
import { readFileSync } from 'node:fs';

const base = JSON.parse(readFileSync(new URL('../../stryker.config.json', import.meta.url), 'utf8'));

if (!process.env.MUTATION_TESTS) throw new Error('MUTATION_TESTS: the comma-separated test globs to run');

export default { ...base, vitest: { configFile: 'test/mutation/vitest.narrow.config.ts' } };
