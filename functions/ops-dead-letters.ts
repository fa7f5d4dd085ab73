import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { services } from '../shared/services';

/** GET /api/ops/dead-letters: HR events that could not be processed, with the reason. */
app.http('opsDeadLetters', {
  route: 'ops/dead-letters',
  methods: ['GET'],
  authLevel: 'admin',
  handler: async (): Promise<HttpResponseInit> => {
    const { config, deadLetters } = services();
    return { jsonBody: { queue: config.HR_EVENTS_QUEUE, value: await deadLetters.list(config.HR_EVENTS_QUEUE) } };
  },
});

/** POST /api/ops/dead-letters/{sequenceNumber}/replay (back onto the queue) or DELETE (discard). */
app.http('opsDeadLetter', {
  route: 'ops/dead-letters/{sequenceNumber:long}/{action:regex(^replay$)?}',
  methods: ['POST', 'DELETE'],
  authLevel: 'admin',
  handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
    const { config, deadLetters } = services();
    const sequenceNumber = Number(request.params.sequenceNumber);
    if (request.method === 'POST' && request.params.action !== 'replay') return { status: 404 };
    if (request.method === 'DELETE' && request.params.action) return { status: 404 };
    const done =
      request.method === 'POST'
        ? await deadLetters.replay(config.HR_EVENTS_QUEUE, sequenceNumber)
        : await deadLetters.discard(config.HR_EVENTS_QUEUE, sequenceNumber);
    if (!done)
      return { status: 404, jsonBody: { error: `no dead letter ${sequenceNumber} on ${config.HR_EVENTS_QUEUE}` } };
    return { status: request.method === 'POST' ? 202 : 204 };
  },
});
