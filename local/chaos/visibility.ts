/**
 * "Every failure is visible": each accepted event that did not reach its effect (lost, per the oracle), each person
 * whose directory diverged from the oracle and each person run that ended Failed must have a record an operator
 * finds with its reason, in one of the places the app keeps them:
 * - a dead letter of the HR events queue for the person (`entra-jml dead-letters`, GET /api/ops/dead-letters),
 * - a failed-run record: the person's run Failed with its error (GET /api/ops/runs?status=failed),
 * - the person's status (GET /api/persons/{id}): a `problems` entry or a `pendingStep`,
 * - an audit row of the person: `step.failed` (a step failed after its retries) or `hr-event.processing-failed`
 *   (the queue processor's own record of why a delivery failed).
 * Pure: the harness reads those places (failure-records.ts) and passes them in.
 */
export interface PersonFailureStatus {
  runtimeStatus?: string;
  problems?: string[];
  pendingStep?: { reason?: string } | null;
}

export interface FailureRecords {
  deadLetters: { sessionId: string | null; messageId: string; reason: string | null }[];
  failedRuns: { employeeId: string | null; instanceId: string; error: string | null }[];
  /** Audit rows that record a failure (any action; only step.failed and hr-event.processing-failed are read). */
  failureRows: { action: string; employeeId: string | null; reason: string | null }[];
}

const FAILURE_ACTIONS = new Set(['step.failed', 'hr-event.processing-failed']);

/** The employee id a check line names (`K0P3: ...`). */
function personOf(line: string): string {
  return line.slice(0, line.indexOf(':') < 0 ? line.length : line.indexOf(':'));
}

/** Where a person's failure is recorded with its reason, or null when nowhere. */
export function visibleRecord(
  employeeId: string,
  status: PersonFailureStatus | null,
  records: FailureRecords,
): string | null {
  if (status?.problems?.some((p) => p.trim())) return 'status problems';
  if (status?.pendingStep?.reason) return 'status pendingStep';
  if (records.deadLetters.some((d) => d.sessionId === employeeId && d.reason)) return 'dead letter';
  if (records.failedRuns.some((r) => r.employeeId === employeeId && r.error)) return 'failed run';
  if (records.failureRows.some((r) => r.employeeId === employeeId && FAILURE_ACTIONS.has(r.action) && r.reason))
    return `audit ${[...FAILURE_ACTIONS].join('/')}`;
  return null;
}

/**
 * The failures no operator could see: one line per lost event, diverged person or Failed run with no record.
 * `statusOf` gives a trial person's status (null: unknown person or no answer).
 */
export function invisibleFailures(
  failures: { lostEvents: readonly string[]; divergedPersons: readonly string[] },
  statusOf: (employeeId: string) => PersonFailureStatus | null,
  records: FailureRecords,
  persons: readonly string[],
): string[] {
  const failing = [
    ...failures.lostEvents.map((line) => ({ employeeId: personOf(line), what: `lost ${line}` })),
    ...failures.divergedPersons.map((line) => ({ employeeId: personOf(line), what: `diverged ${line}` })),
    ...persons
      .filter((id) => statusOf(id)?.runtimeStatus === 'Failed')
      .map((employeeId) => ({ employeeId, what: `${employeeId}: run Failed` })),
  ];
  return failing
    .filter(({ employeeId }) => !visibleRecord(employeeId, statusOf(employeeId), records))
    .map(({ what }) => `${what} (no dead letter, failed run, status problem or step.failed row)`);
}
