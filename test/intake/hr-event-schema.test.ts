import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hrEventJsonSchemaText } from '../../shared/domain/hr-event-schema';

describe('published JSON Schema of the HR event', () => {
  it('is up to date with the zod schema (run npm run schema)', () => {
    const committed = readFileSync(path.resolve(__dirname, '../../schemas/hr-event.schema.json'), 'utf8');
    expect(committed).toBe(hrEventJsonSchemaText());
  });
});
