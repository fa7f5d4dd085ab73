import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { describeIssues, HrEvent } from '../shared/domain/hr-event';
import {
  HR_EVENT_NAME,
  PERSON_ORCHESTRATION,
  personInstanceId,
  ReevaluateRequest,
} from '../shared/domain/person-contract';
import { DeliveryMetadata, processingFailure } from '../shared/adapters/queue/recorded-failures';
import { eventPriority } from '../shared/intake/event-priority';
import { services } from '../shared/services';
import type { PersonInput } from './orchestrations/person';

/**
 * Service Bus trigger on the HR events queue (sessions: one person's events in order). Re-validates the
 * event, appends it to the person's inbox, starts the person's orchestration if it is not running, and
 * wakes it. A throw abandons the message; after maxDeliveryCount Service Bus dead-letters it with reason
 * MaxDeliveryCountExceeded, not the error, so each failure is first written to the audit trail, where the
 * ops view of dead letters reads it (shared/adapters/queue/recorded-failures.ts).
 */
app.serviceBusQueue('hrEventProcessor', {
  queueName: '%HR_EVENTS_QUEUE%',
  connection: 'ServiceBusConnection',
  isSessionsEnabled: true,
  extraInputs: [df.input.durableClient()],
  handler: handlerFor(() => services().config.HR_EVENTS_QUEUE),
});

/**
 * The urgent lane (immediate terminations, rescinds: shared/intake/event-priority.ts): its own queue and
 * trigger, so the Functions host serves it beside the bulk queue and a backlog of hires cannot delay it
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-service-bus-trigger: each trigger
 * gets its own message pump; the priority queue pattern,
 * https://learn.microsoft.com/azure/architecture/patterns/priority-queue). Registered only where the queue is
 * configured (Azure); without it urgent events stay in HR_EVENTS_QUEUE and the local queue serves them first.
 */
if (process.env.HR_URGENT_EVENTS_QUEUE) {
  app.serviceBusQueue('hrUrgentEventProcessor', {
    queueName: '%HR_URGENT_EVENTS_QUEUE%',
    connection: 'ServiceBusConnection',
    isSessionsEnabled: true,
    extraInputs: [df.input.durableClient()],
    handler: handlerFor(() => services().config.HR_URGENT_EVENTS_QUEUE ?? services().config.HR_EVENTS_QUEUE),
  });
}

function handlerFor(queueName: () => string) {
  return async (message: unknown, context: InvocationContext): Promise<void> => {
    try {
      await processHrMessage(message, context);
    } catch (error) {
      const delivery = DeliveryMetadata.safeParse(context.triggerMetadata);
      if (delivery.success) {
        await services()
          .auditLog.append([processingFailure(queueName(), delivery.data, error)])
          .catch((auditError: unknown) => context.warn(`failure not recorded: ${String(auditError)}`));
      }
      throw error;
    }
  };
}

async function processHrMessage(message: unknown, context: InvocationContext): Promise<void> {
  const client = df.getClient(context);
  const reevaluate = ReevaluateRequest.safeParse(message);
  if (reevaluate.success) {
    // Policy re-evaluation (admin): into a running lifecycle's inbox, in order with the HR events.
    const { employeeId, requestId } = reevaluate.data;
    const seq = await services().personInbox.append(employeeId, requestId, reevaluate.data);
    await client.raiseEvent(personInstanceId(employeeId), HR_EVENT_NAME, { seq }).catch((error: unknown) => {
      // No running lifecycle (purged since the request was queued): nothing to re-evaluate.
      context.warn(
        `re-evaluation ${requestId} for ${employeeId} not delivered: ` +
          (error instanceof Error ? error.message : String(error)),
      );
    });
    return;
  }
  const parsed = HrEvent.safeParse(message);
  if (!parsed.success) {
    throw new Error(
      `invalid HR event: ${describeIssues(parsed.error)
        .map((p) => `${p.path}: ${p.reason}`)
        .join('; ')}`,
    );
  }
  const event = parsed.data;
  const instanceId = personInstanceId(event.worker.employeeId);
  let status: df.DurableOrchestrationStatus | undefined;
  try {
    status = await client.getStatus(instanceId, { showInput: false });
  } catch {
    status = undefined; // 404: never started
  }
  // The inbox is the record; the raised event only wakes the orchestration (see ports/person-inbox.ts).
  const seq = await services().personInbox.append(event.worker.employeeId, event.eventId, event);
  const running =
    status && ['Pending', 'Running', 'Suspended', 'ContinuedAsNew'].includes(String(status.runtimeStatus));
  // A lifecycle started here reads its inbox from this message on: waking it too would only add an event it drops.
  let started = false;
  if (!running) {
    try {
      // A first start, or a restart after a failure or termination: begin at this message, never replay
      // the person's older messages (their effects are in the directory and the audit trail already), and
      // carry on from the state the stopped lifecycle last started a turn with.
      // The stopped run's input (its state) is read only here, off the path of every other event.
      const previous = status
        ? ((await client.getStatus(instanceId, { showInput: true })).input as PersonInput | undefined)
        : undefined;
      await client.startNew(PERSON_ORCHESTRATION, {
        instanceId,
        input: {
          employeeId: event.worker.employeeId,
          inboxSeq: seq - 1,
          ...(previous?.state ? { state: previous.state } : {}),
        } satisfies PersonInput,
      });
      started = true;
      if (status) {
        // What the stopped run had not handled is skipped, on the record: it stays in the inbox to look at.
        const from = (previous?.inboxSeq ?? 0) + 1;
        await services().auditLog.append([
          {
            at: new Date().toISOString(),
            actor: 'entra-jml',
            action: 'lifecycle.restart',
            employeeId: event.worker.employeeId,
            target: 'entra-jml',
            outcome: from < seq ? 'failure' : 'success',
            reason:
              `the lifecycle was ${String(status.runtimeStatus)}` +
              (from < seq ? `; inbox messages ${from}..${seq - 1} were not applied` : ''),
            before: { runtimeStatus: String(status.runtimeStatus), inboxSeq: previous?.inboxSeq ?? 0 },
            after: { inboxSeq: seq - 1 },
            correlation: { eventId: event.eventId, instanceId },
          },
        ]);
      }
    } catch (error) {
      // Another delivery may have started it a moment ago: waking it below is still right.
      context.warn(`startNew ${instanceId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // An urgent event wakes the lifecycle with a priority hint: the local durable engine runs it and its
  // sub-orchestrations before the bulk backlog (local/durable/engine.ts eventPriority); Azure ignores it.
  const urgent = eventPriority(event) === 'urgent';
  if (!started || urgent)
    await client.raiseEvent(instanceId, HR_EVENT_NAME, urgent ? { seq, priority: 'urgent' } : { seq });
  await services().auditLog.append([
    {
      at: new Date().toISOString(),
      actor: `hr-${event.source}`,
      action: `hr-event.${event.type}`,
      employeeId: event.worker.employeeId,
      target: 'entra-jml',
      outcome: 'success',
      reason: `received through ${event.source}, delivered to ${instanceId}`,
      before: null,
      after: null,
      correlation: { eventId: event.eventId, instanceId },
    },
  ]);
  context.log(`HR event ${event.eventId} (${event.type}) delivered to ${instanceId}`);
}
