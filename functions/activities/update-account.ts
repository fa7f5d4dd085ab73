import { registerActivity } from './register';
import { userAttributesFor } from '../../shared/domain/attributes';
import { changedAttributeNames } from '../../shared/domain/diff';
import { attributeChanges } from '../../shared/domain/jml-decisions';
import { services } from '../../shared/services';
import { parseInput, WithRecord } from './activity-input';
import { audit, intendAudit } from './audit';
import { completedUpdateRow } from './audit-completion';
import { z } from 'zod';

const Input = WithRecord.extend({
  userId: z.string(),
  /** Which step writes (named in the audit row): a mover's changes, or the leave date before a leaver. */
  purpose: z.enum(['mover', 'leaver']).default('mover'),
});

/** Patches only the attributes that differ from the directory (a mover's changes, a leaver's leave date). */
export async function updateAccount(input: unknown): Promise<{ changed: string[] }> {
  const { employeeId, userId, record, purpose, eventId, instanceId } = parseInput(Input, input);
  const { directory, policy } = services();
  const user = await directory.getUser(userId);
  if (!user) throw new Error(`user ${userId} of ${employeeId} not found`);
  // The directory's own values (extension attributes included) are the baseline: nothing that already
  // holds is written again (issue 23: every re-evaluation rewrote extensionAttribute1 for everyone).
  const desired = userAttributesFor(record, policy);
  const changes = attributeChanges(user, record, policy);
  const changed = changedAttributeNames(changes);
  // When one extension attribute differs, all mapped ones are sent: the write is needed anyway, and it
  // cannot matter whether the directory merges or replaces onPremisesExtensionAttributes.
  if (changes.extensionAttributes && desired.extensionAttributes)
    changes.extensionAttributes = desired.extensionAttributes;
  const before = Object.fromEntries(changed.map((k) => [k, (user as unknown as Record<string, unknown>)[k] ?? null]));
  const row = {
    action: `${purpose}.updateUser`,
    employeeId,
    before,
    after: changes,
    correlation: { eventId, instanceId },
  };
  const earlier = await intendAudit({ ...row, outcome: 'success' }, { writes: changed.length > 0 });
  if (changed.length) await directory.updateUser(userId, changes);
  const completed = completedUpdateRow(row, earlier, { attributesWritten: changed.length > 0 });
  await audit({ ...completed, outcome: changed.length || completed !== row ? 'success' : 'skipped' });
  return { changed };
}

registerActivity('updateAccount', updateAccount);
