import { z } from 'zod';
import type { AuditLog, AuditRecord } from '../../ports/audit-log';
import type { DeadLetter, DeadLetterView, RecordedFailure } from '../../ports/dead-letters';

/**
 * The processor's own record of why a queued message failed, in the audit trail, written each time it fails.
 * In Azure, Service Bus dead-letters a message the Functions host kept abandoning with reason
 * MaxDeliveryCountExceeded and a fixed description, not the error
 * (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-dead-letter-queues): the error is
 * known only to the processor, so it writes it down when it happens, and the ops view of dead letters
 * reads it back from here, the same way locally and in Azure.
 */
const PROCESSING_FAILED = 'hr-event.processing-failed';

/** What the Service Bus trigger tells about a delivery (InvocationContext.triggerMetadata, camel-cased). */
export const DeliveryMetadata = z.object({
  messageId: z.string().min(1),
  sessionId: z.string().nullish(),
  deliveryCount: z.coerce.number().int().nullish(),
});
export type DeliveryMetadata = z.infer<typeof DeliveryMetadata>;

/** Audit target of these records: the queue, so they are found without reading a person's whole trail. */
const queueTarget = (queue: string): string => `servicebus:${queue}`;

export function processingFailure(
  queue: string,
  delivery: DeliveryMetadata,
  error: unknown,
  at = new Date(),
): AuditRecord {
  return {
    at: at.toISOString(),
    actor: 'entra-jml',
    action: PROCESSING_FAILED,
    employeeId: delivery.sessionId || null,
    target: queueTarget(queue),
    outcome: 'failure',
    reason: (error instanceof Error ? error.message : String(error)).slice(0, 4096),
    before: null,
    after: { messageId: delivery.messageId, deliveryCount: delivery.deliveryCount ?? null },
    correlation: { eventId: delivery.messageId },
  };
}

const FailureAfter = z.object({ messageId: z.string(), deliveryCount: z.number().nullable() });

/** Each dead letter with the last failure the processor recorded for its message id (null: none recorded). */
export async function withRecordedFailures(
  queue: string,
  deadLetters: DeadLetter[],
  audit: AuditLog,
): Promise<DeadLetterView[]> {
  const bySession = new Map<string | null, Promise<AuditRecord[]>>();
  const failuresOf = (sessionId: string | null) => {
    let found = bySession.get(sessionId);
    if (!found) {
      found = audit.query({ employeeId: sessionId ?? undefined, target: queueTarget(queue), limit: 10_000 });
      bySession.set(sessionId, found);
    }
    return found;
  };
  return Promise.all(
    deadLetters.map(async (deadLetter) => {
      let failure: RecordedFailure | null = null;
      for (const record of await failuresOf(deadLetter.sessionId)) {
        const after = FailureAfter.safeParse(record.after);
        if (record.action !== PROCESSING_FAILED || !after.success || after.data.messageId !== deadLetter.messageId)
          continue;
        // Records come oldest first: the last one is the failure that dead-lettered it.
        failure = { at: record.at, reason: record.reason ?? '', deliveryCount: after.data.deliveryCount };
      }
      return { ...deadLetter, failure };
    }),
  );
}
