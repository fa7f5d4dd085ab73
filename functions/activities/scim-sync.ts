import { registerActivity } from './register';
import { z } from 'zod';
import type { AuditRecord } from '../../shared/ports/audit-log';
import { ScimSyncRequest, type ScimSyncOutcome } from '../../shared/ports/scim-sync';
import { services } from '../../shared/services';
import { parseInput } from './activity-input';
import { audit } from './audit';

/**
 * Pushes one person to one SCIM target (issue 19) and audits the push: action `scim.<result>` (`scim.failed`
 * when the target refused or could not be reached), target = the target id, the target's request ids in the
 * correlation. Target errors are returned, not thrown: the orchestration waits out Retry-After on a durable timer.
 */
export async function scimSync(input: unknown): Promise<ScimSyncOutcome> {
  const request = parseInput(ScimSyncRequest, input);
  const outcome = await services().scimSync.sync(request);
  const { at: _at, actor: _actor, ...row } = scimAuditRow(request, outcome);
  await audit(row);
  return outcome;
}

/** The audit row of one push (also written, a round at a time, by the target's sender: scim-sender.ts). */
export function scimAuditRow(request: ScimSyncRequest, outcome: ScimSyncOutcome): AuditRecord {
  const requestIds = outcome.calls.flatMap((call) => (call.requestId ? [call.requestId] : []));
  return {
    at: new Date().toISOString(),
    actor: 'orchestration',
    action: outcome.ok ? `scim.${outcome.result}` : 'scim.failed',
    employeeId: request.employeeId,
    target: request.targetId,
    outcome: outcome.ok ? 'success' : 'failure',
    reason: outcome.ok ? null : outcome.detail,
    before: null,
    after: {
      action: request.action,
      scimId: outcome.ok ? outcome.scimId : null,
      ...(outcome.ok ? {} : { status: outcome.status, retryable: outcome.retryable }),
      calls: outcome.calls.map((call) => `${call.method} ${call.path} ${call.status}`),
    },
    correlation: {
      ...request.correlation,
      ...(requestIds.length ? { scimRequestId: requestIds.join(' ') } : {}),
    },
  };
}

registerActivity('scimSync', scimSync);

/** Every user one target holds, for the reconcile timer's drift comparison (scimReconcile). */
export async function scimListUsers(input: unknown) {
  const { targetId } = parseInput(z.object({ targetId: z.string().min(1) }), input);
  return services().scimSync.listUsers(targetId);
}

registerActivity('scimListUsers', scimListUsers);
