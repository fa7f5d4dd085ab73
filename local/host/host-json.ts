import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The parts of host.json the local host honours
 * (https://learn.microsoft.com/azure/azure-functions/functions-host-json).
 */
export const HostJson = z
  .object({
    version: z.literal('2.0'),
    extensions: z
      .object({
        http: z
          .object({ routePrefix: z.string().optional(), maxConcurrentRequests: z.number().int().optional() })
          .partial()
          .optional(),
        durableTask: z
          .object({
            hubName: z.string().optional(),
            maxConcurrentActivityFunctions: z.number().int().positive().optional(),
            maxConcurrentOrchestratorFunctions: z.number().int().positive().optional(),
          })
          .passthrough()
          .optional(),
        serviceBus: z
          .object({
            maxConcurrentCalls: z.number().int().positive().optional(),
            maxConcurrentSessions: z.number().int().positive().optional(),
            maxAutoLockRenewalDuration: z.string().optional(),
          })
          .passthrough()
          .optional(),
      })
      .passthrough()
      .optional(),
    functionTimeout: z.string().optional(),
    logging: z.unknown().optional(),
  })
  .passthrough();
export type HostJson = z.infer<typeof HostJson>;

export function readHostJson(appRoot: string): HostJson {
  const file = path.join(appRoot, 'host.json');
  if (!existsSync(file)) return { version: '2.0' };
  const parsed = HostJson.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`host.json is invalid: ${problems}`);
  }
  return parsed.data;
}
