import { z } from 'zod';
import { HrEvent } from './hr-event';

/** The webhook event as JSON Schema for HR integrators (generated from the zod schema, never by hand). */
export function hrEventJsonSchemaText(): string {
  const schema = z.toJSONSchema(z.union([HrEvent, z.object({ events: z.array(HrEvent).min(1).max(500) }).strict()]), {
    io: 'input',
    unrepresentable: 'any',
  });
  return `${JSON.stringify({ ...schema, title: 'entra-jml HR event (one event or a batch)' }, null, 2)}\n`;
}
