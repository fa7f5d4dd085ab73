import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHostProcess } from '../support/host-process';

const sampleApp = path.resolve(__dirname, '../fixtures/sample-app');

/** `entra-jml-host start` serves the SCIM demo targets on its own listener and lists them (built CLI). */
describe('SCIM demo targets on the local host', () => {
  it('are in the banner, take the token from the app settings, keep users across a restart', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'jml-scim-host-'));
    const env = { SCIM_DEMO_TOKEN_ACME_CRM: 'token-from-settings' };
    const first = await startHostProcess({ appRoot: sampleApp, dataDir, env });
    let id: string;
    try {
      expect(first.output()).toContain(`SCIM acme-crm    ${first.baseUrl}/_local/scim/acme-crm/v2`);
      expect(first.output()).toContain(`SCIM globex-wiki ${first.baseUrl}/_local/scim/globex-wiki/v2`);
      const users = `${first.baseUrl}/_local/scim/acme-crm/v2/Users`;
      const refused = await fetch(users, { headers: { authorization: 'Bearer local-acme-crm-token' } });
      expect(refused.status).toBe(401);
      const created = await fetch(users, {
        method: 'POST',
        headers: { authorization: 'Bearer token-from-settings', 'content-type': 'application/scim+json' },
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'host-user' }),
      });
      expect(created.status).toBe(201);
      const body = (await created.json()) as { id: string; meta: { location: string } };
      expect(body.meta.location).toBe(`${users}/${body.id}`);
      id = body.id;
      const globex = await fetch(`${first.baseUrl}/_local/scim/globex-wiki/v2/ServiceProviderConfig`, {
        headers: { authorization: 'Bearer local-globex-wiki-token' },
      });
      expect(globex.status).toBe(200);
    } finally {
      await first.stop();
    }
    const second = await startHostProcess({ appRoot: sampleApp, dataDir, env });
    try {
      const state = await fetch(`${second.baseUrl}/_local/scim/_admin/acme-crm/state`);
      const { users } = (await state.json()) as { users: { id: string; userName: string }[] };
      expect(users).toEqual([expect.objectContaining({ id, userName: 'host-user' })]);
    } finally {
      await second.stop();
    }
  });
});
