import type { DirectoryMembership, DirectoryUser, UserAttributes } from '../ports/directory';
import { userAttributesFor } from './attributes';
import { diffAttributes, diffGroups } from './diff';
import type { WorkerRecord } from './hr-event';
import { managedGroupIds, type Policy } from './policy';
import { desiredGroupIds } from './rules';
import { accountCreationInstant, hireInstant, leaveInstant } from './schedule';

/*
 * The decisions the JML activities act on and the dry-run plan (plan.ts) shows, in one place: each is a pure
 * function both call, so `POST /api/ops/plan` cannot say something other than what the runtime then does
 * (issue 12 item 5; test/e2e/plan-matches-runtime.test.ts runs every plan kind through both).
 */

/** Day 1 starts email one-time-code self-activation (the account stays disabled) instead of enabling it. */
export function selfActivates(record: WorkerRecord, policy: Policy): boolean {
  return policy.activation.enabled && !!record.personalEmail;
}

/** The worker's dates as instants under the policy (the person orchestration's Schedule). */
export function workerSchedule(record: WorkerRecord, policy: Policy) {
  return {
    createAccountAt: accountCreationInstant(record, policy).toISOString(),
    hireAt: hireInstant(record).toISOString(),
    leaveAt: leaveInstant(record)?.toISOString() ?? null,
    retentionDays: policy.leaver.retentionDays,
    activation: selfActivates(record, policy),
  };
}

/** The attributes to patch: only those whose directory value differs from what the record and policy want. */
export function attributeChanges(user: DirectoryUser, record: WorkerRecord, policy: Policy): UserAttributes {
  return diffAttributes(user, userAttributesFor(record, policy));
}

interface AccessChanges {
  add: string[];
  /** Removed now. */
  remove: string[];
  /** Removed after the mover grace period (policy mover.graceDays). */
  deferred: string[];
}

/**
 * Birthright and licence groups: add what the policy grants (plus groups a rehire gets back), remove only groups
 * the policy manages; a mover keeps every removal for the grace period so the new role's access comes first.
 */
export function accessChanges(
  currentGroupIds: readonly string[],
  record: WorkerRecord,
  policy: Policy,
  options: { extraGroupIds?: readonly string[]; deferRemovals?: boolean } = {},
): AccessChanges {
  const desired = [...new Set([...desiredGroupIds(record, policy), ...(options.extraGroupIds ?? [])])];
  const delta = diffGroups(currentGroupIds, desired, managedGroupIds(policy));
  const defer = !!options.deferRemovals && policy.mover.graceDays > 0;
  return { add: delta.add, remove: defer ? [] : delta.remove, deferred: defer ? delta.remove : [] };
}

/**
 * The manager write: the manager's object id to set, null to remove the manager (the record has none), undefined
 * for no write (already right, or the manager has no account yet).
 */
export function managerChange(
  record: WorkerRecord,
  managerObjectId: string | null,
  currentManagerId: string | null,
): string | null | undefined {
  // Stryker disable next-line StringLiteral: equivalent, no object id equals the fallback, whatever text it is.
  if (managerObjectId && managerObjectId.toLowerCase() !== (currentManagerId ?? '').toLowerCase())
    return managerObjectId;
  if (!record.managerEmployeeId && currentManagerId) return null;
  return undefined;
}

interface LeaverMemberships {
  /** Group ids a member removal ends, as the policy asks (recorded for a rehire). */
  removable: string[];
  kept: { id: string; displayName: string | null; kind: DirectoryMembership['kind']; why: string }[];
}

/**
 * A leaver loses the assigned-membership groups (licence groups by leaver.removeLicences, every other group by
 * leaver.removeGroups, hand-granted ones too); roles, units, dynamic and role-assignable groups are kept, with why.
 */
export function leaverMemberships(memberships: readonly DirectoryMembership[], policy: Policy): LeaverMemberships {
  const licenceGroups = new Set(policy.licenceGroups.map((g) => g.id.toLowerCase()));
  const removable = memberships
    .filter((m) => m.kind === 'group' && m.keptBecause === null)
    .map((m) => m.id)
    .filter((g) => (licenceGroups.has(g.toLowerCase()) ? policy.leaver.removeLicences : policy.leaver.removeGroups));
  const kept = memberships
    .filter((m) => !removable.includes(m.id))
    .map((m) => ({
      id: m.id,
      displayName: m.displayName,
      kind: m.kind,
      why: m.keptBecause ?? 'the policy keeps it (leaver.removeGroups / leaver.removeLicences)',
    }));
  return { removable, kept };
}

/** Memberships known only by group id (assigned groups): what listGroupIds returns. */
export function assignedGroupMemberships(groupIds: readonly string[]): DirectoryMembership[] {
  return groupIds.map((id) => ({ id, displayName: null, kind: 'group', keptBecause: null }));
}

export type NoticeKind = 'mover' | 'leaver';

/**
 * The managers (employee ids) to tell by mail, before the mailbox check: mover.notifyManagers when a field in
 * mover.notifyOn changed (the current and, when it changed, the previous manager); leaver.notifyManager. null when
 * the policy wants no notice for this change; [] when it does but there is no manager to tell.
 */
export function managerNoticeRecipients(
  kind: NoticeKind,
  record: WorkerRecord,
  policy: Policy,
  mover: { previousManagerEmployeeId?: string; changedFields?: readonly string[] } = {},
): string[] | null {
  if (kind === 'leaver') {
    if (!policy.leaver.notifyManager) return null;
    return record.managerEmployeeId ? [record.managerEmployeeId] : [];
  }
  if (!policy.mover.notifyManagers) return null;
  const notifyOn: readonly string[] = policy.mover.notifyOn;
  // Stryker disable next-line ArrayDeclaration: equivalent, notifyOn holds worker field names only (policy schema).
  if (!(mover.changedFields ?? []).some((field) => notifyOn.includes(field))) return null;
  return [...new Set([record.managerEmployeeId, mover.previousManagerEmployeeId].filter((m): m is string => !!m))];
}
