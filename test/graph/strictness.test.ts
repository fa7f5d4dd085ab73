import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGraphEmulatorServer } from '../../local/emulators/graph/graph-emulator-extension';
import type { UserDoc } from '../../local/emulators/graph/store';

/**
 * The Graph emulator refuses what Microsoft Graph refuses, with Graph's status code and OData error body. Each
 * case sends a request Graph would refuse (raw HTTP, no adapter in between) next to one it accepts.
 */
const TENANT = '11111111-1111-4111-8111-111111111111';
const G = (n: number) => `a0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const DYNAMIC_GROUP = G(16);
const ROLE_ASSIGNABLE_GROUP = G(17);
const HELPDESK_ROLE = 'c0000000-0000-4000-8000-000000000001';
const FRANCE_UNIT = 'd0000000-0000-4000-8000-000000000001';
const SERVICE_UNIT = 'd0000000-0000-4000-8000-000000000002';

interface GraphAnswer {
  status: number;
  body: {
    value?: Record<string, unknown>[];
    '@odata.nextLink'?: string;
    '@odata.count'?: number;
    responses?: { id: string; status: number; body?: GraphAnswer['body'] }[];
    error?: { code: string; message: string; innerError?: Record<string, string> };
  };
}

describe('Graph emulator strictness (what Graph refuses, the emulator refuses)', () => {
  let server: Awaited<ReturnType<typeof startGraphEmulatorServer>>;
  let appToken: string;

  const tokenWithRoles = async (roles: string[]): Promise<string> =>
    (
      (await (
        await fetch(`${server.baseUrl}/_local/entra/_admin/token`, {
          method: 'POST',
          body: JSON.stringify({ aud: 'https://graph.microsoft.com', roles }),
        })
      ).json()) as { access_token: string }
    ).access_token;

  /** `target` is a path after /v1.0 or an absolute URL (a nextLink). */
  const graph = async (
    method: string,
    target: string,
    options: { body?: unknown; headers?: Record<string, string>; token?: string } = {},
  ): Promise<GraphAnswer> => {
    const url = target.startsWith('http') ? target : `${server.baseUrl}/_local/graph/v1.0${target}`;
    const res = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${options.token ?? appToken}`,
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as GraphAnswer['body']) : {} };
  };

  const filter = (f: string, extra = '') => `/users?$filter=${encodeURIComponent(f)}${extra}`;
  const quoted = (values: string[]) => values.map((v) => `'${v}'`).join(',');
  const upns = (n: number) => Array.from({ length: n }, (_, i) => `candidate.${i}@contoso.com`);
  const eventual = { consistencylevel: 'eventual' };

  const expectGraphError = (answer: GraphAnswer, status: number, code: string, message?: RegExp) => {
    expect(answer.status).toBe(status);
    expect(answer.body.error?.code).toBe(code);
    if (message) expect(answer.body.error?.message).toMatch(message);
    // Graph's error envelope (https://learn.microsoft.com/graph/errors): innerError with request ids and date.
    expect(answer.body.error?.innerError).toEqual(
      expect.objectContaining({ 'request-id': expect.any(String), date: expect.any(String) }),
    );
  };

  const seedUsers = (count: number, extra: Partial<UserDoc> = {}): UserDoc[] => {
    const users: UserDoc[] = [];
    server.emulator.api.store.db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const user: UserDoc = {
          id: `e0000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          userPrincipalName: `paged.${i}@contoso.com`,
          mailNickname: `paged.${i}`,
          displayName: `Paged ${i}`,
          accountEnabled: true,
          createdDateTime: new Date(0).toISOString(),
          deletedDateTime: null,
          signInSessionsValidFromDateTime: null,
          assignedLicenses: [],
          ...extra,
        };
        server.emulator.api.store.saveUser(user);
        users.push(user);
      }
    })();
    return users;
  };

  const newUserBody = (name: string, extra: Record<string, unknown> = {}) => ({
    accountEnabled: false,
    displayName: name,
    mailNickname: name,
    userPrincipalName: `${name}@contoso.com`,
    passwordProfile: { password: 'Secret-123-abc!' },
    ...extra,
  });

  beforeAll(async () => {
    server = await startGraphEmulatorServer({ dataDir: mkdtempSync(path.join(tmpdir(), 'jml-graph-strict-')) });
    appToken = (
      (await (
        await fetch(`${server.baseUrl}/_local/entra/${TENANT}/oauth2/v2.0/token`, {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: '22222222-2222-4222-8222-222222222222',
            client_secret: 'local-dev-secret',
            scope: 'https://graph.microsoft.com/.default',
          }),
        })
      ).json()) as { access_token: string }
    ).access_token;
  });
  afterAll(async () => server?.close());
  beforeEach(() => {
    server.emulator.api.seed();
    server.emulator.api.faults.serverPageSize = 0;
  });

  describe('$filter with in/or: 15 expressions, or a 2,048-character URL in advanced queries', () => {
    it('refuses an in with 16 values and accepts 15', async () => {
      expect((await graph('GET', filter(`userPrincipalName in (${quoted(upns(15))})`))).status).toBe(200);
      expectGraphError(
        await graph('GET', filter(`userPrincipalName in (${quoted(upns(16))})`)),
        400,
        'Request_UnsupportedQuery',
        /Too many child clauses .* 'OR' operators: 16\. Max allowed: 15\./,
      );
    });

    it('counts every OR-combined expression of the filter, not each in alone', async () => {
      const f = `employeeId eq 'E1' or userPrincipalName in (${quoted(upns(8))}) or mailNickname in (${quoted(
        upns(7).map((u) => u.split('@')[0]!),
      )})`;
      expectGraphError(await graph('GET', filter(f)), 400, 'Request_UnsupportedQuery', /: 16\. Max allowed: 15/);
    });

    it('refuses the same GET inside a $batch', async () => {
      const answer = await graph('POST', '/$batch', {
        body: {
          requests: [{ id: '1', method: 'GET', url: filter(`userPrincipalName in (${quoted(upns(20))})`) }],
        },
      });
      expect(answer.status).toBe(200);
      expect(answer.body.responses?.[0]?.status).toBe(400);
      expect(answer.body.responses?.[0]?.body?.error?.code).toBe('Request_UnsupportedQuery');
    });

    it('with ConsistencyLevel: eventual, allows more values but refuses a URL over 2,048 characters', async () => {
      expect(
        (await graph('GET', filter(`userPrincipalName in (${quoted(upns(30))})`), { headers: eventual })).status,
      ).toBe(200);
      expectGraphError(
        await graph('GET', filter(`userPrincipalName in (${quoted(upns(90))})`), { headers: eventual }),
        400,
        'Request_UnsupportedQuery',
        /2048 characters/,
      );
    });

    it('refuses an eq value over 120 characters outside advanced queries', async () => {
      const long = `${'a'.repeat(121)}`;
      expectGraphError(await graph('GET', filter(`displayName eq '${long}'`)), 400, 'Request_UnsupportedQuery');
      expect((await graph('GET', filter(`displayName eq '${long}'`), { headers: eventual })).status).toBe(200);
    });
  });

  describe('advanced queries: $count, endsWith, ne and not need ConsistencyLevel: eventual and $count=true', () => {
    it.each([
      ['endsWith', `endsWith(userPrincipalName,'@contoso.com')`],
      ['ne', `accountEnabled ne true`],
      ['not', `not(displayName eq 'x')`],
    ])('refuses %s without the advanced query parameters', async (operator, f) => {
      const refused = new RegExp(`Operator '${operator}' is not supported because the required parameters`);
      expectGraphError(await graph('GET', filter(f)), 400, 'Request_UnsupportedQuery', refused);
      expectGraphError(await graph('GET', filter(f), { headers: eventual }), 400, 'Request_UnsupportedQuery', refused);
      expectGraphError(await graph('GET', filter(f, '&$count=true')), 400, 'Request_UnsupportedQuery', refused);
      const answer = await graph('GET', filter(f, '&$count=true'), { headers: eventual });
      expect(answer.status).toBe(200);
      expect(answer.body['@odata.count']).toEqual(expect.any(Number));
    });

    it('answers endsWith on what matches', async () => {
      const answer = await graph('GET', filter(`endsWith(userPrincipalName,'noreply@contoso.com')`, '&$count=true'), {
        headers: eventual,
      });
      expect(answer.body.value?.map((u) => u.userPrincipalName)).toEqual(['hr-noreply@contoso.com']);
    });

    it('refuses /users/$count and /groups/$count without ConsistencyLevel; ignores $count=true then', async () => {
      expectGraphError(await graph('GET', '/users/$count'), 400, 'Request_BadRequest', /\$count is not currently/);
      expectGraphError(await graph('GET', '/groups/$count'), 400, 'Request_BadRequest');
      const silent = await graph('GET', '/users?$count=true');
      expect(silent.status).toBe(200);
      expect(silent.body['@odata.count']).toBeUndefined();
    });
  });

  describe('$batch and members@odata.bind: 20 at most', () => {
    it('refuses a $batch of 21 requests and accepts 20', async () => {
      const requests = (n: number) =>
        Array.from({ length: n }, (_, i) => ({ id: String(i), method: 'GET', url: '/me' }));
      expect((await graph('POST', '/$batch', { body: { requests: requests(20) } })).status).toBe(200);
      expectGraphError(
        await graph('POST', '/$batch', { body: { requests: requests(21) } }),
        400,
        'Request_BadRequest',
        /limit of 20/,
      );
    });

    it('refuses members@odata.bind with 21 references', async () => {
      const users = seedUsers(21);
      const binds = users.map((u) => `https://graph.microsoft.com/v1.0/directoryObjects/${u.id}`);
      expectGraphError(
        await graph('PATCH', `/groups/${G(15)}`, { body: { 'members@odata.bind': binds } }),
        400,
        'Request_BadRequest',
        /20/,
      );
      expect(server.emulator.api.store.memberIdsOf(G(15))).toEqual([]);
      expect(
        (await graph('PATCH', `/groups/${G(15)}`, { body: { 'members@odata.bind': binds.slice(1) } })).status,
      ).toBe(204);
    });
  });

  describe('paging: 100 per page by default, $top 1..999, @odata.nextLink', () => {
    it('pages /users by 100 and follows nextLink to the end', async () => {
      const seeded = (await graph('GET', '/users?$top=999')).body.value!.length;
      seedUsers(150);
      const first = await graph('GET', '/users?$select=id');
      expect(first.body.value).toHaveLength(100);
      expect(first.body['@odata.nextLink']).toMatch(/\$skiptoken=/);
      const second = await graph('GET', first.body['@odata.nextLink']!);
      expect(second.body.value).toHaveLength(50 + seeded); // 150 + the demo tenant's users
      expect(second.body['@odata.nextLink']).toBeUndefined();
      expect((await graph('GET', '/users?$top=999')).body.value).toHaveLength(150 + seeded);
    });

    it.each(['1000', '0', 'abc'])('refuses $top=%s', async (top) => {
      expectGraphError(
        await graph('GET', `/users?$top=${top}`),
        400,
        'Request_UnsupportedQuery',
        /Invalid page size specified: '.*'\. Must be between 1 and 999 inclusive\./,
      );
    });

    it('pages /groups, group members and memberOf', async () => {
      const users = seedUsers(3);
      for (const u of users) server.emulator.api.store.addMember(G(1), u.id);
      for (let g = 1; g <= 5; g++) server.emulator.api.store.addMember(G(g), users[0]!.id);
      const groups = await graph('GET', '/groups?$top=10');
      expect(groups.body.value).toHaveLength(10);
      expect(groups.body['@odata.nextLink']).toBeTruthy();
      const members = await graph('GET', `/groups/${G(1)}/members?$top=2`);
      expect(members.body.value).toHaveLength(2);
      expect((await graph('GET', members.body['@odata.nextLink']!)).body.value).toHaveLength(1);
      const memberOf = await graph('GET', `/users/${users[0]!.id}/memberOf?$top=3`);
      expect(memberOf.body.value).toHaveLength(3);
      expect((await graph('GET', memberOf.body['@odata.nextLink']!)).body.value).toHaveLength(2);
      expectGraphError(
        await graph('GET', `/users/${users[0]!.id}/memberOf?$top=1000`),
        400,
        'Request_UnsupportedQuery',
      );
    });
  });

  describe('memberOf: groups, directory roles and administrative units, each with its @odata.type', () => {
    it('reports every kind of membership, dynamic ones from their rule', async () => {
      const [user] = seedUsers(1, { department: 'Engineering', country: 'FR' });
      expect((await graph('POST', `/groups/${G(3)}/members/$ref`, { body: ref(user!.id) })).status).toBe(204);
      expect(
        (await graph('POST', `/groups/${ROLE_ASSIGNABLE_GROUP}/members/$ref`, { body: ref(user!.id) })).status,
      ).toBe(204);
      expect(
        (await graph('POST', `/directoryRoles/${HELPDESK_ROLE}/members/$ref`, { body: ref(user!.id) })).status,
      ).toBe(204);
      const answer = await graph('GET', `/users/${user!.id}/memberOf?$select=id,displayName`);
      const byId = new Map(answer.body.value!.map((o) => [o.id, o['@odata.type']]));
      expect(Object.fromEntries(byId)).toEqual({
        [G(3)]: '#microsoft.graph.group',
        [DYNAMIC_GROUP]: '#microsoft.graph.group',
        [ROLE_ASSIGNABLE_GROUP]: '#microsoft.graph.group',
        [HELPDESK_ROLE]: '#microsoft.graph.directoryRole',
        [FRANCE_UNIT]: '#microsoft.graph.administrativeUnit',
      });
    });

    it('seeds the demo tenant with a directory role, administrative units and a dynamic group', async () => {
      expect((await graph('GET', '/directoryRoles')).body.value?.map((r) => r.displayName)).toContain(
        'Helpdesk Administrator',
      );
      const units = (await graph('GET', '/directory/administrativeUnits')).body.value!;
      expect(units.map((u) => u.id)).toEqual([FRANCE_UNIT, SERVICE_UNIT]);
      const dynamic = (await graph('GET', `/groups/${DYNAMIC_GROUP}`)).body as unknown as Record<string, unknown>;
      expect(dynamic.groupTypes).toEqual(['DynamicMembership']);
    });
  });

  describe('dynamic membership: member writes refused', () => {
    it('refuses adding, binding and removing members of a dynamic group', async () => {
      const [user] = seedUsers(1, { department: 'Engineering' });
      const target = `https://graph.microsoft.com/v1.0/directoryObjects/${user!.id}`;
      expectGraphError(
        await graph('POST', `/groups/${DYNAMIC_GROUP}/members/$ref`, { body: ref(user!.id) }),
        400,
        'Request_BadRequest',
        /dynamic membership/,
      );
      expectGraphError(
        await graph('PATCH', `/groups/${DYNAMIC_GROUP}`, { body: { 'members@odata.bind': [target] } }),
        400,
        'Request_BadRequest',
        /dynamic membership/,
      );
      expectGraphError(
        await graph('DELETE', `/groups/${DYNAMIC_GROUP}/members/${user!.id}/$ref`),
        400,
        'Request_BadRequest',
        /dynamic membership/,
      );
      expect((await graph('GET', `/groups/${DYNAMIC_GROUP}/members`)).body.value?.map((u) => u.id)).toEqual([user!.id]);
    });

    it('refuses member writes to a dynamic administrative unit', async () => {
      const [user] = seedUsers(1);
      expectGraphError(
        await graph('POST', `/directory/administrativeUnits/${FRANCE_UNIT}/members/$ref`, { body: ref(user!.id) }),
        400,
        'Request_BadRequest',
      );
      expect(
        (await graph('POST', `/directory/administrativeUnits/${SERVICE_UNIT}/members/$ref`, { body: ref(user!.id) }))
          .status,
      ).toBe(204);
    });
  });

  describe('user property limits on create and update', () => {
    it.each([
      ['employeeId over 16 characters', { employeeId: 'E'.repeat(17) }, 'employeeId'],
      ['displayName over 256 characters', { displayName: 'd'.repeat(257) }, 'displayName'],
      ['mailNickname over 64 characters', { mailNickname: 'n'.repeat(65) }, 'mailNickname'],
      ['mailNickname with a space', { mailNickname: 'ada lovelace' }, 'mailNickname'],
      ['mailNickname outside ASCII', { mailNickname: 'adélaïde' }, 'mailNickname'],
      ['mailNickname with a colon', { mailNickname: 'ada:l' }, 'mailNickname'],
      ['a UPN with an accent', { userPrincipalName: 'adé@contoso.com' }, 'userPrincipalName'],
      ['a UPN with +', { userPrincipalName: 'ada+1@contoso.com' }, 'userPrincipalName'],
      ['a UPN with a period before @', { userPrincipalName: 'ada.@contoso.com' }, 'userPrincipalName'],
      [
        'a UPN over 64 characters before @',
        { userPrincipalName: `${'u'.repeat(65)}@contoso.com` },
        'userPrincipalName',
      ],
      ['a UPN on an unverified domain', { userPrincipalName: 'ada@fabrikam.com' }, 'userPrincipalName'],
    ])('refuses %s', async (_case, extra, property) => {
      const answer = await graph('POST', '/users', { body: newUserBody('limits', extra) });
      expectGraphError(answer, 400, 'Request_BadRequest', new RegExp(property));
      expect(server.emulator.api.store.findUserByUpn('limits@contoso.com')).toBeNull();
    });

    it('accepts the limits themselves', async () => {
      const answer = await graph('POST', '/users', {
        body: newUserBody('n'.repeat(64), { employeeId: 'E'.repeat(16), displayName: 'd'.repeat(256) }),
      });
      expect(answer.status).toBe(201);
    });

    it('refuses to clear displayName or give it 257 characters on update', async () => {
      const [user] = seedUsers(1);
      expectGraphError(
        await graph('PATCH', `/users/${user!.id}`, { body: { displayName: '' } }),
        400,
        'Request_BadRequest',
      );
      expectGraphError(
        await graph('PATCH', `/users/${user!.id}`, { body: { displayName: 'x'.repeat(257) } }),
        400,
        'Request_BadRequest',
      );
      expectGraphError(
        await graph('PATCH', `/users/${user!.id}`, { body: { employeeId: '12345678901234567' } }),
        400,
        'Request_BadRequest',
      );
    });
  });

  describe('employeeLeaveDateTime: written only with User-LifeCycleInfo.ReadWrite.All', () => {
    it('answers 403 to a token without the role, directly and inside a $batch', async () => {
      const [user] = seedUsers(1);
      const token = await tokenWithRoles(['User.ReadWrite.All']);
      const body = { employeeLeaveDateTime: '2027-01-31T17:00:00Z' };
      expectGraphError(
        await graph('PATCH', `/users/${user!.id}`, { body, token }),
        403,
        'Authorization_RequestDenied',
        /Insufficient privileges/,
      );
      expectGraphError(
        await graph('POST', '/users', { body: newUserBody('noleave', body), token }),
        403,
        'Authorization_RequestDenied',
      );
      const batch = await graph('POST', '/$batch', {
        token,
        body: {
          requests: [
            {
              id: '1',
              method: 'PATCH',
              url: `/users/${user!.id}`,
              body,
              headers: { 'Content-Type': 'application/json' },
            },
          ],
        },
      });
      expect(batch.body.responses?.[0]?.status).toBe(403);
      expect(server.emulator.api.store.getUser(user!.id)?.employeeLeaveDateTime).toBeUndefined();
    });

    it("accepts it with the app's default local token (which holds the role)", async () => {
      const [user] = seedUsers(1);
      const body = { employeeLeaveDateTime: '2027-01-31T17:00:00Z' };
      expect((await graph('PATCH', `/users/${user!.id}`, { body })).status).toBe(204);
      expect(server.emulator.api.store.getUser(user!.id)?.employeeLeaveDateTime).toBe('2027-01-31T17:00:00Z');
    });
  });

  describe('admin endpoints (issue 23)', () => {
    it.each(['/_local/graph/_admin/faults', '/_local/graph/_admin/reset', '/_local/entra/_admin/token'])(
      '%s answers 400 with a reason to malformed JSON',
      async (adminPath) => {
        for (const body of ['{', '[1]', '"x"']) {
          const res = await fetch(`${server.baseUrl}${adminPath}`, { method: 'POST', body });
          expect(res.status).toBe(400);
          expect(((await res.json()) as { error: string }).error).toMatch(/JSON/);
        }
      },
    );
  });
});

function ref(id: string): { '@odata.id': string } {
  return { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` };
}
