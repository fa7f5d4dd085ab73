import { describe, expect, it } from 'vitest';
import { leaverDone, leavingGroups, needsLeavingGroups } from '../../shared/orchestration/leaver-groups';
import { initialState, type PersonState, type Step } from '../../shared/orchestration/person-state';
import { stepsFailed } from '../../shared/orchestration/pending-steps';

const NOW = '2026-11-25T10:00:00.000Z';
const active: PersonState = { ...initialState('E1'), userId: 'u-1', phase: 'active' };
const leaverStep = { run: 'leaver', record: { employeeId: 'E1' } } as Step;

describe('groups removed by a leaver that failed midway reach removedGroupIds (issue 24)', () => {
  it('keeps the groups read before the first attempt through a failure, adds what the retry removed', () => {
    expect(needsLeavingGroups(active)).toBe(true);
    const before = leavingGroups(active, ['g-hand', 'g-all', 'g-eng']);
    // The first attempt removed g-hand, then failed: the state the pending step keeps still lists it.
    const failed = stepsFailed(
      before,
      { steps: [leaverStep], eventId: 't1', keyBase: 't1', firstIndex: 0, reason: '503' },
      NOW,
    );
    expect(needsLeavingGroups(failed)).toBe(false);
    // The retry reads the memberships left (g-hand is gone): the first list is kept.
    const retried = leavingGroups(failed, ['g-all', 'g-eng']);
    expect(retried.leavingGroupIds).toEqual(['g-hand', 'g-all', 'g-eng']);
    const done = leaverDone(retried, { removedGroupIds: ['g-all', 'g-eng'] });
    expect(done.removedGroupIds).toEqual(['g-hand', 'g-all', 'g-eng']);
    expect(done).not.toHaveProperty('leavingGroupIds');
  });

  it('adds groups granted while the leaver waited (held by the deletion guard) to the list read before', () => {
    const done = leaverDone(leavingGroups(active, ['g-all']), { removedGroupIds: ['g-all', 'g-late'] });
    expect(done.removedGroupIds).toEqual(['g-all', 'g-late']);
  });

  it('records nothing removed when an admin rejected the held leaver, and nothing to read without an account', () => {
    const rejected = leaverDone(leavingGroups(active, ['g-all']), { removedGroupIds: [], guardRejected: true });
    expect(rejected.removedGroupIds).toEqual([]);
    expect(rejected).not.toHaveProperty('leavingGroupIds');
    expect(needsLeavingGroups({ ...active, userId: null })).toBe(false);
  });
});
