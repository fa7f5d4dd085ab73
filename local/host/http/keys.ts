import { timingSafeEqual } from 'node:crypto';

/**
 * Function access keys, as the Functions host checks them for authLevel function/admin
 * (https://learn.microsoft.com/azure/azure-functions/function-keys-how-to): key in the `code`
 * query parameter or the `x-functions-key` header; admin needs the master key.
 *
 * Core Tools does not enforce keys locally; this host enforces them as soon as any key is set:
 *   ENTRA_JML_HOST_MASTER_KEY      master (admin) key, also accepted for function-level routes
 *   ENTRA_JML_HOST_FUNCTION_KEYS   comma-separated host-wide function keys
 */
export interface KeySettings {
  masterKey: string | undefined;
  functionKeys: string[];
}

export function readKeySettings(env: NodeJS.ProcessEnv = process.env): KeySettings {
  return {
    masterKey: env.ENTRA_JML_HOST_MASTER_KEY || undefined,
    functionKeys: (env.ENTRA_JML_HOST_FUNCTION_KEYS ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
  };
}

export function keysEnforced(keys: KeySettings): boolean {
  return !!keys.masterKey || keys.functionKeys.length > 0;
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function isAuthorized(authLevel: string, presented: string | null, keys: KeySettings): boolean {
  const level = authLevel.toLowerCase();
  if (level === 'anonymous' || !keysEnforced(keys)) return true;
  if (!presented) return false;
  if (keys.masterKey && same(presented, keys.masterKey)) return true;
  if (level === 'admin') return false;
  return keys.functionKeys.some((key) => same(presented, key));
}
