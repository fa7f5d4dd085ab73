// npm run schema: writes schemas/hr-event.schema.json (JSON Schema of the webhook event) from the zod schema.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { hrEventJsonSchemaText } = require('../dist/shared/domain/hr-event-schema.js');
writeFileSync('schemas/hr-event.schema.json', hrEventJsonSchemaText());
console.log('wrote schemas/hr-event.schema.json');
