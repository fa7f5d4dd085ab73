import type { HttpResponseInit } from '@azure/functions';
import type { AuditRecord } from '../ports/audit-log';
import type { OperationIntake } from '../ports/bulk-request-store';

/**
 * Answers of the bulkUpload door in Graph's shapes (https://learn.microsoft.com/graph/errors): an OData
 * error body `{error: {code, message}}`; 429/503 carry Retry-After in seconds
 * (https://learn.microsoft.com/graph/throttling).
 */
export function bulkRefusal(
  status: 401 | 403 | 429 | 503,
  code: string,
  message: string,
  retryAfterSeconds?: number,
): HttpResponseInit {
  return {
    status,
    headers: retryAfterSeconds ? { 'retry-after': String(retryAfterSeconds) } : {},
    jsonBody: { error: { code, message } },
  };
}

/** 401: no valid token; 403: a valid token without SynchronizationData-User.Upload, as Graph answers. */
export function tokenRefusal(status: 401 | 403): HttpResponseInit {
  return status === 401
    ? bulkRefusal(401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.')
    : bulkRefusal(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
}

export function bulkStatusUrl(origin: string, requestId: string): string {
  return `${origin}/api/hr/bulkUpload/${requestId}`;
}

/** One audit row per operation: what the door decided, under the caller's app id. */
export function intakeAuditRows(
  requestId: string,
  appId: string,
  receivedAt: Date,
  operations: OperationIntake[],
): AuditRecord[] {
  const outcome = { queued: 'success', failed: 'failure', skipped: 'skipped' } as const;
  return operations.map((o) => ({
    at: receivedAt.toISOString(),
    actor: `bulkUpload:${appId}`,
    action: 'bulkUpload.operation',
    employeeId: o.employeeId,
    target: 'entra-jml',
    outcome: outcome[o.intake],
    reason: [o.reason, ...o.warnings].filter(Boolean).join('; ') || null,
    before: null,
    after: { requestId, bulkId: o.bulkId, eventIds: o.eventIds, warnings: o.warnings },
    correlation: o.eventIds.length ? { eventId: o.eventIds.at(-1) } : {},
  }));
}
