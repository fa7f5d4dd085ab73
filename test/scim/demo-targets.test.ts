/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call,
   @typescript-eslint/no-unsafe-argument -- SCIM JSON answers (demo-http.ts) */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  admin,
  bjensen,
  ENTERPRISE_SCHEMA,
  ERROR_SCHEMA,
  GROUP_SCHEMA,
  LIST_SCHEMA,
  newDataDir,
  PATCH_SCHEMA,
  scim,
  startDemo,
  USER_SCHEMA,
  type DemoServer,
} from './demo-http';

/** acme-crm, the standards-compliant demo target: the request/response examples of RFC 7644 (issue 19). */
describe('SCIM demo target acme-crm (RFC 7643/7644)', () => {
  let server: DemoServer;
  beforeAll(async () => {
    server = await startDemo();
  });
  afterAll(async () => server?.close());
  beforeEach(async () => {
    await admin(server, 'acme-crm', 'POST', 'reset');
  });

  const create = async (overrides: Record<string, unknown> = {}) => {
    const answer = await scim(server, 'acme-crm', 'POST', '/Users', bjensen(overrides));
    expect(answer.status).toBe(201);
    return answer.body as { id: string; meta: { location: string; version: string } };
  };

  describe('authentication (RFC 7644 §2, §3.12; RFC 6750 §3)', () => {
    it('refuses a request without a bearer token: 401, SCIM error, WWW-Authenticate challenge', async () => {
      const answer = await scim(server, 'acme-crm', 'GET', '/Users', undefined, { token: null });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer /);
      expect(answer.body).toEqual(expect.objectContaining({ schemas: [ERROR_SCHEMA], status: '401' }));
    });

    it("refuses another target's token", async () => {
      const answer = await scim(server, 'acme-crm', 'GET', '/Users', undefined, { token: 'local-globex-wiki-token' });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toContain('error="invalid_token"');
    });
  });

  describe('create (RFC 7644 §3.3)', () => {
    it('answers 201 with the resource, its id, meta, a Location header and an ETag', async () => {
      const answer = await scim(server, 'acme-crm', 'POST', '/Users', bjensen());
      expect(answer.status).toBe(201);
      expect(answer.headers.get('content-type')).toContain('application/scim+json');
      const user = answer.body;
      expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(user).toEqual(
        expect.objectContaining({
          schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
          userName: 'bjensen',
          externalId: 'bjensen',
          active: true,
          [ENTERPRISE_SCHEMA]: { employeeNumber: '701984', department: 'Tour Operations' },
        }),
      );
      expect(user.meta).toEqual(
        expect.objectContaining({
          resourceType: 'User',
          location: `${server.targetUrl('acme-crm')}/Users/${user.id}`,
          version: 'W/"1"',
        }),
      );
      expect(answer.headers.get('location')).toBe(user.meta.location);
      expect(answer.headers.get('etag')).toBe('W/"1"');
    });

    it('refuses a second user with the same userName, in any case: 409 uniqueness (RFC 7643 §4.1.1)', async () => {
      await create();
      const answer = await scim(
        server,
        'acme-crm',
        'POST',
        '/Users',
        bjensen({ userName: 'BJensen', externalId: 'x' }),
      );
      expect(answer.status).toBe(409);
      expect(answer.body).toEqual(expect.objectContaining({ schemas: [ERROR_SCHEMA], status: '409' }));
      expect(answer.body.scimType).toBe('uniqueness');
    });

    it('refuses a user without userName (RFC 7643 §4.1.1) and a string boolean (RFC 7643 §2.3.2)', async () => {
      const noName = await scim(server, 'acme-crm', 'POST', '/Users', { schemas: [USER_SCHEMA], active: true });
      expect(noName.status).toBe(400);
      const stringBoolean = await scim(server, 'acme-crm', 'POST', '/Users', bjensen({ active: 'False' }));
      expect(stringBoolean.status).toBe(400);
      expect(stringBoolean.body.scimType).toBe('invalidValue');
    });

    it('matches attribute names case-insensitively (RFC 7643 §2.1)', async () => {
      const answer = await scim(server, 'acme-crm', 'POST', '/Users', {
        schemas: [USER_SCHEMA],
        USERNAME: 'upper',
        Active: false,
      });
      expect(answer.status).toBe(201);
      expect(answer.body).toEqual(expect.objectContaining({ userName: 'upper', active: false }));
    });
  });

  describe('read (RFC 7644 §3.4.1)', () => {
    it('returns the resource by id, and 404 with a SCIM error for an unknown id', async () => {
      const { id } = await create();
      const found = await scim(server, 'acme-crm', 'GET', `/Users/${id}`);
      expect(found.status).toBe(200);
      expect(found.body).toEqual(expect.objectContaining({ id, userName: 'bjensen' }));
      expect(found.headers.get('etag')).toBe('W/"1"');
      const missing = await scim(server, 'acme-crm', 'GET', '/Users/2819c223-7f76-453a-919d-413861904646');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual(expect.objectContaining({ schemas: [ERROR_SCHEMA], status: '404' }));
    });
  });

  describe('query (RFC 7644 §3.4.2)', () => {
    it('filters on userName case-insensitively and answers a ListResponse', async () => {
      const { id } = await create();
      await create({ userName: 'other', externalId: 'other' });
      const answer = await scim(
        server,
        'acme-crm',
        'GET',
        `/Users?filter=${encodeURIComponent('userName eq "BJENSEN"')}`,
      );
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(expect.objectContaining({ schemas: [LIST_SCHEMA], totalResults: 1, startIndex: 1 }));
      expect(answer.body.Resources.map((u: { id: string }) => u.id)).toEqual([id]);
    });

    it('filters on externalId exactly (caseExact, RFC 7643 §3.1)', async () => {
      await create({ externalId: 'E-1001' });
      const exact = await scim(
        server,
        'acme-crm',
        'GET',
        `/Users?filter=${encodeURIComponent('externalId eq "E-1001"')}`,
      );
      expect(exact.body.totalResults).toBe(1);
      const other = await scim(
        server,
        'acme-crm',
        'GET',
        `/Users?filter=${encodeURIComponent('externalId eq "e-1001"')}`,
      );
      expect(other.body.totalResults).toBe(0);
    });

    it('answers 200 with an empty ListResponse when nothing matches (never 404)', async () => {
      const answer = await scim(
        server,
        'acme-crm',
        'GET',
        `/Users?filter=${encodeURIComponent('userName eq "nobody"')}`,
      );
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(expect.objectContaining({ totalResults: 0, Resources: [] }));
    });

    it('filters on sub-attributes, extension attributes and with "and"', async () => {
      const { id } = await create();
      await create({
        userName: 'other',
        externalId: 'other',
        name: { familyName: 'Other' },
        emails: [{ value: 'other@example.com', type: 'work' }],
        [ENTERPRISE_SCHEMA]: { employeeNumber: '2' },
      });
      const filters = [
        'emails[type eq "work" and value co "bjensen"]',
        'emails.value eq "BJENSEN@example.com"',
        `${ENTERPRISE_SCHEMA}:employeeNumber eq "701984" and userName eq "bjensen"`,
        'name.familyName sw "jen" and active eq true',
      ];
      for (const filter of filters) {
        const answer = await scim(server, 'acme-crm', 'GET', `/Users?filter=${encodeURIComponent(filter)}`);
        expect({ filter, ids: answer.body.Resources?.map((u: { id: string }) => u.id) }).toEqual({ filter, ids: [id] });
      }
    });

    it('answers "userName eq or externalId eq" (the look-up in one request) with each rule of case', async () => {
      const { id } = await create();
      const { id: other } = await create({ userName: 'other', externalId: 'other-1' });
      const ids = async (filter: string): Promise<string[]> => {
        const answer = await scim(server, 'acme-crm', 'GET', `/Users?filter=${encodeURIComponent(filter)}`);
        return ((answer.body.Resources ?? []) as { id: string }[]).map((u) => u.id).sort();
      };
      expect(await ids('userName eq "BJENSEN" or externalId eq "nobody"')).toEqual([id]);
      expect(await ids('userName eq "nobody" or externalId eq "other-1"')).toEqual([other]);
      expect(await ids('userName eq "bjensen" or externalId eq "other-1"')).toEqual([id, other].sort());
      // externalId is caseExact (RFC 7643 §3.1): another case matches nobody.
      expect(await ids('userName eq "nobody" or externalId eq "OTHER-1"')).toEqual([]);
    });

    it('refuses a filter it cannot parse: 400 invalidFilter', async () => {
      const answer = await scim(server, 'acme-crm', 'GET', `/Users?filter=${encodeURIComponent('userName eq')}`);
      expect(answer.status).toBe(400);
      expect(answer.body.scimType).toBe('invalidFilter');
    });

    it('filters groups on displayName', async () => {
      const group = await scim(server, 'acme-crm', 'POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Tour Guides',
      });
      const answer = await scim(
        server,
        'acme-crm',
        'GET',
        `/Groups?filter=${encodeURIComponent('displayName eq "tour guides"')}`,
      );
      expect(answer.body.Resources.map((g: { id: string }) => g.id)).toEqual([group.body.id]);
    });

    it('leaves members out on request (excludedAttributes=members, RFC 7644 §3.4.2.5)', async () => {
      const user = await create();
      const group = await scim(server, 'acme-crm', 'POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Tour Guides',
        members: [{ value: user.id }],
      });
      const answer = await scim(server, 'acme-crm', 'GET', `/Groups/${group.body.id}?excludedAttributes=members`);
      expect(answer.body.displayName).toBe('Tour Guides');
      expect(answer.body).not.toHaveProperty('members');
    });
  });

  describe('paging (RFC 7644 §3.4.2.4)', () => {
    beforeEach(async () => {
      for (let i = 1; i <= 5; i++) await create({ userName: `user${i}`, externalId: `e${i}` });
    });

    it('returns count resources from startIndex (1-based) with totalResults', async () => {
      const answer = await scim(server, 'acme-crm', 'GET', '/Users?startIndex=2&count=2');
      expect(answer.body).toEqual(expect.objectContaining({ totalResults: 5, startIndex: 2, itemsPerPage: 2 }));
      expect(answer.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(['user2', 'user3']);
    });

    it('walks every resource once, page after page', async () => {
      const seen: string[] = [];
      for (let start = 1; ; start += 2) {
        const page = await scim(server, 'acme-crm', 'GET', `/Users?startIndex=${start}&count=2`);
        seen.push(...page.body.Resources.map((u: { userName: string }) => u.userName));
        if (start + 2 > page.body.totalResults) break;
      }
      expect(seen).toEqual(['user1', 'user2', 'user3', 'user4', 'user5']);
    });

    it('answers an empty page past the end, still with totalResults', async () => {
      const answer = await scim(server, 'acme-crm', 'GET', '/Users?startIndex=10&count=2');
      expect(answer.status).toBe(200);
      expect(answer.body.Resources ?? []).toEqual([]);
      expect(answer.body.totalResults).toBe(5);
    });

    it('count=0 gives only totalResults; a count above maxResults is lowered to it', async () => {
      const none = await scim(server, 'acme-crm', 'GET', '/Users?count=0');
      expect(none.body.totalResults).toBe(5);
      expect(none.body.Resources ?? []).toEqual([]);
      const many = await scim(server, 'acme-crm', 'GET', '/Users?count=100000');
      expect(many.body.itemsPerPage).toBe(200);
    });
  });

  describe('PATCH (RFC 7644 §3.5.2)', () => {
    const patch = (path: string, ...Operations: Record<string, unknown>[]) =>
      scim(server, 'acme-crm', 'PATCH', path, { schemas: [PATCH_SCHEMA], Operations });

    it('add: a member to a group (§3.5.2.1 example), and a single-valued attribute', async () => {
      const user = await create();
      const group = await scim(server, 'acme-crm', 'POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Tour Guides',
      });
      expect(group.status).toBe(201);
      expect(group.body.members ?? []).toEqual([]);
      const added = await patch(`/Groups/${group.body.id}`, {
        op: 'add',
        path: 'members',
        value: [{ display: 'Babs Jensen', $ref: user.meta.location, value: user.id }],
      });
      expect(added.status).toBe(200);
      expect(added.body.members.map((m: { value: string }) => m.value)).toEqual([user.id]);
      const nick = await patch(`/Users/${user.id}`, { op: 'Add', path: 'nickName', value: 'Babs' });
      expect(nick.body.nickName).toBe('Babs');
    });

    it('replace: with a value-filter path, a sub-attribute path and without path', async () => {
      const user = await create();
      const replaced = await patch(
        `/Users/${user.id}`,
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@example.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      );
      expect(replaced.status).toBe(200);
      expect(replaced.body.emails).toEqual([
        { value: 'updatedEmail@example.com', type: 'work', primary: true },
        { value: 'babs@jensen.org', type: 'home' },
      ]);
      expect(replaced.body.name.familyName).toBe('updatedFamilyName');
      const pathless = await patch(`/Users/${user.id}`, {
        op: 'replace',
        value: { displayName: 'Babs', 'name.givenName': 'Barb', [`${ENTERPRISE_SCHEMA}:department`]: 'Sales' },
      });
      expect(pathless.body).toEqual(
        expect.objectContaining({
          displayName: 'Babs',
          [ENTERPRISE_SCHEMA]: expect.objectContaining({ department: 'Sales' }),
        }),
      );
      expect(pathless.body.name.givenName).toBe('Barb');
      expect(pathless.body.meta.version).toBe('W/"3"');
    });

    it('matches attribute names in PATCH paths and values case-insensitively (RFC 7643 §2.1)', async () => {
      const user = await create();
      const answer = await patch(
        `/Users/${user.id}`,
        { op: 'replace', path: 'EMAILS[TYPE eq "work"].VALUE', value: 'upper@example.com' },
        { op: 'replace', path: `${ENTERPRISE_SCHEMA.toLowerCase()}:DEPARTMENT`, value: 'Sales' },
        { op: 'replace', value: { DISPLAYNAME: 'Babs', 'NAME.GIVENNAME': 'Barb' } },
      );
      expect(answer.status).toBe(200);
      expect(answer.body.emails[0].value).toBe('upper@example.com');
      expect(answer.body[ENTERPRISE_SCHEMA].department).toBe('Sales');
      expect(answer.body.displayName).toBe('Babs');
      expect(answer.body.name.givenName).toBe('Barb');
    });

    it('replace active: false deactivates the user, who is still returned (soft delete)', async () => {
      const user = await create();
      const disabled = await patch(`/Users/${user.id}`, { op: 'replace', path: 'active', value: false });
      expect(disabled.body.active).toBe(false);
      const query = await scim(
        server,
        'acme-crm',
        'GET',
        `/Users?filter=${encodeURIComponent('userName eq "bjensen"')}`,
      );
      expect(query.body.Resources[0].active).toBe(false);
    });

    it('remove: a member by value filter (§3.5.2.2 example), an email by filter, an attribute', async () => {
      const a = await create();
      const b = await create({ userName: 'other', externalId: 'other' });
      const group = await scim(server, 'acme-crm', 'POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Tour Guides',
        members: [{ value: a.id }, { value: b.id }],
      });
      const removed = await patch(`/Groups/${group.body.id}`, { op: 'remove', path: `members[value eq "${a.id}"]` });
      expect(removed.body.members.map((m: { value: string }) => m.value)).toEqual([b.id]);
      const email = await patch(`/Users/${a.id}`, { op: 'remove', path: 'emails[type eq "home"]' });
      expect(email.body.emails.map((e: { type: string }) => e.type)).toEqual(['work']);
      const nameGone = await patch(`/Users/${a.id}`, { op: 'remove', path: 'name' });
      expect(nameGone.body.name).toBeUndefined();
    });

    it('refuses remove without path (400 noTarget) and an unknown attribute path (400 invalidPath)', async () => {
      const user = await create();
      const noTarget = await patch(`/Users/${user.id}`, { op: 'remove' });
      expect(noTarget.status).toBe(400);
      expect(noTarget.body.scimType).toBe('noTarget');
      const badPath = await patch(`/Users/${user.id}`, { op: 'replace', path: 'noSuchAttribute', value: 'x' });
      expect(badPath.status).toBe(400);
      expect(badPath.body.scimType).toBe('invalidPath');
    });

    it('refuses a member that is not a user or group of the target: 400 invalidValue', async () => {
      const group = await scim(server, 'acme-crm', 'POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'G' });
      const answer = await patch(`/Groups/${group.body.id}`, {
        op: 'add',
        path: 'members',
        value: [{ value: 'nope' }],
      });
      expect(answer.status).toBe(400);
      expect(answer.body.scimType).toBe('invalidValue');
    });

    it('PATCH of an unknown id is 404', async () => {
      const answer = await patch('/Users/2819c223-7f76-453a-919d-413861904646', {
        op: 'replace',
        path: 'active',
        value: false,
      });
      expect(answer.status).toBe(404);
    });
  });

  describe('replace with PUT (RFC 7644 §3.5.1) and ETags (§3.14)', () => {
    it('replaces the attributes and bumps the version', async () => {
      const user = await create();
      const answer = await scim(server, 'acme-crm', 'PUT', `/Users/${user.id}`, {
        schemas: [USER_SCHEMA],
        userName: 'bjensen',
        externalId: 'bjensen',
        displayName: 'Barbara Jensen',
        active: true,
      });
      expect(answer.status).toBe(200);
      expect(answer.body.displayName).toBe('Barbara Jensen');
      expect(answer.body.emails).toBeUndefined();
      expect(answer.body.meta.version).toBe('W/"2"');
    });

    it("refuses a PUT that takes another user's userName: 409 uniqueness", async () => {
      await create();
      const other = await create({ userName: 'other', externalId: 'other' });
      const answer = await scim(server, 'acme-crm', 'PUT', `/Users/${other.id}`, {
        schemas: [USER_SCHEMA],
        userName: 'BJENSEN',
      });
      expect(answer.status).toBe(409);
      expect(answer.body.scimType).toBe('uniqueness');
    });

    it('applies a write whose If-Match names the current version, refuses a stale one with 412', async () => {
      const user = await create();
      const body = { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'active', value: false }] };
      const fresh = await scim(server, 'acme-crm', 'PATCH', `/Users/${user.id}`, body, {
        headers: { 'if-match': 'W/"1"' },
      });
      expect(fresh.status).toBe(200);
      expect(fresh.headers.get('etag')).toBe('W/"2"');
      const stale = await scim(server, 'acme-crm', 'PATCH', `/Users/${user.id}`, body, {
        headers: { 'if-match': 'W/"1"' },
      });
      expect(stale.status).toBe(412);
      expect(stale.body).toEqual(expect.objectContaining({ schemas: [ERROR_SCHEMA], status: '412' }));
    });
  });

  describe('delete (RFC 7644 §3.6)', () => {
    it('answers 204, then 404 for the deleted user, who also leaves every group', async () => {
      const user = await create();
      const group = await scim(server, 'acme-crm', 'POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'G',
        members: [{ value: user.id }],
      });
      const deleted = await scim(server, 'acme-crm', 'DELETE', `/Users/${user.id}`);
      expect(deleted.status).toBe(204);
      expect(deleted.body).toBeUndefined();
      expect((await scim(server, 'acme-crm', 'GET', `/Users/${user.id}`)).status).toBe(404);
      expect((await scim(server, 'acme-crm', 'DELETE', `/Users/${user.id}`)).status).toBe(404);
      const after = await scim(server, 'acme-crm', 'GET', `/Groups/${group.body.id}`);
      expect(after.body.members ?? []).toEqual([]);
    });
  });

  describe('discovery (RFC 7644 §4)', () => {
    it('ServiceProviderConfig announces patch, filter, sort, ETags and bulk', async () => {
      const answer = await scim(server, 'acme-crm', 'GET', '/ServiceProviderConfig');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(
        expect.objectContaining({
          patch: { supported: true },
          filter: { supported: true, maxResults: 200 },
          etag: { supported: true },
          bulk: expect.objectContaining({ supported: true, maxOperations: 50 }),
          authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken' })],
        }),
      );
    });

    it('Schemas and ResourceTypes describe User (with the enterprise extension) and Group', async () => {
      const schemas = await scim(server, 'acme-crm', 'GET', '/Schemas');
      expect(schemas.body.Resources.map((s: { id: string }) => s.id)).toEqual(
        expect.arrayContaining([USER_SCHEMA, ENTERPRISE_SCHEMA, GROUP_SCHEMA]),
      );
      const types = await scim(server, 'acme-crm', 'GET', '/ResourceTypes');
      expect(types.body.Resources.map((t: { name: string }) => t.name).sort()).toEqual(['Group', 'User']);
    });
  });

  describe('bulk (RFC 7644 §3.7)', () => {
    it('creates users in one BulkRequest', async () => {
      const answer = await scim(server, 'acme-crm', 'POST', '/Bulk', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'q1', data: bjensen({ userName: 'bulk1', externalId: 'b1' }) },
          { method: 'POST', path: '/Users', bulkId: 'q2', data: bjensen({ userName: 'bulk2', externalId: 'b2' }) },
        ],
      });
      expect(answer.status).toBe(200);
      expect(answer.body.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '201']);
      const state = await admin(server, 'acme-crm', 'GET', 'state');
      expect(state.body.users.map((u: { userName: string }) => u.userName).sort()).toEqual(['bulk1', 'bulk2']);
      // The cheap counts a bench polls agree with the state.
      const counts = await admin(server, 'acme-crm', 'GET', 'counts');
      expect(counts.body).toEqual({ users: 2, userExternalIds: 2, groups: 0 });
    });
  });

  it('answers each target with its own locations and configuration when requests interleave', async () => {
    await admin(server, 'globex-wiki', 'POST', 'reset');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2
          ? scim(server, 'acme-crm', 'POST', '/Users', bjensen({ userName: `a${i}`, externalId: `a${i}` }))
          : scim(server, 'globex-wiki', 'GET', '/ServiceProviderConfig'),
      ),
    );
    for (const [i, answer] of answers.entries()) {
      if (i % 2) expect(answer.body.meta.location).toContain('/_local/scim/acme-crm/v2/Users/');
      else expect(answer.body.bulk.supported).toBe(false);
    }
  });

  it('serves globex-wiki while an acme-crm request body is still arriving, each with its configuration', async () => {
    // scimmy's configuration is process-wide (scimmy-lock.ts). Configured before the body was read, the acme-crm
    // bulk request would have found globex-wiki's (bulk unsupported: 501); holding the lock while the body was
    // read, it would have kept globex-wiki waiting on a slow (or stalled) client.
    const body = JSON.stringify({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [{ method: 'POST', path: '/Users', bulkId: 'q1', data: bjensen() }],
    });
    let finishUpload = () => {};
    const bulk = new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        new URL(`${server.targetUrl('acme-crm')}/Bulk`),
        {
          method: 'POST',
          headers: {
            authorization: 'Bearer local-acme-crm-token',
            'content-type': 'application/scim+json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('error', reject);
      request.write(body.slice(0, 10));
      finishUpload = () => request.end(body.slice(10));
    });
    // Let the partial upload reach the server before globex-wiki is asked (ordering only; nothing timed is asserted).
    await new Promise((resolve) => setTimeout(resolve, 100));
    const globex = await scim(server, 'globex-wiki', 'GET', '/ServiceProviderConfig');
    expect(globex.body.bulk.supported).toBe(false);
    finishUpload();
    expect(await bulk).toBe(200);
  });
});

describe('SCIM demo targets started twice in one process', () => {
  it("keep each target's ServiceProviderConfig (scimmy's configuration is process-wide)", async () => {
    const first = await startDemo();
    try {
      expect((await scim(first, 'globex-wiki', 'GET', '/ServiceProviderConfig')).body.bulk.supported).toBe(false);
      const second = await startDemo();
      await second.close();
      expect((await scim(first, 'globex-wiki', 'GET', '/ServiceProviderConfig')).body.bulk.supported).toBe(false);
      expect((await scim(first, 'acme-crm', 'GET', '/ServiceProviderConfig')).body.bulk.supported).toBe(true);
    } finally {
      await first.close();
    }
  });
});

describe('SCIM demo targets persist across a restart', () => {
  it('keeps users and groups in the data folder', async () => {
    const dataDir = newDataDir();
    const first = await startDemo(dataDir);
    const created = await scim(first, 'acme-crm', 'POST', '/Users', bjensen());
    await scim(first, 'globex-wiki', 'POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Wiki Editors' });
    await first.close();
    const second = await startDemo(dataDir);
    try {
      const read = await scim(second, 'acme-crm', 'GET', `/Users/${created.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body.userName).toBe('bjensen');
      const groups = await admin(second, 'globex-wiki', 'GET', 'state');
      expect(groups.body.groups.map((g: { displayName: string }) => g.displayName)).toEqual(['Wiki Editors']);
      expect((await admin(second, 'acme-crm', 'GET', 'state')).body.users).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});
