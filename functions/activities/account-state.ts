import { registerActivity } from './register';
import { z } from 'zod';
import { services } from '../../shared/services';
import { Correlation, parseInput, WithUser } from './activity-input';
import { audit } from './audit';

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

/** Leaver at the leave date: disable, revoke sessions, remove managed groups (recorded for a rehire). */
export async function removeAccess(input: unknown): Promise<{ removedGroupIds: string[] }> {
  const { employeeId, userId, eventId, instanceId } = parseInput(WithUser, input);
  const { directory, policy } = services();
  await directory.setAccountEnabled(userId, false);
  if (policy.leaver.revokeSessions) await directory.revokeSignInSessions(userId);
  const current = await directory.listGroupIds(userId);
  // Leavers lose every membership when the policy says so (not only policy groups): access from
  // hand-granted groups must end too. Licence groups follow removeLicences.
  const licenceGroups = new Set(policy.licenceGroups.map((g) => g.id.toLowerCase()));
  const removable = current.filter((g) =>
    licenceGroups.has(g.toLowerCase()) ? policy.leaver.removeLicences : policy.leaver.removeGroups,
  );
  const result = await directory.applyRelations(userId, { removeGroupIds: removable, managerId: undefined });
  await audit({
    action: 'leaver.removeAccess',
    employeeId,
    outcome: result.failures.length ? 'failure' : 'success',
    before: { accountEnabled: true, groups: current },
    after: {
      accountEnabled: false,
      sessionsRevoked: policy.leaver.revokeSessions,
      groups: current.filter((g) => !removable.includes(g)),
    },
    correlation: { eventId, instanceId },
  });
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
  const active = await directory.findUserByEmployeeId(employeeId);
  if (active) return { userId: active.id };
  const deleted = await directory.findDeletedUserByEmployeeId(employeeId);
  if (!deleted) return { userId: null };
  const restored = await directory.restoreDeletedUser(deleted.id);
  await audit({
    action: 'rehire.restoreUser',
    employeeId,
    outcome: 'success',
    before: { deletedDateTime: deleted.deletedDateTime },
    after: { id: restored.id },
    correlation: { eventId, instanceId },
  });
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
registerActivity('removeAccess', removeAccess);
registerActivity('deleteAccount', deleteAccount);
registerActivity('restoreAccount', restoreAccount);
registerActivity('recordOutcome', recordOutcome);
