import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { bulkRequestStore } from '../shared/adapters/bulk-requests/create-bulk-request-store';
import { personInstanceId } from '../shared/domain/person-contract';
import { verifyBearer } from '../shared/intake/bearer-token';
import { operationStatus, summarize, type LifecycleFailure } from '../shared/intake/bulk-outcome';
import { tokenRefusal } from '../shared/intake/bulk-responses';
import { services } from '../shared/services';

/**
 * GET /api/hr/bulkUpload/{requestId}: the status URL of a bulkUpload request (its Location). Lists every
 * bulkId with its outcome (created, updated, unchanged, skipped, failed, scheduled, or pending while the
 * person's lifecycle works on it), the reason, warnings and the audited steps, like a provisioning log.
 * Read with the same token as the upload (role SynchronizationData-User.Upload).
 */
const RequestId = z.uuid();

app.http('hrBulkUploadStatus', {
  route: 'hr/bulkUpload/{requestId}',
  methods: ['GET'],
  authLevel: 'anonymous', // authenticated by the Entra bearer token
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const { config, auditLog } = services();
    const auth = await verifyBearer(request.headers.get('authorization'), config);
    if (!auth.ok) return tokenRefusal(auth.status);
    const requestId = RequestId.safeParse(request.params.requestId);
    if (!requestId.success)
      return { status: 400, jsonBody: { problems: [{ path: 'requestId', reason: 'must be a request id (GUID)' }] } };
    const record = await bulkRequestStore(config).get(requestId.data);
    if (!record) return { status: 404, jsonBody: { error: `no bulkUpload request ${requestId.data}` } };

    const client = df.getClient(context);
    const statuses = await Promise.all(
      record.operations.map(async (operation) => {
        if (operation.intake !== 'queued' || !operation.employeeId) return operationStatus(operation, []);
        const rows = await auditLog.query({ employeeId: operation.employeeId, from: record.receivedAt });
        const status = operationStatus(operation, rows);
        if (status.outcome !== 'pending') return status;
        return operationStatus(operation, rows, await lifecycleFailure(client, operation.employeeId));
      }),
    );
    const summary = summarize(statuses);
    return {
      jsonBody: {
        requestId: record.requestId,
        receivedAt: record.receivedAt,
        status: summary.completed ? 'completed' : 'inProgress',
        counts: summary.counts,
        operations: statuses,
      },
    };
  },
});

/** A person's lifecycle that stopped with an error leaves its pending events undone: say so. */
async function lifecycleFailure(client: df.DurableClient, employeeId: string): Promise<LifecycleFailure | null> {
  try {
    const status = await client.getStatus(personInstanceId(employeeId), { showInput: false });
    if (status.runtimeStatus !== df.OrchestrationRuntimeStatus.Failed) return null;
    return { reason: `the person's lifecycle failed: ${JSON.stringify(status.output)}`.slice(0, 500) };
  } catch {
    return null; // not started yet: the event is still on its way
  }
}
