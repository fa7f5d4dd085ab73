import { z } from 'zod';

/**
 * The hand-off contract between the HR intake (Service Bus trigger) and the person orchestration.
 * One eternal orchestration per person: instance id from the employee id; HR events are raised
 * to it as external events in queue (session) order.
 */
export const PERSON_ORCHESTRATION = 'person';
export const HR_EVENT_NAME = 'hr-event';

export function personInstanceId(employeeId: string): string {
  return `person-${employeeId}`;
}

/**
 * Asks a person orchestration to apply the current policy again (after a policy change: a rule narrowed,
 * a group retired). Travels on the same ordered channel as HR events, so it never overtakes one.
 */
export const ReevaluateRequest = z.object({
  kind: z.literal('reevaluate'),
  requestId: z.string().min(1).max(128),
  reason: z.string().max(500).optional(),
  requestedBy: z.string().max(200).optional(),
});
export type ReevaluateRequest = z.infer<typeof ReevaluateRequest>;
