import type { ServiceBusReceivedMessage } from '@azure/service-bus';
import type { DeadLetterClient, DeadLetterReceiver } from '../../shared/adapters/queue/service-bus-dead-letters';

/**
 * A dead-letter sub-queue that answers the subset of ServiceBusReceiver the adapter uses the way Azure
 * Service Bus does (https://learn.microsoft.com/azure/service-bus-messaging/message-browsing,
 * https://learn.microsoft.com/azure/service-bus-messaging/message-transfers-locks-settlement):
 * - peekMessages: sequence-number order from `fromSequenceNumber` (inclusive) or from where the last peek on
 *   this receiver stopped; locked messages are peeked too; a page may hold fewer than asked for.
 * - receiveMessages: the available (unlocked) messages in sequence-number order, locked; a batch may hold
 *   fewer than asked for; none available: an empty batch.
 * - abandonMessage: the message is available again at once, at its place ahead of the later ones.
 * - completeMessage / abandonMessage of a message this receiver does not hold: MessageLockLost.
 * Closing a receiver does not release its locks here (in Azure they last until they expire), so a test sees
 * any message the adapter forgot to let go of.
 */
class Seq {
  constructor(readonly value: number) {}
  add(n: number): Seq {
    return new Seq(this.value + n);
  }
  toString(): string {
    return String(this.value);
  }
}

interface Stored {
  seq: number;
  messageId: string;
  sessionId: string;
  body: unknown;
  deliveryCount: number;
  lockedBy: number | null;
}

export class ScriptedDeadLetterQueue implements DeadLetterClient {
  readonly messages: Stored[] = [];
  readonly sent: { body: unknown; sessionId?: string; messageId?: unknown; applicationProperties?: unknown }[] = [];
  readonly calls = { peek: 0, receive: 0, complete: 0, abandon: 0 };
  private receivers = 0;

  constructor(
    count: number,
    private readonly limits = { peekPage: 40, receiveBatch: 20, maxReceiveCalls: 500 },
  ) {
    // Dead letters keep the sequence numbers they had; gaps are normal (completed messages in between).
    for (let i = 0; i < count; i++)
      this.messages.push({
        seq: 1000 + i * 3,
        messageId: `e${i}`,
        sessionId: `P${i % 7}`,
        body: { eventId: `e${i}` },
        deliveryCount: 10,
        lockedBy: null,
      });
  }

  seqAt(index: number): number {
    return this.messages[index]!.seq;
  }

  locked(): number[] {
    return this.messages.filter((m) => m.lockedBy !== null).map((m) => m.seq);
  }

  private view(m: Stored, lockToken?: string): ServiceBusReceivedMessage {
    return {
      sequenceNumber: new Seq(m.seq),
      messageId: m.messageId,
      sessionId: m.sessionId,
      body: m.body,
      deliveryCount: m.deliveryCount,
      enqueuedTimeUtc: new Date('2026-11-25T10:00:00Z'),
      deadLetterReason: 'MaxDeliveryCountExceeded',
      deadLetterErrorDescription: "Message couldn't be consumed after maximum delivery attempts.",
      applicationProperties: {},
      lockToken,
    } as unknown as ServiceBusReceivedMessage;
  }

  createReceiver(_queue: string, options: { subQueueType: 'deadLetter' }): DeadLetterReceiver {
    if (options.subQueueType !== 'deadLetter') throw new Error('scripted queue: only the dead-letter sub-queue');
    const id = ++this.receivers;
    let cursor = 0;
    const held = (message: ServiceBusReceivedMessage): Stored => {
      const stored = this.messages.find((m) => m.seq === Number(String(message.sequenceNumber)));
      if (!stored || stored.lockedBy !== id)
        throw Object.assign(new Error('The lock supplied is invalid.'), { code: 'MessageLockLost' });
      return stored;
    };
    const receiver = {
      peekMessages: async (max: number, options?: { fromSequenceNumber?: { toString(): string } }) => {
        this.calls.peek++;
        const from = options?.fromSequenceNumber ? Number(options.fromSequenceNumber.toString()) : cursor;
        const page = this.messages.filter((m) => m.seq >= from).slice(0, Math.min(max, this.limits.peekPage));
        if (page.length) cursor = page.at(-1)!.seq + 1;
        return page.map((m) => this.view(m));
      },
      receiveMessages: async (max: number) => {
        if (++this.calls.receive > this.limits.maxReceiveCalls) throw new Error('scripted queue: runaway receive loop');
        const batch = this.messages
          .filter((m) => m.lockedBy === null)
          .slice(0, Math.min(max, this.limits.receiveBatch));
        for (const m of batch) {
          m.lockedBy = id;
          m.deliveryCount++;
        }
        return batch.map((m) => this.view(m, `lock-${m.seq}`));
      },
      completeMessage: async (message: ServiceBusReceivedMessage) => {
        this.calls.complete++;
        const stored = held(message);
        this.messages.splice(this.messages.indexOf(stored), 1);
      },
      abandonMessage: async (message: ServiceBusReceivedMessage) => {
        this.calls.abandon++;
        held(message).lockedBy = null;
      },
      close: async () => {},
    };
    return receiver;
  }

  createSender(): ReturnType<DeadLetterClient['createSender']> {
    const sender = {
      sendMessages: async (message: ScriptedDeadLetterQueue['sent'][number]) => void this.sent.push(message),
      close: async () => {},
    };
    return sender as unknown as ReturnType<DeadLetterClient['createSender']>;
  }
}
