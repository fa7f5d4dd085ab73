import type { ScimTarget } from '../../domain/policy';
import { scimSecret } from '../../config/sections/scim';
import { isRetryableStatus, retryAfterSeconds, ScimRequestError } from './scim-error';
import { TokenResponseBody } from './scim-responses';

/** The Authorization header value for a target's requests, or null when it takes none. */
export interface ScimCredentials {
  authorization(): Promise<string | null>;
  /** The target refused the credentials (401): a cached token is dropped so the next attempt gets a new one. */
  refused(): void;
  /** Whether a refusal can heal by itself (a fresh OAuth token), which makes a 401 retryable. */
  readonly renewable: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Tokens are renewed this long before they expire, so none expires in flight. */
const EXPIRY_MARGIN_MS = 60_000;

export function scimCredentials(target: ScimTarget, timeoutMs: number, env: Env = process.env): ScimCredentials {
  const auth =
    target.auth ?? (target.tokenSecretName ? { type: 'bearer' as const, tokenSetting: target.tokenSecretName } : null);
  if (auth === null) return { authorization: () => Promise.resolve(null), refused: () => undefined, renewable: false };
  if (auth.type === 'bearer') {
    return {
      authorization: () => Promise.resolve(`Bearer ${scimSecret(auth.tokenSetting, env)}`),
      refused: () => undefined,
      renewable: false,
    };
  }
  let cached: { token: string; expiresAt: number } | null = null;
  return {
    renewable: true,
    refused: () => {
      cached = null;
    },
    authorization: async () => {
      if (cached && cached.expiresAt > Date.now()) return `Bearer ${cached.token}`;
      const issued = await requestToken(auth, scimSecret(auth.clientSecretSetting, env), timeoutMs);
      cached = { token: issued.token, expiresAt: Date.now() + issued.expiresInSeconds * 1000 - EXPIRY_MARGIN_MS };
      return `Bearer ${issued.token}`;
    },
  };
}

/** OAuth 2.0 client credentials grant (RFC 6749 §4.4.2), the client authenticated in the body (§2.3.1). */
async function requestToken(
  auth: { tokenUrl: string; clientId: string; scope?: string | undefined },
  clientSecret: string,
  timeoutMs: number,
): Promise<{ token: string; expiresInSeconds: number }> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: auth.clientId,
    client_secret: clientSecret,
  });
  if (auth.scope) form.set('scope', auth.scope);
  let response: Response;
  try {
    response = await fetch(auth.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new ScimRequestError(null, true, null, `token endpoint unreachable: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) {
    // The token endpoint's body may echo the request; only the status and the error code are kept.
    const code = /"error"\s*:\s*"([^"]+)"/.exec(text)?.[1];
    throw new ScimRequestError(
      response.status,
      isRetryableStatus(response.status),
      retryAfterSeconds(response.headers.get('retry-after')),
      `token endpoint answered HTTP ${response.status}${code ? ` (${code})` : ''}`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  const parsed = TokenResponseBody.safeParse(body);
  if (!parsed.success)
    throw new ScimRequestError(response.status, false, null, 'token endpoint answer has no access_token');
  return { token: parsed.data.access_token, expiresInSeconds: parsed.data.expires_in ?? 3600 };
}
