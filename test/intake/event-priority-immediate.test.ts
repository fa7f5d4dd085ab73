import { describe, expect, it } from 'vitest';
import { HrEvent } from '../../shared/domain/hr-event';
import { eventPriority } from '../../shared/intake/event-priority';

/** Only a terminate is urgent because it is immediate: the flag on another event type changes nothing. */
describe('event priority and the immediate flag', () => {
  const event = (type: string, immediate: boolean) =>
    HrEvent.parse({
      eventId: `${type}-1`,
      type,
      immediate,
      occurredAt: '2029-12-01T00:00:00Z',
      worker: {
        employeeId: 'E1',
        legalGivenName: 'Ada',
        legalFamilyName: 'Lovelace',
        hireDate: '2030-01-01',
        leaveDate: '2030-06-01',
        country: 'FR',
      },
    });

  it('a hire or an update marked immediate keeps the normal lane', () => {
    expect(eventPriority(event('hire', true))).toBe('normal');
    expect(eventPriority(event('update', true))).toBe('normal');
    expect(eventPriority(event('terminate', true))).toBe('urgent');
    expect(eventPriority(event('terminate', false))).toBe('normal');
  });
});
