import { describe, expect, it } from 'vitest';
import type { HrEvent, WorkerRecord } from '../../shared/domain/hr-event';
import { decide, initialState, type Schedule } from '../../shared/orchestration/person-state';

/** Day 1 in the person state machine when the schedule says self-activation applies (policy on + personal email). */
const NOW = '2026-11-25T10:00:00.000Z';
const record: WorkerRecord = {
  employeeId: 'E1',
  legalGivenName: 'Ada',
  legalFamilyName: 'Lovelace',
  employmentType: 'employee',
  hireDate: '2026-11-20',
  timeZone: 'UTC',
  extensions: {},
  personalEmail: 'ada@home.example',
};
const hire = (): HrEvent => ({
  eventId: 'h1',
  type: 'hire',
  occurredAt: NOW,
  source: 'webhook',
  immediate: false,
  worker: record,
});
const schedule = (activation: boolean, hireAt = '2026-11-20T00:00:00.000Z'): Schedule => ({
  createAccountAt: '2026-11-13T00:00:00.000Z',
  hireAt,
  leaveAt: null,
  retentionDays: 30,
  activation,
});

describe('day 1 with self-activation', () => {
  it('a late hire creates the account disabled, then starts the activation', () => {
    const d = decide(initialState('E1'), { kind: 'event', event: hire(), schedule: schedule(true) }, NOW);
    expect(d.steps).toEqual([{ run: 'joiner', record }, { run: 'activate' }]);
    expect(d.state.phase).toBe('active');
  });

  it('without activation a late hire is still created enabled (one write fewer)', () => {
    const d = decide(initialState('E1'), { kind: 'event', event: hire(), schedule: schedule(false) }, NOW);
    expect(d.steps).toEqual([{ run: 'joiner', record, enable: true }]);
  });

  it('the day-1 timer starts the activation instead of enabling the account', () => {
    const planned = decide(
      initialState('E1'),
      { kind: 'event', event: hire(), schedule: schedule(true, '2026-11-30T00:00:00.000Z') },
      NOW,
    );
    expect(planned.state.due.enableAt).toBe('2026-11-30T00:00:00.000Z');
    const day1 = decide(
      { ...planned.state, userId: 'u1' },
      { kind: 'due', which: 'enableAt', schedule: schedule(true, '2026-11-30T00:00:00.000Z') },
      '2026-11-30T00:00:01.000Z',
    );
    expect(day1).toMatchObject({ steps: [{ run: 'activate' }], state: { phase: 'active' } });
    const plain = decide(
      { ...planned.state, userId: 'u1' },
      { kind: 'due', which: 'enableAt', schedule: schedule(false, '2026-11-30T00:00:00.000Z') },
      '2026-11-30T00:00:01.000Z',
    );
    expect(plain.steps).toEqual([{ run: 'enable' }]);
  });
});
