import type { PersonState } from './person-state';

/**
 * What a rehire gives back is what the person lost at leave (removedGroupIds). A leaver step can fail after some of
 * its removals took effect (Graph down midway, a crash, a later activity of the step failing) and is then run again
 * (pending-steps.ts); the retry reads the memberships left, so the groups already removed would be forgotten. The
 * person orchestration therefore reads the groups the leaver will remove before its first attempt and keeps them in
 * the state (leavingGroupIds), which every attempt, failed or not, carries forward; when the step is done they join
 * what it reports as removed. A group someone else removed between that read and the leaver counts as removed at
 * leave: it was a membership when the leave was decided.
 */

/** Records the groups the leaver is about to remove; a retry keeps the first attempt's list. */
export function leavingGroups(state: PersonState, groupIds: readonly string[]): PersonState {
  if (state.leavingGroupIds) return state;
  return { ...state, leavingGroupIds: [...groupIds] };
}

/** Whether the leaver still has to read the groups it removes (its first attempt, with an account). */
export function needsLeavingGroups(state: PersonState): boolean {
  return !!state.userId && !state.leavingGroupIds;
}

/**
 * The state once the leaver step is done: removedGroupIds holds every group removed, by this attempt or an earlier
 * one. A leaver an admin rejected (deletion guard) removed nothing.
 */
export function leaverDone(
  state: PersonState,
  result: { removedGroupIds?: string[]; guardRejected?: boolean },
): PersonState {
  const { leavingGroupIds = [], ...rest } = state;
  if (result.guardRejected) return { ...rest, removedGroupIds: [] };
  return { ...rest, removedGroupIds: [...new Set([...leavingGroupIds, ...(result.removedGroupIds ?? [])])] };
}
