import type { AuditRecord } from '../ports/audit-log';
import type { OperationIntake } from '../ports/bulk-request-store';

/**
 * One result per bulkUpload operation, like a line of Entra's provisioning logs
 * (https://learn.microsoft.com/graph/api/resources/provisioningobjectsummary): what the intake decided,
 * then what the person's lifecycle did with the operation's HR events, read from the audit rows that carry
 * those event ids (correlation.eventId). Pure: the status function gathers the rows.
 */
export type OperationOutcome = 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed' | 'scheduled' | 'pending';

interface OperationStep {
  at: string;
  action: string;
  outcome: AuditRecord['outcome'];
  reason: string | null;
}

export interface OperationStatus {
  bulkId: string;
  employeeId: string | null;
  outcome: OperationOutcome;
  reason: string | null;
  warnings: string[];
  steps: OperationStep[];
}

/** Rows that end an event's handling: the last step of each JML flow, or the decision that needed none. */
const FINAL_ACTIONS = new Set(['access.apply', 'leaver.removeAccess', 'hr-event', 'enableUser', 'disableUser']);
/** Rows of the doors themselves (received, delivered), not of the directory work. */
const isIntakeRow = (r: AuditRecord) => r.action.startsWith('bulkUpload.') || r.action.startsWith('hr-event.');

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/** Whether a row changed the directory (a diff applied, a relation added, an account disabled...). */
function changedSomething(row: AuditRecord): boolean {
  if (row.outcome !== 'success') return false;
  switch (row.action) {
    case 'joiner.converge':
    case 'mover.updateUser':
      return !isEmpty(row.after);
    case 'access.apply': {
      const after = (row.after ?? {}) as { add?: unknown; remove?: unknown; manager?: string | null };
      const before = (row.before ?? {}) as { manager?: string | null };
      return !isEmpty(after.add) || !isEmpty(after.remove) || (!!after.manager && after.manager !== before.manager);
    }
    default:
      return ['leaver.removeAccess', 'enableUser', 'disableUser', 'rehire.restoreUser', 'deleteUser'].includes(
        row.action,
      );
  }
}

/** A decision that needed no directory step ('hr-event' row): why, in the caller's terms. */
function decisionOutcome(reason: string): OperationOutcome {
  if (/scheduled/i.test(reason)) return 'scheduled';
  if (/unknown person|never hired|invalid event|ignored \(|is for .* not /i.test(reason)) return 'skipped';
  return 'unchanged';
}

/** Failed checks that do not undo the operation's directory work (reported as warnings). */
const WARNING_ACTIONS = new Set(['licence.check']);

/** A lifecycle that stopped (runtimeStatus Failed) before finishing the operation's events. */
export interface LifecycleFailure {
  reason: string;
}

export function operationStatus(
  operation: OperationIntake,
  auditRows: AuditRecord[],
  lifecycleFailure?: LifecycleFailure | null,
): OperationStatus {
  const base = {
    bulkId: operation.bulkId,
    employeeId: operation.employeeId,
    warnings: [...operation.warnings],
  };
  if (operation.intake !== 'queued') return { ...base, outcome: operation.intake, reason: operation.reason, steps: [] };
  const ids = new Set(operation.eventIds);
  const rows = auditRows.filter((r) => r.correlation.eventId && ids.has(r.correlation.eventId) && !isIntakeRow(r));
  const steps = rows.map((r) => ({ at: r.at, action: r.action, outcome: r.outcome, reason: r.reason }));
  // A licence that group-based licensing could not assign leaves the account in place: the operation did its
  // work, and the licence problem is its warning (as Entra's provisioning logs report it), not its failure.
  for (const row of rows)
    if (row.outcome === 'failure' && WARNING_ACTIONS.has(row.action))
      base.warnings.push(`${row.action}: ${row.reason ?? 'failed'}`);
  const failure = rows.find((r) => r.outcome === 'failure' && !WARNING_ACTIONS.has(r.action));
  if (failure) return { ...base, outcome: 'failed', reason: `${failure.action}: ${failure.reason ?? 'failed'}`, steps };
  const done = operation.eventIds.every((id) =>
    rows.some((r) => r.correlation.eventId === id && FINAL_ACTIONS.has(r.action)),
  );
  if (!done) {
    if (lifecycleFailure) return { ...base, outcome: 'failed', reason: lifecycleFailure.reason, steps };
    return { ...base, outcome: 'pending', reason: steps.length ? 'in progress' : 'queued', steps };
  }
  const decisions = rows.filter((r) => r.action === 'hr-event');
  let outcome: OperationOutcome;
  let reason: string | null;
  if (rows.some((r) => r.action === 'joiner.createUser' && r.outcome === 'success')) {
    outcome = 'created';
    reason = 'account created';
  } else if (rows.some(changedSomething)) {
    outcome = 'updated';
    reason = `changed by ${[...new Set(rows.filter(changedSomething).map((r) => r.action))].join(', ')}`;
  } else if (decisions.length) {
    // The most telling decision: a skip or a schedule over "nothing to do".
    const ranked = decisions.map((d) => ({ d, outcome: decisionOutcome(d.reason ?? '') }));
    const pick = ranked.find((r) => r.outcome !== 'unchanged') ?? ranked[0]!;
    outcome = pick.outcome;
    reason = pick.d.reason;
  } else {
    outcome = 'unchanged';
    reason = 'the directory already matched';
  }
  const access = rows.filter((r) => r.action === 'access.apply').at(-1);
  const managerId = (access?.after as { manager?: string | null } | undefined)?.manager;
  if (operation.managerEmployeeId && access && !managerId && !base.warnings.some((w) => w.startsWith('manager ')))
    base.warnings.push(
      `manager ${operation.managerEmployeeId} had no account yet when access was applied: ` +
        'assigned at the next manager check',
    );
  return { ...base, outcome, reason, steps };
}

/** Counts per outcome, and whether every operation has its final result. */
export function summarize(statuses: OperationStatus[]): {
  completed: boolean;
  counts: Partial<Record<OperationOutcome, number>>;
} {
  const counts: Partial<Record<OperationOutcome, number>> = {};
  for (const s of statuses) counts[s.outcome] = (counts[s.outcome] ?? 0) + 1;
  return { completed: !statuses.some((s) => s.outcome === 'pending'), counts };
}
