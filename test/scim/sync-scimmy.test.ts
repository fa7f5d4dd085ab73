import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENTERPRISE_USER_SCHEMA } from '../../shared/domain/scim-path';
import type { ScimSyncOutcome } from '../../shared/ports/scim-sync';
import { directoryUser, worker } from '../unit/domain/fixtures';
import { startScimmyServer, type ScimmyTestServer } from './client-scimmy-server';
import { membership, policyWithTarget, syncWith, upsert } from './sync-support';

/** The sync against a real SCIM library (scimmy): the requests it sends are ones a compliant server takes. */
let server: ScimmyTestServer;
beforeAll(async () => {
  server = await startScimmyServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const writes = (outcome: ScimSyncOutcome) =>
  outcome.calls
    .filter((c) => c.method !== 'GET')
    .map((c) => `${c.method} ${c.path.replace(/^(\/\w+)\/.+$/, '$1/{id}')}`);

function storedUser(userName: string): Record<string, unknown> {
  const user = [...server.users.values()].find((u) => u.userName === userName);
  if (!user) throw new Error(`no user ${userName}`);
  return user;
}

describe('ScimSync against scimmy', () => {
  it('creates a new person with the default mapping, then leaves them unchanged', async () => {
    const sync = syncWith(policyWithTarget(server.baseUrl), [directoryUser({ mail: 'ada@contoso.com' })]);
    const created = await sync.sync(upsert());
    expect(created).toMatchObject({ ok: true, result: 'created' });
    expect(writes(created)).toEqual(['POST /Users']);
    // One look-up for both keys (userName or externalId), then the POST.
    expect(created.calls.map((c) => `${c.method} ${c.path}`).filter((c) => c.startsWith('GET /Users'))).toEqual([
      `GET /Users?filter=${encodeURIComponent('userName eq "ada.lovelace@contoso.com" or externalId eq "E1001"')}`,
    ]);
    const user = storedUser('ada.lovelace@contoso.com');
    expect(user).toMatchObject({
      externalId: 'E1001',
      active: true,
      emails: [{ type: 'work', value: 'ada@contoso.com' }],
      [ENTERPRISE_USER_SCHEMA]: { employeeNumber: 'E1001', department: 'Engineering' },
    });
    expect(created.ok && created.scimId).toBe(user.id);

    const again = await sync.sync(upsert());
    expect(again).toMatchObject({ ok: true, result: 'unchanged', scimId: user.id });
    expect(writes(again)).toEqual([]);
  });

  it('patches only the changed attributes of a mover', async () => {
    const sync = syncWith(policyWithTarget(server.baseUrl));
    await sync.sync(upsert());
    const moved = await sync.sync(upsert({ record: worker({ department: 'Research', jobTitle: 'Lead' }) }));
    expect(moved).toMatchObject({ ok: true, result: 'updated' });
    expect(writes(moved)).toEqual(['PATCH /Users/{id}']);
    expect(storedUser('ada.lovelace@contoso.com')).toMatchObject({
      title: 'Lead',
      [ENTERPRISE_USER_SCHEMA]: { department: 'Research', employeeNumber: 'E1001' },
    });
  });

  it('adopts a user the target already had under the same userName (audited as adopted)', async () => {
    server.users.set('pre', { id: 'pre', userName: 'ada.lovelace@contoso.com', active: true, meta: {} });
    const outcome = await syncWith(policyWithTarget(server.baseUrl)).sync(upsert());
    expect(outcome).toMatchObject({ ok: true, result: 'adopted', scimId: 'pre' });
    expect(writes(outcome)).toEqual(['PATCH /Users/{id}']);
    expect(server.users.get('pre')).toMatchObject({ externalId: 'E1001', displayName: 'Ada Lovelace' });
  });

  it('409 on create: the user is looked up and adopted, by paging when the filter is case-sensitive', async () => {
    // scimmy's filter compares userName case-sensitively (RFC 7643 §4.1.1 says it is not caseExact): the lookup
    // misses, the create gets 409 uniqueness, and a scan of the pages finds the user.
    server.users.set('pre', { id: 'pre', userName: 'Ada.Lovelace@contoso.com', active: true, meta: {} });
    const outcome = await syncWith(policyWithTarget(server.baseUrl)).sync(upsert());
    expect(outcome).toMatchObject({ ok: true, result: 'adopted', scimId: 'pre' });
    expect(outcome.calls.map((c) => `${c.method} ${c.status}`)).toContain('POST 409');
    expect(outcome.calls.map((c) => c.path)).toContain('/Users?startIndex=1&count=100');
    expect(server.users.size).toBe(1);
  });

  it('finds a renamed person by externalId when the userName changed', async () => {
    const sync = syncWith(policyWithTarget(server.baseUrl));
    await sync.sync(upsert());
    const renamed = syncWith(policyWithTarget(server.baseUrl), [
      directoryUser({ userPrincipalName: 'ada.byron@contoso.com' }),
    ]);
    const outcome = await renamed.sync(upsert());
    expect(outcome).toMatchObject({ ok: true, result: 'updated' });
    expect(server.users.size).toBe(1);
    expect(storedUser('ada.byron@contoso.com').externalId).toBe('E1001');
  });

  it('deactivates (then reports unchanged), and deletes (then reports absent)', async () => {
    const sync = syncWith(policyWithTarget(server.baseUrl));
    await sync.sync(upsert());
    expect(await sync.sync(upsert({ action: 'deactivate' }))).toMatchObject({ ok: true, result: 'deactivated' });
    expect(storedUser('ada.lovelace@contoso.com').active).toBe(false);
    const again = await sync.sync(upsert({ action: 'deactivate' }));
    expect(again).toMatchObject({ ok: true, result: 'unchanged' });
    expect(writes(again)).toEqual([]);
    const deleted = await sync.sync(upsert({ action: 'delete', userId: null, record: undefined }));
    expect(deleted).toMatchObject({ ok: true, result: 'deleted' });
    expect(server.users.size).toBe(0);
    expect(await sync.sync(upsert({ action: 'delete' }))).toMatchObject({ ok: true, result: 'absent' });
  });

  it('out of scope or disabled: an active user is deactivated, nobody is created', async () => {
    const policy = policyWithTarget(server.baseUrl, 'when: {department: [Engineering]}');
    const sync = syncWith(policy);
    const outside = await sync.sync(upsert({ record: worker({ department: 'Sales' }) }));
    expect(outside).toMatchObject({ ok: true, result: 'out-of-scope', scimId: null });
    expect(server.users.size).toBe(0);
    await sync.sync(upsert());
    expect(await sync.sync(upsert({ record: worker({ department: 'Sales' }) }))).toMatchObject({
      result: 'deactivated',
    });
    const disabled = syncWith(policy, [directoryUser({ accountEnabled: false })]);
    expect(await disabled.sync(upsert())).toMatchObject({ ok: true, result: 'out-of-scope' });
    // Back in scope and enabled (a rehire): reactivated.
    expect(await sync.sync(upsert())).toMatchObject({ ok: true, result: 'updated' });
    expect(storedUser('ada.lovelace@contoso.com').active).toBe(true);
  });

  it('provisions a disabled account inactive when the target asks for disabled accounts', async () => {
    const policy = policyWithTarget(server.baseUrl, 'provisionDisabled: true');
    const outcome = await syncWith(policy, [directoryUser({ accountEnabled: false })]).sync(upsert());
    expect(outcome).toMatchObject({ ok: true, result: 'created' });
    expect(storedUser('ada.lovelace@contoso.com').active).toBe(false);
  });

  it("sets the enterprise manager to the manager's id in the target", async () => {
    const manager = directoryUser({ id: 'u-1', userPrincipalName: 'grace@contoso.com', employeeId: 'E0001' });
    const sync = syncWith(policyWithTarget(server.baseUrl), [manager, directoryUser()]);
    await sync.sync(upsert({ employeeId: 'E0001', userId: 'u-1', record: worker({ employeeId: 'E0001' }) }));
    await sync.sync(upsert({ record: worker({ managerEmployeeId: 'E0001' }) }));
    const enterprise = storedUser('ada.lovelace@contoso.com')[ENTERPRISE_USER_SCHEMA] as Record<string, unknown>;
    expect(enterprise.manager).toMatchObject({ value: storedUser('grace@contoso.com').id });
  });

  it('pushes the listed groups: creates a missing group with the member, adds to and removes from others', async () => {
    const engineering = membership('a0000000-0000-4000-8000-000000000001', 'Engineering');
    const policy = policyWithTarget(server.baseUrl, 'groups: [Engineering, Sales]');
    const grace = directoryUser({ id: 'u-2', userPrincipalName: 'grace@contoso.com', employeeId: 'E0002' });
    const inGroup = { 'u-1001': [engineering], 'u-2': [engineering] };
    const sync = syncWith(policy, [directoryUser(), grace], inGroup);

    const first = await sync.sync(upsert());
    expect(writes(first)).toEqual(['POST /Users', 'POST /Groups']);
    const second = await sync.sync(
      upsert({ employeeId: 'E0002', userId: 'u-2', record: worker({ employeeId: 'E0002' }) }),
    );
    expect(writes(second)).toEqual(['POST /Users', 'PATCH /Groups/{id}']);
    const group = [...server.groups.values()][0]!;
    expect((group.members as { value: string }[]).map((m) => m.value).sort()).toEqual(
      [storedUser('ada.lovelace@contoso.com').id, storedUser('grace@contoso.com').id].sort(),
    );
    expect((await sync.sync(upsert())).ok && writes(await sync.sync(upsert()))).toEqual([]);

    const left = syncWith(policy, [directoryUser(), grace], { 'u-2': [engineering] });
    const removed = await left.sync(upsert());
    expect(removed).toMatchObject({ ok: true, result: 'updated' });
    expect(writes(removed)).toEqual(['PATCH /Groups/{id}']);
    expect((server.groups.get(group.id as string)!.members as { value: string }[]).map((m) => m.value)).toEqual([
      storedUser('grace@contoso.com').id,
    ]);
  });

  it('lists every user of the target for the reconcile, deactivated ones as inactive', async () => {
    const sync = syncWith(policyWithTarget(server.baseUrl), [directoryUser({ mail: 'ada@contoso.com' })]);
    await sync.sync(upsert());
    await sync.sync(upsert({ action: 'deactivate' }));
    const listed = await sync.listUsers('app');
    expect(listed).toContainEqual({ externalId: 'E1001', userName: 'ada.lovelace@contoso.com', active: false });
    await expect(sync.listUsers('nowhere')).rejects.toThrow('no SCIM target "nowhere"');
  });

  it('a refused credential is a failure that is not retried', async () => {
    const sync = syncWith(policyWithTarget(server.baseUrl), undefined, undefined, { SCIM_TEST_TOKEN: 'wrong' });
    const outcome = await sync.sync(upsert());
    expect(outcome).toMatchObject({ ok: false, retryable: false, status: 401 });
  });
});
