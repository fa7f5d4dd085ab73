import type { JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/config';
import { startJwksServer, type JwksServer } from '../support/jwks-server';
import { verifyLcwCaller } from '../../shared/lcw/caller';

/**
 * The Logic App forwards the callout with its managed identity token. Its calling app is `appid` in a v1.0 token
 * and `azp` in a v2.0 one (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference); each
 * version's issuer only with its own claims, as for bulkUpload (shared/intake/bearer-token.ts).
 */
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const API = '6e0c3c1a-1b4e-4a4f-9a0e-2f1d3c4b5a69';
const LOGIC_APP = '0f3c1d2e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
const V1 = `https://sts.windows.net/${TENANT}/`;
const V2 = `https://login.microsoftonline.com/${TENANT}/v2.0`;

let keys: JwksServer;
let jwksUrl = '';
let sign: JwksServer['sign'];

beforeAll(async () => {
  keys = await startJwksServer();
  ({ jwksUrl, sign } = keys);
});
afterAll(() => keys.close());

const config = (extra: Record<string, string> = {}) =>
  parseConfig({
    AZURE_TENANT_ID: TENANT,
    GRAPH_USE_MANAGED_IDENTITY: 'true',
    INBOUND_JWKS_URL: jwksUrl,
    LCW_AUDIENCE: API,
    LCW_CALLER_APP_IDS: `${LOGIC_APP}, 11111111-1111-4111-8111-111111111111`,
    ...extra,
  });
const check = async (payload: JWTPayload, extra: Record<string, string> = {}) =>
  verifyLcwCaller(`Bearer ${await sign(payload)}`, config(extra));

describe('the Lifecycle Workflows caller token', () => {
  it('accepts the Logic App by appid in a v1.0 token and by azp in a v2.0 token', async () => {
    expect(await check({ ver: '1.0', iss: V1, aud: `api://${API}`, appid: LOGIC_APP })).toEqual({
      ok: true,
      appId: LOGIC_APP,
    });
    expect(await check({ ver: '2.0', iss: V2, aud: API, azp: LOGIC_APP.toUpperCase() })).toMatchObject({ ok: true });
  });

  it("reads each version's own claim: v2.0 with only appid, v1.0 with only azp, are refused", async () => {
    expect(await check({ ver: '2.0', iss: V2, aud: API, appid: LOGIC_APP })).toEqual({
      ok: false,
      reason: 'caller azp undefined is not an accepted app',
    });
    expect(await check({ ver: '1.0', iss: V1, aud: API, azp: LOGIC_APP })).toMatchObject({ ok: false });
  });

  it('refuses another app, another audience (the bulkUpload one too), a v1 issuer on a v2 token', async () => {
    expect(await check({ ver: '2.0', iss: V2, aud: API, azp: '9d2f0c1b-0000-4000-8000-000000000000' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not an accepted app/),
    });
    expect(await check({ ver: '2.0', iss: V2, aud: 'api://entra-jml', azp: LOGIC_APP })).toEqual({
      ok: false,
      reason: `token audience is not ${API} or api://${API}`,
    });
    expect(await check({ ver: '2.0', iss: V1, aud: API, azp: LOGIC_APP })).toMatchObject({ ok: false });
  });

  it('trusts no caller until both settings are set', async () => {
    const token = await sign({ ver: '2.0', iss: V2, aud: API, azp: LOGIC_APP });
    const unset = parseConfig({ AZURE_TENANT_ID: TENANT, GRAPH_USE_MANAGED_IDENTITY: 'true', LCW_AUDIENCE: API });
    expect(await verifyLcwCaller(`Bearer ${token}`, unset)).toEqual({
      ok: false,
      reason: 'Lifecycle Workflows callouts are not configured (LCW_AUDIENCE, LCW_CALLER_APP_IDS)',
    });
  });

  it('refuses a caller list that is not client ids (start-up names the setting)', () => {
    expect(() => config({ LCW_CALLER_APP_IDS: 'my-logic-app' })).toThrow(/LCW_CALLER_APP_IDS/);
  });
});
