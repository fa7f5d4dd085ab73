import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { EMULATOR_TENANT_ID, isTenantMode, localOrigin } from '../adapters/graph/auth';
import type { Config } from '../config/config';

/**
 * Validates an Entra-issued bearer token with jose against the issuer's JWKS: signature, issuer,
 * audience, expiry/not-before, and the app role the caller must hold
 * (https://learn.microsoft.com/entra/identity-platform/access-tokens#validate-tokens).
 */
const jwksCache = new Map<string, JWTVerifyGetKey>();

function inboundTokenSettings(config: Config): {
  jwksUrl: string;
  issuer: string;
  audience: string;
  role: string;
} {
  const local = !isTenantMode(config);
  const origin = local ? localOrigin(config) : '';
  const tenant = local ? EMULATOR_TENANT_ID : config.AZURE_TENANT_ID!;
  return {
    jwksUrl:
      config.INBOUND_JWKS_URL ??
      (local
        ? `${origin}/_local/entra/${tenant}/discovery/v2.0/keys`
        : `https://login.microsoftonline.com/${tenant}/discovery/v2.0/keys`),
    issuer:
      config.INBOUND_TOKEN_ISSUER ??
      (local ? `${origin}/_local/entra/${tenant}/v2.0` : `https://login.microsoftonline.com/${tenant}/v2.0`),
    audience: config.INBOUND_TOKEN_AUDIENCE,
    role: config.INBOUND_REQUIRED_ROLE,
  };
}

/**
 * `unauthenticated` (401): no token, or one that is not valid (signature, issuer, audience, lifetime).
 * `forbidden` (403): a valid token whose caller lacks the role, as Graph answers for bulkUpload without
 * SynchronizationData-User.Upload
 * (https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-post-bulkupload).
 */
export type BearerCheck = { ok: true; appId: string } | { ok: false; status: 401 | 403; reason: string };

export async function verifyBearer(authorization: string | null, config: Config): Promise<BearerCheck> {
  const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return { ok: false, status: 401, reason: 'missing bearer token' };
  const settings = inboundTokenSettings(config);
  let jwks = jwksCache.get(settings.jwksUrl);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(settings.jwksUrl));
    jwksCache.set(settings.jwksUrl, jwks);
  }
  try {
    const { payload } = await jwtVerify(token, jwks, {
      issuer: settings.issuer,
      audience: settings.audience,
      clockTolerance: 60,
    });
    const roles = Array.isArray(payload.roles) ? (payload.roles as unknown[]) : [];
    if (!roles.includes(settings.role)) return { ok: false, status: 403, reason: `token lacks role ${settings.role}` };
    return { ok: true, appId: String(payload.appid ?? payload.azp ?? 'unknown') };
  } catch (error) {
    return { ok: false, status: 401, reason: error instanceof Error ? error.message : String(error) };
  }
}
