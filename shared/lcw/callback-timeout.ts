/**
 * The custom task extension's callback timeout (callbackConfiguration.timeoutDuration): an ISO 8601 duration from
 * 5 minutes to 3 hours; with no resume by then Lifecycle Workflows fails the task
 * (https://learn.microsoft.com/graph/api/resources/identitygovernance-customtaskextensioncallbackconfiguration).
 */
export const MIN_CALLBACK_TIMEOUT_MS = 5 * 60_000;
export const MAX_CALLBACK_TIMEOUT_MS = 3 * 3_600_000;

const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Milliseconds of a day-time ISO 8601 duration (PT1H, PT90M, P0DT2H30M); null when it is not one. */
export function durationMs(text: string): number | null {
  const m = DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return null;
  const [days, hours, minutes, seconds] = m.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
  ];
  return (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
}

/**
 * How long the work may run before we resume Failed ourselves: the timeout minus a margin for the resume call and
 * its retries (10 % of the timeout, at least 1 and at most 5 minutes), so the task never fails silently by timeout.
 */
export function workBudgetMs(callbackTimeoutMs: number): number {
  const margin = Math.min(5 * 60_000, Math.max(60_000, callbackTimeoutMs / 10));
  return callbackTimeoutMs - margin;
}
