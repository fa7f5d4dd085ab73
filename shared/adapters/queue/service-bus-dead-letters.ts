import type { ServiceBusClient, ServiceBusReceivedMessage } from '@azure/service-bus';
import type { DeadLetter, DeadLetters } from '../../ports/dead-letters';

/**
 * Dead letters on Azure Service Bus: the queue's `$deadletterqueue` sub-queue
 * (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-dead-letter-queues). Listing peeks;
 * replay sends a copy to the main queue (new message id, same session) then completes the dead letter.
 */
export class ServiceBusDeadLetters implements DeadLetters {
  constructor(private readonly client: ServiceBusClient) {}

  private static toDeadLetter(m: ServiceBusReceivedMessage): DeadLetter {
    return {
      sequenceNumber: Number(m.sequenceNumber ?? 0),
      messageId: String(m.messageId ?? ''),
      sessionId: m.sessionId ?? null,
      body: m.body as unknown,
      enqueuedTime: m.enqueuedTimeUtc?.toISOString() ?? '',
      deliveryCount: m.deliveryCount ?? 0,
      reason: m.deadLetterReason ?? null,
      description: m.deadLetterErrorDescription ?? null,
    };
  }

  async list(queue: string): Promise<DeadLetter[]> {
    const receiver = this.client.createReceiver(queue, { subQueueType: 'deadLetter' });
    try {
      return (await receiver.peekMessages(250)).map(ServiceBusDeadLetters.toDeadLetter);
    } finally {
      await receiver.close();
    }
  }

  private async take(
    queue: string,
    sequenceNumber: number,
    settle: (m: ServiceBusReceivedMessage) => Promise<void>,
  ): Promise<boolean> {
    const receiver = this.client.createReceiver(queue, { subQueueType: 'deadLetter' });
    try {
      for (;;) {
        const batch = await receiver.receiveMessages(50, { maxWaitTimeInMs: 2_000 });
        if (!batch.length) return false;
        for (const message of batch) {
          if (Number(message.sequenceNumber) === sequenceNumber) {
            await settle(message);
            await receiver.completeMessage(message);
            return true;
          }
          await receiver.abandonMessage(message);
        }
      }
    } finally {
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
