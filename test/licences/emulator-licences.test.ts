import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGraphEmulatorServer } from '../../local/emulators/graph/graph-emulator-extension';
import type { GraphRequest } from '../../local/emulators/graph/graph-api';
import type { UserDoc } from '../../local/emulators/graph/store';
import { createDirectory, type GraphDirectory } from '../../shared/adapters/graph/graph-directory';
import { parseConfig } from '../../shared/config/config';
import { seedWithoutLicenceDemo } from './clean-emulator';

const E3 = '05e9a617-0261-4cee-bb44-138d3ef5d965';
const E5 = '06ebc4ee-1bb5-47dd-8120-11324bc54e06';
const E3_GROUP = 'a0000000-0000-4000-8000-000000000011';

describe('the Graph emulator serves licences as Graph does', () => {
  let server: Awaited<ReturnType<typeof startGraphEmulatorServer>>;
  let directory: GraphDirectory;
  const api = () => server.emulator.api;
  const get = (p: string, roles?: string[]) => {
    const url = new URL(p, 'http://x');
    const req: GraphRequest = {
      method: 'GET',
      path: url.pathname,
      query: url.searchParams,
      body: undefined,
      version: 'v1.0',
      roles,
    };
    return api().handle(req);
  };
  const addUser = (n: number, extra: Partial<UserDoc> = {}): UserDoc => {
    const user: UserDoc = {
      id: `e0000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      userPrincipalName: `user${n}@contoso.com`,
      mailNickname: `user${n}`,
      displayName: `User ${n}`,
      accountEnabled: true,
      createdDateTime: '2025-01-01T00:00:00Z',
      deletedDateTime: null,
      signInSessionsValidFromDateTime: null,
      assignedLicenses: [],
      usageLocation: 'FR',
      ...extra,
    };
    api().store.saveUser(user);
    return user;
  };

  beforeAll(async () => {
    server = await startGraphEmulatorServer({ dataDir: mkdtempSync(path.join(tmpdir(), 'jml-licences-')) });
    directory = createDirectory(parseConfig({ WEBSITE_HOSTNAME: server.baseUrl.replace('http://', '') }));
  });
  afterAll(async () => server?.close());
  beforeEach(() => seedWithoutLicenceDemo(api()));

  it('subscribedSkus carry prepaidUnits {enabled, suspended, warning}, consumedUnits and servicePlans', () => {
    const response = get('/subscribedSkus');
    expect(response.status).toBe(200);
    const skus = (response.body as { value: Record<string, unknown>[] }).value;
    const e5 = skus.find((s) => s.skuPartNumber === 'SPE_E5')!;
    // Exactly the subscribedSku properties (https://learn.microsoft.com/graph/api/resources/subscribedsku).
    expect(Object.keys(e5).sort()).toEqual(
      [
        'appliesTo',
        'capabilityStatus',
        'consumedUnits',
        'id',
        'prepaidUnits',
        'servicePlans',
        'skuId',
        'skuPartNumber',
      ].sort(),
    );
    expect(e5.id).toBe(`${api().tenant().tenantId}_${E5}`);
    expect(e5.prepaidUnits).toEqual({ enabled: 20, suspended: 0, warning: 5 });
    const plans = (e5.servicePlans as Record<string, unknown>[])[0]!;
    expect(Object.keys(plans).sort()).toEqual(['appliesTo', 'provisioningStatus', 'servicePlanId', 'servicePlanName']);
  });

  it('seeds two SKUs that share service plans (E3 and E5)', async () => {
    const skus = await directory.listSubscribedSkus();
    const plansOf = (part: string) =>
      new Set(skus.find((s) => s.skuPartNumber === part)!.servicePlans!.map((p) => p.servicePlanId));
    const shared = [...plansOf('SPE_E3')].filter((id) => plansOf('SPE_E5').has(id));
    expect(shared.length).toBeGreaterThan(0);
    expect(skus.find((s) => s.skuPartNumber === 'SPE_E5')!.prepaidUnits).toEqual({
      enabled: 20,
      warning: 5,
      suspended: 0,
    });
  });

  it('consumedUnits counts direct and group-based holders once each', () => {
    const a = addUser(1, { assignedLicenses: [{ skuId: E3, disabledPlans: [] }] });
    addUser(2);
    api().store.addMember(E3_GROUP, a.id);
    api().store.addMember(E3_GROUP, 'e0000000-0000-4000-8000-000000000002');
    const skus = (get('/subscribedSkus').body as { value: { skuId: string; consumedUnits: number }[] }).value;
    expect(skus.find((s) => s.skuId === E3)!.consumedUnits).toBe(2);
  });

  it('signInActivity is returned only on $select, and only with AuditLog.Read.All', () => {
    addUser(1, { signInActivity: { lastSignInDateTime: '2026-01-02T03:04:05Z' } });
    const plain = get('/users/user1@contoso.com').body as Record<string, unknown>;
    expect(plain).not.toHaveProperty('signInActivity');
    const selected = get('/users/user1@contoso.com?$select=id,signInActivity', ['AuditLog.Read.All']);
    expect((selected.body as Record<string, unknown>).signInActivity).toEqual({
      lastSignInDateTime: '2026-01-02T03:04:05Z',
    });
    const denied = get('/users?$select=id,signInActivity', ['User.ReadWrite.All']);
    expect(denied.status).toBe(403);
    expect((denied.body as { error: { code: string } }).error.code).toBe('Authorization_RequestDenied');
  });

  it('pages of users with signInActivity hold at most 120 users whatever $top asks', () => {
    for (let n = 1; n <= 130; n++) addUser(n);
    const first = get('/users?$select=id,signInActivity&$top=999').body as {
      value: unknown[];
      '@odata.nextLink'?: string;
    };
    expect(first.value).toHaveLength(120);
    expect(first['@odata.nextLink']).toBeDefined();
    expect((get('/users?$select=id&$top=999').body as { value: unknown[] }).value.length).toBe(131);
  });

  it('listUsersForLicences reads inherited licences, their states and the last sign-in, all pages', async () => {
    for (let n = 1; n <= 125; n++) addUser(n);
    const direct = addUser(200, {
      assignedLicenses: [{ skuId: E5, disabledPlans: [] }],
      signInActivity: { lastSignInDateTime: '2026-02-01T00:00:00Z' },
      employeeOrgData: { costCenter: 'CC-1', division: null },
    });
    const noLocation = addUser(201, { usageLocation: null });
    api().store.addMember(E3_GROUP, direct.id);
    api().store.addMember(E3_GROUP, noLocation.id);
    const { users, signInActivityAvailable } = await directory.listUsersForLicences();
    expect(signInActivityAvailable).toBe(true);
    expect(users).toHaveLength(128); // 127 + the seeded HR mailbox
    const d = users.find((u) => u.id === direct.id)!;
    expect(d.assignedSkuIds.sort()).toEqual([E3, E5].sort());
    expect(d.licenseAssignmentStates).toEqual(
      expect.arrayContaining([
        { skuId: E5, assignedByGroup: null, state: 'Active', error: 'None' },
        { skuId: E3, assignedByGroup: E3_GROUP, state: 'Active', error: 'None' },
      ]),
    );
    expect(d.lastSignInDateTime).toBe('2026-02-01T00:00:00Z');
    expect(d.costCenter).toBe('CC-1');
    const n = users.find((u) => u.id === noLocation.id)!;
    expect(n.assignedSkuIds).toEqual([]);
    expect(n.licenseAssignmentStates[0]).toMatchObject({ state: 'Error', assignedByGroup: E3_GROUP });
  });

  it('listGroupMemberIds follows nextLink', async () => {
    for (let n = 1; n <= 30; n++) api().store.addMember(E3_GROUP, addUser(n).id);
    api().faults.serverPageSize = 7;
    try {
      expect((await directory.listGroupMemberIds(E3_GROUP))?.length).toBe(30);
      expect(await directory.listGroupMemberIds('f0000000-0000-4000-8000-0000000000ff')).toBeNull();
    } finally {
      api().faults.serverPageSize = 0;
    }
  });
});
