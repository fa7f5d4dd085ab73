import { z } from 'zod';

/** General app settings. Each config section maps app settings (environment variables) to typed values. */
export const AppSection = z.object({
  /** Folder for local state (SQLite files of the local host, emulators, stores). */
  ENTRA_JML_DATA_DIR: z.string().min(1).default('.data'),
  /** Public origin used in links the app sends (activation page, status URLs). */
  ENTRA_JML_PUBLIC_URL: z.url().optional(),
  ENTRA_JML_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Path of the JML policy file (YAML or JSON). */
  ENTRA_JML_POLICY_FILE: z.string().min(1).default('policy/policy.yaml'),
});
