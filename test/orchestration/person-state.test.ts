import { describe, expect, it } from 'vitest';
import type { HrEvent, WorkerRecord } from '../../shared/domain/hr-event';
import {
  decide,
  initialState,
  nextDue,
  type PersonState,
  type Schedule,
  afterManagerPending,
  MANAGER_CHECK_MAX,
} from '../../shared/orchestration/person-state';

const NOW = '2026-11-25T10:00:00.000Z';
const worker = (extra: Partial<WorkerRecord> = {}): WorkerRecord => ({
  employeeId: 'E1',
  legalGivenName: 'Ada',
  legalFamilyName: 'Lovelace',
  employmentType: 'employee',
  hireDate: '2026-11-20',
  timeZone: 'UTC',
  extensions: {},
  department: 'Engineering',
  ...extra,
});
const ev = (
  type: HrEvent['type'],
  eventId: string,
  extra: Partial<HrEvent> = {},
  w: Partial<WorkerRecord> = {},
): HrEvent => ({
  eventId,
  type,
  occurredAt: NOW,
  source: 'webhook',
  immediate: false,
  worker: worker(w),
  ...extra,
});
const past: Schedule = {
  createAccountAt: '2026-11-13T00:00:00.000Z',
  hireAt: '2026-11-20T00:00:00.000Z',
  leaveAt: null,
  retentionDays: 30,
};
const future: Schedule = {
  createAccountAt: '2026-12-08T00:00:00.000Z',
  hireAt: '2026-12-15T00:00:00.000Z',
  leaveAt: null,
  retentionDays: 30,
};

function run(state: PersonState, event: HrEvent, schedule: Schedule = past) {
  return decide(state, { kind: 'event', event, schedule }, NOW);
}

function active(): PersonState {
  const d = run(initialState('E1'), ev('hire', 'h1'));
  return { ...d.state, userId: 'u1', appliedRecord: d.state.record };
}

describe('person state machine', () => {
  it('a hire in the past creates and enables the account now', () => {
    const d = run(initialState('E1'), ev('hire', 'h1'));
    expect(d.steps).toEqual([{ run: 'joiner', record: expect.objectContaining({ employeeId: 'E1' }), enable: true }]);
    expect(d.state.phase).toBe('active');
  });

  it('a future hire waits for the pre-hire creation date, then day 1', () => {
    const d = run(initialState('E1'), ev('hire', 'h1'), future);
    expect(d.steps).toEqual([]);
    expect(nextDue(d.state)).toEqual({ which: 'createAccountAt', at: future.createAccountAt });
    const created = decide(
      d.state,
      { kind: 'due', which: 'createAccountAt', schedule: future },
      future.createAccountAt,
    );
    expect(created.steps.map((s) => s.run)).toEqual(['joiner']);
    expect(nextDue(created.state)?.which).toBe('enableAt');
    const day1 = decide(created.state, { kind: 'due', which: 'enableAt', schedule: future }, future.hireAt);
    expect(day1.steps.map((s) => s.run)).toEqual(['enable']);
    expect(day1.state.phase).toBe('active');
  });

  it('the same event twice is ignored; the same hire with a new id and same data does nothing', () => {
    const first = active();
    expect(run(first, ev('hire', 'h1')).steps).toEqual([]);
    expect(run(first, ev('hire', 'h2')).steps).toEqual([]);
  });

  it('an update before the hire is kept as the pending record', () => {
    const d = run(initialState('E1'), ev('update', 'u0', {}, { department: 'Sales' }));
    expect(d.steps).toEqual([]);
    expect(d.state.record?.department).toBe('Sales');
    expect(d.state.phase).toBe('none');
  });

  it('a terminate before any hire changes nothing now, and applies to a hire HR issued before it', () => {
    const d = run(initialState('E1'), ev('terminate', 't1', { immediate: true }));
    expect(d.steps).toEqual([]);
    expect(d.outcome).toMatch(/before the hire arrived/);
    const earlierHire = run(d.state, ev('hire', 'h1', { occurredAt: '2026-11-25T09:00:00.000Z' }));
    expect(earlierHire.steps.map((s) => s.run)).toEqual(['joiner', 'leaver']);
    expect(earlierHire.state.phase).toBe('left');
    expect(earlierHire.state.pendingTerminate).toBeUndefined();
  });

  it('a rehire rescinded before its account comes back leaves the former account to its retention deletion', () => {
    const left = run(active(), ev('terminate', 't1', { immediate: true }));
    expect(left.state.due.deleteAt).toBeDefined();
    const rehire = decide(left.state, { kind: 'event', event: ev('rehire', 'r1'), schedule: future }, NOW);
    expect(rehire.state.phase).toBe('pre-hire');
    expect(rehire.state.due.deleteAt).toBeUndefined();
    const rescinded = run(rehire.state, ev('rescind', 'x1'));
    expect(rescinded.steps).toEqual([]);
    expect(rescinded.state.phase).toBe('left');
    expect(rescinded.state.due.deleteAt).toBe(left.state.due.deleteAt);
  });

  it('a hire issued after an early-delivered terminate wins (a later decision)', () => {
    const d = run(
      initialState('E1'),
      ev('terminate', 't1', { immediate: true, occurredAt: '2026-11-25T08:00:00.000Z' }),
    );
    const laterHire = run(d.state, ev('hire', 'h1', { occurredAt: '2026-11-25T09:00:00.000Z' }));
    expect(laterHire.steps.map((s) => s.run)).toEqual(['joiner']);
    expect(laterHire.state.phase).toBe('active');
    expect(laterHire.outcome).toMatch(/superseded/);
  });

  it('a mover diff runs only when the record changed', () => {
    const d = run(active(), ev('update', 'u1', {}, { department: 'Sales' }));
    expect(d.steps.map((s) => s.run)).toEqual(['mover']);
    expect(run(active(), ev('update', 'u2')).steps).toEqual([]);
  });

  it('a hire rescinded before day 1 deletes the pre-hire account', () => {
    const prehire = {
      ...run(initialState('E1'), ev('hire', 'h1'), { ...past, hireAt: '2026-12-01T00:00:00.000Z' }).state,
      userId: 'u1',
    };
    expect(prehire.phase).toBe('pre-hire');
    const d = run(prehire, ev('rescind', 'r1'));
    expect(d.steps.map((s) => s.run)).toEqual(['rescind']);
    expect(d.state.phase).toBe('rescinded');
    expect(nextDue(d.state)).toBeNull();
  });

  it('a rescind before the account exists only cancels the timers', () => {
    const waiting = run(initialState('E1'), ev('hire', 'h1'), future).state;
    const d = run(waiting, ev('rescind', 'r1'), future);
    expect(d.steps).toEqual([]);
    expect(nextDue(d.state)).toBeNull();
  });

  it('an immediate terminate runs the leaver now and schedules deletion after retention', () => {
    const d = run(active(), ev('terminate', 't1', { immediate: true }));
    expect(d.steps.map((s) => s.run)).toEqual(['leaver']);
    expect(d.state.phase).toBe('left');
    expect(nextDue(d.state)).toEqual({ which: 'deleteAt', at: '2026-12-25T10:00:00.000Z' });
  });

  it('a leave date moved later and then earlier re-plans the leaver timer', () => {
    const later = run(active(), ev('terminate', 't1', {}, { leaveDate: '2026-12-31' }), {
      ...past,
      leaveAt: '2027-01-01T00:00:00.000Z',
    });
    expect(later.state.phase).toBe('leaving');
    expect(nextDue(later.state)?.at).toBe('2027-01-01T00:00:00.000Z');
    const earlier = run(later.state, ev('update', 'u1', {}, { leaveDate: '2026-12-10' }), {
      ...past,
      leaveAt: '2026-12-11T00:00:00.000Z',
    });
    expect(nextDue(earlier.state)?.at).toBe('2026-12-11T00:00:00.000Z');
    const gone = run(earlier.state, ev('update', 'u2', {}, { leaveDate: '2026-11-24' }), {
      ...past,
      leaveAt: '2026-11-25T00:00:00.000Z',
    });
    expect(gone.steps.map((s) => s.run)).toContain('leaver');
  });

  it('a mover during an open leaver timer keeps the leave date', () => {
    const leaving = run(active(), ev('terminate', 't1', {}, { leaveDate: '2026-12-31' }), {
      ...past,
      leaveAt: '2027-01-01T00:00:00.000Z',
    }).state;
    const d = run(leaving, ev('update', 'u1', {}, { leaveDate: '2026-12-31', jobTitle: 'Lead' }), {
      ...past,
      leaveAt: '2027-01-01T00:00:00.000Z',
    });
    expect(d.steps.map((s) => s.run)).toEqual(['mover']);
    expect(nextDue(d.state)).toEqual({ which: 'leaveAt', at: '2027-01-01T00:00:00.000Z' });
  });

  it('a rehire after leaving restores the former account instead of creating one', () => {
    const left = run(active(), ev('terminate', 't1', { immediate: true })).state;
    const d = run(left, ev('rehire', 'rh1'));
    expect(d.steps.map((s) => s.run)).toEqual(['rehire']);
    const deleted = decide(left, { kind: 'due', which: 'deleteAt', schedule: past }, '2027-01-01T00:00:00.000Z').state;
    expect(deleted.phase).toBe('deleted');
    expect(run(deleted, ev('hire', 'h9')).steps).toEqual([{ run: 'rehire', record: expect.anything(), enable: true }]);
  });

  it('a rehire during an open leave cancels the leave', () => {
    const leaving = run(active(), ev('terminate', 't1', {}, { leaveDate: '2026-12-31' }), {
      ...past,
      leaveAt: '2027-01-01T00:00:00.000Z',
    }).state;
    const d = run(leaving, ev('rehire', 'rh1'));
    expect(nextDue(d.state)).toBeNull();
    expect(d.state.phase).toBe('active');
  });

  it('leave of absence disables and re-enables', () => {
    const away = run(active(), ev('leave-of-absence-start', 'l1'));
    expect(away.steps.map((s) => s.run)).toEqual(['disable']);
    const back = run(away.state, ev('leave-of-absence-end', 'l2'));
    expect(back.steps.map((s) => s.run)).toEqual(['enable']);
    expect(back.state.phase).toBe('active');
  });

  it('keeps a bounded list of processed event ids', () => {
    let state = active();
    for (let i = 0; i < 80; i++) state = run(state, ev('update', `x${i}`)).state;
    expect(state.processedEventIds).toHaveLength(50);
    expect(state.processedEventIds.at(-1)).toBe('x79');
  });
});

describe('manager hired after the report', () => {
  it('schedules a manager check while the manager is missing, and stops once found or after the limit', () => {
    const s = active();
    const pending = afterManagerPending(s, 'M9', NOW, 0);
    expect(nextDue(pending)).toEqual({ which: 'managerCheckAt', at: '2026-11-25T11:00:00.000Z' });
    const check = decide(pending, { kind: 'due', which: 'managerCheckAt', schedule: past }, '2026-11-25T11:00:00.000Z');
    expect(check.steps.map((x) => x.run)).toEqual(['refreshAccess']);
    expect(nextDue(afterManagerPending(check.state, null, NOW, 1))).toBeNull();
    expect(nextDue(afterManagerPending(check.state, 'M9', NOW, MANAGER_CHECK_MAX))).toBeNull();
  });
});

describe('mover grace period', () => {
  it('removes the old role when the grace period ends', () => {
    const s = { ...active(), due: { graceEndAt: '2026-12-02T10:00:00.000Z' } };
    const d = decide(s, { kind: 'due', which: 'graceEndAt', schedule: past }, '2026-12-02T10:00:00.000Z');
    expect(d.steps.map((x) => x.run)).toEqual(['refreshAccess']);
    expect(nextDue(d.state)).toBeNull();
    const left = decide(
      { ...s, phase: 'left' },
      { kind: 'due', which: 'graceEndAt', schedule: past },
      '2026-12-02T10:00:00.000Z',
    );
    expect(left.steps).toEqual([]);
  });
});

describe('re-evaluation after a policy change', () => {
  it('recomputes access once for a person with an account, and not for one without', () => {
    const s = active();
    const d = decide(s, { kind: 'reevaluate', requestId: 'rv1' }, NOW);
    expect(d.steps).toEqual([{ run: 'refreshAccess', record: s.appliedRecord }]);
    expect(decide(d.state, { kind: 'reevaluate', requestId: 'rv1' }, NOW).steps).toEqual([]);
    expect(decide({ ...s, phase: 'left' }, { kind: 'reevaluate', requestId: 'rv2' }, NOW).steps).toEqual([]);
    const preHireNoAccount = run(initialState('E1'), ev('hire', 'h1'), future).state;
    expect(decide(preHireNoAccount, { kind: 'reevaluate', requestId: 'rv3' }, NOW).steps).toEqual([]);
  });
});
