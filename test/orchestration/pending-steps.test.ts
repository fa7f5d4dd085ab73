import { describe, expect, it } from 'vitest';
import {
  attemptSuffix,
  decideOvertaking,
  mayOvertake,
  pendingStepProblem,
  pendingStepStatus,
  STEP_RETRY_MAX_MS,
  stepRetryDelayMs,
  stepsDone,
  stepsFailed,
} from '../../shared/orchestration/pending-steps';
import { initialState, type PersonState } from '../../shared/orchestration/person-state';
import { NOW, active, ev, future, past, run, worker } from './person-state-fixtures';

/**
 * The pure rules of issue 24's fix: a failed step is kept pending with the rest of its decision and retried with
 * capped backoff; events wait behind it, except a rescind or immediate terminate that supersedes a pending hire.
 */
const at = (minutes: number) => new Date(Date.parse(NOW) + minutes * 60_000).toISOString();

/** A hire decided now (create enabled), its joiner failed once. */
function hirePending(schedule = past): PersonState {
  const d = run(initialState('E1'), ev('hire', 'h1'), schedule);
  return stepsFailed(d.state, { steps: d.steps, eventId: 'h1', keyBase: 'h1', firstIndex: 0, reason: '503' }, NOW);
}

describe('stepRetryDelayMs', () => {
  it('backs off from 1 minute, doubling, capped at 30 minutes, and never stops', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => stepRetryDelayMs(a) / 60_000)).toEqual([1, 2, 4, 8, 16, 30, 30]);
    expect(stepRetryDelayMs(10_000)).toBe(STEP_RETRY_MAX_MS);
  });
});

describe('stepsFailed / stepsDone', () => {
  it('keeps the failed step and the rest of its decision, with the next retry time', () => {
    const steps = [{ run: 'joiner' as const, record: worker() }, { run: 'activate' as const }];
    const s = stepsFailed(initialState('E1'), { steps, eventId: 'h1', keyBase: 'h1', firstIndex: 0, reason: 'x' }, NOW);
    expect(s.pendingSteps).toEqual({
      steps,
      eventId: 'h1',
      keyBase: 'h1',
      firstIndex: 0,
      attempt: 1,
      nextRetryAt: at(1),
      reason: 'x',
      failedAt: NOW,
    });
  });

  it('counts the runs of the same pending steps and backs off further each time', () => {
    let s = hirePending();
    for (const _ of [2, 3, 4]) {
      const p = s.pendingSteps!;
      s = stepsFailed(s, { ...p, reason: 'again' }, p.nextRetryAt);
    }
    expect(s.pendingSteps!.attempt).toBe(4);
    // 1 + 2 + 4 minutes to the fourth failure, which waits 8 more.
    expect(s.pendingSteps!.nextRetryAt).toBe(at(1 + 2 + 4 + 8));
  });

  it('a later step failing on a retry becomes the head, the attempt count going on (fresh child ids)', () => {
    const s = hirePending();
    const first = s.pendingSteps!;
    const later = stepsFailed(s, { steps: [{ run: 'activate' }], keyBase: 'h1', firstIndex: 1, reason: 'y' }, at(1));
    expect(later.pendingSteps).toMatchObject({ steps: [{ run: 'activate' }], firstIndex: 1, attempt: 2 });
    expect(attemptSuffix(first)).toBe(':attempt-2');
    expect(attemptSuffix(later.pendingSteps)).toBe(':attempt-3');
    expect(attemptSuffix(undefined)).toBe('');
  });

  it('done: nothing pending any more', () => {
    expect(stepsDone(hirePending()).pendingSteps).toBeUndefined();
    const plain = initialState('E1');
    expect(stepsDone(plain)).toBe(plain);
  });

  it('is shown as a problem line and a structured status', () => {
    const p = hirePending().pendingSteps!;
    expect(pendingStepProblem(p)).toBe(`step joiner failed once (503); retried at ${at(1)}`);
    expect(pendingStepStatus(p)).toEqual({
      kind: 'step-failed',
      step: 'joiner',
      remaining: [],
      eventId: 'h1',
      reason: '503',
      attempt: 1,
      failedAt: NOW,
      nextRetryAt: at(1),
    });
  });
});

describe('events while steps are pending', () => {
  it('a rescind supersedes a pending pre-hire joiner: decided at once, the account looked up first', () => {
    const pending = hirePending({ ...future, createAccountAt: NOW });
    expect(pending.phase).toBe('pre-hire');
    const d = decideOvertaking(pending, ev('rescind', 'x1'), future, at(5));
    expect(d).not.toBeNull();
    expect(d!.steps).toEqual([{ run: 'rescind' }]);
    expect(d!.state.phase).toBe('rescinded');
    expect(d!.state.pendingSteps).toBeUndefined();
    expect(d!.state.accountUnresolved).toBe(true);
    expect(d!.outcome).toContain('pending joiner dropped');
    expect(d!.state.notes.at(-1)).toContain('pending joiner (failed: 503) dropped for x1');
  });

  it('an immediate terminate supersedes a pending joiner: the leaver runs on whatever account exists', () => {
    const d = decideOvertaking(hirePending(), ev('terminate', 't1', { immediate: true }), past, at(5));
    expect(d!.steps.map((s) => s.run)).toEqual(['leaver']);
    expect(d!.state.phase).toBe('left');
    expect(d!.state.accountUnresolved).toBe(true);
    expect(d!.state.due.deleteAt).toBeDefined();
  });

  it('a rescind after day 1 (ignored by the state machine) does not drop the pending hire: it waits', () => {
    const pending = hirePending();
    expect(pending.phase).toBe('active');
    expect(mayOvertake(pending, ev('rescind', 'x1'))).toBe(true);
    expect(decideOvertaking(pending, ev('rescind', 'x1'), past, at(5))).toBeNull();
  });

  it('other events, a dated terminate and duplicates wait behind the pending steps', () => {
    const pending = hirePending();
    expect(mayOvertake(pending, ev('update', 'u1', {}, { department: 'Sales' }))).toBe(false);
    expect(mayOvertake(pending, ev('terminate', 't1', {}, { leaveDate: '2027-01-31' }))).toBe(false);
    expect(decideOvertaking(pending, ev('terminate', 't1', {}, { leaveDate: '2027-01-31' }), past, NOW)).toBeNull();
    // The hire's own event again: a duplicate, decided (and ignored) only once the joiner is done.
    expect(mayOvertake(pending, ev('hire', 'h1'))).toBe(false);
  });

  it('nothing overtakes pending steps that are not a hire (a leaver, a disable)', () => {
    const leaver = run(active(), ev('terminate', 't1', { immediate: true }));
    const pending = stepsFailed(
      leaver.state,
      { steps: leaver.steps, eventId: 't1', keyBase: 't1', firstIndex: 0, reason: '503' },
      NOW,
    );
    expect(mayOvertake(pending, ev('rescind', 'x1'))).toBe(false);
    expect(decideOvertaking(pending, ev('terminate', 't2', { immediate: true }), past, NOW)).toBeNull();
  });

  it('with nothing pending there is nothing to overtake', () => {
    expect(mayOvertake(active(), ev('rescind', 'x1'))).toBe(false);
    expect(decideOvertaking(active(), ev('rescind', 'x1'), past, NOW)).toBeNull();
  });
});
