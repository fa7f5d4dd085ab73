import { z } from 'zod';
import { WorkerRecord } from '../../shared/domain/hr-event';

/** Inputs every JML activity carries: the correlation chain HR event id → orchestration instance. */
export const Correlation = z.object({ eventId: z.string().optional(), instanceId: z.string() });

export const WithRecord = Correlation.extend({ employeeId: z.string(), record: WorkerRecord });
export const WithUser = Correlation.extend({ employeeId: z.string(), userId: z.string() });

/** zod-parses an activity input; a bad input is a bug, so it fails loudly (and is not retried usefully). */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    throw new Error(
      `invalid activity input: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}
