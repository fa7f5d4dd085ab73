import { describe, expect, it } from 'vitest';
import { leaverDone } from '../../shared/orchestration/leaver-groups';
import { initialState, type PersonState } from '../../shared/orchestration/person-state';

// A state saved before issue 24 (or a leaver that never read its groups) has no leavingGroupIds: the step's own
// report is then the whole of what was removed, with nothing invented on either side.
const noList: PersonState = { ...initialState('E2'), userId: 'u-2', phase: 'active' };

describe('leaverDone without a list read before the first attempt', () => {
  it('reports exactly the groups the step removed', () => {
    expect(leaverDone(noList, { removedGroupIds: ['g-1', 'g-2'] }).removedGroupIds).toEqual(['g-1', 'g-2']);
  });

  it('reports no group when the step removed none and said so by omission', () => {
    expect(leaverDone(noList, {}).removedGroupIds).toEqual([]);
  });

  it('keeps the list read before when the step reports no removal of its own', () => {
    const state: PersonState = { ...noList, leavingGroupIds: ['g-read'] };
    expect(leaverDone(state, {}).removedGroupIds).toEqual(['g-read']);
  });
});
