import { describe, expect, it } from 'vitest';
import {
  afterManagerPending,
  decide,
  initialState,
  MANAGER_CHECK_MAX,
  nextDue,
  type PersonState,
} from '../../shared/orchestration/person-state';
import {
  LATER,
  NOW,
  active,
  fire,
  future,
  left,
  leaving,
  onLeave,
  past,
  preHireWithAccount,
  rehireWaiting,
  waiting,
  worker,
} from './person-state-fixtures';

/**
 * Due dates (timers), manager checks and policy re-evaluation of the person state machine: what each timer does
 * in each phase, and which timer fires next (mutation testing, issue 15).
 */
describe('initial state', () => {
  it('is a person with nothing: no record, account, timers, processed ids or notes', () => {
    expect(initialState('E7')).toEqual({
      employeeId: 'E7',
      record: null,
      appliedRecord: null,
      userId: null,
      phase: 'none',
      due: {},
      processedEventIds: [],
      removedGroupIds: [],
      notes: [],
    });
  });
});

describe('nextDue', () => {
  it('is the earliest timer, whatever order the timers were set in', () => {
    const due = { deleteAt: LATER, leaveAt: '2026-12-01T00:00:00.000Z', graceEndAt: '2026-12-15T00:00:00.000Z' };
    expect(nextDue({ ...initialState('E1'), due })).toEqual({ which: 'leaveAt', at: '2026-12-01T00:00:00.000Z' });
    const reversed = { graceEndAt: '2026-12-15T00:00:00.000Z', deleteAt: '2026-11-30T00:00:00.000Z' };
    expect(nextDue({ ...initialState('E1'), due: reversed })).toEqual({
      which: 'deleteAt',
      at: '2026-11-30T00:00:00.000Z',
    });
  });

  it('skips timers that were cleared', () => {
    const due = { createAccountAt: undefined, deleteAt: LATER };
    expect(nextDue({ ...initialState('E1'), due })).toEqual({ which: 'deleteAt', at: LATER });
    expect(nextDue({ ...initialState('E1'), due: { leaveAt: undefined } })).toBeNull();
  });
});

describe('afterManagerPending', () => {
  it('re-plans only the manager check, an hour on, and keeps the other timers', () => {
    const s = { ...active(), due: { leaveAt: LATER, managerCheckAt: '2026-11-25T09:00:00.000Z' } };
    expect(afterManagerPending(s, 'M9', NOW, MANAGER_CHECK_MAX - 1).due).toEqual({
      leaveAt: LATER,
      managerCheckAt: '2026-11-25T11:00:00.000Z',
    });
    expect(afterManagerPending(s, null, NOW, 3).due).toEqual({ leaveAt: LATER });
  });
});

describe('creation date', () => {
  it('creates the pre-hire account of a joiner', () => {
    const d = fire(waiting(), 'createAccountAt', future.createAccountAt, future);
    expect(d.steps).toEqual([{ run: 'joiner', record: worker() }]);
    expect(d.state.phase).toBe('pre-hire');
    expect(d.state.due).toEqual({ enableAt: future.hireAt });
    expect(d.outcome).toBe('pre-hire account creation');
  });

  it('brings back the former account of a rehire (still there, or deleted with groups to restore)', () => {
    const d = fire(rehireWaiting(), 'createAccountAt', future.createAccountAt, future);
    expect(d.steps).toEqual([{ run: 'rehire', record: worker() }]);
    expect(d.state.beforeRehire).toBeUndefined();
    const deletedWithGroups = { ...rehireWaiting(), userId: null, removedGroupIds: ['g1'] };
    expect(fire(deletedWithGroups, 'createAccountAt', future.createAccountAt, future).steps).toEqual([
      { run: 'rehire', record: worker() },
    ]);
  });

  it('without a record only clears the timer', () => {
    const s: PersonState = { ...initialState('E1'), due: { createAccountAt: NOW, leaveAt: LATER } };
    const d = fire(s, 'createAccountAt');
    expect(d).toEqual({
      state: { ...s, due: { leaveAt: LATER } },
      steps: [],
      outcome: 'creation date reached without a record',
    });
  });
});

describe('day 1', () => {
  it('enables the account, also when the schedule is no longer known', () => {
    const created = fire(waiting(), 'createAccountAt', future.createAccountAt, future).state;
    const d = fire(created, 'enableAt', future.hireAt, null);
    expect(d.steps).toEqual([{ run: 'enable' }]);
    expect(d.state.phase).toBe('active');
    expect(d.outcome).toBe('day 1: account enabled');
  });

  it('with self-activation starts it instead of enabling', () => {
    const created = fire(waiting(), 'createAccountAt', future.createAccountAt, future).state;
    const d = fire(created, 'enableAt', future.hireAt, { ...future, activation: true });
    expect(d).toEqual({
      state: { ...created, due: {}, phase: 'active' },
      steps: [{ run: 'activate' }],
      outcome: 'day 1: self-activation started',
    });
  });
});

describe('leave date', () => {
  it('runs the leaver with the leave date written, and plans deletion after the retention days', () => {
    const d = fire(leaving(), 'leaveAt', LATER, { ...past, retentionDays: 7 });
    expect(d.steps).toEqual([{ run: 'leaver', record: worker({ leaveDate: '2026-12-31' }) }]);
    expect(d.state.phase).toBe('left');
    expect(d.state.due).toEqual({ deleteAt: '2027-01-08T00:00:00.000Z' });
    expect(d.outcome).toBe('leaver: access removed, deletion after 7 days');
  });

  it('without a leave date on the record uses the instant of leaving; retention defaults to 30 days', () => {
    const s = { ...active(), due: { leaveAt: NOW } };
    const d = fire(s, 'leaveAt', NOW, null);
    expect(d.steps).toEqual([{ run: 'leaver', record: worker({ leaveDate: NOW }) }]);
    expect(d.state.record).toEqual(worker({ leaveDate: NOW }));
    expect(d.state.due).toEqual({ deleteAt: '2026-12-25T10:00:00.000Z' });
  });

  it('without a record only clears the timer', () => {
    const s: PersonState = { ...initialState('E1'), due: { leaveAt: NOW, deleteAt: LATER } };
    expect(fire(s, 'leaveAt')).toEqual({
      state: { ...s, due: { deleteAt: LATER } },
      steps: [],
      outcome: 'leave date without a record',
    });
  });
});

describe('end of retention', () => {
  it('deletes the account', () => {
    const d = fire(left(), 'deleteAt', LATER);
    expect(d.steps).toEqual([{ run: 'delete' }]);
    expect(d.state.phase).toBe('deleted');
    expect(d.state.due).toEqual({});
    expect(d.outcome).toBe('retention over: account deleted (soft delete)');
  });
});

/** The two timers that re-apply access (grace period end, manager check) share their rule: only with an account. */
describe.each([
  ['graceEndAt', 'mover grace period over: old-role access removed', 'grace period over; nothing to remove'],
  ['managerCheckAt', 'manager check: applying access again', 'manager check no longer needed'],
] as const)('%s', (which, applied, skipped) => {
  it('re-applies access in every phase with an account', () => {
    for (const base of [active(), preHireWithAccount(), onLeave(), leaving()]) {
      const s = { ...base, due: { [which]: NOW, deleteAt: LATER } };
      expect(fire(s, which)).toEqual({
        state: { ...s, due: { deleteAt: LATER } },
        steps: [{ run: 'refreshAccess', record: base.record }],
        outcome: applied,
      });
    }
  });

  it('does nothing without an account, a record, or after leaving', () => {
    const noAccount = { ...active(), userId: null };
    const noRecord = { ...active(), record: null };
    for (const base of [noAccount, noRecord, left(), waiting()]) {
      const s = { ...base, due: { [which]: NOW, deleteAt: LATER } };
      expect(fire(s, which)).toEqual({ state: { ...s, due: { deleteAt: LATER } }, steps: [], outcome: skipped });
    }
  });
});

describe('policy re-evaluation', () => {
  it('recomputes access in every phase with an account', () => {
    for (const s of [active(), preHireWithAccount(), onLeave(), leaving()]) {
      const d = decide(s, { kind: 'reevaluate', requestId: 'rv1' }, NOW);
      expect(d.steps).toEqual([{ run: 'refreshAccess', record: s.appliedRecord }]);
      expect(d.outcome).toBe('policy re-evaluated: access recomputed');
    }
  });

  it('says why nothing happens: a duplicate request, or no account', () => {
    const once = decide(active(), { kind: 'reevaluate', requestId: 'rv1' }, NOW).state;
    expect(decide(once, { kind: 'reevaluate', requestId: 'rv1' }, NOW).outcome).toBe(
      'duplicate re-evaluation rv1 ignored',
    );
    expect(decide(left(), { kind: 'reevaluate', requestId: 'rv2' }, NOW).outcome).toBe(
      're-evaluation in phase left: no account to recompute',
    );
  });
});
