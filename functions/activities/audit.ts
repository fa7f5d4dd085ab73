import { graphRequestsSoFar } from '../../shared/adapters/graph/request-trail';
import type { AuditRecord } from '../../shared/ports/audit-log';
import { services } from '../../shared/services';

/**
 * Writes one audit record for an activity's change (actor: the person orchestration), naming the Graph
 * requests (client-request-id) that made it, when the activity ran inside a request trail (registerActivity).
 */
export async function audit(
  entry: Omit<AuditRecord, 'at' | 'actor' | 'target' | 'reason'> & { target?: string; reason?: string | null },
): Promise<void> {
  const graphRequestIds = graphRequestsSoFar();
  const correlation =
    graphRequestIds.length && !entry.correlation.graphRequestId
      ? { ...entry.correlation, graphRequestId: graphRequestIds.join(' ') }
      : entry.correlation;
  await appendOnceStoreAnswers([
    {
      at: new Date().toISOString(),
      actor: 'orchestration',
      target: entry.target ?? 'entra',
      reason: entry.reason ?? null,
      ...entry,
      correlation,
    },
  ]);
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
async function appendOnceStoreAnswers(records: AuditRecord[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await services().auditLog.append(records);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (attempt >= APPEND_ATTEMPTS || typeof code !== 'string' || !STORE_UNAVAILABLE.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** (attempt - 1), 8000)));
    }
  }
}
