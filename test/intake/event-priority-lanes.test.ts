import { describe, expect, it } from 'vitest';
import { HrEvent } from '../../shared/domain/hr-event';
import { eventPriority } from '../../shared/intake/event-priority';

/** Only an immediate terminate and a rescind take the urgent lane (mutation testing, issue 15). */
const event = (type: string, immediate: boolean) =>
  HrEvent.parse({
    eventId: `${type}-${immediate}`,
    type,
    occurredAt: '2029-12-01T00:00:00Z',
    source: 'webhook',
    immediate,
    worker: {
      employeeId: 'E1',
      legalGivenName: 'Ada',
      legalFamilyName: 'Lovelace',
      hireDate: '2030-01-01',
      leaveDate: '2030-06-01',
    },
  });

describe('eventPriority', () => {
  it('an event marked immediate that is not a terminate keeps the normal lane', () => {
    for (const type of ['hire', 'update', 'rehire', 'leave-of-absence-start'])
      expect([type, eventPriority(event(type, true))]).toEqual([type, 'normal']);
  });

  it('a terminate is urgent only when immediate; a rescind always is', () => {
    expect([eventPriority(event('terminate', true)), eventPriority(event('terminate', false))]).toEqual([
      'urgent',
      'normal',
    ]);
    expect(eventPriority(event('rescind', false))).toBe('urgent');
  });
});
