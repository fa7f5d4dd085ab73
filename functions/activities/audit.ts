import type { AuditRecord } from '../../shared/ports/audit-log';
import { services } from '../../shared/services';

/** Writes one audit record for an activity's change (actor: the person orchestration). */
export async function audit(entry: Omit<AuditRecord, 'at' | 'actor' | 'target' | 'reason'> & { target?: string; reason?: string | null }): Promise<void> {
  await services().auditLog.append([
    { at: new Date().toISOString(), actor: 'orchestration', target: entry.target ?? 'entra', reason: entry.reason ?? null, ...entry },
  ]);
}
