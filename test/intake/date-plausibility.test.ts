import { describe, expect, it } from 'vitest';
import type { HrEvent } from '../../shared/domain/hr-event';
import { checkDates } from '../../shared/intake/date-plausibility';
import { worker } from '../unit/domain/fixtures';

/**
 * Dates that cannot be right, judged when an event arrives: limits at their boundaries (the person's time zone is
 * UTC so that the end of a leave day is the next midnight UTC).
 */
const NOW = new Date('2026-01-01T00:00:00Z');

function event(
  dates: { hireDate?: string; leaveDate?: string },
  type: HrEvent['type'] = 'update',
  immediate = false,
): HrEvent {
  return {
    eventId: 'e1',
    type,
    immediate,
    occurredAt: NOW.toISOString(),
    worker: worker({ timeZone: 'UTC', hireDate: '2019-01-01', ...dates }),
  } as HrEvent;
}

describe('checkDates', () => {
  it('a hire date up to 730 days ahead is fine; one day more is refused as a placeholder', () => {
    expect(checkDates(event({ hireDate: '2028-01-01' }), NOW)).toEqual({ problems: [], notices: [] });
    expect(checkDates(event({ hireDate: '2028-01-02' }), NOW, 'records[3].')).toEqual({
      problems: [
        {
          path: 'records[3].worker.hireDate',
          reason: '2028-01-02 is more than 730 days ahead (a placeholder date?)',
        },
      ],
      notices: [],
    });
  });

  it('a leave date up to 3650 days ahead is fine; one day more is refused', () => {
    expect(checkDates(event({ leaveDate: '2035-12-30' }), NOW)).toEqual({ problems: [], notices: [] });
    expect(checkDates(event({ leaveDate: '2035-12-31' }), NOW).problems).toEqual([
      {
        path: 'worker.leaveDate',
        reason: '2035-12-31 is more than 10 years ahead (a placeholder date?); leave it out when there is no end date',
      },
    ]);
  });

  it('a leave day that ends now is not in the past; one that ended is applied at once (a notice)', () => {
    expect(checkDates(event({ leaveDate: '2025-12-31' }), NOW)).toEqual({ problems: [], notices: [] });
    expect(checkDates(event({ leaveDate: '2025-12-30' }), NOW, 'p.')).toEqual({
      problems: [],
      notices: [{ path: 'p.worker.leaveDate', reason: '2025-12-30 is in the past: the leave is applied at once' }],
    });
  });

  it('a leave day that ended 365 days ago is a notice; 366 days is refused', () => {
    expect(checkDates(event({ leaveDate: '2024-12-31' }), NOW).notices).toHaveLength(1);
    expect(checkDates(event({ leaveDate: '2024-12-31' }), NOW).problems).toEqual([]);
    expect(checkDates(event({ leaveDate: '2024-12-30' }), NOW)).toEqual({
      problems: [
        {
          path: 'worker.leaveDate',
          reason:
            '2024-12-30 is more than 365 days in the past; ' +
            'send a terminate with "immediate": true if the person is to leave now',
        },
      ],
      notices: [],
    });
  });

  it('an immediate terminate is not judged on its past leave date; a scheduled one is', () => {
    expect(checkDates(event({ leaveDate: '2020-01-01' }, 'terminate', true), NOW)).toEqual({
      problems: [],
      notices: [],
    });
    expect(checkDates(event({ leaveDate: '2020-01-01' }, 'terminate', false), NOW).problems).toHaveLength(1);
    expect(checkDates(event({ leaveDate: '2025-12-30' }, 'hire', true), NOW).notices).toHaveLength(1);
  });
});
