import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * local.settings.json as Core Tools reads it
 * (https://learn.microsoft.com/azure/azure-functions/functions-develop-local#local-settings-file):
 * Values become environment variables; a variable already set in the environment wins.
 */
const LocalSettings = z
  .object({
    IsEncrypted: z.boolean().optional(),
    Values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    Host: z.object({ LocalHttpPort: z.number().int().optional(), CORS: z.string().optional() }).partial().optional(),
    ConnectionStrings: z.record(z.string(), z.string()).optional(),
  })
  .passthrough();
export type LocalSettings = z.infer<typeof LocalSettings>;

export function applyLocalSettings(appRoot: string, env: NodeJS.ProcessEnv = process.env): LocalSettings {
  const file = path.join(appRoot, 'local.settings.json');
  if (!existsSync(file)) return {};
  const parsed = LocalSettings.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`local.settings.json is invalid: ${problems}`);
  }
  if (parsed.data.IsEncrypted)
    throw new Error('local.settings.json is encrypted; the local host reads plain settings only');
  for (const [key, value] of Object.entries(parsed.data.Values ?? {})) {
    if (env[key] === undefined) env[key] = String(value);
  }
  return parsed.data;
}
