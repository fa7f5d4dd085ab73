/* eslint-disable @typescript-eslint/no-unsafe-member-access,
   @typescript-eslint/no-unsafe-argument -- SCIM JSON answers (demo-http.ts) */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { admin, bjensen, GROUP_SCHEMA, PATCH_SCHEMA, scim, startDemo, USER_SCHEMA, type DemoServer } from './demo-http';

/** globex-wiki departs from RFC 7643/7644 on purpose, one quirk at a time (globex-quirks.ts). */
describe('SCIM demo target globex-wiki (quirks)', () => {
  let server: DemoServer;
  beforeAll(async () => {
    server = await startDemo();
  });
  afterAll(async () => server?.close());
  beforeEach(async () => {
    await admin(server, 'globex-wiki', 'POST', 'reset');
  });

  const create = async (overrides: Record<string, unknown> = {}) =>
    (await scim(server, 'globex-wiki', 'POST', '/Users', bjensen(overrides))).body as { id: string };
  const patch = (id: string, ...Operations: Record<string, unknown>[]) =>
    scim(server, 'globex-wiki', 'PATCH', `/Users/${id}`, { schemas: [PATCH_SCHEMA], Operations });

  it('answers 200, not 201, to a create (RFC 7644 §3.3 wants 201)', async () => {
    const answer = await scim(server, 'globex-wiki', 'POST', '/Users', bjensen());
    expect(answer.status).toBe(200);
    expect(answer.body.id).toEqual(expect.any(String));
    const group = await scim(server, 'globex-wiki', 'POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'G' });
    expect(group.status).toBe(200);
  });

  it('returns active as the string "True"/"False" (RFC 7643 §2.3.2 wants a boolean), in lists too', async () => {
    const user = await scim(server, 'globex-wiki', 'POST', '/Users', bjensen());
    expect(user.body.active).toBe('True');
    await patch(user.body.id, { op: 'replace', path: 'active', value: false });
    const read = await scim(server, 'globex-wiki', 'GET', `/Users/${user.body.id}`);
    expect(read.body.active).toBe('False');
    const list = await scim(server, 'globex-wiki', 'GET', '/Users');
    expect(list.body.Resources[0].active).toBe('False');
  });

  it('accepts "True"/"False" strings for active on create, PUT and PATCH (Entra default PATCH)', async () => {
    const user = await create({ active: 'False' });
    expect((await scim(server, 'globex-wiki', 'GET', `/Users/${user.id}`)).body.active).toBe('False');
    const enabled = await patch(user.id, { op: 'Replace', path: 'active', value: 'True' });
    expect(enabled.status).toBe(200);
    expect(enabled.body.active).toBe('True');
    const pathless = await patch(user.id, { op: 'replace', value: { active: 'False' } });
    expect(pathless.body.active).toBe('False');
    const put = await scim(server, 'globex-wiki', 'PUT', `/Users/${user.id}`, {
      schemas: [USER_SCHEMA],
      userName: 'bjensen',
      active: 'True',
    });
    expect(put.body.active).toBe('True');
  });

  it('omits meta from every resource (RFC 7643 §3.1 returns it)', async () => {
    const user = await scim(server, 'globex-wiki', 'POST', '/Users', bjensen());
    expect(user.body).not.toHaveProperty('meta');
    expect(user.headers.get('location')).toBeNull();
    expect((await scim(server, 'globex-wiki', 'GET', `/Users/${user.body.id}`)).body).not.toHaveProperty('meta');
    const list = await scim(server, 'globex-wiki', 'GET', '/Users');
    expect(list.body.Resources[0]).not.toHaveProperty('meta');
    expect((await scim(server, 'globex-wiki', 'GET', '/ServiceProviderConfig')).body).not.toHaveProperty('meta');
  });

  it('PATCH: works without path and with a plain path; refuses value-filter paths 400 invalidPath', async () => {
    const user = await create();
    const pathless = await patch(user.id, { op: 'replace', value: { displayName: 'Babs', 'name.familyName': 'J' } });
    expect(pathless.status).toBe(200);
    expect(pathless.body.displayName).toBe('Babs');
    expect(pathless.body.name.familyName).toBe('J');
    const active = await patch(user.id, { op: 'replace', path: 'active', value: false });
    expect(active.status).toBe(200);
    const filtered = await patch(user.id, {
      op: 'replace',
      path: 'emails[type eq "work"].value',
      value: 'new@example.com',
    });
    expect(filtered.status).toBe(400);
    expect(filtered.body).toEqual({ error: expect.stringContaining('invalid'), code: 400 });
    expect(filtered.body.error).toContain('emails[type eq "work"].value');
    const unchanged = await scim(server, 'globex-wiki', 'GET', `/Users/${user.id}`);
    expect(unchanged.body.emails[0].value).toBe('bjensen@example.com');
  });

  it('PATCH: a member leaves a group by the Entra default form (value array), not by a filter path', async () => {
    const user = await create();
    const group = await scim(server, 'globex-wiki', 'POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'Editors',
      members: [{ value: user.id }],
    });
    const groupPatch = (operation: Record<string, unknown>) =>
      scim(server, 'globex-wiki', 'PATCH', `/Groups/${group.body.id}`, {
        schemas: [PATCH_SCHEMA],
        Operations: [operation],
      });
    expect((await groupPatch({ op: 'remove', path: `members[value eq "${user.id}"]` })).status).toBe(400);
    expect((await groupPatch({ op: 'Remove', path: 'members', value: [{ value: user.id }] })).status).toBe(200);
    const state = await admin(server, 'globex-wiki', 'GET', 'state');
    expect(state.body.groups[0].members).toEqual([]);
  });

  it('ServiceProviderConfig says PATCH is supported and bulk is not; /Bulk answers 501', async () => {
    const config = await scim(server, 'globex-wiki', 'GET', '/ServiceProviderConfig');
    expect(config.body.patch.supported).toBe(true);
    expect(config.body.bulk.supported).toBe(false);
    expect(config.body.etag.supported).toBe(false);
    const bulk = await scim(server, 'globex-wiki', 'POST', '/Bulk', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [{ method: 'POST', path: '/Users', bulkId: 'q1', data: bjensen() }],
    });
    expect(bulk.status).toBe(501);
    expect(bulk.body).toEqual({ error: expect.any(String), code: 501 });
  });

  it('answers errors as {"error": "...", "code": N}, not the SCIM Error schema (RFC 7644 §3.12)', async () => {
    const unauthorised = await scim(server, 'globex-wiki', 'GET', '/Users', undefined, { token: null });
    expect(unauthorised.status).toBe(401);
    expect(unauthorised.body).toEqual({ error: expect.any(String), code: 401 });
    const missing = await scim(server, 'globex-wiki', 'GET', '/Users/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: expect.any(String), code: 404 });
    await create();
    const conflict = await scim(server, 'globex-wiki', 'POST', '/Users', bjensen({ userName: 'BJENSEN' }));
    expect(conflict.status).toBe(409);
    expect(conflict.body).toEqual({ error: expect.any(String), code: 409 });
  });

  it('matches attribute names case-insensitively (RFC 7643 §2.1) in bodies, filters and PATCH paths', async () => {
    const created = await scim(server, 'globex-wiki', 'POST', '/Users', {
      schemas: [USER_SCHEMA],
      USERNAME: 'MixedCase',
      ACTIVE: 'True',
      Name: { FamilyName: 'Case' },
    });
    expect(created.status).toBe(200);
    expect(created.body).toEqual(expect.objectContaining({ userName: 'MixedCase', active: 'True' }));
    const found = await scim(
      server,
      'globex-wiki',
      'GET',
      `/Users?filter=${encodeURIComponent('USERNAME eq "mixedcase"')}`,
    );
    expect(found.body.totalResults).toBe(1);
    const patched = await patch(created.body.id, { op: 'replace', path: 'NAME.FAMILYNAME', value: 'Upper' });
    expect(patched.body.name.familyName).toBe('Upper');
  });
});
