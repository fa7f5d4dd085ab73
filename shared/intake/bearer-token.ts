import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { EMULATOR_TENANT_ID, isTenantMode, localOrigin } from '../adapters/graph/auth';
import type { Config } from '../config/config';
import { cloudEndpoints } from '../adapters/graph/cloud';

/**
 * Validates an Entra-issued bearer token with jose against the issuer's JWKS: signature, issuer,
 * audience, expiry/not-before, and the app role the caller must hold
 * (https://learn.microsoft.com/entra/identity-platform/access-tokens#validate-tokens).
 */
const jwksCache = new Map<string, JWTVerifyGetKey>();

/**
 * What an Entra access token for our API looks like. The issuer and audience come in two matching forms, and a
 * token always carries one pair (https://learn.microsoft.com/entra/identity-platform/access-tokens#token-formats):
 * - v2.0 (the app registration's accessTokenAcceptedVersion = 2): iss https://login.microsoftonline.com/{tid}/v2.0,
 *   aud = the API's client id;
 * - v1.0 (the default for a new registration): iss https://sts.windows.net/{tid}/, aud = the Application ID URI
 *   (api://{client id} or a custom one) — or the client id.
 * INBOUND_TOKEN_AUDIENCE names the API (its client id or Application ID URI); both forms of it are accepted, each
 * only with its own issuer, so a default that no real token can meet is impossible.
 */
interface InboundTokenSettings {
  jwksUrl: string;
  /** Accepted issuer per token version ("1.0" / "2.0"). */
  issuers: Record<'1.0' | '2.0', string>;
  audiences: string[];
  role: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function audiencesFor(audience: string): string[] {
  const id = audience.replace(/^api:\/\//i, '');
  return GUID.test(id) ? [...new Set([id, `api://${id}`, audience])] : [audience];
}

function inboundTokenSettings(config: Config): InboundTokenSettings {
  const local = !isTenantMode(config);
  const origin = local ? localOrigin(config) : '';
  const tenant = local ? EMULATOR_TENANT_ID : config.AZURE_TENANT_ID!;
  const cloud = cloudEndpoints(config);
  const v2 = local ? `${origin}/_local/entra/${tenant}/v2.0` : `${cloud.authorityHost}/${tenant}/v2.0`;
  const v1 = local ? `${origin}/_local/entra/${tenant}/` : `${cloud.v1IssuerHost}/${tenant}/`;
  return {
    jwksUrl:
      config.INBOUND_JWKS_URL ??
      (local
        ? `${origin}/_local/entra/${tenant}/discovery/v2.0/keys`
        : `${cloud.authorityHost}/${tenant}/discovery/v2.0/keys`),
    issuers: config.INBOUND_TOKEN_ISSUER
      ? { '1.0': config.INBOUND_TOKEN_ISSUER, '2.0': config.INBOUND_TOKEN_ISSUER }
      : { '1.0': v1, '2.0': v2 },
    audiences: audiencesFor(config.INBOUND_TOKEN_AUDIENCE),
    role: config.INBOUND_REQUIRED_ROLE,
  };
}

/** Why jose refused a token, in the caller's terms (the claim and what was expected). */
function refusalReason(error: unknown, settings: InboundTokenSettings, audiences: string[]): string {
  if (error instanceof errors.JWTExpired) return 'token expired (exp is in the past)';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return `token audience is not ${audiences.join(' or ')}`;
    if (error.claim === 'iss')
      return `token issuer is not ${[...new Set(Object.values(settings.issuers))].join(' or ')}`;
    if (error.claim === 'nbf') return 'token not yet valid (nbf is in the future)';
    return `token claim ${error.claim}: ${error.reason}`;
  }
  return error instanceof Error ? error.message : String(error);
}

type VerifiedClaims = { ok: true; payload: JWTPayload; version: '1.0' | '2.0' } | { ok: false; reason: string };

/**
 * The one Entra access-token check every door shares: signature against the tenant's JWKS, issuer of the token's
 * own version, one of `audiences`, lifetime (exp, nbf; 60 s clock skew).
 */
async function verifyEntraToken(
  authorization: string | null,
  config: Config,
  audiences: string[],
): Promise<VerifiedClaims> {
  const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return { ok: false, reason: 'missing bearer token' };
  const settings = inboundTokenSettings(config);
  let jwks = jwksCache.get(settings.jwksUrl);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(settings.jwksUrl));
    jwksCache.set(settings.jwksUrl, jwks);
  }
  try {
    const { payload } = await jwtVerify(token, jwks, {
      issuer: [...new Set(Object.values(settings.issuers))],
      audience: audiences,
      clockTolerance: 60,
    });
    // The issuer must be the one of the token's own version (a v1 issuer on a v2 token is forged or misrouted).
    const version = payload.ver === '1.0' ? '1.0' : '2.0';
    if (payload.iss !== settings.issuers[version])
      return { ok: false, reason: `issuer ${String(payload.iss)} does not match a v${version} token` };
    return { ok: true, payload, version };
  } catch (error) {
    return { ok: false, reason: refusalReason(error, settings, audiences) };
  }
}

/**
 * `unauthenticated` (401): no token, or one that is not valid (signature, issuer, audience, lifetime).
 * `forbidden` (403): a valid token whose caller lacks the role, as Graph answers for bulkUpload without
 * SynchronizationData-User.Upload
 * (https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-post-bulkupload).
 */
export type BearerCheck = { ok: true; appId: string } | { ok: false; status: 401 | 403; reason: string };

export async function verifyBearer(authorization: string | null, config: Config): Promise<BearerCheck> {
  const verified = await verifyEntraToken(authorization, config, audiencesFor(config.INBOUND_TOKEN_AUDIENCE));
  if (!verified.ok) return { ok: false, status: 401, reason: verified.reason };
  const { payload } = verified;
  const role = config.INBOUND_REQUIRED_ROLE;
  const roles = Array.isArray(payload.roles) ? (payload.roles as unknown[]) : [];
  if (!roles.includes(role)) return { ok: false, status: 403, reason: `token lacks role ${role}` };
  return { ok: true, appId: String(payload.appid ?? payload.azp ?? 'unknown') };
}

/** A token from one of the named apps (a service-to-service caller such as the Lifecycle Workflows Logic App). */
export interface CallerExpectation {
  /** The API's Application ID URI or client id (both forms of a client id are accepted, as for bulkUpload). */
  audience: string;
  /** Client ids allowed to call. */
  callerAppIds: readonly string[];
}

export type CallerCheck = { ok: true; appId: string } | { ok: false; reason: string };

/**
 * A valid Entra token (as verifyBearer checks it) whose calling app is one of `callerAppIds`: the `appid` claim of
 * a v1.0 token, `azp` of a v2.0 token
 * (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
 * Every refusal is a 401 for the door: the caller is not who this endpoint accepts.
 */
export async function verifyCallerToken(
  authorization: string | null,
  config: Config,
  expected: CallerExpectation,
): Promise<CallerCheck> {
  const verified = await verifyEntraToken(authorization, config, audiencesFor(expected.audience));
  if (!verified.ok) return verified;
  const claim = verified.version === '1.0' ? 'appid' : 'azp';
  const appId = verified.payload[claim];
  if (typeof appId !== 'string' || !expected.callerAppIds.some((id) => id.toLowerCase() === appId.toLowerCase()))
    return { ok: false, reason: `caller ${claim} ${String(appId)} is not an accepted app` };
  return { ok: true, appId };
}
