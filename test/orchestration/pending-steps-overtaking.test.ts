import { describe, expect, it } from 'vitest';
import {
  decideOvertaking,
  mayOvertake,
  pendingStepProblem,
  pendingStepStatus,
  stepsFailed,
} from '../../shared/orchestration/pending-steps';
import { initialState, type PersonState, type Schedule } from '../../shared/orchestration/person-state';
import { NOW, ev, left, past, run } from './person-state-fixtures';

/**
 * Pending steps (issue 24) beyond the plain joiner: a hire whose decision has more than one step, a rehire, a due
 * date's steps (no event id), and what operators read after several failed runs (mutation testing, issue 15).
 */
const at = (minutes: number) => new Date(Date.parse(NOW) + minutes * 60_000).toISOString();

/** The steps `schedule` decides for a hire (or rehire) of `state`, failed once at their first step. */
function failedHire(state: PersonState, type: 'hire' | 'rehire', schedule: Schedule): PersonState {
  const d = run(state, ev(type, `${type}-1`), schedule);
  return stepsFailed(
    d.state,
    { steps: d.steps, eventId: `${type}-1`, keyBase: `${type}-1`, firstIndex: 0, reason: '503' },
    NOW,
  );
}

describe('what may overtake pending steps', () => {
  it('a hire with self-activation pending (joiner then activate) is superseded by an immediate terminate', () => {
    const pending = failedHire(initialState('E1'), 'hire', { ...past, activation: true });
    expect(pending.pendingSteps!.steps.map((s) => s.run)).toEqual(['joiner', 'activate']);
    expect(mayOvertake(pending, ev('terminate', 't1', { immediate: true }))).toBe(true);
    const d = decideOvertaking(pending, ev('terminate', 't1', { immediate: true }), past, at(5));
    expect(d!.state.phase).toBe('left');
    expect(d!.outcome).toMatch(/; pending joiner, activate dropped$/);
    expect(d!.state.notes.at(-1)).toBe('pending joiner, activate (failed: 503) dropped for t1');
  });

  it('a pending rehire is a hire too: an immediate terminate supersedes it', () => {
    const pending = failedHire(left(), 'rehire', past);
    expect(pending.pendingSteps!.steps.map((s) => s.run)).toEqual(['rehire']);
    expect(mayOvertake(pending, ev('terminate', 't2', { immediate: true }))).toBe(true);
    const d = decideOvertaking(pending, ev('terminate', 't2', { immediate: true }), past, at(5));
    expect(d!.steps.map((s) => s.run)).toEqual(['leaver']);
    expect(d!.outcome).toMatch(/; pending rehire dropped$/);
  });

  it('only a terminate is immediate enough: an update marked immediate waits like any other event', () => {
    const pending = failedHire(initialState('E1'), 'hire', past);
    expect(mayOvertake(pending, ev('update', 'u1', { immediate: true }, { department: 'Sales' }))).toBe(false);
    expect(mayOvertake(pending, ev('leave-of-absence-start', 'l1', { immediate: true }))).toBe(false);
  });
});

describe('pending steps of a due date', () => {
  it('carry no event id at all (not an undefined one), and the status shows null', () => {
    const steps = [{ run: 'enable' as const }];
    const s = stepsFailed(initialState('E1'), { steps, keyBase: 'due-enableAt', firstIndex: 0, reason: '503' }, NOW);
    expect(Object.keys(s.pendingSteps!)).not.toContain('eventId');
    expect(pendingStepStatus(s.pendingSteps!).eventId).toBeNull();
  });
});

describe('what operators read after several runs', () => {
  it('counts the runs in the problem line and lists the steps still to do after the failed one', () => {
    let s = failedHire(initialState('E1'), 'hire', { ...past, activation: true });
    const p = s.pendingSteps!;
    s = stepsFailed(s, { ...p, reason: 'again' }, p.nextRetryAt);
    const second = s.pendingSteps!;
    expect(pendingStepProblem(second)).toBe(`step joiner failed 2 times (again); retried at ${at(1 + 2)}`);
    expect(pendingStepStatus(second)).toMatchObject({ step: 'joiner', remaining: ['activate'], attempt: 2 });
  });
});
