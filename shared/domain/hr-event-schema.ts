import { z } from 'zod';
import { HrEvent } from './hr-event';

/** The webhook event as JSON Schema for HR integrators (generated from the zod schema, never by hand). */
export function hrEventJsonSchemaText(): string {
  const schema = z.toJSONSchema(z.union([HrEvent, z.object({ events: z.array(HrEvent).min(1).max(500) }).strict()]), {
    io: 'input',
    // Stryker disable next-line StringLiteral: equivalent while the schema has no type JSON Schema cannot express
    // (then zod calls this setting; the committed schema test shows there is none).
    unrepresentable: 'any',
  });
  return `${JSON.stringify({ ...schema, title: 'entra-jml HR event (one event or a batch)' }, null, 2)}\n`;
}
