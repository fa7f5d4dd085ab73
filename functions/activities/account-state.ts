import { registerActivity } from './register';
import { z } from 'zod';
import { services } from '../../shared/services';
import { leaverMemberships } from '../../shared/domain/jml-decisions';
import { Correlation, parseInput, WithUser } from './activity-input';
import { audit, intendAudit } from './audit';
import { completedRemovalRow, completesEarlierAttempt } from './audit-completion';

const SetEnabled = WithUser.extend({ enabled: z.boolean(), reason: z.string() });

export async function setAccountEnabled(input: unknown): Promise<void> {
  const { employeeId, userId, enabled, reason, eventId, instanceId } = parseInput(SetEnabled, input);
  await services().directory.setAccountEnabled(userId, enabled);
  await audit({
    action: enabled ? 'enableUser' : 'disableUser',
    employeeId,
    outcome: 'success',
    reason,
    before: { accountEnabled: !enabled },
    after: { accountEnabled: enabled },
    correlation: { eventId, instanceId },
  });
}

/**
 * The groups a leaver's removeAccess will remove (the same rule), read by the person orchestration before the first
 * removal and kept in its state: a removal a failed attempt makes is then not lost for the rehire.
 */
export async function listLeaverGroups(input: unknown): Promise<{ groupIds: string[] }> {
  const { userId } = parseInput(WithUser, input);
  const { directory, policy } = services();
  return { groupIds: leaverMemberships(await directory.listMemberships(userId), policy).removable };
}

/**
 * Leaver at the leave date: disable, revoke sessions, remove the group memberships a member removal can end
 * (recorded for a rehire). memberOf also lists directory roles, administrative units, dynamic and role-assignable
 * groups: those are kept and audited with the reason. A removal that fails, or a member still there afterwards,
 * fails the step so it is retried; it is never counted as done.
 */
export async function removeAccess(input: unknown): Promise<{ removedGroupIds: string[] }> {
  const { employeeId, userId, eventId, instanceId } = parseInput(WithUser, input);
  const { directory, policy } = services();
  await directory.setAccountEnabled(userId, false);
  if (policy.leaver.revokeSessions) await directory.revokeSignInSessions(userId);
  const memberships = await directory.listMemberships(userId);
  // Leavers lose every group membership when the policy says so (not only policy groups): access from
  // hand-granted groups must end too. The same decision the dry-run plan shows (planLeaver).
  const { removable, kept } = leaverMemberships(memberships, policy);
  const memberIds = memberships.map((m) => m.id);
  const row = {
    action: 'leaver.removeAccess',
    employeeId,
    before: { accountEnabled: true, groups: memberIds },
    correlation: { eventId, instanceId },
  };
  const intended = { accountEnabled: false, sessionsRevoked: policy.leaver.revokeSessions, removed: removable, kept };
  const earlier = await intendAudit({ ...row, outcome: 'success', after: intended }, { writes: removable.length > 0 });
  const result = await directory.applyRelations(userId, { removeGroupIds: removable, managerId: undefined });
  // A 404 on a removal means "not a member" only if the member is really gone: read the memberships back.
  const still = result.failures.length
    ? []
    : (await directory.listGroupIds(userId)).filter((g) => removable.includes(g));
  const failed = new Set(result.failures.map((f) => f.target));
  const problems = [
    ...result.failures.map((f) => `${f.operation} ${f.target} (${f.code})`),
    ...still.map((g) => `still a member of ${g} after its removal`),
  ];
  const made = {
    ...row,
    after: {
      ...intended,
      // What took effect: a failed attempt's audit row names the removals it made, not the ones it tried.
      removed: removable.filter((g) => !failed.has(g)),
      ...(failed.size ? { failed: [...failed] } : {}),
    },
  };
  await audit({
    ...(earlier ? completedRemovalRow(made, earlier, memberIds) : made),
    outcome: problems.length ? 'failure' : 'success',
    ...(problems.length ? { reason: problems.join('; ') } : {}),
  });
  if (problems.length) throw new Error(`leaver access removal incomplete: ${problems.join(', ')}`);
  return { removedGroupIds: removable };
}

export async function deleteAccount(input: unknown): Promise<void> {
  const { employeeId, userId, eventId, instanceId } = parseInput(WithUser, input);
  await services().directory.deleteUser(userId);
  await audit({
    action: 'deleteUser',
    employeeId,
    outcome: 'success',
    reason: 'retention period over (soft delete: restorable for 30 days)',
    before: { id: userId },
    after: { deleted: true },
    correlation: { eventId, instanceId },
  });
}

/** Rehire: the former account (active or in deleted items) is restored instead of creating a duplicate. */
export async function restoreAccount(input: unknown): Promise<{ userId: string | null }> {
  const { employeeId, eventId, instanceId } = parseInput(Correlation.extend({ employeeId: z.string() }), input);
  const { directory } = services();
  const row = {
    action: 'rehire.restoreUser',
    employeeId,
    outcome: 'success' as const,
    correlation: { eventId, instanceId },
  };
  const active = await directory.findUserByEmployeeId(employeeId);
  if (active) {
    // An earlier attempt announced the restore and stopped before its row: the account it restored is this one.
    const earlier = await intendAudit({ ...row, before: null, after: null }, { writes: false });
    if (earlier)
      await audit({
        ...row,
        before: earlier.before,
        after: { id: active.id },
        reason: completesEarlierAttempt('the restored account was found by employeeId'),
      });
    return { userId: active.id };
  }
  const deleted = await directory.findDeletedUserByEmployeeId(employeeId);
  if (!deleted) return { userId: null };
  const before = { deletedDateTime: deleted.deletedDateTime };
  await intendAudit({ ...row, before, after: { id: deleted.id } }, { writes: true });
  const restored = await directory.restoreDeletedUser(deleted.id);
  await audit({ ...row, before, after: { id: restored.id } });
  return { userId: restored.id };
}

export async function recordOutcome(input: unknown): Promise<void> {
  const { employeeId, action, outcome, eventId, instanceId } = parseInput(
    Correlation.extend({ employeeId: z.string(), action: z.string(), outcome: z.string() }),
    input,
  );
  await audit({
    action,
    employeeId,
    outcome: 'skipped',
    reason: outcome,
    before: null,
    after: null,
    correlation: { eventId, instanceId },
  });
}

registerActivity('setAccountEnabled', setAccountEnabled);
registerActivity('listLeaverGroups', listLeaverGroups);
registerActivity('removeAccess', removeAccess);
registerActivity('deleteAccount', deleteAccount);
registerActivity('restoreAccount', restoreAccount);
registerActivity('recordOutcome', recordOutcome);
