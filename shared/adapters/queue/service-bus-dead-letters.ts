import type { ServiceBusClient, ServiceBusReceivedMessage, ServiceBusReceiver } from '@azure/service-bus';
import { DeadLetterOutOfReachError, type DeadLetter, type DeadLetters } from '../../ports/dead-letters';

/** The part of ServiceBusReceiver this adapter uses (so a scripted receiver can stand in for it in tests). */
export type DeadLetterReceiver = Pick<
  ServiceBusReceiver,
  'peekMessages' | 'receiveMessages' | 'completeMessage' | 'abandonMessage' | 'close'
>;

export interface DeadLetterClient {
  createReceiver(queue: string, options: { subQueueType: 'deadLetter' }): DeadLetterReceiver;
  createSender: ServiceBusClient['createSender'];
}

export interface ServiceBusDeadLettersOptions {
  /** How many dead letters `list` shows, and how deep a replay or discard may reach (messages it locks). */
  maxScan?: number;
  /** Peek page size. */
  pageSize?: number;
  /** How long one receive waits for the first message. */
  maxWaitTimeInMs?: number;
}

const seqOf = (m: ServiceBusReceivedMessage): number => Number(String(m.sequenceNumber));

/**
 * Dead letters on Azure Service Bus: the queue's `$deadletterqueue` sub-queue
 * (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-dead-letter-queues).
 *
 * Listing pages through the sub-queue with peekMessages from a sequence number (a peek locks nothing).
 * Replay and discard must receive a message to settle it, and a dead letter cannot be received by sequence
 * number (receiveDeferredMessages only reaches deferred messages). An abandoned message becomes available
 * again at once, ahead of the rest, so abandoning the ones in the way and receiving again never gets past
 * the first batch. Instead: peek to find how many messages lie before the target, then receive in order,
 * holding the locks of the ones before it until the target is settled, then abandon them all; at most
 * `maxScan` messages are locked (https://learn.microsoft.com/azure/service-bus-messaging/message-browsing,
 * https://learn.microsoft.com/azure/service-bus-messaging/message-transfers-locks-settlement).
 */
export class ServiceBusDeadLetters implements DeadLetters {
  private readonly maxScan: number;
  private readonly pageSize: number;
  private readonly maxWaitTimeInMs: number;

  constructor(
    private readonly client: DeadLetterClient,
    options: ServiceBusDeadLettersOptions = {},
  ) {
    this.maxScan = options.maxScan ?? 1000;
    this.pageSize = options.pageSize ?? 100;
    this.maxWaitTimeInMs = options.maxWaitTimeInMs ?? 2_000;
  }

  private static toDeadLetter(m: ServiceBusReceivedMessage): DeadLetter {
    return {
      sequenceNumber: seqOf(m),
      messageId: String(m.messageId ?? ''),
      sessionId: m.sessionId ?? null,
      body: m.body as unknown,
      enqueuedTime: m.enqueuedTimeUtc?.toISOString() ?? '',
      deliveryCount: m.deliveryCount ?? 0,
      reason: m.deadLetterReason ?? null,
      description: m.deadLetterErrorDescription ?? null,
    };
  }

  private receiver(queue: string): DeadLetterReceiver {
    return this.client.createReceiver(queue, { subQueueType: 'deadLetter' });
  }

  /** Peeks page after page in sequence-number order; `visit` returns true to stop. At most maxScan messages. */
  private async peekAll(receiver: DeadLetterReceiver, visit: (m: ServiceBusReceivedMessage) => boolean) {
    let from: ServiceBusReceivedMessage['sequenceNumber'];
    let seen = 0;
    while (seen < this.maxScan) {
      const page = await receiver.peekMessages(
        Math.min(this.pageSize, this.maxScan - seen),
        from ? { fromSequenceNumber: from } : {},
      );
      if (!page.length) return;
      for (const message of page) {
        seen++;
        if (visit(message)) return;
      }
      // fromSequenceNumber is inclusive: the next page starts after the last message seen.
      from = page.at(-1)!.sequenceNumber!.add(1);
    }
  }

  async list(queue: string): Promise<DeadLetter[]> {
    const receiver = this.receiver(queue);
    try {
      const out: DeadLetter[] = [];
      await this.peekAll(receiver, (m) => {
        out.push(ServiceBusDeadLetters.toDeadLetter(m));
        return false;
      });
      return out;
    } finally {
      await receiver.close();
    }
  }

  /** How many dead letters lie before `sequenceNumber`, or null when it is not there. */
  private async position(receiver: DeadLetterReceiver, sequenceNumber: number, queue: string): Promise<number | null> {
    let before = 0;
    let found = false;
    let last = -1;
    await this.peekAll(receiver, (m) => {
      last = seqOf(m);
      if (last === sequenceNumber) return (found = true);
      // Peeks come in sequence-number order: once past the target, it is not there.
      if (last > sequenceNumber) return true;
      before++;
      return false;
    });
    if (found) return before;
    if (before >= this.maxScan && last < sequenceNumber)
      throw new DeadLetterOutOfReachError(
        `dead letter ${sequenceNumber} on ${queue} lies beyond the first ${this.maxScan}; ` +
          `replay or discard earlier ones first`,
      );
    return null;
  }

  private async take(
    queue: string,
    sequenceNumber: number,
    settle: (m: ServiceBusReceivedMessage) => Promise<void>,
  ): Promise<boolean> {
    const receiver = this.receiver(queue);
    const held: ServiceBusReceivedMessage[] = [];
    try {
      const before = await this.position(receiver, sequenceNumber, queue);
      if (before === null) return false;
      // Receive order follows sequence numbers, but a partitioned queue may interleave: allow some slack.
      const limit = Math.min(this.maxScan, before + 1 + Math.max(10, Math.ceil(before / 10)));
      while (held.length < limit) {
        const batch = await receiver.receiveMessages(Math.min(this.pageSize, limit - held.length), {
          maxWaitTimeInMs: this.maxWaitTimeInMs,
        });
        if (!batch.length) return false; // taken by someone else meanwhile
        const target = batch.find((m) => seqOf(m) === sequenceNumber);
        held.push(...batch.filter((m) => m !== target));
        if (target) {
          await settle(target);
          await receiver.completeMessage(target);
          return true;
        }
      }
      // Not among them: settled by someone else meanwhile (gone), or received out of order beyond the slack.
      if ((await this.position(receiver, sequenceNumber, queue)) === null) return false;
      throw new DeadLetterOutOfReachError(
        `dead letter ${sequenceNumber} on ${queue} was not received among the first ${limit}; try again`,
      );
    } finally {
      // Let go of every message held on the way, in the order received, so they keep their places.
      for (const message of held) await receiver.abandonMessage(message).catch(() => undefined);
      await receiver.close();
    }
  }

  replay(queue: string, sequenceNumber: number): Promise<boolean> {
    return this.take(queue, sequenceNumber, async (message) => {
      const sender = this.client.createSender(queue);
      try {
        await sender.sendMessages({
          body: message.body as unknown,
          sessionId: message.sessionId,
          messageId: `${String(message.messageId)}:replay:${Date.now()}`,
          applicationProperties: { ...message.applicationProperties, replayOf: String(message.messageId) },
        });
      } finally {
        await sender.close();
      }
    });
  }

  discard(queue: string, sequenceNumber: number): Promise<boolean> {
    return this.take(queue, sequenceNumber, async () => {});
  }
}
