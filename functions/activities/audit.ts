import { graphRequestsSoFar } from '../../shared/adapters/graph/request-trail';
import type { AuditIntentKey, AuditRecord } from '../../shared/ports/audit-log';
import { services } from '../../shared/services';
import { holdsIntent, intentKeyOf, noteIntent } from './step-identity';

export type AuditEntry = Omit<AuditRecord, 'at' | 'actor' | 'target' | 'reason'> & {
  target?: string;
  reason?: string | null;
};

/**
 * Writes one audit record for an activity's change (actor: the person orchestration), naming the Graph
 * requests (client-request-id) that made it, when the activity ran inside a request trail (registerActivity).
 */
export async function audit(entry: AuditEntry): Promise<void> {
  const graphRequestIds = graphRequestsSoFar();
  const correlation =
    graphRequestIds.length && !entry.correlation.graphRequestId
      ? { ...entry.correlation, graphRequestId: graphRequestIds.join(' ') }
      : entry.correlation;
  // The row of an action whose intent this attempt opened or found closes it (AuditLog.intend).
  const closes = holdsIntent(entry.action) ? intentOf(entry) : null;
  await appendOnceStoreAnswers([recordOf({ ...entry, correlation })], closes ?? undefined);
}

/**
 * Before a step's directory writes: records the row it is about to earn as its write-ahead intent, and answers the
 * intent an earlier attempt of the same step left open (its writes may have been made before it died: the step
 * then writes the row for them too). With `writes` false nothing is recorded (this attempt writes nothing), and an
 * earlier attempt's intent is only looked up. Null outside an identified step (step-identity.ts).
 */
export async function intendAudit(entry: AuditEntry, options: { writes: boolean }): Promise<AuditRecord | null> {
  const key = intentOf(entry);
  if (!key) return null;
  const { auditLog } = services();
  const earlier = options.writes ? await auditLog.intend(key, recordOf(entry)) : await auditLog.openIntent(key);
  if (options.writes || earlier) noteIntent(entry.action);
  return earlier;
}

function intentOf(entry: Pick<AuditEntry, 'action' | 'employeeId'>): AuditIntentKey | null {
  const key = intentKeyOf(entry.action);
  return key ? { key, employeeId: entry.employeeId } : null;
}

function recordOf(entry: AuditEntry): AuditRecord {
  return {
    at: new Date().toISOString(),
    actor: 'orchestration',
    target: entry.target ?? 'entra',
    reason: entry.reason ?? null,
    ...entry,
  };
}

/** The local SQLite store busy past its busy timeout, or its disk full (https://www.sqlite.org/rescode.html). */
const STORE_UNAVAILABLE = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_FULL']);
/** 0.25 s doubling to 8 s: about 30 s in all, then the step fails as before. */
const APPEND_ATTEMPTS = 9;

/**
 * The row is written after the step's Graph writes: if the append failed and the step were retried, the retry
 * would find nothing left to change and write no row for the change the first attempt made (the chaos run's
 * audit check found it: an attribute update with no row after the audit file was locked). So a store that is
 * only busy or full for a while is waited for here, in this attempt.
 */
async function appendOnceStoreAnswers(records: AuditRecord[], closes?: AuditIntentKey): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { auditLog } = services();
      return await (closes ? auditLog.append(records, { closes }) : auditLog.append(records));
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (attempt >= APPEND_ATTEMPTS || typeof code !== 'string' || !STORE_UNAVAILABLE.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** (attempt - 1), 8000)));
    }
  }
}
