import type { Policy } from '../domain/policy';
import type { Directory } from '../ports/directory';
import { LicenceSnapshot, type UsageRow } from './snapshot';

/**
 * Reads what the licence report needs through the Directory port: the subscribed SKUs, every user with the
 * licence fields (one paged listing, not a call per user), the members of each app licence and unlicensed group, and
 * the end dates of time-limited access to licence groups (PIM for Groups).
 */
export async function collectLicenceSnapshot(
  directory: Directory,
  policy: Policy,
  options: { now: Date; usage?: UsageRow[] },
): Promise<LicenceSnapshot> {
  const apps = policy.licences?.apps ?? [];
  const groupIds = [
    ...new Set(apps.flatMap((app) => [...app.licenceGroups.map((t) => t.groupId), ...app.unlicensedGroups])),
  ];
  // Time-limited access to any licence: the app tiers and the policy's SKU licence groups.
  const licenceGroupIds = [
    ...new Set([
      ...apps.flatMap((app) => app.licenceGroups.map((t) => t.groupId)),
      ...policy.licenceGroups.map((g) => g.id),
    ]),
  ];
  const [skus, { users, signInActivityAvailable }, members, timeLimited] = await Promise.all([
    directory.listSubscribedSkus(),
    directory.listUsersForLicences(),
    Promise.all(groupIds.map(async (id) => [id, await directory.listGroupMemberIds(id)] as const)),
    licenceGroupIds.length ? directory.listTimeLimitedMemberships(licenceGroupIds) : Promise.resolve([]),
  ]);
  return LicenceSnapshot.parse({
    takenAt: options.now.toISOString(),
    skus: skus.map((sku) => ({
      skuId: sku.skuId,
      skuPartNumber: sku.skuPartNumber,
      capabilityStatus: sku.capabilityStatus,
      appliesTo: sku.appliesTo,
      prepaidUnits: sku.prepaidUnits ?? { enabled: sku.enabledUnits, warning: 0, suspended: 0 },
      consumedUnits: sku.consumedUnits,
      servicePlans: (sku.servicePlans ?? []).map((p) => ({
        servicePlanId: p.servicePlanId,
        servicePlanName: p.servicePlanName,
      })),
    })),
    users: users.map((u) => ({
      ...u,
      createdDateTime: isoOrNull(u.createdDateTime),
      employeeLeaveDateTime: isoOrNull(u.employeeLeaveDateTime),
      lastSignInDateTime: isoOrNull(u.lastSignInDateTime),
    })),
    signInActivityAvailable,
    groupMembers: Object.fromEntries(members.filter(([, ids]) => ids !== null)),
    missingGroups: members.filter(([, ids]) => ids === null).map(([id]) => id),
    usage: options.usage ?? [],
    timeLimited: timeLimited ?? [],
    endDatesAvailable: timeLimited !== null,
  });
}

/** Graph dates carry an offset; anything else is dropped rather than failing the whole report. */
function isoOrNull(value: string | null): string | null {
  return value && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : null;
}
