import { registerActivity } from './register';
import { z } from 'zod';
import type { ReevaluateRequest } from '../../shared/domain/person-contract';
import { services } from '../../shared/services';
import { Correlation, parseInput } from './activity-input';
import { audit } from './audit';

const Input = Correlation.extend({ employeeId: z.string(), userId: z.string() });

/**
 * This person's account exists now: the reports who were waiting for them as their manager apply access again at
 * once (through the HR events queue, ordered with their own events), instead of at their next hourly check.
 * Idempotent: the queue message id names this account and the report, so a retry is deduplicated.
 */
export async function tellWaitingReports(input: unknown): Promise<{ told: string[] }> {
  const { employeeId, userId, eventId, instanceId } = parseInput(Input, input);
  const { managerWaitlist, eventQueue, config } = services();
  const reports = await managerWaitlist.waiting(employeeId);
  if (!reports.length) return { told: [] };
  await eventQueue.send(
    config.HR_EVENTS_QUEUE,
    reports.map((report) => {
      const message: ReevaluateRequest = {
        kind: 'reevaluate',
        requestId: `manager-available:${userId}`,
        employeeId: report,
        reason: `manager ${employeeId} has an account now`,
        requestedBy: 'joiner',
      };
      return {
        messageId: `manager-available:${userId}:${report}`,
        sessionId: report,
        body: message,
        applicationProperties: { type: 'reevaluate', source: 'joiner' },
      };
    }),
  );
  await managerWaitlist.done(employeeId, reports);
  await audit({
    action: 'joiner.tellReports',
    employeeId,
    outcome: 'success',
    reason: `reports waiting for this manager asked to apply access again: ${reports.join(', ')}`,
    before: null,
    after: { reports },
    correlation: { eventId, instanceId },
  });
  return { told: reports };
}

registerActivity('tellWaitingReports', tellWaitingReports);
