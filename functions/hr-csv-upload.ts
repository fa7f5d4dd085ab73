import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { describeIssues } from '../shared/domain/hr-event';
import { enqueueEvents } from '../shared/intake/accept-events';
import { csvToEventsInSlices, decodeCsv, parseMapping } from '../shared/intake/csv-import';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../shared/intake/webhook-signature';
import { resolveWebhookKeys } from '../shared/intake/webhook-keys';
import { services } from '../shared/services';

const Body = z
  .object({
    /** The file as text, or its bytes in base64 (then the encoding is detected: UTF-8 or UTF-16 with BOM). */
    csv: z.string().min(1).optional(),
    csvBase64: z.base64().min(1).optional(),
    mapping: z.string().min(1),
    fileName: z.string().max(200).default('upload.csv'),
    dryRun: z.boolean().default(false),
  })
  .strict()
  .refine((body) => (body.csv === undefined) !== (body.csvBase64 === undefined), {
    path: ['csv'],
    message: 'send the file as csv (text) or csvBase64 (bytes), one of them',
  });

/**
 * POST /api/hr/csv: an HR extract over HTTP, {csv | csvBase64, mapping (YAML), fileName?, dryRun?}.
 * It creates HR events, so it is signed exactly like the webhook (x-entra-jml-timestamp and
 * x-entra-jml-signature over the raw body, HR_WEBHOOK_SECRETS): a function key alone is not enough, and with
 * no keys configured on the host the door is still closed to unsigned requests.
 * Every row is validated first; one bad row refuses the whole file with line numbers, nothing queued.
 */
app.http('hrCsvUpload', {
  route: 'hr/csv',
  methods: ['POST'],
  authLevel: 'anonymous', // authenticated by the HMAC signature, as the webhook
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const { config, eventQueue } = services();
    const limit = config.HR_WEBHOOK_MAX_BYTES * 10;
    if (Number(request.headers.get('content-length') ?? 0) > limit)
      return { status: 413, jsonBody: { error: `body larger than ${limit} bytes` } };
    const raw = Buffer.from(await request.arrayBuffer());
    if (raw.length > limit) return { status: 413, jsonBody: { error: `body larger than ${limit} bytes` } };
    const keys = resolveWebhookKeys(config);
    if (!keys.ok) {
      context.error(`HR CSV door refuses every file: ${keys.reason}`);
      return { status: 503, headers: { 'retry-after': '60' }, jsonBody: { error: 'HR intake is not configured' } };
    }
    const check = verifySignature(
      keys.keys,
      { signature: request.headers.get(SIGNATURE_HEADER), timestamp: request.headers.get(TIMESTAMP_HEADER) },
      raw,
      Math.floor(Date.now() / 1000),
    );
    if (!check.ok) {
      context.warn(`CSV upload signature refused (${check.reason})`);
      return { status: 401 };
    }
    let body: z.infer<typeof Body>;
    try {
      body = Body.parse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw)));
    } catch (error) {
      const problems =
        error instanceof z.ZodError
          ? describeIssues(error)
          : [{ path: '(root)', reason: 'body is not valid JSON in UTF-8' }];
      return { status: 400, jsonBody: { problems } };
    }
    let text = body.csv;
    if (text === undefined) {
      const decoded = decodeCsv(Buffer.from(body.csvBase64!, 'base64'));
      if (!decoded.ok) return { status: 400, jsonBody: { rows: 0, problems: [decoded.problem] } };
      text = decoded.text;
    }
    let result;
    try {
      result = await csvToEventsInSlices(text, parseMapping(body.mapping), body.fileName);
    } catch (error) {
      return {
        status: 400,
        jsonBody: { problems: [{ path: 'mapping', reason: error instanceof Error ? error.message : String(error) }] },
      };
    }
    if (result.problems.length) return { status: 400, jsonBody: { rows: result.rows, problems: result.problems } };
    const notices = result.notices.length ? { notices: result.notices } : {};
    if (body.dryRun) return { status: 200, jsonBody: { rows: result.rows, events: result.events, ...notices } };
    for (let i = 0; i < result.events.length; i += 100)
      await enqueueEvents(
        eventQueue,
        config.HR_EVENTS_QUEUE,
        result.events.slice(i, i + 100),
        config.HR_URGENT_EVENTS_QUEUE,
      );
    return { status: 202, jsonBody: { rows: result.rows, accepted: result.events.map((e) => e.eventId), ...notices } };
  },
});
