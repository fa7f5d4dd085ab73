import * as df from 'durable-functions';
import { z } from 'zod';
import { services } from '../../shared/services';
import { Correlation, parseInput } from './activity-input';
import { audit } from './audit';

const Input = Correlation.extend({ employeeId: z.string(), action: z.enum(['disable', 'delete']) });

/** Asks the accidental-deletion guard whether this leaver may proceed now or must wait for an admin. */
export async function checkDeletionGuard(input: unknown): Promise<{ decision: 'proceed' | 'held'; holdId?: string }> {
  const { employeeId, action, instanceId, eventId } = parseInput(Input, input);
  const { deletionGuard, policy } = services();
  const result = await deletionGuard.check({ employeeId, action, instanceId, eventId }, policy);
  if (result.decision === 'held') {
    await audit({ action: `guard.${action}`, employeeId, outcome: 'held', reason: `accidental-deletion threshold (${policy.deletionThreshold.maxPerHour}/hour) reached; hold ${result.holdId} awaits approval`, before: null, after: null, correlation: { eventId, instanceId } });
  }
  return result;
}

df.app.activity('checkDeletionGuard', { handler: checkDeletionGuard });
