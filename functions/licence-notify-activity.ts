import { z } from 'zod';
import { licenceGroupNames } from '../shared/licences/licence-groups';
import { services } from '../shared/services';
import { Correlation, parseInput } from './activities/activity-input';
import { registerActivity } from './activities/register';
import { licenceServices } from './licence-services';

const Input = Correlation.extend({
  employeeId: z.string(),
  userId: z.string(),
  /** Groups the step added and removed (only licence groups and app seat groups are told about). */
  added: z.array(z.string()).default([]),
  removed: z.array(z.string()).default([]),
});

/**
 * After a JML step's group changes: tells the person (and manager, per policy licences.notifications) which
 * licences and app seats they were given or lost. Once per step and change (a retried activity sends nothing more).
 */
export async function notifyLicenceChanges(input: unknown): Promise<{ sent: string[] }> {
  const { employeeId, userId, added, removed, eventId, instanceId } = parseInput(Input, input);
  const { policy } = services();
  const wanted = policy.licences?.notifications;
  if (!wanted || (!wanted.person && !wanted.manager)) return { sent: [] };
  const names = licenceGroupNames(policy);
  const sent: string[] = [];
  for (const [change, groupIds] of [
    ['assigned', added],
    ['removed', removed],
  ] as const) {
    const licenced = groupIds.filter((id) => names.has(id.toLowerCase())).sort();
    if (licenced.length === 0) continue;
    const result = await licenceServices().notifier.notify({
      userId,
      change,
      products: licenced.map((id) => names.get(id.toLowerCase())!),
      reason: null,
      changeKey: `jml|${instanceId}|${change}|${licenced.join(',')}`,
      actor: 'orchestration',
      employeeId,
      correlation: { eventId, instanceId },
    });
    sent.push(...result.sent);
  }
  return { sent };
}

registerActivity('notifyLicenceChanges', notifyLicenceChanges);
