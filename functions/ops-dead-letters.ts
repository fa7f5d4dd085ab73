import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { withRecordedFailures } from '../shared/adapters/queue/recorded-failures';
import { DeadLetterOutOfReachError } from '../shared/ports/dead-letters';
import { readReason } from '../shared/ops/reason';
import type { OpsCaller } from '../shared/ops/actor';
import { services } from '../shared/services';
import { opsRoute } from './ops-route';

/**
 * GET /api/ops/dead-letters: HR events that could not be processed. `reason`/`description` are what Service
 * Bus recorded (MaxDeliveryCountExceeded); `failure` is the error the processor recorded when it failed.
 */
opsRoute('opsDeadLetters', {
  route: 'ops/dead-letters',
  methods: ['GET'],
  handler: async (): Promise<HttpResponseInit> => {
    const { config, deadLetters, auditLog } = services();
    const queue = config.HR_EVENTS_QUEUE;
    return { jsonBody: { queue, value: await withRecordedFailures(queue, await deadLetters.list(queue), auditLog) } };
  },
});

/**
 * Replay puts the dead letter back on the queue (`{reason}` optional); discard removes it for good, so who and why
 * must be on the record (`{reason}` required). Both are audited.
 */
async function settle(request: HttpRequest, caller: OpsCaller, replay: boolean): Promise<HttpResponseInit> {
  const { config, deadLetters, auditLog } = services();
  const queue = config.HR_EVENTS_QUEUE;
  const sequenceNumber = Number(request.params.sequenceNumber);
  const reason = await readReason(request, { required: !replay });
  if (!reason.ok) return { status: 400, jsonBody: { problems: [reason.problem] } };
  const letter = (await deadLetters.list(queue)).find((d) => d.sequenceNumber === sequenceNumber);
  let done: boolean;
  try {
    done = replay ? await deadLetters.replay(queue, sequenceNumber) : await deadLetters.discard(queue, sequenceNumber);
  } catch (error) {
    if (error instanceof DeadLetterOutOfReachError) return { status: 409, jsonBody: { error: error.message } };
    throw error;
  }
  if (!done) return { status: 404, jsonBody: { error: `no dead letter ${sequenceNumber} on ${queue}` } };
  await auditLog.append([
    {
      at: new Date().toISOString(),
      actor: caller.actor,
      action: replay ? 'dead-letter.replay' : 'dead-letter.discard',
      employeeId: letter?.sessionId ?? null,
      target: `servicebus:${queue}`,
      outcome: 'success',
      reason: reason.value,
      before: letter
        ? { sequenceNumber, messageId: letter.messageId, reason: letter.reason, enqueuedTime: letter.enqueuedTime }
        : { sequenceNumber },
      after: { status: replay ? 'replayed' : 'discarded' },
      correlation: { eventId: letter?.messageId },
    },
  ]);
  return { status: replay ? 202 : 204 };
}

/** POST /api/ops/dead-letters/{sequenceNumber}/replay: back onto the queue. */
opsRoute('opsDeadLetterReplay', {
  route: 'ops/dead-letters/{sequenceNumber:long}/replay',
  methods: ['POST'],
  handler: (request: HttpRequest, _context: InvocationContext, caller: OpsCaller) => settle(request, caller, true),
});

/** DELETE /api/ops/dead-letters/{sequenceNumber} with `{reason}`: discard. */
opsRoute('opsDeadLetterDiscard', {
  route: 'ops/dead-letters/{sequenceNumber:long}',
  methods: ['DELETE'],
  handler: (request: HttpRequest, _context: InvocationContext, caller: OpsCaller) => settle(request, caller, false),
});
