import { registerActivity } from './register';
import { z } from 'zod';
import { WorkerRecord } from '../../shared/domain/hr-event';
import { accessChanges, managerChange } from '../../shared/domain/jml-decisions';
import { services } from '../../shared/services';
import { Correlation, parseInput } from './activity-input';
import { audit, intendAudit } from './audit';
import { completedAccessRow } from './audit-completion';
import { licenceNotificationsDue } from '../../shared/licences/licence-groups';

const Input = Correlation.extend({
  employeeId: z.string(),
  userId: z.string(),
  record: WorkerRecord,
  extraGroupIds: z.array(z.string()).default([]),
  created: z.boolean().default(false),
  deferRemovals: z.boolean().default(false),
  managerUserId: z.string().nullish(),
});

/**
 * Manager + birthright and licence groups from the policy, in one $batch. Only groups the policy manages are
 * removed. A manager without an account yet is reported as pending (set on a later event).
 */
export async function applyAccess(input: unknown): Promise<{
  added: string[];
  removed: string[];
  deferred: string[];
  graceDays: number;
  managerPending: string | null;
  failures: number;
  licenceProblems: string[];
  /** The step's licence changes are to be mailed (notifyLicenceChanges): policy notifications and a licence group. */
  notifyLicences: boolean;
}> {
  const { employeeId, userId, record, extraGroupIds, eventId, instanceId, created, deferRemovals, managerUserId } =
    parseInput(Input, input);
  const { directory, policy } = services();
  // A user created a moment ago has no groups and no manager: skip the two reads.
  const [current, currentManager, manager] = await Promise.all([
    created ? Promise.resolve([] as string[]) : directory.listGroupIds(userId),
    created ? Promise.resolve(null) : directory.getManagerId(userId),
    // The joiner's lookup already found (or missed) the manager: no second read.
    !record.managerEmployeeId
      ? Promise.resolve(null)
      : managerUserId !== undefined
        ? Promise.resolve(managerUserId ? { id: managerUserId } : null)
        : directory.findUserByEmployeeId(record.managerEmployeeId),
  ]);
  // The same decisions the dry-run plan shows (shared/domain/jml-decisions.ts). Mover grace period (policy
  // mover.graceDays): the new role's access now, the old role's removed later.
  const { deferred, ...delta } = accessChanges(current, record, policy, { extraGroupIds, deferRemovals });
  const managerId = manager?.id ?? (await managerArrivedMeanwhile(employeeId, record.managerEmployeeId));
  const managerUpdate = managerChange(record, managerId, currentManager);
  const row = {
    action: 'access.apply',
    employeeId,
    before: { groups: current, manager: currentManager },
    after: { add: delta.add, remove: delta.remove, deferred, manager: managerId },
    correlation: { eventId, instanceId },
  };
  const writes = delta.add.length + delta.remove.length > 0 || managerUpdate !== undefined;
  const earlier = await intendAudit({ ...row, outcome: 'success' }, { writes });
  const result = await directory.applyRelations(userId, {
    managerId: managerUpdate,
    addGroupIds: delta.add,
    removeGroupIds: delta.remove,
  });
  // Read back before the access.apply row, which marks the step done for readers such as the bulkUpload status.
  const licenceProblems = result.failures.length
    ? []
    : await readBackLicences(employeeId, userId, { eventId, instanceId });
  await audit({
    ...(earlier ? completedAccessRow(row, earlier, current) : row),
    outcome: result.failures.length ? 'failure' : 'success',
    reason: result.failures.map((f) => `${f.operation} ${f.target}: ${f.code}`).join('; ') || null,
  });
  if (result.failures.length)
    throw new Error(
      `access changes failed: ${result.failures.map((f) => `${f.operation} ${f.target} (${f.code})`).join(', ')}`,
    );
  return {
    added: delta.add,
    removed: delta.remove,
    deferred,
    graceDays: policy.mover.graceDays,
    managerPending: record.managerEmployeeId && !managerId ? record.managerEmployeeId : null,
    failures: 0,
    licenceProblems,
    notifyLicences: licenceNotificationsDue(policy, delta.add, delta.remove),
  };
}

/**
 * Licences come through groups, and group-based licensing reports its failures on the user
 * (licenseAssignmentStates: CountViolation, UsageLocationNotAllowed, MutuallyExclusiveViolation, ...;
 * https://learn.microsoft.com/entra/identity/users/licensing-groups-resolve-problems). They are read back after
 * every access change and reported as a failure, never hidden behind a successful step. Graph may process
 * group licences a little later than the membership: a state still being processed is not a problem.
 */
async function readBackLicences(
  employeeId: string,
  userId: string,
  correlation: { eventId?: string; instanceId?: string },
): Promise<string[]> {
  const { directory, policy } = services();
  if (!policy.licenceGroups.length) return [];
  const states = await directory.listLicenseStates(userId);
  const problems = states
    .filter((s) => s.state.toLowerCase() === 'error' || (s.error && s.error !== 'None'))
    .map((s) => `licence ${s.skuId}${s.assignedByGroup ? ` (group ${s.assignedByGroup})` : ''}: ${s.error}`);
  if (problems.length)
    await audit({
      action: 'licence.check',
      employeeId,
      outcome: 'failure',
      reason: problems.join('; '),
      before: null,
      after: { licenseAssignmentStates: states },
      correlation,
    });
  return problems;
}

/**
 * The manager has no account yet: join their waitlist, so their joiner asks this person to apply access again as
 * soon as the account exists. Then look once more, because the manager's account may have been created (and its
 * waitlist read) between this person's lookup and the line above: one of the two sides always sees the other.
 */
async function managerArrivedMeanwhile(employeeId: string, managerEmployeeId: string | undefined) {
  if (!managerEmployeeId) return null;
  const { directory, managerWaitlist } = services();
  await managerWaitlist.wait(managerEmployeeId, employeeId);
  const manager = await directory.findUserByEmployeeId(managerEmployeeId);
  if (!manager) return null;
  await managerWaitlist.done(managerEmployeeId, [employeeId]);
  return manager.id;
}

registerActivity('applyAccess', applyAccess);
