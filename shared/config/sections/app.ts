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

/**
 * Set by the local host (never in Azure): the address it listens on. The app trusts its local defaults (the public
 * development webhook key) only on a local host bound to loopback; anywhere else it fails closed.
 */
export const LocalHostSection = z.object({
  ENTRA_JML_LOCAL_HOST_BIND: z.string().optional(),
});

/** True for an address only this machine can reach (the local host's default is 127.0.0.1). */
export function isLoopbackAddress(address: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i.test(address.replace(/^\[|\]$/g, ''));
}
