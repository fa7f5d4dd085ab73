import { randomUUID } from 'node:crypto';
import {
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWK,
  type CryptoKey as JoseKey,
  createLocalJWKSet,
} from 'jose';
import type { GraphStore } from './store';

/**
 * A local stand-in for the Microsoft identity platform's token endpoint and signing keys:
 * client-credentials tokens (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow)
 * signed RS256 and published as a JWKS
 * (https://learn.microsoft.com/entra/identity-platform/access-tokens#validate-tokens),
 * with the v2 claims entra-jml checks: iss, aud, exp, nbf, tid, appid/azp, roles.
 */
export interface TokenClaims {
  aud: string;
  roles?: string[];
  appid?: string;
  lifetimeSeconds?: number;
  issuer?: string;
  [claim: string]: unknown;
}

export class TokenService {
  private constructor(
    readonly tenantId: string,
    private readonly privateKey: JoseKey,
    private readonly publicJwk: JWK,
    readonly issuerBase: () => string,
  ) {}

  static async create(store: GraphStore, tenantId: string, issuerBase: () => string): Promise<TokenService> {
    const saved = store.db.prepare(`SELECT value FROM meta WHERE key = 'signing-key'`).get() as
      { value: string } | undefined;
    let privateJwk: JWK;
    if (saved) {
      privateJwk = JSON.parse(saved.value) as JWK;
    } else {
      const { privateKey } = await generateKeyPair('RS256', { extractable: true });
      privateJwk = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' };
      store.db
        .prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('signing-key', ?)`)
        .run(JSON.stringify(privateJwk));
    }
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
    const key = (await importJWK(privateJwk, 'RS256')) as JoseKey;
    return new TokenService(tenantId, key, publicJwk, issuerBase);
  }

  /** v2.0 issuer, as Entra writes it for the tenant. */
  issuer(): string {
    return `${this.issuerBase()}/${this.tenantId}/v2.0`;
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  async mint(claims: TokenClaims): Promise<string> {
    const { aud, roles, appid, lifetimeSeconds, issuer, ...extra } = claims;
    return new SignJWT({
      ...extra,
      tid: this.tenantId,
      roles: roles ?? [],
      appid: appid ?? 'unknown',
      azp: appid ?? 'unknown',
      ver: '2.0',
    })
      .setProtectedHeader({ alg: 'RS256', kid: this.publicJwk.kid!, typ: 'JWT' })
      .setIssuer(issuer ?? this.issuer())
      .setAudience(aud)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime(`${lifetimeSeconds ?? 3600}s`)
      .setJti(randomUUID())
      .sign(this.privateKey);
  }

  async verify(token: string, audience: string): Promise<boolean> {
    return (await this.verifiedClaims(token, audience)) !== null;
  }

  /** The token's claims when it is valid for the audience (signature, issuer, expiry), else null. */
  async verifiedClaims(token: string, audience: string): Promise<{ roles: string[] } | null> {
    try {
      const { payload } = await jwtVerify(token, createLocalJWKSet(this.jwks()), { issuer: this.issuer(), audience });
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
      return { ...payload, roles };
    } catch {
      return null;
    }
  }
}
