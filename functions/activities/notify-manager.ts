import { registerActivity } from './register';
import { z } from 'zod';
import { WorkerRecord } from '../../shared/domain/hr-event';
import { services } from '../../shared/services';
import { Correlation, parseInput } from './activity-input';
import { audit } from './audit';

const Input = Correlation.extend({
  employeeId: z.string(),
  record: WorkerRecord,
  kind: z.enum(['mover', 'leaver']),
  previousManagerEmployeeId: z.string().optional(),
});

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Tells the manager (and, for a mover whose manager changed, the previous one) by mail what happened,
 * when the policy asks for it (mover.notifyManagers / leaver.notifyManager). Managers without an account
 * or a mailbox are skipped and the skip is audited.
 */
export async function notifyManager(input: unknown): Promise<{ notified: string[] }> {
  const { employeeId, record, kind, previousManagerEmployeeId, eventId, instanceId } = parseInput(Input, input);
  const { directory, policy, config } = services();
  const wanted = kind === 'mover' ? policy.mover.notifyManagers : policy.leaver.notifyManager;
  if (!wanted) return { notified: [] };
  const managerIds = [
    ...new Set(
      [record.managerEmployeeId, kind === 'mover' ? previousManagerEmployeeId : undefined].filter(
        (m): m is string => !!m,
      ),
    ),
  ];
  const name = escapeHtml(
    `${record.preferredGivenName ?? record.legalGivenName} ${record.preferredFamilyName ?? record.legalFamilyName}`,
  );
  const notified: string[] = [];
  for (const managerEmployeeId of managerIds) {
    const manager = await directory.findUserByEmployeeId(managerEmployeeId);
    const address = manager?.mail ?? manager?.userPrincipalName;
    if (!address) continue;
    const subject = kind === 'mover' ? `${name} is changing role` : `${name} has left`;
    const html =
      kind === 'mover'
        ? `<p>${name} now works in ${escapeHtml(record.department ?? '—')} as ${escapeHtml(record.jobTitle ?? '—')}. Access from the previous role ends after ${policy.mover.graceDays} day(s).</p>`
        : `<p>${name}'s account has been disabled and access removed. It will be deleted after ${policy.leaver.retentionDays} day(s).</p>`;
    await directory.sendMail(config.MAIL_SENDER, { to: [address], subject, html });
    notified.push(managerEmployeeId);
  }
  await audit({
    action: `notify.${kind}`,
    employeeId,
    target: 'mail',
    outcome: notified.length ? 'success' : 'skipped',
    reason: notified.length ? null : 'no manager with a mailbox',
    before: null,
    after: { managers: notified },
    correlation: { eventId, instanceId },
  });
  return { notified };
}

registerActivity('notifyManager', notifyManager);
