import type { JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/config';
import { verifyBearer, verifyCallerToken } from '../../shared/intake/bearer-token';
import { startJwksServer, type JwksServer } from '../support/jwks-server';

/**
 * What a refused token is told (the claim and what was expected), and the caller check of service-to-service doors
 * (appid of a v1.0 token, azp of a v2.0 token:
 * https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
 */
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const API = '6e0c3c1a-1b4e-4a4f-9a0e-2f1d3c4b5a69';
const ROLE = 'SynchronizationData-User.Upload';
const V2 = `https://login.microsoftonline.com/${TENANT}/v2.0`;
const V1 = `https://sts.windows.net/${TENANT}/`;

let keys: JwksServer;
beforeAll(async () => {
  keys = await startJwksServer();
});
afterAll(() => keys.close());

const config = (extra: Record<string, string> = {}) =>
  parseConfig({
    AZURE_TENANT_ID: TENANT,
    GRAPH_USE_MANAGED_IDENTITY: 'true',
    INBOUND_JWKS_URL: keys.jwksUrl,
    INBOUND_TOKEN_AUDIENCE: API,
    ...extra,
  });
const bearer = async (payload: JWTPayload) => `Bearer ${await keys.sign(payload)}`;

describe('verifyBearer refusals', () => {
  it('no token, or not a Bearer one, is a 401 "missing bearer token"', async () => {
    const missing = { ok: false, status: 401, reason: 'missing bearer token' };
    expect(await verifyBearer(null, config())).toEqual(missing);
    expect(await verifyBearer('Basic abc', config())).toEqual(missing);
    expect(await verifyBearer('Bearer ', config())).toEqual(missing);
    expect(await verifyBearer(`Bearer a b`, config())).toEqual(missing);
  });

  it('takes the scheme in any case', async () => {
    const token = await keys.sign({ ver: '2.0', iss: V2, aud: API, roles: [ROLE], azp: 'app-2' });
    expect(await verifyBearer(`bearer ${token}`, config())).toEqual({ ok: true, appId: 'app-2' });
  });

  it('names the audiences and issuers it accepts', async () => {
    expect(await verifyBearer(await bearer({ ver: '2.0', iss: V2, aud: 'other', roles: [ROLE] }), config())).toEqual({
      ok: false,
      status: 401,
      reason: `token audience is not ${API} or api://${API}`,
    });
    expect(
      await verifyBearer(await bearer({ ver: '2.0', iss: 'https://evil.example/', aud: API, roles: [ROLE] }), config()),
    ).toEqual({ ok: false, status: 401, reason: `token issuer is not ${V1} or ${V2}` });
  });

  it('a token of one version with the issuer of the other is refused, saying so', async () => {
    expect(await verifyBearer(await bearer({ ver: '1.0', iss: V2, aud: API, roles: [ROLE] }), config())).toEqual({
      ok: false,
      status: 401,
      reason: `issuer ${V2} does not match a v1.0 token`,
    });
    expect(await verifyBearer(await bearer({ iss: V1, aud: API, roles: [ROLE] }), config())).toEqual({
      ok: false,
      status: 401,
      reason: `issuer ${V1} does not match a v2.0 token`,
    });
  });

  it('a token not valid yet (nbf past the 60 s skew) is refused; within the skew it is accepted', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(
      await verifyBearer(await bearer({ ver: '2.0', iss: V2, aud: API, roles: [ROLE], nbf: now + 600 }), config()),
    ).toEqual({ ok: false, status: 401, reason: 'token not yet valid (nbf is in the future)' });
    expect(
      (await verifyBearer(await bearer({ ver: '2.0', iss: V2, aud: API, roles: [ROLE], nbf: now + 30 }), config())).ok,
    ).toBe(true);
  });

  it('a valid token without the role is a 403 naming it; the app id falls back to azp, then "unknown"', async () => {
    expect(await verifyBearer(await bearer({ ver: '2.0', iss: V2, aud: API, roles: ['Other'] }), config())).toEqual({
      ok: false,
      status: 403,
      reason: `token lacks role ${ROLE}`,
    });
    expect(await verifyBearer(await bearer({ ver: '2.0', iss: V2, aud: API, roles: ROLE }), config())).toMatchObject({
      status: 403,
    });
    expect(await verifyBearer(await bearer({ ver: '2.0', iss: V2, aud: API, roles: [ROLE] }), config())).toEqual({
      ok: true,
      appId: 'unknown',
    });
    expect(
      await verifyBearer(
        await bearer({ ver: '2.0', iss: V2, aud: API, roles: [ROLE], appid: 'a1', azp: 'a2' }),
        config(),
      ),
    ).toEqual({ ok: true, appId: 'a1' });
  });

  it('a custom Application ID URI is the only audience accepted', async () => {
    const custom = config({ INBOUND_TOKEN_AUDIENCE: 'https://jml.contoso.com' });
    expect(
      await verifyBearer(await bearer({ ver: '1.0', iss: V1, aud: 'https://jml.contoso.com', roles: [ROLE] }), custom),
    ).toMatchObject({ ok: true });
    expect(await verifyBearer(await bearer({ ver: '1.0', iss: V1, aud: API, roles: [ROLE] }), custom)).toEqual({
      ok: false,
      status: 401,
      reason: 'token audience is not https://jml.contoso.com',
    });
  });

  it('INBOUND_TOKEN_ISSUER replaces both issuers', async () => {
    const issuer = 'https://issuer.example/';
    const pinned = config({ INBOUND_TOKEN_ISSUER: issuer });
    expect((await verifyBearer(await bearer({ ver: '1.0', iss: issuer, aud: API, roles: [ROLE] }), pinned)).ok).toBe(
      true,
    );
    expect(await verifyBearer(await bearer({ ver: '2.0', iss: V2, aud: API, roles: [ROLE] }), pinned)).toEqual({
      ok: false,
      status: 401,
      reason: `token issuer is not ${issuer}`,
    });
  });
});

describe('verifyCallerToken', () => {
  const expected = { audience: `api://${API}`, callerAppIds: ['LOGIC-APP'] };

  it('accepts a named app: appid of a v1.0 token, azp of a v2.0 token, ignoring case', async () => {
    expect(
      await verifyCallerToken(await bearer({ ver: '1.0', iss: V1, aud: API, appid: 'logic-app' }), config(), expected),
    ).toEqual({ ok: true, appId: 'logic-app' });
    expect(
      await verifyCallerToken(await bearer({ ver: '2.0', iss: V2, aud: API, azp: 'Logic-App' }), config(), expected),
    ).toEqual({ ok: true, appId: 'Logic-App' });
  });

  it('refuses another app, or the claim of the other version, naming the claim', async () => {
    expect(
      await verifyCallerToken(await bearer({ ver: '2.0', iss: V2, aud: API, appid: 'logic-app' }), config(), expected),
    ).toEqual({ ok: false, reason: 'caller azp undefined is not an accepted app' });
    expect(
      await verifyCallerToken(await bearer({ ver: '1.0', iss: V1, aud: API, appid: 'other' }), config(), expected),
    ).toEqual({ ok: false, reason: 'caller appid other is not an accepted app' });
    expect(await verifyCallerToken(null, config(), expected)).toEqual({ ok: false, reason: 'missing bearer token' });
  });
});
