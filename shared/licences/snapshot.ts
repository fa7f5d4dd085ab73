import { z } from 'zod';

/**
 * Everything the licence report is computed from, read once (collect.ts) and then judged by pure code. Field names
 * follow Graph: subscribedSku (https://learn.microsoft.com/graph/api/resources/subscribedsku), the user's
 * assignedLicenses / licenseAssignmentStates (https://learn.microsoft.com/graph/api/resources/licenseassignmentstate)
 * and signInActivity (https://learn.microsoft.com/graph/api/resources/signinactivity).
 */
const IsoInstant = z.iso.datetime({ offset: true });

export const SnapshotSku = z.object({
  skuId: z.string(),
  skuPartNumber: z.string(),
  capabilityStatus: z.string().default('Enabled'),
  appliesTo: z.string().default('User'),
  prepaidUnits: z.object({
    enabled: z.number().int().min(0),
    warning: z.number().int().min(0).default(0),
    suspended: z.number().int().min(0).default(0),
  }),
  consumedUnits: z.number().int().min(0),
  servicePlans: z.array(z.object({ servicePlanId: z.string(), servicePlanName: z.string() })).default([]),
});
export type SnapshotSku = z.infer<typeof SnapshotSku>;

export const SnapshotUser = z.object({
  id: z.string(),
  userPrincipalName: z.string(),
  displayName: z.string(),
  mail: z.string().nullable().default(null),
  accountEnabled: z.boolean(),
  createdDateTime: IsoInstant.nullable().default(null),
  employeeLeaveDateTime: IsoInstant.nullable().default(null),
  department: z.string().nullable().default(null),
  country: z.string().nullable().default(null),
  usageLocation: z.string().nullable().default(null),
  costCenter: z.string().nullable().default(null),
  userType: z.string().nullable().default(null),
  employeeType: z.string().nullable().default(null),
  companyName: z.string().nullable().default(null),
  jobTitle: z.string().nullable().default(null),
  city: z.string().nullable().default(null),
  officeLocation: z.string().nullable().default(null),
  assignedSkuIds: z.array(z.string()).default([]),
  licenseAssignmentStates: z
    .array(
      z.object({
        skuId: z.string(),
        assignedByGroup: z.string().nullable(),
        state: z.string(),
        error: z.string(),
      }),
    )
    .default([]),
  lastSignInDateTime: IsoInstant.nullable().default(null),
});
export type SnapshotUser = z.infer<typeof SnapshotUser>;

/** One row of an app usage export: who last used the app when (a date means that whole day, UTC). */
export const UsageRow = z.object({
  appId: z.string().min(1),
  userPrincipalName: z.string().min(1),
  lastUsedAt: z.union([IsoInstant, z.iso.date()]),
});
export type UsageRow = z.infer<typeof UsageRow>;

/** A membership that ends (access package assignment, time-bound membership): the group, the user, the end. */
const TimeLimitedMembership = z.object({
  groupId: z.string(),
  userId: z.string(),
  endDateTime: IsoInstant,
});

export const LicenceSnapshot = z.object({
  takenAt: IsoInstant,
  skus: z.array(SnapshotSku),
  users: z.array(SnapshotUser),
  /** false: no last sign-in could be read (permission or licence missing); idle seats then come from usage rows. */
  signInActivityAvailable: z.boolean(),
  /** Direct member ids of every app licence and unlicensed group. */
  groupMembers: z.record(z.string(), z.array(z.string())).default({}),
  /** Configured groups the directory does not have (a policy typo, or a deleted group). */
  missingGroups: z.array(z.string()).default([]),
  usage: z.array(UsageRow).default([]),
  timeLimited: z.array(TimeLimitedMembership).default([]),
  /** false: end dates could not be read (no PIM permission); expiring and expired access are then not reported. */
  endDatesAvailable: z.boolean().default(true),
});
export type LicenceSnapshot = z.infer<typeof LicenceSnapshot>;
export type LicenceSnapshotInput = z.input<typeof LicenceSnapshot>;
