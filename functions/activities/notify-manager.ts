import { registerActivity } from './register';
import { z } from 'zod';
import { WorkerRecord } from '../../shared/domain/hr-event';
import { managerNoticeRecipients } from '../../shared/domain/jml-decisions';
import { services } from '../../shared/services';
import { Correlation, parseInput } from './activity-input';
import { audit } from './audit';

const Input = Correlation.extend({
  employeeId: z.string(),
  record: WorkerRecord,
  kind: z.enum(['mover', 'leaver']),
  previousManagerEmployeeId: z.string().optional(),
  /** Mover: the worker fields that changed; the policy's mover.notifyOn decides whether they are worth a mail. */
  changedFields: z.array(z.string()).optional(),
});

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Tells the manager (and, for a mover whose manager changed, the previous one) by mail what happened, when the
 * policy asks for it (mover.notifyManagers + mover.notifyOn / leaver.notifyManager). Managers without a mailbox are
 * skipped, and the skip is audited. A mail that fails is audited as a failure and never fails the step: a manager
 * notice must not undo or block directory work.
 */
export async function notifyManager(input: unknown): Promise<{ notified: string[] }> {
  const parsed = parseInput(Input, input);
  const { employeeId, record, kind, previousManagerEmployeeId, changedFields, eventId, instanceId } = parsed;
  const { directory, policy, config } = services();
  // The same recipients the dry-run plan lists (shared/domain/jml-decisions.ts); null: no notice wanted.
  const managerIds = managerNoticeRecipients(kind, record, policy, { previousManagerEmployeeId, changedFields });
  if (!managerIds) return { notified: [] };
  const name = escapeHtml(
    `${record.preferredGivenName ?? record.legalGivenName} ${record.preferredFamilyName ?? record.legalFamilyName}`,
  );
  const subject = kind === 'mover' ? `${name} is changing role` : `${name} has left`;
  const html =
    kind === 'mover'
      ? `<p>${name} now works in ${escapeHtml(record.department ?? '—')} ` +
        `as ${escapeHtml(record.jobTitle ?? '—')}. ` +
        `Access from the previous role ends after ${policy.mover.graceDays} day(s).</p>`
      : `<p>${name}'s account has been disabled and access removed. ` +
        `It will be deleted after ${policy.leaver.retentionDays} day(s).</p>`;
  const notified: string[] = [];
  const skipped: string[] = [];
  const failed: { manager: string; error: string }[] = [];
  for (const managerEmployeeId of managerIds) {
    const manager = await directory.findUserByEmployeeId(managerEmployeeId);
    // Only a real mailbox: a UPN is not an address that receives mail (a manager without Exchange is skipped).
    const address = manager?.mail;
    if (!address) {
      skipped.push(managerEmployeeId);
      continue;
    }
    try {
      await directory.sendMail(config.MAIL_SENDER, { to: [address], subject, html });
      notified.push(managerEmployeeId);
    } catch (error) {
      failed.push({ manager: managerEmployeeId, error: error instanceof Error ? error.message : String(error) });
    }
  }
  const reasons = [
    ...(skipped.length ? [`no mailbox for manager(s) ${skipped.join(', ')}`] : []),
    ...failed.map((f) => `mail to manager ${f.manager} failed: ${f.error}`),
    ...(managerIds.length === 0 ? ['no manager'] : []),
  ];
  await audit({
    action: `notify.${kind}`,
    employeeId,
    target: 'mail',
    outcome: failed.length ? 'failure' : notified.length ? 'success' : 'skipped',
    reason: reasons.length ? reasons.join('; ') : null,
    before: null,
    after: { managers: notified },
    correlation: { eventId, instanceId },
  });
  return { notified };
}

registerActivity('notifyManager', notifyManager);
