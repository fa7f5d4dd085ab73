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
  await services().auditLog.append([
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
