// Writes policy/policy.schema.json from the zod policy schema (shared/domain/policy.ts, built into dist/).
// Run with `npm run policy:schema`; test/unit/domain/policy.test.ts checks the committed file is current.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { policyJsonSchemaText } = require('../dist/shared/domain/policy.js');
const target = fileURLToPath(new URL('./policy.schema.json', import.meta.url));
writeFileSync(target, policyJsonSchemaText());
console.log(`wrote ${target}`);
