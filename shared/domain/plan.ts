import type { DirectoryMembership, DirectoryUser, UserAttributes } from '../ports/directory';
import { userAttributesFor } from './attributes';
import { changedAttributeNames, diffAttributes } from './diff';
import type { WorkerRecord } from './hr-event';
import {
  accessChanges,
  assignedGroupMemberships,
  attributeChanges,
  leaverMemberships,
  managerChange,
  managerNoticeRecipients,
  selfActivates,
  type NoticeKind,
} from './jml-decisions';
import { groupName, type Policy } from './policy';
import { evaluateBirthright, scimTargetsInScope, type GroupGrant } from './rules';
import { deletionInstant, hireInstant, leaveInstant, toGraphDateTime } from './schedule';
import { chooseUpn, upnCandidates, type UpnCandidate } from './upn';
import { changedWorkerFields } from './worker-changes';

/*
 * Plans: the exact directory and SCIM operations a joiner, mover, leaver or rehire would run, with the
 * reason for each, computed purely from the HR record, the policy and what the directory holds. Every
 * decision (which attributes, which groups to add, defer, remove or keep, the manager write, who gets a
 * mail, day 1 activation) comes from shared/domain/jml-decisions.ts, which the activities call too, so
 * the dry run shows what the runtime does (test/e2e/plan-matches-runtime.test.ts). Plans never hold
 * secrets (the initial password is made by the activity that creates the user).
 */

type OperationKind =
  | 'createUser'
  | 'updateUser'
  | 'enableUser'
  | 'disableUser'
  | 'setManager'
  | 'removeManager'
  | 'addToGroups'
  | 'removeFromGroups'
  | 'revokeSessions'
  | 'deleteUser'
  | 'restoreUser'
  | 'notify'
  | 'hold';

/**
 * One operation. `detail` keys by op (userId is null before the user exists):
 * - createUser: { userPrincipalName, mailNickname, accountEnabled: false, attributes: UserAttributes }
 *   (SCIM: { userPrincipalName?, attributes })
 * - updateUser: { userId, changes: UserAttributes, changed: string[] }
 * - enableUser | disableUser | revokeSessions | deleteUser | restoreUser | removeManager: { userId }
 * - setManager: { userId, managerObjectId, managerEmployeeId }
 * - addToGroups | removeFromGroups: { userId, groupIds: string[], groups: { id, name, kind, ruleIds }[] }
 * - notify: { recipient: 'manager' | 'previousManager' | 'newManager', managerEmployeeId, template }
 * - hold: { code, ... } — the plan cannot proceed without a person (e.g. no free UPN)
 */
interface PlannedOperation {
  op: OperationKind;
  /** 'entra' for the directory, otherwise a SCIM target id from the policy, or 'mail' for notifications. */
  target: string;
  summary: string;
  detail: Record<string, unknown>;
  /** Why: rule id, changed field, policy version. */
  reason: string;
  /** Do not run before this instant (ISO UTC): e.g. enabling on day 1, deleting after retention. */
  notBefore?: string;
  /**
   * Run this many days after the plan takes effect (mover grace period, leaver retention) when no fixed
   * instant applies.
   */
  delayDays?: number;
}

type PlanKind = 'joiner' | 'mover' | 'leaver' | 'rehire' | 'rescind';

export interface Plan {
  kind: PlanKind;
  employeeId: string;
  policyVersion: string;
  operations: PlannedOperation[];
  /** Set when the manager's account does not exist yet: set the manager when they join. */
  pendingManagerEmployeeId: string | null;
  /** Things worth telling a human that are not operations. */
  notes: string[];
}

export interface JoinerContext {
  existing: DirectoryUser | null;
  existingGroupIds: string[];
  /**
   * Lower-cased UPNs and mail nicknames already used (Directory.takenUpnsOrNicknames of
   * upnCandidates(worker, policy)).
   */
  takenNames: Set<string>;
  managerObjectId: string | null;
}

/**
 * Managers' mailboxes by employee id, for the manager mails: null when the manager has no mailbox (the mail is
 * skipped, as the runtime does); a manager not listed is assumed to have one.
 */
type ManagerMailboxes = Record<string, string | null>;

export interface MoverContext {
  user: DirectoryUser;
  currentGroupIds: string[];
  managerObjectId: string | null;
  currentManagerId: string | null;
  managerMailboxes?: ManagerMailboxes;
}

export interface LeaverContext {
  user: DirectoryUser;
  /** Assigned group memberships (used when `memberships` is not given). */
  currentGroupIds: string[];
  /** Every direct membership with its kind (Directory.listMemberships): roles, units, dynamic groups are kept. */
  memberships?: DirectoryMembership[];
  /** Immediate termination: run now rather than at the leave date. */
  immediate?: boolean;
  managerMailboxes?: ManagerMailboxes;
}

export interface RehireContext {
  /** The former account, possibly in deleted items (deletedDateTime set). */
  formerUser: DirectoryUser;
  /** Its current memberships (after restore, Entra brings back cloud group memberships). */
  formerGroupIds: string[];
  managerObjectId: string | null;
  currentManagerId?: string | null;
  /** Groups removed when the person left: the rehire gives them back (PersonState.removedGroupIds). */
  restoreGroupIds?: string[];
}

interface GroupRefDetail {
  id: string;
  name: string | null;
  kind: 'birthright' | 'licence' | 'other';
  ruleIds: string[];
}

const versionTag = (policy: Policy): string => `policy ${policy.version}`;

function groupDetails(ids: string[], grants: GroupGrant[], policy: Policy): GroupRefDetail[] {
  const byId = new Map(grants.map((grant) => [grant.groupId.toLowerCase(), grant]));
  const licenceIds = new Set(policy.licenceGroups.map((g) => g.id.toLowerCase()));
  return ids.map((id) => {
    const grant = byId.get(id.toLowerCase());
    if (grant) return { id, name: grant.groupName, kind: grant.kind, ruleIds: grant.ruleIds };
    return {
      id,
      name: groupName(policy, id) ?? null,
      kind: licenceIds.has(id.toLowerCase()) ? 'licence' : 'other',
      ruleIds: [],
    };
  });
}

function names(details: GroupRefDetail[]): string {
  return details.map((d) => d.name ?? d.id).join(', ');
}

function addGroupsOperation(
  userId: string | null,
  ids: string[],
  grants: GroupGrant[],
  policy: Policy,
): PlannedOperation {
  const groups = groupDetails(ids, grants, policy);
  const rules = [...new Set(groups.flatMap((g) => g.ruleIds))];
  return {
    op: 'addToGroups',
    target: 'entra',
    summary: `Add to ${groups.length} group(s): ${names(groups)}`,
    detail: { userId, groupIds: ids, groups },
    reason: `rules ${rules.join(', ')} (${versionTag(policy)})`,
  };
}

function managerOperations(
  worker: WorkerRecord,
  userId: string | null,
  managerObjectId: string | null,
  currentManagerId: string | null | undefined,
  policy: Policy,
  plan: Plan,
): PlannedOperation[] {
  const change = managerChange(worker, managerObjectId, currentManagerId ?? null);
  if (change === null) {
    return [
      {
        op: 'removeManager',
        target: 'entra',
        summary: 'Remove manager',
        detail: { userId },
        reason: `HR record has no manager (${versionTag(policy)})`,
      },
    ];
  }
  if (worker.managerEmployeeId && !managerObjectId) {
    plan.pendingManagerEmployeeId = worker.managerEmployeeId;
    plan.notes.push(`manager ${worker.managerEmployeeId} has no account yet: the manager is set when they join`);
    return [];
  }
  if (change === undefined || !worker.managerEmployeeId) return [];
  return [
    {
      op: 'setManager',
      target: 'entra',
      summary: `Set manager to ${worker.managerEmployeeId}`,
      detail: { userId, managerObjectId, managerEmployeeId: worker.managerEmployeeId },
      reason: `HR manager is ${worker.managerEmployeeId}`,
    },
  ];
}

function updateOperation(userId: string | null, changes: UserAttributes, why: string): PlannedOperation | null {
  const changed = changedAttributeNames(changes);
  if (changed.length === 0) return null;
  return {
    op: 'updateUser',
    target: 'entra',
    summary: `Update ${changed.join(', ')}`,
    detail: { userId, changes, changed },
    reason: why,
  };
}

function enableOnDayOne(worker: WorkerRecord, userId: string | null, policy: Policy): PlannedOperation {
  if (selfActivates(worker, policy)) {
    return {
      op: 'enableUser',
      target: 'entra',
      summary: 'Enable the account when the person activates it (one-time code, then Temporary Access Pass)',
      detail: { userId, via: 'activation' },
      reason: `activation.enabled and a personal email (${versionTag(policy)})`,
      notBefore: toGraphDateTime(hireInstant(worker)),
    };
  }
  return {
    op: 'enableUser',
    target: 'entra',
    summary: `Enable the account on day 1 (${toGraphDateTime(hireInstant(worker))})`,
    detail: { userId, via: 'day1' },
    reason: `hire date ${worker.hireDate} in ${worker.timeZone}`,
    notBefore: toGraphDateTime(hireInstant(worker)),
  };
}

function newPlan(kind: PlanKind, worker: WorkerRecord, policy: Policy): Plan {
  return {
    kind,
    employeeId: worker.employeeId,
    policyVersion: policy.version,
    operations: [],
    pendingManagerEmployeeId: null,
    notes: [],
  };
}

function push(plan: Plan, operation: PlannedOperation | null): void {
  if (operation) plan.operations.push(operation);
}

/** A manager mail, or a note when the manager has no mailbox (the runtime skips and audits those). */
function notifyOperation(
  plan: Plan,
  template: NoticeKind | 'rescind',
  recipient: 'manager' | 'previousManager' | 'newManager',
  label: string,
  managerEmployeeId: string,
  reason: string,
  mailboxes: ManagerMailboxes | undefined,
): PlannedOperation | null {
  const mail = mailboxes?.[managerEmployeeId];
  if (mail === null) {
    plan.notes.push(`${label} ${managerEmployeeId} has no mailbox: no mail is sent`);
    return null;
  }
  return {
    op: 'notify',
    target: 'mail',
    summary: `Tell ${label} ${managerEmployeeId}`,
    detail: { recipient, managerEmployeeId, template, ...(mail ? { mail } : {}) },
    reason,
  };
}

/**
 * Joiner: create the user disabled before day 1 (or converge an existing one), manager, birthright
 * and licence groups, SCIM provisioning, enable on day 1 (or through activation).
 */
export function planJoiner(worker: WorkerRecord, policy: Policy, ctx: JoinerContext): Plan {
  const plan = newPlan('joiner', worker, policy);
  const desired = userAttributesFor(worker, policy);
  const grants = evaluateBirthright(worker, policy);
  let userId: string | null = null;
  let upn: UpnCandidate | null;

  if (ctx.existing) {
    userId = ctx.existing.id;
    upn = { userPrincipalName: ctx.existing.userPrincipalName, mailNickname: ctx.existing.mailNickname };
    plan.notes.push(`account ${ctx.existing.userPrincipalName} already exists: converging instead of creating`);
    push(
      plan,
      updateOperation(
        userId,
        diffAttributes(ctx.existing, desired),
        `directory differs from the HR record (${versionTag(policy)})`,
      ),
    );
  } else {
    upn = chooseUpn(upnCandidates(worker, policy), ctx.takenNames);
    if (!upn) {
      plan.operations.push({
        op: 'hold',
        target: 'entra',
        summary: 'No free user principal name: an administrator must choose one',
        detail: { code: 'no-free-upn', tried: upnCandidates(worker, policy).map((c) => c.userPrincipalName) },
        reason: `every candidate from ${policy.upn.pattern} and its fallbacks is taken (${versionTag(policy)})`,
      });
      return plan;
    }
    const first = upnCandidates(worker, policy, 1)[0];
    plan.operations.push({
      op: 'createUser',
      target: 'entra',
      summary: `Create ${upn.userPrincipalName} (disabled until day 1)`,
      detail: {
        userPrincipalName: upn.userPrincipalName,
        mailNickname: upn.mailNickname,
        accountEnabled: false,
        attributes: desired,
      },
      reason:
        first && first.userPrincipalName !== upn.userPrincipalName
          ? `new hire; ${first.userPrincipalName} is taken or reserved, so the next candidate (${versionTag(policy)})`
          : `new hire; UPN from ${policy.upn.pattern} (${versionTag(policy)})`,
    });
  }

  plan.operations.push(...managerOperations(worker, userId, ctx.managerObjectId, undefined, policy, plan));

  // Stryker disable next-line ArrayDeclaration: equivalent, a group the policy does not manage is never removed.
  const delta = accessChanges(ctx.existing ? ctx.existingGroupIds : [], worker, policy);
  if (delta.add.length > 0) plan.operations.push(addGroupsOperation(userId, delta.add, grants, policy));
  if (delta.remove.length > 0)
    plan.operations.push(removeGroupsOperation(userId, delta.remove, grants, policy, 'no rule grants it any more'));

  for (const target of scimTargetsInScope(worker, policy)) {
    plan.operations.push({
      op: 'createUser',
      target: target.id,
      summary: `Provision to ${target.name}`,
      detail: { userPrincipalName: upn.userPrincipalName, attributes: desired },
      reason: `in scope of SCIM target ${target.id} (${versionTag(policy)})`,
    });
  }

  if (!ctx.existing?.accountEnabled) plan.operations.push(enableOnDayOne(worker, userId, policy));
  return plan;
}

function removeGroupsOperation(
  userId: string | null,
  ids: string[],
  grants: GroupGrant[],
  policy: Policy,
  why: string,
  delayDays?: number,
): PlannedOperation {
  const groups = groupDetails(ids, grants, policy);
  return {
    op: 'removeFromGroups',
    target: 'entra',
    summary: `Remove from ${groups.length} group(s): ${names(groups)}`,
    detail: { userId, groupIds: ids, groups },
    reason: `${why} (${versionTag(policy)})`,
    ...(delayDays ? { delayDays } : {}),
  };
}

/** HR fields whose change is worth a line in the reason. */
function hrChanges(previous: WorkerRecord, next: WorkerRecord): string[] {
  const keys: (keyof WorkerRecord)[] = [
    'legalGivenName',
    'legalFamilyName',
    'preferredGivenName',
    'preferredFamilyName',
    'department',
    'jobTitle',
    'costCenter',
    'company',
    'country',
    'city',
    'officeLocation',
    'managerEmployeeId',
    'employmentType',
    'hireDate',
    'leaveDate',
    'timeZone',
  ];
  const out: string[] = [];
  for (const key of keys) {
    const before = previous[key] ?? '';
    const after = next[key] ?? '';
    if (before !== after)
      out.push(`${key} ${before === '' ? '(none)' : String(before)} → ${after === '' ? '(none)' : String(after)}`);
  }
  const beforeExt = JSON.stringify(Object.entries(previous.extensions).sort());
  const afterExt = JSON.stringify(Object.entries(next.extensions).sort());
  if (beforeExt !== afterExt) out.push('extensions changed');
  return out;
}

/**
 * Mover: patch only the attributes that differ, apply the group delta (new role's groups now; the old
 * role's groups after the grace period), change manager, update SCIM targets, notify managers.
 */
export function planMover(previous: WorkerRecord, next: WorkerRecord, policy: Policy, ctx: MoverContext): Plan {
  const plan = newPlan('mover', next, policy);
  const userId = ctx.user.id;
  const changes = hrChanges(previous, next);
  const desired = userAttributesFor(next, policy);
  push(
    plan,
    updateOperation(
      userId,
      attributeChanges(ctx.user, next, policy),
      changes.length > 0 ? `HR change: ${changes.join('; ')}` : `directory drift (${versionTag(policy)})`,
    ),
  );

  plan.operations.push(...managerOperations(next, userId, ctx.managerObjectId, ctx.currentManagerId, policy, plan));

  const grants = evaluateBirthright(next, policy);
  const previousGrants = evaluateBirthright(previous, policy);
  // A mover keeps every group it loses for the grace period (the runtime's deferRemovals), then loses them.
  const delta = accessChanges(ctx.currentGroupIds, next, policy, { deferRemovals: true });
  if (delta.add.length > 0) plan.operations.push(addGroupsOperation(userId, delta.add, grants, policy));
  if (delta.deferred.length > 0) {
    const grace = policy.mover.graceDays;
    plan.operations.push(
      removeGroupsOperation(
        userId,
        delta.deferred,
        previousGrants,
        policy,
        `no rule grants it any more; kept for mover.graceDays ${grace}`,
        grace,
      ),
    );
  }
  if (delta.remove.length > 0)
    plan.operations.push(removeGroupsOperation(userId, delta.remove, grants, policy, 'no rule grants it any more'));

  const before = new Set(scimTargetsInScope(previous, policy).map((t) => t.id));
  const after = scimTargetsInScope(next, policy);
  const attributesChanged = plan.operations.some((o) => o.op === 'updateUser');
  for (const target of after) {
    if (!before.has(target.id)) {
      plan.operations.push({
        op: 'createUser',
        target: target.id,
        summary: `Provision to ${target.name}`,
        detail: { userPrincipalName: ctx.user.userPrincipalName, attributes: desired },
        reason: `now in scope of SCIM target ${target.id} (${versionTag(policy)})`,
      });
    } else if (attributesChanged) {
      plan.operations.push({
        op: 'updateUser',
        target: target.id,
        summary: `Update in ${target.name}`,
        detail: { userPrincipalName: ctx.user.userPrincipalName, attributes: desired },
        reason: `attributes changed (${versionTag(policy)})`,
      });
    }
  }
  for (const id of before) {
    if (!after.some((t) => t.id === id)) {
      plan.operations.push({
        op: 'disableUser',
        target: id,
        // Stryker disable next-line OptionalChaining: equivalent, `before` holds ids of the policy's targets only.
        summary: `Deactivate in ${policy.scimTargets.find((t) => t.id === id)?.name ?? id}`,
        detail: { userPrincipalName: ctx.user.userPrincipalName },
        reason: `no longer in scope of SCIM target ${id} (${versionTag(policy)})`,
      });
    }
  }

  const managerChanged = previous.managerEmployeeId !== next.managerEmployeeId;
  const changedFields = changedWorkerFields(previous, next);
  const notifyOn: readonly string[] = policy.mover.notifyOn;
  const noticed = changedFields.filter((f) => notifyOn.includes(f)).join(', ');
  const why = `${noticed} changed (mover.notifyOn, ${versionTag(policy)})`;
  // Stryker disable next-line StringLiteral: equivalent, every kind but 'leaver' takes the mover rules.
  const recipients = managerNoticeRecipients('mover', next, policy, {
    previousManagerEmployeeId: managerChanged ? previous.managerEmployeeId : undefined,
    changedFields,
  });
  // The previous manager first: the order the mails read best in the plan.
  for (const managerEmployeeId of [...(recipients ?? [])].reverse()) {
    const recipient =
      managerEmployeeId === next.managerEmployeeId ? (managerChanged ? 'newManager' : 'manager') : 'previousManager';
    const label = { manager: 'manager', newManager: 'new manager', previousManager: 'previous manager' }[recipient];
    push(plan, notifyOperation(plan, 'mover', recipient, label, managerEmployeeId, why, ctx.managerMailboxes));
  }
  if (plan.operations.length === 0) plan.notes.push('nothing to change');
  return plan;
}

/**
 * Leaver: disable sign-in, revoke sessions, remove groups and licences (listed in the operation so a
 * rehire or rollback can restore them), deactivate in SCIM targets, tell the manager; delete after
 * the retention period.
 */
export function planLeaver(worker: WorkerRecord, policy: Policy, ctx: LeaverContext): Plan {
  const plan = newPlan('leaver', worker, policy);
  const userId = ctx.user.id;
  const leave = ctx.immediate ? null : leaveInstant(worker);
  const why = ctx.immediate
    ? 'immediate termination'
    : `leave date ${worker.leaveDate ?? '(none)'} in ${worker.timeZone}`;

  // employeeLeaveDateTime (Lifecycle Workflows' leaver trigger) and any last change, before access goes.
  push(plan, updateOperation(userId, attributeChanges(ctx.user, worker, policy), why));

  if (ctx.user.accountEnabled) {
    plan.operations.push({
      op: 'disableUser',
      target: 'entra',
      summary: 'Disable sign-in',
      detail: { userId },
      reason: why,
    });
  } else {
    plan.notes.push('account already disabled');
  }
  if (policy.leaver.revokeSessions) {
    plan.operations.push({
      op: 'revokeSessions',
      target: 'entra',
      summary: 'Revoke sign-in sessions and refresh tokens',
      detail: { userId },
      reason: `leaver.revokeSessions (${versionTag(policy)})`,
    });
  }

  const { removable, kept } = leaverMemberships(
    ctx.memberships ?? assignedGroupMemberships(ctx.currentGroupIds),
    policy,
  );
  const licenceIds = new Set(policy.licenceGroups.map((g) => g.id.toLowerCase()));
  const licences = removable.filter((id) => licenceIds.has(id.toLowerCase()));
  const others = removable.filter((id) => !licenceIds.has(id.toLowerCase()));
  if (others.length > 0) {
    plan.operations.push(
      removeGroupsOperation(
        userId,
        others,
        [],
        policy,
        'leaver.removeGroups: every assigned group membership is removed and recorded for a rehire',
      ),
    );
  }
  if (licences.length > 0) {
    plan.operations.push(
      removeGroupsOperation(userId, licences, [], policy, 'leaver.removeLicences: licence groups removed'),
    );
  }
  for (const k of kept) plan.notes.push(`kept ${k.kind} ${k.displayName ?? k.id}: ${k.why}`);

  for (const target of scimTargetsInScope(worker, policy)) {
    plan.operations.push({
      op: 'disableUser',
      target: target.id,
      summary: `Deactivate in ${target.name}`,
      detail: { userPrincipalName: ctx.user.userPrincipalName },
      reason: why,
    });
  }
  for (const managerEmployeeId of managerNoticeRecipients('leaver', worker, policy) ?? []) {
    const reason = `leaver.notifyManager (${versionTag(policy)})`;
    push(plan, notifyOperation(plan, 'leaver', 'manager', 'manager', managerEmployeeId, reason, ctx.managerMailboxes));
  }

  const retention = policy.leaver.retentionDays;
  const schedule = leave
    ? { notBefore: toGraphDateTime(deletionInstant(leave, policy)), delayDays: retention }
    : { delayDays: retention };
  const retentionReason = `leaver.retentionDays ${retention} (${versionTag(policy)})`;
  for (const target of scimTargetsInScope(worker, policy)) {
    plan.operations.push({
      op: 'deleteUser',
      target: target.id,
      summary: `Delete from ${target.name} after ${retention} day(s)`,
      detail: { userPrincipalName: ctx.user.userPrincipalName },
      reason: retentionReason,
      ...schedule,
    });
  }
  plan.operations.push({
    op: 'deleteUser',
    target: 'entra',
    summary: `Delete the account after ${retention} day(s) (restorable for 30 days)`,
    detail: { userId },
    // The retention delete asks the accidental-deletion guard first, as every disable does.
    reason: `${retentionReason}; through the accidental-deletion guard`,
    ...schedule,
  });
  return plan;
}

/**
 * Rehire: restore (from deleted items) and reuse the former account instead of creating a duplicate,
 * bring attributes up to date, re-run the joiner rules, enable on the new day 1.
 */
export function planRehire(worker: WorkerRecord, policy: Policy, ctx: RehireContext): Plan {
  const plan = newPlan('rehire', worker, policy);
  const user = ctx.formerUser;
  const userId = user.id;
  if (user.deletedDateTime) {
    plan.operations.push({
      op: 'restoreUser',
      target: 'entra',
      summary: `Restore ${user.userPrincipalName} from deleted items`,
      detail: { userId },
      reason: `rehire; former account deleted ${user.deletedDateTime}`,
    });
  }
  const desired = userAttributesFor(worker, policy);
  push(
    plan,
    updateOperation(
      userId,
      attributeChanges(user, worker, policy),
      `rehire: record the new hire (${versionTag(policy)})`,
    ),
  );
  plan.operations.push(
    ...managerOperations(worker, userId, ctx.managerObjectId, ctx.currentManagerId ?? null, policy, plan),
  );

  const grants = evaluateBirthright(worker, policy);
  // Groups taken away at leave come back with the birthright ones (the runtime's extraGroupIds).
  const delta = accessChanges(ctx.formerGroupIds, worker, policy, { extraGroupIds: ctx.restoreGroupIds ?? [] });
  if (delta.add.length > 0) plan.operations.push(addGroupsOperation(userId, delta.add, grants, policy));
  if (delta.remove.length > 0)
    plan.operations.push(removeGroupsOperation(userId, delta.remove, grants, policy, 'no rule grants it any more'));

  for (const target of scimTargetsInScope(worker, policy)) {
    plan.operations.push({
      op: 'createUser',
      target: target.id,
      summary: `Provision to ${target.name} (or reactivate)`,
      detail: { userPrincipalName: user.userPrincipalName, attributes: desired },
      reason: `rehire in scope of SCIM target ${target.id} (${versionTag(policy)})`,
    });
  }
  if (!user.accountEnabled) plan.operations.push(enableOnDayOne(worker, userId, policy));
  return plan;
}

export interface RescindContext {
  /** The pre-hire account, or null when it was not created yet. */
  user: DirectoryUser | null;
}

/**
 * Rescinded hire (offer withdrawn before day 1): the pre-hire account was never used, so it is deleted
 * at once (no retention; still restorable from deleted items for 30 days) and removed from SCIM targets.
 */
export function planRescind(worker: WorkerRecord, policy: Policy, ctx: RescindContext): Plan {
  const plan = newPlan('rescind', worker, policy);
  if (!ctx.user) {
    plan.notes.push('no account was created yet: only the scheduled joiner is cancelled');
    return plan;
  }
  const userId = ctx.user.id;
  const why = `hire rescinded before day 1 (${versionTag(policy)})`;
  for (const target of scimTargetsInScope(worker, policy)) {
    plan.operations.push({
      op: 'deleteUser',
      target: target.id,
      summary: `Delete from ${target.name}`,
      detail: { userPrincipalName: ctx.user.userPrincipalName },
      reason: why,
    });
  }
  // No manager mail: the rescind step only deletes the never-used account (and ends a pending activation).
  plan.operations.push({
    op: 'deleteUser',
    target: 'entra',
    summary: `Delete ${ctx.user.userPrincipalName} (never used; restorable for 30 days)`,
    detail: { userId },
    reason: why,
  });
  return plan;
}

/** Human-readable dry-run text: one numbered line per operation, with its reason and schedule. */
export function renderPlan(plan: Plan): string {
  const lines = [
    `${plan.kind} plan for ${plan.employeeId} (policy ${plan.policyVersion}): ${plan.operations.length} operation(s)`,
  ];
  plan.operations.forEach((operation, index) => {
    const when = operation.notBefore
      ? ` [not before ${operation.notBefore}]`
      : operation.delayDays
        ? ` [after ${operation.delayDays} day(s)]`
        : '';
    lines.push(
      `  ${String(index + 1).padStart(2)}. ${operation.target.padEnd(8)} ${operation.op.padEnd(16)} ` +
        `${operation.summary}${when}`,
    );
    lines.push(`      why: ${operation.reason}`);
  });
  for (const note of plan.notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
}
