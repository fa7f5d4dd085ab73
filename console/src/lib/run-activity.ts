/** How long after the last thing that happened the page keeps polling: a joiner's steps land within seconds. */
export const ACTIVE_WINDOW_MS = 2 * 60_000;

/** What the person page knows when it decides whether to keep polling. */
export interface PersonActivity {
  /** `missing`: the person has no lifecycle (yet); `unknown`: the status could not be read. */
  lifecycle: 'found' | 'missing' | 'unknown';
  runtimeStatus: string | null;
  /** Instant of the newest timeline entry. */
  newestAt: string | null;
}

/**
 * A person's run is in progress when something happened to them lately (a step audited, an action taken from this
 * page) or their lifecycle has not started yet (an HR event on its way through the queue), for a while only: an
 * unknown employee id is not waited for forever.
 */
export function runInProgress(
  activity: PersonActivity | null,
  times: { openedAt: number; lastActionAt: number },
  now = Date.now(),
): boolean {
  if (now - times.lastActionAt < ACTIVE_WINDOW_MS) return true;
  if (!activity) return false;
  if (activity.lifecycle === 'missing') return now - times.openedAt < ACTIVE_WINDOW_MS;
  if (activity.runtimeStatus === 'Pending') return true;
  return !!activity.newestAt && now - Date.parse(activity.newestAt) < ACTIVE_WINDOW_MS;
}
