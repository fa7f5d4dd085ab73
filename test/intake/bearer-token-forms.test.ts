import type { JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/config';
import { startJwksServer, type JwksServer } from '../support/jwks-server';
import { verifyBearer } from '../../shared/intake/bearer-token';

/**
 * Issue 13 item 8: the token forms a real Entra token has. v2 tokens: iss login.microsoftonline.com/{tid}/v2.0 with
 * the API's client id as aud; v1 tokens: iss sts.windows.net/{tid}/ with the Application ID URI as aud
 * (https://learn.microsoft.com/entra/identity-platform/access-tokens). Item 9: national-cloud authorities.
 */
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const API = '6e0c3c1a-1b4e-4a4f-9a0e-2f1d3c4b5a69';
const ROLE = 'SynchronizationData-User.Upload';

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
    INBOUND_TOKEN_AUDIENCE: API,
    ...extra,
  });
const check = async (payload: JWTPayload, extra: Record<string, string> = {}) =>
  verifyBearer(`Bearer ${await sign({ roles: [ROLE], appid: 'hr-connector', ...payload })}`, config(extra));

describe('inbound bearer tokens in the forms Entra issues', () => {
  it('accepts a v2 token: v2 issuer, client id audience', async () => {
    expect(await check({ ver: '2.0', iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, aud: API })).toEqual({
      ok: true,
      appId: 'hr-connector',
    });
  });

  it('accepts a v1 token: sts.windows.net issuer, api:// audience', async () => {
    const result = await check({ ver: '1.0', iss: `https://sts.windows.net/${TENANT}/`, aud: `api://${API}` });
    expect(result.ok).toBe(true);
  });

  it('refuses an issuer of the other version (401), another audience (401), a missing role (403)', async () => {
    expect(
      await check({ ver: '1.0', iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, aud: API }),
    ).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(
      await check({ ver: '2.0', iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, aud: 'api://someone-else' }),
    ).toMatchObject({ ok: false, status: 401 });
    const noRole = await verifyBearer(
      `Bearer ${await sign({ ver: '2.0', iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, aud: API })}`,
      config(),
    );
    expect(noRole).toMatchObject({ ok: false, status: 403 });
  });

  it('follows a national-cloud authority (US Government v2, China v1)', async () => {
    const gov = { AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us' };
    expect(
      (await check({ ver: '2.0', iss: `https://login.microsoftonline.us/${TENANT}/v2.0`, aud: API }, gov)).ok,
    ).toBe(true);
    expect(
      (await check({ ver: '2.0', iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, aud: API }, gov)).ok,
    ).toBe(false);
    const china = { AZURE_AUTHORITY_HOST: 'https://login.partner.microsoftonline.cn' };
    expect((await check({ ver: '1.0', iss: `https://sts.chinacloudapi.cn/${TENANT}/`, aud: API }, china)).ok).toBe(
      true,
    );
  });
});
