import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../shared/config/config';
import {
  ConflictError,
  createDirectory,
  graphLog,
  type GraphDirectory,
} from '../../shared/adapters/graph/graph-directory';
import { startGraphEmulatorServer } from '../../local/emulators/graph/graph-emulator-extension';

const G = (n: number) => `a0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('GraphDirectory against the local Graph emulator', () => {
  let server: Awaited<ReturnType<typeof startGraphEmulatorServer>>;
  let directory: GraphDirectory;

  beforeAll(async () => {
    server = await startGraphEmulatorServer({ dataDir: mkdtempSync(path.join(tmpdir(), 'jml-graph-')) });
    directory = createDirectory(parseConfig({ WEBSITE_HOSTNAME: server.baseUrl.replace('http://', '') }));
  });
  afterAll(async () => server?.close());
  beforeEach(() => {
    server.emulator.api.seed();
    Object.assign(server.emulator.api.faults, {
      throttleNext: 0,
      throttleNextBatchItems: 0,
      replicationLagMs: 0,
      realLimits: false,
      serverPageSize: 0,
    });
    Object.assign(server.emulator.api.stats, {
      httpRequests: 0,
      requests: 0,
      writes: 0,
      writesByKind: {},
      batches: 0,
      throttled: 0,
    });
  });

  const newUser = (n: string, extra: Record<string, unknown> = {}) => ({
    userPrincipalName: `${n}@contoso.com`,
    mailNickname: n,
    displayName: n,
    accountEnabled: false,
    password: 'Secret-123-abc!',
    employeeId: `E${n.length}${n.slice(0, 3)}`,
    usageLocation: 'FR',
    ...extra,
  });

  it('creates a user and finds it by employee id and UPN', async () => {
    const created = await directory.createUser(newUser('ada.lovelace', { employeeId: '1001' }));
    expect(created.accountEnabled).toBe(false);
    expect((await directory.findUserByEmployeeId('1001'))?.id).toBe(created.id);
    expect((await directory.findUserByUpn('ada.lovelace@contoso.com'))?.id).toBe(created.id);
    expect(await directory.findUserByEmployeeId('nope')).toBeNull();
  });

  it('maps a duplicate UPN to ConflictError naming the property', async () => {
    await directory.createUser(newUser('grace', { employeeId: '1' }));
    const error = await directory
      .createUser(newUser('grace', { employeeId: '2', mailNickname: 'grace2' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).property).toBe('userPrincipalName');
    expect((error as ConflictError).requestId).toBeTruthy();
  });

  it('finds 40 users by employee id in one round trip (filters of at most 15 inside one $batch)', async () => {
    for (let i = 0; i < 3; i++) await directory.createUser(newUser(`bulk${i}`, { employeeId: `B${i}` }));
    server.emulator.api.stats.httpRequests = 0;
    const ids = [...Array.from({ length: 37 }, (_, i) => `NONE${i}`), 'B0', 'B1', 'B2'];
    const found = await directory.findUsersByEmployeeIds(ids);
    expect([...found.keys()].sort()).toEqual(['B0', 'B1', 'B2']);
    expect(server.emulator.api.stats.httpRequests).toBe(1);
  });

  it('reads many users by object id in one round trip, leaving out ids without a user', async () => {
    const made = [];
    for (let i = 0; i < 17; i++) made.push(await directory.createUser(newUser(`byid${i}`, { employeeId: `I${i}` })));
    server.emulator.api.stats.httpRequests = 0;
    const gone = '00000000-0000-4000-8000-000000000000';
    const found = await directory.getUsers([...made.map((u) => u.id), gone, made[0]!.id]);
    expect([...found.keys()].sort()).toEqual(made.map((u) => u.id).sort());
    expect(found.get(made[3]!.id)).toMatchObject({ employeeId: 'I3', userPrincipalName: made[3]!.userPrincipalName });
    // 18 distinct ids: two filters (Graph takes 15 expressions per filter), sent in one $batch.
    expect(server.emulator.api.stats.httpRequests).toBe(1);
    expect(await directory.getUsers([])).toEqual(new Map());
  });

  it('reports taken UPNs and nicknames in one round trip', async () => {
    await directory.createUser(newUser('alan', { employeeId: '3' }));
    server.emulator.api.stats.requests = 0;
    const taken = await directory.takenUpnsOrNicknames([
      { userPrincipalName: 'alan@contoso.com', mailNickname: 'alan' },
      { userPrincipalName: 'alan2@contoso.com', mailNickname: 'alan2' },
    ]);
    expect([...taken].sort()).toEqual(['alan', 'alan@contoso.com']);
    expect(server.emulator.api.stats.requests).toBe(1);
  });

  it('finds the joiner, the taken names and the manager in one round trip', async () => {
    const boss = await directory.createUser(newUser('grace', { employeeId: 'M1' }));
    await directory.createUser(newUser('alan.t', { employeeId: 'X1' }));
    server.emulator.api.stats.httpRequests = 0;
    const found = await directory.lookupForJoiner(
      'J1',
      [
        { userPrincipalName: 'alan.t@contoso.com', mailNickname: 'alan.t' },
        { userPrincipalName: 'alan.t2@contoso.com', mailNickname: 'alan.t2' },
      ],
      'M1',
    );
    expect(server.emulator.api.stats.httpRequests).toBe(1);
    expect(found.existing).toBeNull();
    expect(found.manager?.id).toBe(boss.id);
    expect(found.taken.has('alan.t@contoso.com')).toBe(true);
    expect(found.taken.has('alan.t2@contoso.com')).toBe(false);
    expect((await directory.lookupForJoiner('J1', [], 'nobody')).manager).toBeNull();
  });

  /** 20 candidate names, as upnCandidates() makes for a common name (given.family, given.family2, ...). */
  const candidates = (base: string, n = 20) =>
    Array.from({ length: n }, (_, i) => ({
      userPrincipalName: `${base}${i ? i + 1 : ''}@contoso.com`,
      mailNickname: `${base}${i ? i + 1 : ''}`,
    }));

  it('finds a joiner, 20 candidate names and a manager in one round trip (≤ 15 expressions a filter)', async () => {
    const boss = await directory.createUser(newUser('boss.m', { employeeId: 'M20' }));
    // Taken names spread over the filters the lookup is split into: the 1st, 12th and 20th candidate.
    for (const i of [0, 11, 19]) {
      const c = candidates('ada.lovelace')[i]!;
      await directory.createUser(
        newUser(c.mailNickname, { userPrincipalName: c.userPrincipalName, employeeId: `T${i}` }),
      );
    }
    server.emulator.api.stats.httpRequests = 0;
    const found = await directory.lookupForJoiner('J20', candidates('ada.lovelace'), 'M20');
    expect(server.emulator.api.stats.httpRequests).toBe(1);
    expect(found.manager?.id).toBe(boss.id);
    expect(found.existing).toBeNull();
    expect([...found.taken].filter((n) => n.startsWith('ada') && n.includes('@')).sort()).toEqual(
      ['ada.lovelace@contoso.com', 'ada.lovelace12@contoso.com', 'ada.lovelace20@contoso.com'].sort(),
    );
    server.emulator.api.stats.httpRequests = 0;
    const taken = await directory.takenUpnsOrNicknames(candidates('ada.lovelace'));
    expect(server.emulator.api.stats.httpRequests).toBe(1);
    expect(taken.has('ada.lovelace20')).toBe(true);
  });

  it('follows @odata.nextLink when Graph answers small pages (memberOf, user lookups)', async () => {
    const user = await directory.createUser(newUser('paged', { employeeId: 'PG1' }));
    const groups = [G(1), G(3), G(5), G(7), G(9)];
    await directory.applyRelations(user.id, { addGroupIds: groups });
    for (const i of [1, 2, 3]) {
      const c = candidates('grace')[i]!;
      await directory.createUser(
        newUser(c.mailNickname, { userPrincipalName: c.userPrincipalName, employeeId: `G${i}` }),
      );
    }
    server.emulator.api.faults.serverPageSize = 2;
    expect((await directory.listGroupIds(user.id)).sort()).toEqual(groups.sort());
    const found = await directory.lookupForJoiner('PG1', candidates('grace', 4));
    expect(found.existing?.id).toBe(user.id);
    // The three taken candidates (UPN + nickname each) and the person's own account.
    expect(found.taken.size).toBe(8);
  });

  it('lists memberships with their kind: groups, dynamic and role-assignable groups, roles, units', async () => {
    const user = await directory.createUser(
      newUser('kinds', { employeeId: 'K1', department: 'Engineering', country: 'FR' }),
    );
    await directory.applyRelations(user.id, { addGroupIds: [G(3), G(17)] });
    const token = (await (
      await fetch(`${server.baseUrl}/_local/entra/_admin/token`, {
        method: 'POST',
        body: JSON.stringify({ aud: 'https://graph.microsoft.com', roles: [] }),
      })
    ).json()) as { access_token: string };
    const role = await fetch(
      `${server.baseUrl}/_local/graph/v1.0/directoryRoles/c0000000-0000-4000-8000-000000000001/members/$ref`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user.id}` }),
      },
    );
    expect(role.status).toBe(204);
    server.emulator.api.faults.serverPageSize = 2;
    const memberships = await directory.listMemberships(user.id);
    expect(Object.fromEntries(memberships.map((m) => [m.displayName, m.kind]))).toEqual({
      Engineering: 'group',
      'All Engineering (dynamic)': 'dynamicGroup',
      'Helpdesk Tier 1 (role-assignable)': 'roleAssignableGroup',
      'Helpdesk Administrator': 'directoryRole',
      France: 'administrativeUnit',
    });
    expect(memberships.filter((m) => m.keptBecause === null).map((m) => m.id)).toEqual([G(3)]);
    // listGroupIds: the groups member writes can change (assigned membership).
    expect((await directory.listGroupIds(user.id)).sort()).toEqual([G(3), G(17)].sort());
    // Removing the person from the dynamic group is refused by Graph, and reported, not hidden.
    const removal = await directory.applyRelations(user.id, { removeGroupIds: [G(16)] });
    expect(removal.failures).toEqual([expect.objectContaining({ operation: 'removeFromGroup', target: G(16) })]);
  });

  it('a user without a manager is an answer, not a warning (issue 23)', async () => {
    const user = await directory.createUser(newUser('nomanager', { employeeId: 'NM1' }));
    const warn = vi.spyOn(graphLog, 'warn');
    try {
      expect(await directory.getManagerId(user.id)).toBeNull();
      expect(await directory.getUser('b0000000-0000-4000-8000-0000000009ff')).toBeNull();
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('writes employeeLeaveDateTime with the app token (User-LifeCycleInfo.ReadWrite.All)', async () => {
    const user = await directory.createUser(newUser('leaving', { employeeId: 'L1' }));
    await directory.updateUser(user.id, { employeeLeaveDateTime: '2027-01-31T17:00:00Z' });
    expect((await directory.getUser(user.id))?.employeeLeaveDateTime).toBe('2027-01-31T17:00:00Z');
  });

  it('counts the accounts with GET /users/$count (ConsistencyLevel: eventual, text/plain)', async () => {
    const before = await directory.countUsers();
    await directory.createUser(newUser('counted', { employeeId: 'CNT1' }));
    expect(await directory.countUsers()).toBe(before + 1);
    // Without the advanced-query header Graph refuses $count.
    const token = (await (
      await fetch(`${server.baseUrl}/_local/entra/11111111-1111-4111-8111-111111111111/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: '22222222-2222-4222-8222-222222222222',
          client_secret: 'local-dev-secret',
          scope: 'https://graph.microsoft.com/.default',
        }),
      })
    ).json()) as { access_token: string };
    const bare = await fetch(`${server.baseUrl}/_local/graph/v1.0/users/$count`, {
      headers: { authorization: `Bearer ${token.access_token}` },
    });
    expect(bare.status).toBe(400);
  });

  it('applies manager and groups in one $batch and is idempotent', async () => {
    const boss = await directory.createUser(newUser('boss', { employeeId: '10' }));
    const user = await directory.createUser(newUser('worker', { employeeId: '11' }));
    server.emulator.api.stats.batches = 0;
    const groups = [G(1), G(3), G(8), G(11), G(15)];
    expect((await directory.applyRelations(user.id, { managerId: boss.id, addGroupIds: groups })).failures).toEqual([]);
    expect(server.emulator.api.stats.batches).toBe(1);
    expect((await directory.listGroupIds(user.id)).sort()).toEqual([...groups].sort());
    expect(await directory.getManagerId(user.id)).toBe(boss.id);
    // Again: already a member is success.
    expect((await directory.applyRelations(user.id, { addGroupIds: groups, removeGroupIds: [G(4)] })).failures).toEqual(
      [],
    );
  });

  it('splits k relation operations into ceil(k/20) batches', async () => {
    const user = await directory.createUser(newUser('many', { employeeId: '12' }));
    server.emulator.api.stats.batches = 0;
    const ids = Array.from({ length: 15 }, (_, i) => G(i + 1));
    await directory.applyRelations(user.id, { addGroupIds: ids, removeGroupIds: ids.slice(0, 10) });
    expect(server.emulator.api.stats.batches).toBe(Math.ceil(25 / 20));
  });

  it('adds many members to a group with members@odata.bind, 20 per request', async () => {
    const users = [];
    for (let i = 0; i < 25; i++) users.push(await directory.createUser(newUser(`bulk${i}`, { employeeId: `B${i}` })));
    server.emulator.api.stats.writes = 0;
    const result = await directory.addGroupMembers(
      G(15),
      users.map((u) => u.id),
    );
    expect(result.failures).toEqual([]);
    expect(server.emulator.api.stats.writes).toBe(2);
    expect(server.emulator.api.store.memberIdsOf(G(15))).toHaveLength(25);
  });

  it('packs concurrent group adds into members@odata.bind PATCHes (200 memberships in ≤ 20 writes)', async () => {
    const users = [];
    for (let i = 0; i < 40; i++) users.push(await directory.createUser(newUser(`pack${i}`, { employeeId: `P${i}` })));
    Object.assign(server.emulator.api.stats, { writes: 0, writesByKind: {}, batches: 0 });
    const groups = [G(1), G(3), G(8), G(11), G(15)];
    const results = await Promise.all(users.map((u) => directory.applyRelations(u.id, { addGroupIds: groups })));
    expect(results.every((r) => r.failures.length === 0)).toBe(true);
    // Far from the write budget only queued work waits for company: the first changes go at once (up to two $batch
    // requests in flight, 5 writes each), the 38 that arrive meanwhile share 2 PATCHes per group (10): 20 writes
    // for 200 memberships. When the calls arrive faster than they are sent, fewer. Never one write per member.
    const writes = server.emulator.api.stats.writes;
    expect([10, 15, 20]).toContain(writes);
    expect(server.emulator.api.stats.writesByKind).toEqual({ 'PATCH /groups/{id}': writes });
    expect(server.emulator.api.stats.batches).toBeLessThanOrEqual(4);
    for (const g of groups)
      expect(server.emulator.api.store.memberIdsOf(g)).toEqual(expect.arrayContaining(users.map((u) => u.id)));
  });

  it('if a packed PATCH hits an existing member, adds one by one; each caller gets its own failure', async () => {
    const [a, b, c] = [
      await directory.createUser(newUser('fa', { employeeId: 'F1' })),
      await directory.createUser(newUser('fb', { employeeId: 'F2' })),
      await directory.createUser(newUser('fc', { employeeId: 'F3' })),
    ];
    await directory.applyRelations(b.id, { addGroupIds: [G(3)] });
    const missingGroup = 'a0000000-0000-4000-8000-0000000009ff';
    const [ra, rb, rc] = await Promise.all([
      directory.applyRelations(a.id, { addGroupIds: [G(3)] }),
      directory.applyRelations(b.id, { addGroupIds: [G(3)] }),
      directory.applyRelations(c.id, { addGroupIds: [G(3), missingGroup] }),
    ]);
    expect(ra.failures).toEqual([]);
    expect(rb.failures).toEqual([]);
    expect(rc.failures).toEqual([
      expect.objectContaining({ operation: 'addToGroup', target: missingGroup, code: 'Request_ResourceNotFound' }),
    ]);
    expect(server.emulator.api.store.memberIdsOf(G(3))).toEqual(expect.arrayContaining([a.id, b.id, c.id]));
  });

  it('retries through a 429 storm honouring Retry-After', async () => {
    server.emulator.api.faults.throttleNext = 2;
    server.emulator.api.faults.throttleRetryAfterSeconds = 0;
    const created = await directory.createUser(newUser('patient', { employeeId: '13' }));
    expect(created.id).toBeTruthy();
    expect(server.emulator.api.stats.throttled).toBe(2);
  });

  it('inside $batch, retries throttled items only after their Retry-After (an early retry is refused)', async () => {
    const boss = await directory.createUser(newUser('boss2', { employeeId: '15' }));
    const user = await directory.createUser(newUser('throttled', { employeeId: '16' }));
    server.emulator.api.faults.throttleNextBatchItems = 1;
    server.emulator.api.faults.throttleRetryAfterSeconds = 2;
    server.emulator.api.stats.throttled = 0;
    const result = await directory.applyRelations(user.id, { managerId: boss.id, addGroupIds: [G(3)] });
    expect(result.failures).toEqual([]);
    // One 429: a client retrying before 2 s (e.g. on its own 1 s backoff) would have met a second one.
    expect(server.emulator.api.stats.throttled).toBe(1);
    expect(await directory.getManagerId(user.id)).toBe(boss.id);
    expect(await directory.listGroupIds(user.id)).toContain(G(3));
  });

  it('disables, revokes, soft-deletes and restores', async () => {
    const user = await directory.createUser(newUser('leaver', { employeeId: '14' }));
    await directory.setAccountEnabled(user.id, true);
    expect((await directory.getUser(user.id))?.accountEnabled).toBe(true);
    await directory.revokeSignInSessions(user.id);
    await directory.deleteUser(user.id);
    expect(await directory.getUser(user.id)).toBeNull();
    const deleted = await directory.findDeletedUserByEmployeeId('14');
    expect(deleted?.id).toBe(user.id);
    const restored = await directory.restoreDeletedUser(user.id);
    expect(restored.deletedDateTime).toBeNull();
    await directory.deleteUser('does-not-exist');
  });

  it('licences through a licence group consume a unit, and sends mail to the outbox', async () => {
    const user = await directory.createUser(newUser('licensed', { employeeId: '15' }));
    await directory.applyRelations(user.id, { addGroupIds: [G(11)] });
    const e3 = (await directory.listSubscribedSkus()).find((s) => s.skuPartNumber === 'SPE_E3');
    expect(e3?.consumedUnits).toBe(1);
    await directory.sendMail('hr-noreply@contoso.com', {
      to: ['someone@example.com'],
      subject: 'Hi',
      html: '<p>hi</p>',
    });
    expect(server.emulator.api.store.outbox()).toHaveLength(1);
  });

  it('issues one Temporary Access Pass per user within policy limits', async () => {
    const user = await directory.createUser(newUser('tap', { employeeId: '16' }));
    const first = await directory.createTemporaryAccessPass(user.id, { lifetimeInMinutes: 60, isUsableOnce: true });
    expect(first.temporaryAccessPass).toHaveLength(8);
    await directory.createTemporaryAccessPass(user.id, { lifetimeInMinutes: 120, isUsableOnce: true });
    expect(server.emulator.api.store.tapsOf(user.id)).toHaveLength(1);
    await expect(
      directory.createTemporaryAccessPass(user.id, { lifetimeInMinutes: 5, isUsableOnce: true }),
    ).rejects.toThrow(/outside the range/);
  });

  it('refuses calls without a valid token', async () => {
    const res = await fetch(`${server.baseUrl}/_local/graph/v1.0/users`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('InvalidAuthenticationToken');
  });
});
