import { describe, expect, it } from 'vitest';
import { initialState } from '../../shared/orchestration/person-state';
import {
  LATER,
  NOW,
  active,
  ev,
  fire,
  future,
  left,
  leaving,
  onLeave,
  past,
  preHireWithAccount,
  rehireWaiting,
  rescinded,
  run,
  waiting,
  worker,
} from './person-state-fixtures';

/**
 * How each HR event moves the person between phases, and the steps and due dates it produces: one case per
 * branch of `decide`, so a change to any rule shows up as a failing test (mutation testing, issue 15).
 */
const sales = worker({ department: 'Sales' });

describe('hire', () => {
  it('creates and enables at once when the creation date and day 1 are exactly now', () => {
    const d = run(initialState('E1'), ev('hire', 'h1'), { ...future, createAccountAt: NOW, hireAt: NOW });
    expect(d.steps).toEqual([{ run: 'joiner', record: worker(), enable: true }]);
    expect(d.state.phase).toBe('active');
    expect(d.state.due).toEqual({});
    expect(d.outcome).toBe('joiner now');
  });

  it('with self-activation after day 1: creates the account disabled, then starts activation', () => {
    const d = run(initialState('E1'), ev('hire', 'h1'), { ...past, activation: true });
    expect(d.steps).toEqual([{ run: 'joiner', record: worker() }, { run: 'activate' }]);
    expect(d.state.phase).toBe('active');
    expect(d.state.due).toEqual({});
  });

  it('for a future date schedules creation, day 1 and the leave date, and says when', () => {
    const d = run(initialState('E1'), ev('hire', 'h1'), { ...future, leaveAt: LATER });
    expect(d.steps).toEqual([]);
    expect(d.state.phase).toBe('pre-hire');
    expect(d.state.due).toEqual({ createAccountAt: future.createAccountAt, enableAt: future.hireAt, leaveAt: LATER });
    expect(d.state.beforeRehire).toBeUndefined();
    expect(d.outcome).toBe('joiner scheduled for 2026-12-08T00:00:00.000Z');
  });

  it('with day 1 passed but the creation date ahead waits for creation, and enables at the day-1 timer', () => {
    const schedule = { ...past, createAccountAt: '2026-12-01T00:00:00.000Z' };
    const d = run(initialState('E1'), ev('hire', 'h1'), schedule);
    expect(d.steps).toEqual([]);
    expect(d.state.phase).toBe('pre-hire');
    expect(d.state.due).toEqual({ createAccountAt: '2026-12-01T00:00:00.000Z', enableAt: past.hireAt });
  });

  it('after a rescinded hire is a new joiner', () => {
    const d = run(rescinded(), ev('hire', 'h2'));
    expect(d.steps).toEqual([{ run: 'joiner', record: worker(), enable: true }]);
    expect(d.state.phase).toBe('active');
  });

  it('after leaving restores the former account (rehire), enabled when day 1 passed', () => {
    const d = run(left(), ev('hire', 'h2'));
    expect(d.steps).toEqual([{ run: 'rehire', record: worker(), enable: true }]);
    expect(d.state.phase).toBe('active');
    expect(d.state.due).toEqual({});
    expect(d.state.beforeRehire).toBeUndefined();
    expect(d.outcome).toBe('rehire now');
  });

  it('for an already hired person with identical data does nothing', () => {
    const s = active();
    const d = run(s, ev('hire', 'h2'));
    expect(d.steps).toEqual([]);
    expect(d.state).toEqual({ ...s, processedEventIds: ['h1', 'h2'] });
    expect(d.outcome).toBe('hire for an already hired person with identical data: nothing to do');
  });

  it('for an already hired person with new data is a mover', () => {
    const d = run(active(), ev('hire', 'h2', {}, { department: 'Sales' }));
    expect(d.steps).toEqual([{ run: 'mover', previous: worker(), record: sales }]);
    expect(d.outcome).toBe('mover: attributes/groups changed');
  });

  it('delivered twice is ignored the second time, state untouched', () => {
    const s = active();
    const d = run(s, ev('hire', 'h1', {}, { department: 'Sales' }));
    expect(d.state).toBe(s);
    expect(d.steps).toEqual([]);
    expect(d.outcome).toBe('duplicate event h1 ignored');
  });
});

describe('rehire', () => {
  it('for a future date keeps the former employment timers so a rescind can put them back', () => {
    const before = left();
    const d = run(before, ev('rehire', 'r1'), future);
    expect(d.steps).toEqual([]);
    expect(d.state.beforeRehire).toEqual({ phase: 'left', due: before.due });
    expect(d.outcome).toBe('rehire scheduled for 2026-12-08T00:00:00.000Z');
  });

  it('after deletion restores the account', () => {
    const deleted = fire(left(), 'deleteAt', LATER).state;
    const d = run(deleted, ev('rehire', 'r1'));
    expect(d.steps).toEqual([{ run: 'rehire', record: worker(), enable: true }]);
    expect(d.state.phase).toBe('active');
  });

  it('for someone never hired, or whose hire was rescinded, is a joiner', () => {
    expect(run(initialState('E1'), ev('rehire', 'r1')).steps).toEqual([
      { run: 'joiner', record: worker(), enable: true },
    ]);
    expect(run(rescinded(), ev('rehire', 'r1')).steps).toEqual([{ run: 'joiner', record: worker(), enable: true }]);
  });

  it('for an active person is an update: a mover when data changed, nothing when not', () => {
    const d = run(active(), ev('rehire', 'r1', {}, { department: 'Sales' }));
    expect(d.steps).toEqual([{ run: 'mover', previous: worker(), record: sales }]);
    expect(d.state.phase).toBe('active');
    expect(run(active(), ev('rehire', 'r1')).steps).toEqual([]);
  });

  it('during an open leave cancels the leave, applies the new data and keeps the other timers', () => {
    const s = { ...leaving(), due: { ...leaving().due, graceEndAt: '2026-12-02T10:00:00.000Z' } };
    const d = run(s, ev('rehire', 'r1', {}, { department: 'Sales' }));
    expect(d.steps).toEqual([{ run: 'mover', previous: worker(), record: sales }]);
    expect(d.state.phase).toBe('active');
    expect(d.state.due).toEqual({ graceEndAt: '2026-12-02T10:00:00.000Z' });
  });

  it('during an open leave that carries a new leave date keeps leaving, at the new date', () => {
    const d = run(leaving(), ev('rehire', 'r1'), { ...past, leaveAt: '2027-02-01T00:00:00.000Z' });
    expect(d.state.phase).toBe('leaving');
    expect(d.state.due).toEqual({ leaveAt: '2027-02-01T00:00:00.000Z' });
  });
});

describe('update', () => {
  it('before any hire keeps the record for later and plans nothing', () => {
    const d = run(initialState('E1'), ev('update', 'u1', {}, { department: 'Sales' }), { ...past, leaveAt: LATER });
    expect(d.state.record).toEqual(sales);
    expect(d.state.phase).toBe('none');
    expect(d.state.due).toEqual({});
    expect(d.outcome).toBe('update before hire: kept as the pending record');
  });

  it.each([
    ['left', left],
    ['deleted', () => fire(left(), 'deleteAt', LATER).state],
    ['rescinded', rescinded],
  ] as const)('for a person in phase %s changes nothing but the processed ids', (phase, make) => {
    const s = make();
    const d = run(s, ev('update', 'u9', {}, { department: 'Sales' }), { ...past, leaveAt: LATER });
    expect(d.steps).toEqual([]);
    expect(d.state).toEqual({ ...s, processedEventIds: [...s.processedEventIds, 'u9'] });
    expect(d.outcome).toBe(`update for a person in phase ${phase}: recorded, no directory change`);
  });

  it('says when nothing in the directory changes', () => {
    expect(run(active(), ev('update', 'u1')).outcome).toBe('update with no directory change');
  });

  it('is a mover for a person whose account exists, in every phase that has one', () => {
    for (const s of [preHireWithAccount(), onLeave(), leaving()]) {
      const d = run(s, ev('update', 'u1', {}, { department: 'Sales' }));
      expect(d.steps).toEqual([{ run: 'mover', previous: worker(), record: sales }]);
    }
  });

  it('is no mover while a rehire waits for its account to come back', () => {
    const d = run(rehireWaiting(), ev('update', 'u1', {}, { department: 'Sales' }), future);
    expect(d.steps).toEqual([]);
    expect(d.state.record).toEqual(sales);
  });

  it('re-plans creation and day 1 while they are pending, and keeps the timers it does not own', () => {
    const moved = { ...future, createAccountAt: '2026-12-10T00:00:00.000Z', hireAt: '2026-12-17T00:00:00.000Z' };
    const d = run(waiting(), ev('update', 'u1'), moved);
    expect(d.state.due).toEqual({ createAccountAt: moved.createAccountAt, enableAt: moved.hireAt });
    const withAccount = run(preHireWithAccount(), ev('update', 'u1'), moved);
    expect(withAccount.state.due).toEqual({ enableAt: moved.hireAt });
    const s = { ...active(), due: { graceEndAt: '2026-12-02T10:00:00.000Z', managerCheckAt: NOW } };
    expect(run(s, ev('update', 'u1')).state.due).toEqual(s.due);
  });

  it('moves the phase with the leave date: active <-> leaving; pre-hire and on-leave stay', () => {
    const withLeave = { ...past, leaveAt: LATER };
    expect(run(active(), ev('update', 'u1'), withLeave).state.phase).toBe('leaving');
    expect(run(leaving(), ev('update', 'u1'), withLeave).state.phase).toBe('leaving');
    expect(run(leaving(), ev('update', 'u1')).state.phase).toBe('active');
    expect(run(active(), ev('update', 'u1')).state.phase).toBe('active');
    expect(run(preHireWithAccount(), ev('update', 'u1'), withLeave).state.phase).toBe('pre-hire');
    expect(run(preHireWithAccount(), ev('update', 'u1')).state.phase).toBe('pre-hire');
    expect(run(onLeave(), ev('update', 'u1'), withLeave).state.phase).toBe('on-leave');
  });

  it('with a leave date of exactly now runs the leaver now', () => {
    const d = run(active(), ev('update', 'u1', {}, { leaveDate: '2026-11-25' }), { ...past, leaveAt: NOW });
    expect(d.steps.map((s) => s.run)).toEqual(['mover', 'leaver']);
    expect(d.state.phase).toBe('left');
  });
});

describe('terminate', () => {
  it('before any hire (or after a rescinded one) is kept with its leave date and noted', () => {
    for (const s of [initialState('E1'), rescinded()]) {
      const d = run(s, ev('terminate', 't1', {}, { leaveDate: '2026-12-31' }), { ...past, leaveAt: LATER });
      expect(d.steps).toEqual([]);
      expect(d.state.pendingTerminate).toEqual({ eventId: 't1', occurredAt: NOW, leaveAt: LATER });
      expect(d.state.notes).toEqual([...s.notes, 'terminate t1 before any hire: kept for a hire issued before it']);
    }
  });

  it('for a person who already left or was deleted does nothing', () => {
    for (const s of [left(), fire(left(), 'deleteAt', LATER).state]) {
      const d = run(s, ev('terminate', 't2', { immediate: true }));
      expect(d.steps).toEqual([]);
      expect(d.state).toEqual({ ...s, processedEventIds: [...s.processedEventIds, 't2'] });
      expect(d.outcome).toBe('already left');
    }
  });

  it('immediate: the leaver takes over, timers it does not own stay', () => {
    const s = { ...active(), due: { graceEndAt: '2026-12-02T10:00:00.000Z' } };
    const d = run(s, ev('terminate', 't1', { immediate: true }));
    expect(d.steps).toEqual([{ run: 'leaver', record: worker({ leaveDate: NOW }) }]);
    expect(d.state.due).toEqual({ graceEndAt: '2026-12-02T10:00:00.000Z', deleteAt: '2026-12-25T10:00:00.000Z' });
  });

  it('with a later leave date writes changed data now (mover) and schedules the leave', () => {
    const terminate = ev('terminate', 't1', {}, { leaveDate: '2026-12-31' });
    const d = run(active(), terminate, { ...past, leaveAt: LATER });
    expect(d.steps).toEqual([{ run: 'mover', previous: worker(), record: worker({ leaveDate: '2026-12-31' }) }]);
    expect(d.state.phase).toBe('leaving');
    expect(d.state.due).toEqual({ leaveAt: LATER });
    expect(d.outcome).toBe(`leave scheduled for ${LATER}`);
    const unchanged = { ...active(), appliedRecord: worker({ leaveDate: '2026-12-31' }) };
    expect(run(unchanged, terminate, { ...past, leaveAt: LATER }).steps).toEqual([]);
  });

  it('with a later leave date before day 1 stays pre-hire; no mover while no account is back', () => {
    const schedule = { ...future, leaveAt: LATER };
    const d = run(rehireWaiting(), ev('terminate', 't2', {}, { leaveDate: '2026-12-31' }), schedule);
    expect(d.steps).toEqual([]);
    expect(d.state.phase).toBe('pre-hire');
    expect(d.state.due.leaveAt).toBe(LATER);
  });
});

describe('rescind', () => {
  it('of a hire before day 1 says so', () => {
    expect(run(preHireWithAccount(), ev('rescind', 'x1')).outcome).toBe('hire rescinded before day 1');
  });

  it('of a rehire before its account came back says the former timers stand again', () => {
    const d = run(rehireWaiting(), ev('rescind', 'x1'));
    expect(d.state.beforeRehire).toBeUndefined();
    expect(d.outcome).toBe("rehire rescinded before its account came back: the former employment's timers stand again");
  });

  it('before any hire drops the pending record and is kept for the hire it overtook', () => {
    const pending = run(initialState('E1'), ev('update', 'u1')).state;
    const d = run(pending, ev('rescind', 'x1'));
    expect(d.steps).toEqual([]);
    expect(d.state.record).toBeNull();
    expect(d.state.phase).toBe('none');
    expect(d.state.pendingRescind).toEqual({ eventId: 'x1', occurredAt: NOW });
    expect(d.outcome).toBe('rescind before any hire: kept, an earlier-issued hire that arrives later is dropped');
  });

  it('delivered before its hire (an urgent queue overtook it) drops a hire issued before it: no account', () => {
    const kept = run(initialState('E1'), ev('rescind', 'x1')).state;
    const hire = ev('hire', 'h1', { occurredAt: '2026-11-20T09:00:00.000Z' });
    const d = run(kept, hire, future);
    expect(d.steps).toEqual([]);
    expect(d.state.phase).toBe('rescinded');
    expect(d.state.pendingRescind).toBeUndefined();
    expect(d.state.due).toEqual({});
    expect(d.outcome).toBe('hire rescinded before it arrived (rescind x1 delivered first): no account');
    // The same instant counts as before: HR issued the hire, then rescinded it.
    expect(run(kept, ev('hire', 'h1'), past).state.phase).toBe('rescinded');
  });

  it('kept before a hire issued after it (a new offer) lets that hire go ahead', () => {
    const kept = run(initialState('E1'), ev('rescind', 'x1', { occurredAt: '2026-11-20T09:00:00.000Z' })).state;
    const d = run(kept, ev('hire', 'h2'), past);
    expect(d.steps.map((s) => s.run)).toEqual(['joiner']);
    expect(d.state.pendingRescind).toBeUndefined();
    expect(d.state.phase).toBe('active');
  });

  it('after day 1 is ignored and noted (a terminate is needed)', () => {
    const d = run(active(), ev('rescind', 'x1'));
    expect(d.steps).toEqual([]);
    expect(d.state.phase).toBe('active');
    expect(d.state.due).toEqual({});
    expect(d.state.notes).toEqual(['rescind x1 after day 1 ignored: send a terminate']);
    expect(d.outcome).toBe('rescind after day 1 ignored (terminate instead)');
  });

  it('after a pending rehire was terminated is ignored too: the new retention deletion stands', () => {
    const gone = run(rehireWaiting(), ev('terminate', 't2', { immediate: true }), future).state;
    expect(gone.phase).toBe('left');
    const d = run(gone, ev('rescind', 'x1'));
    expect(d.state.phase).toBe('left');
    expect(d.state.due).toEqual(gone.due);
    expect(d.outcome).toBe('rescind after day 1 ignored (terminate instead)');
  });
});

describe('leave of absence', () => {
  it('disables with a reason, and re-enables at its end', () => {
    const away = run(active(), ev('leave-of-absence-start', 'l1'));
    expect(away.steps).toEqual([{ run: 'disable', reason: 'leave of absence' }]);
    expect(away.outcome).toBe('account disabled for leave of absence');
    const back = run(away.state, ev('leave-of-absence-end', 'l2'));
    expect(back.outcome).toBe('account re-enabled after leave of absence');
  });

  it('does nothing outside the phase it applies to', () => {
    const start = run(left(), ev('leave-of-absence-start', 'l1'));
    expect(start.steps).toEqual([]);
    expect(start.state.phase).toBe('left');
    expect(start.outcome).toBe('leave of absence in phase left: nothing to do');
    const end = run(active(), ev('leave-of-absence-end', 'l2'));
    expect(end.steps).toEqual([]);
    expect(end.outcome).toBe('leave of absence end in phase active: nothing to do');
  });
});

describe('a terminate delivered before the hire', () => {
  const terminated = (extra = {}, schedule = past) =>
    run(initialState('E1'), ev('terminate', 't1', extra, { leaveDate: '2026-12-31' }), schedule).state;

  it('issued at the same instant as the hire still applies', () => {
    const d = run(terminated({ immediate: true }), ev('hire', 'h1'));
    expect(d.steps.map((s) => s.run)).toEqual(['joiner', 'leaver']);
    expect(d.state.phase).toBe('left');
    expect(d.outcome).toBe('joiner now; terminate t1 (delivered first) applied');
  });

  it('with the hire still ahead: only the leave date is planned, nothing runs yet', () => {
    const d = run(
      terminated({ immediate: true }),
      ev('hire', 'h1', { occurredAt: '2026-11-25T09:00:00.000Z' }),
      future,
    );
    expect(d.steps).toEqual([]);
    expect(d.state.phase).toBe('pre-hire');
    expect(d.state.pendingTerminate).toBeUndefined();
    expect(d.state.due).toEqual({ createAccountAt: future.createAccountAt, enableAt: future.hireAt, leaveAt: NOW });
    expect(d.outcome).toBe(
      'joiner scheduled for 2026-12-08T00:00:00.000Z; leave from terminate t1 scheduled for 2026-11-25T10:00:00.000Z',
    );
  });

  it('with its leave date ahead: the hire runs and the person is leaving at that date', () => {
    const earlierHire = ev('hire', 'h1', { occurredAt: '2026-11-25T09:00:00.000Z' });
    const d = run(terminated({}, { ...past, leaveAt: LATER }), earlierHire);
    expect(d.steps).toEqual([{ run: 'joiner', record: worker(), enable: true }]);
    expect(d.state.phase).toBe('leaving');
    expect(d.state.due).toEqual({ leaveAt: LATER });
    expect(d.outcome).toBe(`joiner now; leave from terminate t1 scheduled for ${LATER}`);
  });
});
