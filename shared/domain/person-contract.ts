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
