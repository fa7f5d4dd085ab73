import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { withRecordedFailures } from '../shared/adapters/queue/recorded-failures';
import { DeadLetterOutOfReachError } from '../shared/ports/dead-letters';
import { services } from '../shared/services';

/**
 * GET /api/ops/dead-letters: HR events that could not be processed. `reason`/`description` are what Service
 * Bus recorded (MaxDeliveryCountExceeded); `failure` is the error the processor recorded when it failed.
 */
app.http('opsDeadLetters', {
  route: 'ops/dead-letters',
  methods: ['GET'],
  authLevel: 'admin',
  handler: async (): Promise<HttpResponseInit> => {
    const { config, deadLetters, auditLog } = services();
    const queue = config.HR_EVENTS_QUEUE;
    return { jsonBody: { queue, value: await withRecordedFailures(queue, await deadLetters.list(queue), auditLog) } };
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
    let done: boolean;
    try {
      done =
        request.method === 'POST'
          ? await deadLetters.replay(config.HR_EVENTS_QUEUE, sequenceNumber)
          : await deadLetters.discard(config.HR_EVENTS_QUEUE, sequenceNumber);
    } catch (error) {
      if (error instanceof DeadLetterOutOfReachError) return { status: 409, jsonBody: { error: error.message } };
      throw error;
    }
    if (!done)
      return { status: 404, jsonBody: { error: `no dead letter ${sequenceNumber} on ${config.HR_EVENTS_QUEUE}` } };
    return { status: request.method === 'POST' ? 202 : 204 };
  },
});
