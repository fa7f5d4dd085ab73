import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { enqueueEvents, validateEvents } from '../shared/intake/accept-events';
import { verifyBearer } from '../shared/intake/bearer-token';
import { describeIssues } from '../shared/domain/hr-event';
import { loadMapping, type Expression } from '../shared/intake/attribute-mapping';
import { BulkRequest, completeFromDirectory, toHrEvent } from '../shared/intake/bulk-upload';
import { services } from '../shared/services';

/**
 * POST /api/hr/bulkUpload: the Entra API-driven inbound provisioning endpoint's contract, so HR connectors
 * written for Graph's /bulkUpload can point here. 400 without `Content-Type: application/scim+json` (as
 * Graph answers), 401 on a bad token, 202 + Location once every operation is queued.
 */
let mapping: Record<string, Expression> | undefined | null = null;
function configuredMapping(file: string | undefined): Record<string, Expression> | undefined {
  if (mapping === null) mapping = file ? loadMapping(file) : undefined;
  return mapping;
}

app.http('hrBulkUpload', {
  route: 'hr/bulkUpload',
  methods: ['POST'],
  authLevel: 'anonymous', // authenticated by the Entra bearer token
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const { config, eventQueue } = services();
    const auth = await verifyBearer(request.headers.get('authorization'), config);
    if (!auth.ok) {
      context.warn(`bulkUpload token refused: ${auth.reason}`);
      return {
        status: 401,
        jsonBody: { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty or invalid.' } },
      };
    }
    if (!/^application\/scim\+json\b/i.test(request.headers.get('content-type') ?? '')) {
      return {
        status: 400,
        jsonBody: { problems: [{ path: 'Content-Type', reason: 'must be application/scim+json' }] },
      };
    }
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
    const bulkIds = bulk.data.Operations.map((o) => o.bulkId);
    const dup = bulkIds.find((id, i) => bulkIds.indexOf(id) !== i);
    if (dup)
      return { status: 400, jsonBody: { problems: [{ path: 'Operations', reason: `bulkId ${dup} is not unique` }] } };
    const now = new Date();
    const fieldMapping = configuredMapping(config.BULK_UPLOAD_MAPPING_FILE);
    // Match each operation to its user (read-only) so partial updates keep the attributes they leave out.
    const mapped = bulk.data.Operations.map((o) => toHrEvent(o, now, fieldMapping));
    const matched = await Promise.all(
      mapped.map((e) => services().directory.findUserByEmployeeId(e.worker.employeeId)),
    );
    const result = validateEvents(
      { events: mapped.map((e, i) => completeFromDirectory(e, matched[i] ?? null, now)) },
      'bulkUpload',
    );
    if (!result.ok)
      return {
        status: 400,
        jsonBody: {
          problems: result.problems.map((p) => ({ ...p, path: p.path.replace(/^events\./, 'Operations.') })),
        },
      };
    await enqueueEvents(eventQueue, config.HR_EVENTS_QUEUE, result.events);
    const origin = new URL(request.url).origin;
    context.log(`bulkUpload from app ${auth.appId}: ${result.events.length} operation(s) queued`);
    return {
      status: 202,
      headers: { location: `${origin}/api/persons/${encodeURIComponent(result.events[0]!.worker.employeeId)}` },
      jsonBody: {
        operations: result.events.map((e, i) => ({
          bulkId: bulkIds[i],
          eventId: e.eventId,
          statusUrl: `${origin}/api/persons/${encodeURIComponent(e.worker.employeeId)}`,
        })),
      },
    };
  },
});
