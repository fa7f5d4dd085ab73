import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { enqueueEvents, validateEvents } from '../shared/intake/accept-events';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../shared/intake/webhook-signature';
import { resolveWebhookKeys } from '../shared/intake/webhook-keys';
import { services } from '../shared/services';

/** POST /api/hr/events: signed HR webhook (one event or {events:[...]}) → 202 once queued. */
app.http('hrWebhook', {
  route: 'hr/events',
  methods: ['POST'],
  authLevel: 'anonymous', // authenticated by the HMAC signature, not a function key
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const { config, eventQueue } = services();
    const declared = Number(request.headers.get('content-length') ?? 0);
    if (declared > config.HR_WEBHOOK_MAX_BYTES)
      return { status: 413, jsonBody: { error: `body larger than ${config.HR_WEBHOOK_MAX_BYTES} bytes` } };
    const raw = Buffer.from(await request.arrayBuffer());
    if (raw.length > config.HR_WEBHOOK_MAX_BYTES)
      return { status: 413, jsonBody: { error: `body larger than ${config.HR_WEBHOOK_MAX_BYTES} bytes` } };

    const keys = resolveWebhookKeys(config);
    if (!keys.ok) {
      // Fail closed, and say so to the operator only: the caller retries on 503 and loses nothing.
      context.error(`HR webhook refuses every event: ${keys.reason}`);
      return { status: 503, headers: { 'retry-after': '60' }, jsonBody: { error: 'HR intake is not configured' } };
    }
    const check = verifySignature(
      keys.keys,
      { signature: request.headers.get(SIGNATURE_HEADER), timestamp: request.headers.get(TIMESTAMP_HEADER) },
      raw,
      Math.floor(Date.now() / 1000),
    );
    if (!check.ok) {
      context.warn(`webhook signature refused (${check.reason})`);
      return { status: 401 }; // no detail that helps an attacker
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return { status: 400, jsonBody: { problems: [{ path: '(root)', reason: 'body is not valid JSON' }] } };
    }
    const result = validateEvents(body, 'webhook');
    if (!result.ok) return { status: 400, jsonBody: { problems: result.problems } };
    await enqueueEvents(eventQueue, config.HR_EVENTS_QUEUE, result.events, config.HR_URGENT_EVENTS_QUEUE);
    const origin = new URL(request.url).origin;
    const accepted = result.events.map((e) => ({
      eventId: e.eventId,
      statusUrl: `${origin}/api/persons/${encodeURIComponent(e.worker.employeeId)}`,
    }));
    context.log(`accepted ${accepted.length} HR event(s): ${accepted.map((a) => a.eventId).join(', ')}`);
    // Notices: accepted as sent, but the sender should know (a past leave date is applied at once).
    const notices = result.notices.length ? { notices: result.notices } : {};
    return { status: 202, jsonBody: accepted.length === 1 ? { ...accepted[0], ...notices } : { accepted, ...notices } };
  },
});
