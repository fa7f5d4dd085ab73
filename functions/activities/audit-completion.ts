import type { AuditRecord } from '../../shared/ports/audit-log';
import type { AuditEntry } from './audit';

/**
 * How a retried step completes the row an earlier attempt announced (its write-ahead intent, AuditLog.intend) and
 * never wrote: the changes the intent names that the retry finds already in place were made by that attempt, so the
 * row names them with this attempt's own. The state before them is the intent's (read before the first write).
 * A change the intent names that is not in place was not made (or was undone): the retry makes it or drops it.
 */
/** The reason on a row a retry writes for an earlier attempt's changes: `found` says how it knows they were made. */
export function completesEarlierAttempt(found: string): string {
  return `completes an attempt that stopped before its row: ${found}`;
}

const COMPLETES = completesEarlierAttempt('changes found in place are named');

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];

type Row = Omit<AuditEntry, 'outcome'>;

/** access.apply: groups the intent added that are members now, removed that are not; the manager's first state. */
export function completedAccessRow(row: Row, earlier: AuditRecord, currentGroups: readonly string[]): Row {
  const member = new Set(currentGroups);
  const intended = obj(earlier.after);
  const after = obj(row.after);
  return {
    ...row,
    before: { ...obj(row.before), manager: obj(earlier.before).manager ?? null },
    after: {
      ...after,
      add: union(
        ids(after.add),
        ids(intended.add).filter((g) => member.has(g)),
      ),
      remove: union(
        ids(after.remove),
        ids(intended.remove).filter((g) => !member.has(g)),
      ),
    },
    reason: COMPLETES,
  };
}

/** leaver.removeAccess: groups the intent removed that the person is no longer a member of. */
export function completedRemovalRow(row: Row, earlier: AuditRecord, currentGroups: readonly string[]): Row {
  const member = new Set(currentGroups);
  const after = obj(row.after);
  return {
    ...row,
    before: earlier.before,
    after: {
      ...after,
      removed: union(
        ids(after.removed),
        ids(obj(earlier.after).removed).filter((g) => !member.has(g)),
      ),
    },
    reason: COMPLETES,
  };
}

/**
 * An attribute update (mover/leaver.updateUser, joiner.converge): one PATCH applies all of its attributes or none,
 * so when the retry finds nothing left to write, the intent's whole update is in place; when it finds something, the
 * earlier PATCH did not land and the retry's own row is the one. An enable the intent names is in place when the
 * account is enabled now and this attempt did not enable it.
 */
export function completedUpdateRow(
  row: Row,
  earlier: AuditRecord | null,
  now: { attributesWritten: boolean; enabledNow?: boolean },
): Row {
  if (!earlier) return row;
  const intended = obj(earlier.after);
  const after = obj(row.after);
  const { accountEnabled: intendedEnable, ...intendedAttributes } = intended;
  const { accountEnabled: enabling, ...attributes } = after;
  const attributesDone = now.attributesWritten ? attributes : intendedAttributes;
  const enableDone = enabling === true || (intendedEnable === true && now.enabledNow === true);
  const completed = !now.attributesWritten && Object.keys(intendedAttributes).length > 0;
  if (!completed && enableDone === (enabling === true)) return row;
  return {
    ...row,
    before: earlier.before,
    after: { ...attributesDone, ...(enableDone ? { accountEnabled: true } : {}) },
    reason: COMPLETES,
  };
}
