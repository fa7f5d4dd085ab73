import type { EventQueue, QueueMessage } from '../../ports/event-queue';

/** EventQueue on the local host's Service Bus emulator (its loopback API under /_local/servicebus). */
export class LocalEventQueue implements EventQueue {
  constructor(private readonly origin: string) {}

  async send(queueName: string, messages: QueueMessage[]): Promise<void> {
    const response = await fetch(`${this.origin}/_local/servicebus/queues/${encodeURIComponent(queueName)}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        messages.map((m) => ({
          messageId: m.messageId,
          sessionId: m.sessionId,
          body: m.body,
          applicationProperties: m.applicationProperties,
          scheduledEnqueueTime: m.scheduledEnqueueTime?.toISOString(),
        })),
      ),
    });
    if (response.status !== 201)
      throw new Error(`local queue refused the messages: ${response.status} ${await response.text()}`);
  }

  async close(): Promise<void> {}
}
