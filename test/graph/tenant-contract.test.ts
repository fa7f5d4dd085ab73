import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/config';
import { createDirectory } from '../../shared/adapters/graph/graph-directory';

/**
 * The read-only part of the Directory contract against a real tenant. Runs when GRAPH_CONTRACT_TENANT_ID,
 * GRAPH_CONTRACT_CLIENT_ID and GRAPH_CONTRACT_CLIENT_SECRET are set; the same calls run against the local
 * emulator in graph-directory.test.ts. Write operations are not exercised against real tenants.
 */
const tenant = process.env.GRAPH_CONTRACT_TENANT_ID;
const clientId = process.env.GRAPH_CONTRACT_CLIENT_ID;
const secret = process.env.GRAPH_CONTRACT_CLIENT_SECRET;
const haveTenant = !!(tenant && clientId && secret);

describe.skipIf(!haveTenant)(
  'Directory contract against a real tenant (set GRAPH_CONTRACT_TENANT_ID/CLIENT_ID/CLIENT_SECRET to run)',
  () => {
    const directory = () =>
      createDirectory(parseConfig({ AZURE_TENANT_ID: tenant, AZURE_CLIENT_ID: clientId, AZURE_CLIENT_SECRET: secret }));

    it('answers null for an unknown employee id and lists subscribed SKUs', async () => {
      expect(await directory().findUserByEmployeeId('no-such-id-zz9')).toBeNull();
      const skus = await directory().listSubscribedSkus();
      expect(Array.isArray(skus)).toBe(true);
    });

    it('reports taken names in one call', async () => {
      const taken = await directory().takenUpnsOrNicknames([
        { userPrincipalName: 'surely-not-taken-zz9@example.invalid', mailNickname: 'surely-not-taken-zz9' },
      ]);
      expect(taken.size).toBe(0);
    });
  },
);
