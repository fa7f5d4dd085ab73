import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { describeIssues } from '../shared/domain/hr-event';
import { enqueueEvents } from '../shared/intake/accept-events';
import { csvToEvents, parseMapping } from '../shared/intake/csv-import';
import { services } from '../shared/services';

const Body = z
  .object({
    csv: z.string().min(1),
    mapping: z.string().min(1),
    fileName: z.string().max(200).default('upload.csv'),
    dryRun: z.boolean().default(false),
  })
  .strict();

/**
 * POST /api/hr/csv (function key): an HR extract over HTTP, {csv, mapping (YAML), fileName?, dryRun?}.
 * Every row is validated first; one bad row refuses the whole file with line numbers, nothing queued.
 */
app.http('hrCsvUpload', {
  route: 'hr/csv',
  methods: ['POST'],
  authLevel: 'function',
  handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
    const { config, eventQueue } = services();
    const raw = Buffer.from(await request.arrayBuffer());
    if (raw.length > config.HR_WEBHOOK_MAX_BYTES * 10) return { status: 413 };
    let body: z.infer<typeof Body>;
    try {
      body = Body.parse(JSON.parse(raw.toString('utf8')));
    } catch (error) {
      const problems =
        error instanceof z.ZodError ? describeIssues(error) : [{ path: '(root)', reason: 'body is not valid JSON' }];
      return { status: 400, jsonBody: { problems } };
    }
    let result;
    try {
      result = csvToEvents(body.csv, parseMapping(body.mapping), body.fileName);
    } catch (error) {
      return {
        status: 400,
        jsonBody: { problems: [{ path: 'mapping', reason: error instanceof Error ? error.message : String(error) }] },
      };
    }
    if (result.problems.length) return { status: 400, jsonBody: { rows: result.rows, problems: result.problems } };
    if (body.dryRun) return { status: 200, jsonBody: { rows: result.rows, events: result.events } };
    for (let i = 0; i < result.events.length; i += 100)
      await enqueueEvents(eventQueue, config.HR_EVENTS_QUEUE, result.events.slice(i, i + 100));
    return { status: 202, jsonBody: { rows: result.rows, accepted: result.events.map((e) => e.eventId) } };
  },
});
