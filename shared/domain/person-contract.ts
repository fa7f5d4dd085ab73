import { z } from 'zod';

/**
 * The hand-off contract between the HR intake (Service Bus trigger) and the person orchestration.
 * One eternal orchestration per person: instance id from the employee id; HR events go to the person's
 * inbox in queue (session) order, and an external event wakes the orchestration to read it.
 */
export const PERSON_ORCHESTRATION = 'person';
export const HR_EVENT_NAME = 'hr-event';

export function personInstanceId(employeeId: string): string {
  return `person-${employeeId}`;
}

export function employeeIdOf(personInstance: string): string {
  return personInstance.replace(/^person-/, '');
}

/**
 * Asks a person orchestration to apply the current policy again (after a policy change: a rule narrowed,
 * a group retired). Travels on the HR events queue (session = employee id) and through the person's inbox,
 * so it is ordered with the person's HR events and never overtakes one.
 */
export const ReevaluateRequest = z.object({
  kind: z.literal('reevaluate'),
  requestId: z.string().min(1).max(128),
  employeeId: z.string().min(1).max(64),
  reason: z.string().max(500).optional(),
  requestedBy: z.string().max(200).optional(),
});
export type ReevaluateRequest = z.infer<typeof ReevaluateRequest>;
