import { registerActivity } from './register';
import { z } from 'zod';
import { services } from '../../shared/services';
import { Correlation, parseInput } from './activity-input';
import { audit } from './audit';

const Input = Correlation.extend({
  employeeId: z.string(),
  action: z.enum(['disable', 'delete']),
  /** The person's step key, stable across retries of the step (see RemovalRequest.decisionKey). */
  decisionKey: z.string().optional(),
});

/** The tenant's account count changes slowly next to a burst of leavers: read it at most every 10 minutes. */
const COUNT_TTL_MS = 10 * 60_000;
let accountCount: { value: number; at: number } | null = null;

async function tenantAccounts(): Promise<number> {
  if (accountCount && Date.now() - accountCount.at < COUNT_TTL_MS) return accountCount.value;
  const value = await services().directory.countUsers();
  accountCount = { value, at: Date.now() };
  return value;
}

/** Asks the accidental-deletion guard whether this leaver may proceed now or must wait for an admin. */
export async function checkDeletionGuard(input: unknown): Promise<{ decision: 'proceed' | 'held'; holdId?: string }> {
  const { employeeId, action, instanceId, eventId, decisionKey } = parseInput(Input, input);
  const { deletionGuard, policy } = services();
  const threshold = policy.deletionThreshold;
  const totalAccounts = threshold.maxPercent < 100 ? await tenantAccounts() : 0;
  const result = await deletionGuard.check(
    { employeeId, action, instanceId, eventId, decisionKey, totalAccounts },
    policy,
  );
  if (result.decision === 'held') {
    const reason =
      `accidental-deletion threshold (${threshold.maxPerHour}/hour, or ${threshold.maxPercent}% of ${totalAccounts} ` +
      `accounts from ${threshold.percentAppliesFrom}) reached; hold ${result.holdId} awaits approval`;
    await audit({
      action: `guard.${action}`,
      employeeId,
      outcome: 'held',
      reason,
      before: null,
      after: null,
      correlation: { eventId, instanceId },
    });
  }
  return result;
}

registerActivity('checkDeletionGuard', checkDeletionGuard);
