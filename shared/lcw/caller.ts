import type { Config } from '../config/config';
import { verifyCallerToken, type CallerCheck } from '../intake/bearer-token';

/**
 * The forwarded callout carries the Logic App's managed identity token: audience LCW_AUDIENCE, calling app one of
 * LCW_CALLER_APP_IDS. Without both settings no callout is trusted.
 */
export async function verifyLcwCaller(authorization: string | null, config: Config): Promise<CallerCheck> {
  if (!config.LCW_AUDIENCE || !config.LCW_CALLER_APP_IDS)
    return { ok: false, reason: 'Lifecycle Workflows callouts are not configured (LCW_AUDIENCE, LCW_CALLER_APP_IDS)' };
  return verifyCallerToken(authorization, config, {
    audience: config.LCW_AUDIENCE,
    callerAppIds: config.LCW_CALLER_APP_IDS,
  });
}

/**
 * 401 as RFC 6750 §3 has it: a request with no token gets the bare challenge, any other refusal
 * error="invalid_token" with a description (quotes and backslashes are not allowed in it: §3, error_description).
 */
export function bearerChallenge(reason: string, tokenPresent: boolean): string {
  if (!tokenPresent) return 'Bearer';
  const description = reason.replace(/[^\x20-\x7e]|["\\]/g, "'");
  return `Bearer error="invalid_token", error_description="${description}"`;
}
