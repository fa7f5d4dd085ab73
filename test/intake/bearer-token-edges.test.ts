import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/config';
import { verifyBearer, verifyCallerToken } from '../../shared/intake/bearer-token';
import { startJwksServer, type JwksServer } from '../support/jwks-server';

/** The edges of the bearer check: a token signed by another key, the scheme's form, several caller apps. */
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const API = '6e0c3c1a-1b4e-4a4f-9a0e-2f1d3c4b5a69';
const ROLE = 'SynchronizationData-User.Upload';
const V2 = `https://login.microsoftonline.com/${TENANT}/v2.0`;

let keys: JwksServer;
let otherKeys: JwksServer;
beforeAll(async () => {
  keys = await startJwksServer();
  otherKeys = await startJwksServer();
});
afterAll(async () => {
  await keys.close();
  await otherKeys.close();
});

const config = () =>
  parseConfig({
    AZURE_TENANT_ID: TENANT,
    GRAPH_USE_MANAGED_IDENTITY: 'true',
    INBOUND_JWKS_URL: keys.jwksUrl,
    INBOUND_TOKEN_AUDIENCE: API,
  });

describe('bearer token edges', () => {
  it("a token signed by another key is refused with jose's reason, not as a claim", async () => {
    const forged = await otherKeys.sign({ ver: '2.0', iss: V2, aud: API, roles: [ROLE] });
    expect(await verifyBearer(`Bearer ${forged}`, config())).toEqual({
      ok: false,
      status: 401,
      reason: 'signature verification failed',
    });
  });

  it('the scheme must start the header', async () => {
    const token = await keys.sign({ ver: '2.0', iss: V2, aud: API, roles: [ROLE], azp: 'app-2' });
    expect(await verifyBearer(`xBearer ${token}`, config())).toMatchObject({
      ok: false,
      reason: 'missing bearer token',
    });
    expect(await verifyBearer(`Bearer ${token}`, config())).toEqual({ ok: true, appId: 'app-2' });
  });

  it('any one of several accepted caller apps', async () => {
    const token = await keys.sign({ ver: '2.0', iss: V2, aud: API, azp: 'second' });
    const expected = { audience: API, callerAppIds: ['first', 'SECOND'] };
    expect(await verifyCallerToken(`Bearer ${token}`, config(), expected)).toEqual({ ok: true, appId: 'second' });
  });
});
