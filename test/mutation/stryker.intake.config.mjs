// StrykerJS on shared/intake with the intake's own tests only (vitest.intake.config.ts says why):
//   npx stryker run test/mutation/stryker.intake.config.mjs --mutate shared/intake/<file>.ts --concurrency 1 \
//     --incrementalFile .stryker-tmp/intake_<file>.json --reporters clear-text,json
import { readFileSync } from 'node:fs';

const base = JSON.parse(readFileSync(new URL('../../stryker.config.json', import.meta.url), 'utf8'));

export default {
  ...base,
  mutate: ['shared/intake/**/*.ts'],
  vitest: { configFile: 'test/mutation/vitest.intake.config.ts' },
};
