import { registerActivity } from './register';
import { randomBytes } from 'node:crypto';
import { ConflictError } from '../../shared/adapters/graph/errors';
import { newUserFor } from '../../shared/domain/attributes';
import { attributeChanges } from '../../shared/domain/jml-decisions';
import { chooseUpn, upnCandidates } from '../../shared/domain/upn';
import { services } from '../../shared/services';
import { z } from 'zod';
import { parseInput, WithRecord } from './activity-input';
import { audit, intendAudit } from './audit';
import { completedUpdateRow, completesEarlierAttempt } from './audit-completion';

/**
 * Joiner step 1, idempotent: finds the account by employeeId (a re-run converges instead of creating a
 * duplicate), else creates it disabled with the first free UPN/mailNickname. A UPN taken between the
 * check and the create (ObjectConflict) moves on to the next candidate.
 */
const Input = WithRecord.extend({ enable: z.boolean().default(false) });

/** `managerUserId`: the manager's account found in the same lookup (undefined: not looked up; null: not found). */
type EnsuredAccount = { userId: string; userPrincipalName: string; created: boolean; managerUserId?: string | null };

/**
 * The person's account, found (and converged) or created, and whether reports are waiting for it as their manager
 * (read once the account exists: the joiner tells them only then, saving an activity for everyone else).
 */
export async function ensureAccount(input: unknown): Promise<EnsuredAccount & { reportsWaiting: boolean }> {
  const parsed = parseInput(Input, input);
  const account = await findOrCreateAccount(parsed);
  const reportsWaiting = (await services().managerWaitlist.waiting(parsed.employeeId)).length > 0;
  return { ...account, reportsWaiting };
}

async function findOrCreateAccount(input: z.infer<typeof Input>): Promise<EnsuredAccount> {
  const { employeeId, record, eventId, instanceId, enable } = input;
  const { directory, policy } = services();
  const candidates = upnCandidates(record, policy);
  // One round trip: the existing account (idempotency), the taken candidate names and the manager.
  const { existing, taken, manager } = await directory.lookupForJoiner(
    employeeId,
    candidates,
    record.managerEmployeeId,
  );
  const managerUserId = record.managerEmployeeId ? (manager?.id ?? null) : undefined;
  if (existing) {
    await completeInterruptedCreate(existing, { employeeId, eventId, instanceId });
    const changes = attributeChanges(existing, record, policy);
    const enabled = enable && !existing.accountEnabled;
    const row = {
      action: 'joiner.converge',
      employeeId,
      before: { id: existing.id, ...(enabled ? { accountEnabled: false } : {}) },
      // The enable is a change of its own: it is on the row too (it was not, and a rehire's enable had no row).
      after: enabled ? { ...changes, accountEnabled: true } : changes,
      correlation: { eventId, instanceId },
    };
    const attributesWritten = Object.keys(changes).length > 0;
    const earlier = await intendAudit({ ...row, outcome: 'success' }, { writes: attributesWritten || enabled });
    if (attributesWritten) await directory.updateUser(existing.id, changes);
    if (enabled) await directory.setAccountEnabled(existing.id, true);
    // Enabled before this attempt (which then enables nothing): an enable the earlier attempt announced is in place.
    const completed = completedUpdateRow(row, earlier, { attributesWritten, enabledNow: existing.accountEnabled });
    await audit({ ...completed, outcome: 'success' });
    return { userId: existing.id, userPrincipalName: existing.userPrincipalName, created: false, managerUserId };
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    const choice = chooseUpn(candidates, taken);
    if (!choice) throw new Error(`no free UPN among ${candidates.length} candidates for ${employeeId}`);
    // Random initial password: never returned, logged or stored; the person activates with a TAP.
    const password = `${randomBytes(18).toString('base64url')}aA1!`;
    const row = {
      action: 'joiner.createUser',
      employeeId,
      before: null,
      correlation: { eventId, instanceId },
    };
    try {
      await intendAudit({ ...row, outcome: 'success', after: { accountEnabled: enable } }, { writes: true });
      // Created enabled only when day 1 has already come (a late hire event); otherwise disabled pre-hire.
      const user = await directory.createUser({
        ...newUserFor(record, policy, choice, password),
        accountEnabled: enable,
      });
      await audit({
        ...row,
        outcome: 'success',
        after: { id: user.id, userPrincipalName: user.userPrincipalName, accountEnabled: enable },
      });
      return { userId: user.id, userPrincipalName: user.userPrincipalName, created: true, managerUserId };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      taken.add(choice.userPrincipalName.toLowerCase());
      taken.add(choice.mailNickname.toLowerCase());
    }
  }
  throw new Error(`UPN conflicts persisted for ${employeeId}`);
}

/**
 * The account exists, and an earlier attempt of this step announced its creation and stopped before the row (a
 * crash between the POST and the row): the row is written now, for the account it finds.
 */
async function completeInterruptedCreate(
  existing: { id: string; userPrincipalName: string; accountEnabled: boolean },
  correlation: { employeeId: string; eventId?: string; instanceId: string },
): Promise<void> {
  const { employeeId, eventId, instanceId } = correlation;
  const row = { action: 'joiner.createUser', employeeId, before: null, correlation: { eventId, instanceId } };
  const earlier = await intendAudit({ ...row, outcome: 'success', after: null }, { writes: false });
  if (!earlier) return;
  await audit({
    ...row,
    outcome: 'success',
    reason: completesEarlierAttempt('the account it created was found by employeeId'),
    after: { id: existing.id, userPrincipalName: existing.userPrincipalName, accountEnabled: existing.accountEnabled },
  });
}

registerActivity('ensureAccount', ensureAccount);
