// StrykerJS on shared/domain/policy.ts with the policy's own tests only (vitest.policy.config.ts says why):
//   npx stryker run test/mutation/stryker.policy.config.mjs --concurrency 1 \
//     --incrementalFile .stryker-tmp/domain_policy.json --reporters clear-text,json
import { readFileSync } from 'node:fs';

const base = JSON.parse(readFileSync(new URL('../../stryker.config.json', import.meta.url), 'utf8'));

export default {
  ...base,
  mutate: ['shared/domain/policy.ts'],
  vitest: { configFile: 'test/mutation/vitest.policy.config.ts' },
};
