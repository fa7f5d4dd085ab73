import { z } from 'zod';
import type { DeadLetter, DeadLetters } from '../../ports/dead-letters';

const StoredDeadLetter = z.object({
  sequenceNumber: z.number(),
  messageId: z.string(),
  sessionId: z.string().nullable(),
  body: z.string(),
  enqueuedTime: z.string(),
  deliveryCount: z.number(),
  deadLetterReason: z.string().nullable(),
  deadLetterErrorDescription: z.string().nullable(),
});

/** Dead letters of the local host's queue emulator (its loopback API). */
export class LocalDeadLetters implements DeadLetters {
  constructor(private readonly origin: string) {}

  private url(queue: string, suffix = ''): string {
    return `${this.origin}/_local/servicebus/queues/${encodeURIComponent(queue)}/deadletters${suffix}`;
  }

  async list(queue: string): Promise<DeadLetter[]> {
    const body = z.object({ value: z.array(StoredDeadLetter) }).parse(await (await fetch(this.url(queue))).json());
    return body.value.map((m) => {
      let parsed: unknown = m.body;
      try {
        parsed = JSON.parse(m.body);
      } catch {
        // not JSON: keep the text
      }
      return {
        sequenceNumber: m.sequenceNumber,
        messageId: m.messageId,
        sessionId: m.sessionId,
        body: parsed,
        enqueuedTime: m.enqueuedTime,
        deliveryCount: m.deliveryCount,
        reason: m.deadLetterReason,
        description: m.deadLetterErrorDescription,
      };
    });
  }

  async replay(queue: string, sequenceNumber: number): Promise<boolean> {
    return (await fetch(this.url(queue, `/${sequenceNumber}/replay`), { method: 'POST' })).status === 202;
  }

  async discard(queue: string, sequenceNumber: number): Promise<boolean> {
    return (await fetch(this.url(queue, `/${sequenceNumber}`), { method: 'DELETE' })).status === 204;
  }
}
