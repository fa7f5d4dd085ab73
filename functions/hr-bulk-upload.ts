import { randomUUID } from 'node:crypto';
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { bulkRequestStore } from '../shared/adapters/bulk-requests/create-bulk-request-store';
import { queueBacklog } from '../shared/adapters/queue-backlog/create-queue-backlog';
import type { Config } from '../shared/config/config';
import { describeIssues } from '../shared/domain/hr-event';
import { enqueueEvents } from '../shared/intake/accept-events';
import { loadMapping, type Expression } from '../shared/intake/attribute-mapping';
import { BulkAdmission } from '../shared/intake/bulk-admission';
import { planOperations } from '../shared/intake/bulk-intake';
import { BulkRequest } from '../shared/intake/bulk-upload';
import { bulkRefusal, bulkStatusUrl, intakeAuditRows, tokenRefusal } from '../shared/intake/bulk-responses';
import { verifyBearer } from '../shared/intake/bearer-token';
import { services } from '../shared/services';

/**
 * POST /api/hr/bulkUpload: the Entra API-driven inbound provisioning endpoint's contract, so HR connectors
 * written for Graph's /bulkUpload can point here. 401 without a valid token, 403 without the role, 429 when
 * saturated, 400 only for envelope problems; otherwise 202 with a request id and a status URL (Location) that
 * lists every bulkId's outcome. Each operation succeeds or fails on its own.
 */
let mapping: Record<string, Expression> | undefined | null = null;
function configuredMapping(file: string | undefined): Record<string, Expression> | undefined {
  if (mapping === null) mapping = file ? loadMapping(file) : undefined;
  return mapping;
}

let admission: BulkAdmission | undefined;
function bulkAdmission(config: Config): BulkAdmission {
  return (admission ??= new BulkAdmission(queueBacklog(config), {
    queueName: config.HR_EVENTS_QUEUE,
    maxRequestsPerSecond: config.BULK_UPLOAD_MAX_REQUESTS_PER_SECOND,
    maxQueueBacklog: config.BULK_UPLOAD_MAX_QUEUE_BACKLOG,
    retryAfterSeconds: config.BULK_UPLOAD_RETRY_AFTER_SECONDS,
  }));
}

app.http('hrBulkUpload', {
  route: 'hr/bulkUpload',
  methods: ['POST'],
  authLevel: 'anonymous', // authenticated by the Entra bearer token
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const { config, eventQueue, directory, auditLog } = services();
    const auth = await verifyBearer(request.headers.get('authorization'), config);
    if (!auth.ok) {
      context.warn(`bulkUpload token refused (${auth.status}): ${auth.reason}`);
      return tokenRefusal(auth.status);
    }
    const admitted = await bulkAdmission(config).admit(auth.appId);
    if (!admitted.ok) {
      context.warn(`bulkUpload from app ${auth.appId} refused: ${admitted.reason}`);
      return bulkRefusal(429, 'TooManyRequests', admitted.reason, admitted.retryAfterSeconds);
    }
    if ('warning' in admitted) context.warn(`bulkUpload admitted without a backlog check: ${admitted.warning}`);
    if (!/^application\/scim\+json\b/i.test(request.headers.get('content-type') ?? ''))
      return {
        status: 400,
        jsonBody: { problems: [{ path: 'Content-Type', reason: 'must be application/scim+json' }] },
      };
    const raw = Buffer.from(await request.arrayBuffer());
    if (raw.length > config.HR_WEBHOOK_MAX_BYTES) return { status: 413 };
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return { status: 400, jsonBody: { problems: [{ path: '(root)', reason: 'body is not valid JSON' }] } };
    }
    const bulk = BulkRequest.safeParse(body);
    if (!bulk.success) return { status: 400, jsonBody: { problems: describeIssues(bulk.error) } };

    const requestId = randomUUID();
    const receivedAt = new Date();
    let planned;
    try {
      planned = await planOperations(bulk.data, {
        requestId,
        receivedAt,
        directory,
        mapping: configuredMapping(config.BULK_UPLOAD_MAPPING_FILE),
      });
    } catch (error) {
      // The directory could not be read to match users: nothing was decided or queued; the caller retries.
      context.error(`bulkUpload ${requestId}: directory lookups failed: ${String(error)}`);
      return bulkRefusal(503, 'ServiceUnavailable', 'the directory could not be read; retry later', 30);
    }
    const operations = planned.map(({ events: _events, ...intake }) => intake);
    const events = planned.flatMap((p) => p.events);
    // 202 only once the events are stored (accepted ⇒ never lost) and the request is remembered for its status URL.
    if (events.length) await enqueueEvents(eventQueue, config.HR_EVENTS_QUEUE, events, config.HR_URGENT_EVENTS_QUEUE);
    await bulkRequestStore(config).save({
      requestId,
      receivedAt: receivedAt.toISOString(),
      appId: auth.appId,
      operations,
    });
    await auditLog.append(intakeAuditRows(requestId, auth.appId, receivedAt, operations));
    const statusUrl = bulkStatusUrl(new URL(request.url).origin, requestId);
    const counts = { queued: 0, failed: 0, skipped: 0 };
    for (const o of operations) counts[o.intake]++;
    context.log(
      `bulkUpload ${requestId} from app ${auth.appId}: ${counts.queued} queued, ${counts.failed} failed, ` +
        `${counts.skipped} skipped`,
    );
    return {
      status: 202,
      headers: { location: statusUrl, 'request-id': requestId },
      jsonBody: {
        requestId,
        statusUrl,
        operations: operations.map((o) => ({
          bulkId: o.bulkId,
          employeeId: o.employeeId,
          intake: o.intake,
          reason: o.reason,
          warnings: o.warnings,
        })),
      },
    };
  },
});
