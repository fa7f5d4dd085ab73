import { Policy } from '../../shared/domain/policy';
import { LicenceSnapshot, type LicenceSnapshotInput } from '../../shared/licences/snapshot';

/** Crafted tenants for the licence report: one clean, and one problem at a time on top of it. */
export const NOW = new Date('2026-03-01T06:00:00Z');
export const E3 = '05e9a617-0261-4cee-bb44-138d3ef5d965';
export const E5 = '06ebc4ee-1bb5-47dd-8120-11324bc54e06';
export const VISIO = 'c5928f49-12ba-48f7-ada3-0d743a3601d5';
export const E3_GROUP = 'a0000000-0000-4000-8000-000000000011';
export const ACME_PRO = 'f0000000-0000-4000-8000-000000000001';
export const ACME_STD = 'f0000000-0000-4000-8000-000000000002';
export const ACME_ADMINS = 'f0000000-0000-4000-8000-000000000003';

export const uid = (n: number) => `e0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const plan = (id: string, name: string) => ({ servicePlanId: id, servicePlanName: name });
const EXCHANGE = plan('efb87545-963c-4e0d-99df-69c6916d9eb0', 'EXCHANGE_S_ENTERPRISE');
const TEAMS = plan('57ff2da0-773e-42df-b2af-ffb7a2317929', 'TEAMS1');
const P2 = plan('eec0eb4f-6444-4f95-aba0-50c24d67f998', 'AAD_PREMIUM_P2');
const VISIO_PLAN = plan('663a804f-1c30-4ff0-9915-9db84f0d1cea', 'VISIO_CLIENT_SUBSCRIPTION');

export function policy(extra: Record<string, unknown> = {}): Policy {
  return Policy.parse({
    version: 'test-1',
    tenant: { upnDomain: 'contoso.com' },
    upn: { pattern: '{given}.{family}' },
    licenceGroups: [{ id: E3_GROUP, name: 'Licence - Microsoft 365 E3', sku: 'SPE_E3' }],
    licences: {
      apps: [
        {
          id: 'acme',
          name: 'Acme',
          licenceGroups: [
            { groupId: ACME_PRO, tier: 'Pro', seats: 10, unitPrice: 30, currency: 'EUR' },
            { groupId: ACME_STD, tier: 'Standard', seats: 10, unitPrice: 10, currency: 'EUR' },
          ],
          unlicensedGroups: [ACME_ADMINS],
          when: { department: ['Engineering'] },
        },
      ],
      owners: ['sam@contoso.com'],
      thresholds: { utilisationBelow: 0.05, availableBelow: 1 },
      idleDays: 30,
      costs: [
        { skuPartNumber: 'SPE_E3', unitPrice: 33, currency: 'EUR' },
        { skuPartNumber: 'SPE_E5', unitPrice: 54, currency: 'EUR' },
      ],
    },
    ...extra,
  });
}

export function user(n: number, extra: Record<string, unknown> = {}) {
  return {
    id: uid(n),
    userPrincipalName: `user${n}@contoso.com`,
    displayName: `User ${n}`,
    accountEnabled: true,
    createdDateTime: '2025-01-01T00:00:00Z',
    department: 'Engineering',
    country: 'FR',
    usageLocation: 'FR',
    costCenter: 'CC-1',
    userType: 'Member',
    employeeType: 'Employee',
    lastSignInDateTime: '2026-02-27T09:00:00Z',
    ...extra,
  };
}

/** E3 through the group, active, signed in this week. */
export function groupE3(n: number, extra: Record<string, unknown> = {}) {
  return user(n, {
    assignedSkuIds: [E3],
    licenseAssignmentStates: [{ skuId: E3, assignedByGroup: E3_GROUP, state: 'Active', error: 'None' }],
    ...extra,
  });
}

/** A tenant with no problem: everyone licensed through groups, active, in scope, one app tier each. */
export function cleanTenant(): LicenceSnapshotInput {
  return {
    takenAt: NOW.toISOString(),
    skus: [
      {
        skuId: E3,
        skuPartNumber: 'SPE_E3',
        prepaidUnits: { enabled: 4, warning: 0, suspended: 0 },
        consumedUnits: 3,
        servicePlans: [EXCHANGE, TEAMS],
      },
      {
        skuId: E5,
        skuPartNumber: 'SPE_E5',
        prepaidUnits: { enabled: 2, warning: 1, suspended: 0 },
        consumedUnits: 0,
        servicePlans: [EXCHANGE, TEAMS, P2],
      },
      {
        skuId: VISIO,
        skuPartNumber: 'VISIOCLIENT',
        prepaidUnits: { enabled: 5 },
        consumedUnits: 0,
        servicePlans: [VISIO_PLAN],
      },
    ],
    users: [groupE3(1), groupE3(2), groupE3(3, { department: 'Sales', costCenter: 'CC-2', country: 'DE' })],
    signInActivityAvailable: true,
    groupMembers: { [ACME_PRO]: [uid(1)], [ACME_STD]: [uid(2)], [ACME_ADMINS]: [uid(3)] },
  };
}

export function snapshot(change: (tenant: LicenceSnapshotInput) => void = () => {}): LicenceSnapshot {
  const tenant = cleanTenant();
  change(tenant);
  return LicenceSnapshot.parse(tenant);
}
