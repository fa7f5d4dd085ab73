import { z } from 'zod';
import type { LicenceUser, SubscribedSku, TimeLimitedMembership } from '../../ports/directory';

/**
 * What the licence report reads from Graph, parsed at the boundary.
 * - subscribedSku (https://learn.microsoft.com/graph/api/resources/subscribedsku): prepaidUnits is a
 *   licenseUnitsDetail {enabled, suspended, warning}; servicePlans a servicePlanInfo collection.
 * - user (https://learn.microsoft.com/graph/api/resources/user): assignedLicenses includes group-inherited
 *   licences; licenseAssignmentStates says which group assigned each and its state/error; signInActivity is
 *   returned only on $select and needs AuditLog.Read.All
 *   (https://learn.microsoft.com/graph/api/resources/signinactivity).
 */
const GraphSku = z
  .object({
    skuId: z.string(),
    skuPartNumber: z.string(),
    consumedUnits: z.number().int(),
    capabilityStatus: z.string().nullish(),
    appliesTo: z.string().nullish(),
    prepaidUnits: z
      .object({
        enabled: z.number().int().nullish(),
        suspended: z.number().int().nullish(),
        warning: z.number().int().nullish(),
      })
      .nullish(),
    servicePlans: z
      .array(z.object({ servicePlanId: z.string(), servicePlanName: z.string(), appliesTo: z.string().nullish() }))
      .nullish(),
  })
  .passthrough();

export function toSubscribedSku(raw: unknown): SubscribedSku {
  const s = GraphSku.parse(raw);
  const prepaid = {
    enabled: s.prepaidUnits?.enabled ?? 0,
    warning: s.prepaidUnits?.warning ?? 0,
    suspended: s.prepaidUnits?.suspended ?? 0,
  };
  return {
    skuId: s.skuId,
    skuPartNumber: s.skuPartNumber,
    consumedUnits: s.consumedUnits,
    enabledUnits: prepaid.enabled,
    prepaidUnits: prepaid,
    capabilityStatus: s.capabilityStatus ?? 'Enabled',
    appliesTo: s.appliesTo ?? 'User',
    servicePlans: (s.servicePlans ?? []).map((p) => ({
      servicePlanId: p.servicePlanId,
      servicePlanName: p.servicePlanName,
      ...(p.appliesTo ? { appliesTo: p.appliesTo } : {}),
    })),
  };
}

/** The $select of the licence read; signInActivity is added only when it may be read. */
export const LICENCE_USER_SELECT = [
  'id',
  'userPrincipalName',
  'displayName',
  'mail',
  'accountEnabled',
  'createdDateTime',
  'employeeLeaveDateTime',
  'department',
  'country',
  'usageLocation',
  'employeeOrgData',
  'userType',
  'employeeType',
  'companyName',
  'jobTitle',
  'city',
  'officeLocation',
  'assignedLicenses',
  'licenseAssignmentStates',
].join(',');

const GraphLicenceUser = z
  .object({
    id: z.string(),
    userPrincipalName: z.string(),
    displayName: z.string().nullish(),
    mail: z.string().nullish(),
    accountEnabled: z.boolean().nullish(),
    createdDateTime: z.string().nullish(),
    employeeLeaveDateTime: z.string().nullish(),
    department: z.string().nullish(),
    country: z.string().nullish(),
    usageLocation: z.string().nullish(),
    employeeOrgData: z.object({ costCenter: z.string().nullish() }).passthrough().nullish(),
    userType: z.string().nullish(),
    employeeType: z.string().nullish(),
    companyName: z.string().nullish(),
    jobTitle: z.string().nullish(),
    city: z.string().nullish(),
    officeLocation: z.string().nullish(),
    assignedLicenses: z.array(z.object({ skuId: z.string() }).passthrough()).nullish(),
    licenseAssignmentStates: z
      .array(
        z
          .object({
            skuId: z.string(),
            assignedByGroup: z.string().nullish(),
            state: z.string().nullish(),
            error: z.string().nullish(),
          })
          .passthrough(),
      )
      .nullish(),
    signInActivity: z.object({ lastSignInDateTime: z.string().nullish() }).passthrough().nullish(),
  })
  .passthrough();

export function toLicenceUser(raw: unknown): LicenceUser {
  const u = GraphLicenceUser.parse(raw);
  return {
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName ?? u.userPrincipalName,
    mail: u.mail ?? null,
    accountEnabled: u.accountEnabled ?? false,
    createdDateTime: u.createdDateTime ?? null,
    employeeLeaveDateTime: u.employeeLeaveDateTime ?? null,
    department: u.department ?? null,
    country: u.country ?? null,
    usageLocation: u.usageLocation ?? null,
    costCenter: u.employeeOrgData?.costCenter ?? null,
    userType: u.userType ?? null,
    employeeType: u.employeeType ?? null,
    companyName: u.companyName ?? null,
    jobTitle: u.jobTitle ?? null,
    city: u.city ?? null,
    officeLocation: u.officeLocation ?? null,
    assignedSkuIds: (u.assignedLicenses ?? []).map((l) => l.skuId),
    licenseAssignmentStates: (u.licenseAssignmentStates ?? []).map((s) => ({
      skuId: s.skuId,
      assignedByGroup: s.assignedByGroup ?? null,
      state: s.state ?? 'Active',
      error: s.error ?? 'None',
    })),
    lastSignInDateTime: u.signInActivity?.lastSignInDateTime ?? null,
  };
}

/**
 * One PIM for Groups assignment schedule instance
 * (https://learn.microsoft.com/graph/api/resources/privilegedaccessgroupassignmentscheduleinstance): accessId member
 * or owner, principalId the user, endDateTime null for a permanent assignment.
 */
const GraphAssignmentInstance = z
  .object({
    groupId: z.string(),
    principalId: z.string(),
    accessId: z.string(),
    endDateTime: z.string().nullish(),
  })
  .passthrough();

/** The member assignments that end (owners and permanent assignments are not time-limited licences). */
export function toTimeLimitedMemberships(raw: unknown[]): TimeLimitedMembership[] {
  return raw
    .map((item) => GraphAssignmentInstance.parse(item))
    .filter((i) => i.accessId === 'member' && i.endDateTime && !Number.isNaN(Date.parse(i.endDateTime)))
    .map((i) => ({ groupId: i.groupId, userId: i.principalId, endDateTime: new Date(i.endDateTime!).toISOString() }));
}
