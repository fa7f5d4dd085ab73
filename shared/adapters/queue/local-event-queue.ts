import type { EventQueue, QueueMessage } from '../../ports/event-queue';
import { localQueueLink, type LocalQueueAnswer } from './local-queue-link';
import { splitIntoSends } from './send-size';

/**
 * EventQueue on the local host's Service Bus emulator: in the same process when the app runs inside that host
 * (see local-queue-link.ts), else through its loopback API under /_local/servicebus.
 */
export class LocalEventQueue implements EventQueue {
  constructor(private readonly origin: string) {}

  /** Sends that fit the Service Bus batch limit, as many as needed; resolves once all are stored. */
  async send(queueName: string, messages: QueueMessage[]): Promise<void> {
    await Promise.all(splitIntoSends(messages).map((part) => this.sendOne(queueName, part)));
  }

  private async sendOne(queueName: string, messages: QueueMessage[]): Promise<void> {
    const payload = messages.map((m) => ({
      messageId: m.messageId,
      sessionId: m.sessionId,
      body: m.body,
      applicationProperties: m.applicationProperties,
      scheduledEnqueueTime: m.scheduledEnqueueTime?.toISOString(),
    }));
    const link = localQueueLink(this.origin);
    const answer = link ? await link.send(queueName, payload) : await this.post(queueName, payload);
    if (answer.status !== 201)
      throw new Error(
        `local queue refused the messages: ${answer.status} ` +
          (typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)),
      );
  }

  /** The loopback API, for an app that runs outside the host (a tool, another process). */
  private async post(queueName: string, payload: unknown): Promise<LocalQueueAnswer> {
    const response = await fetch(`${this.origin}/_local/servicebus/queues/${encodeURIComponent(queueName)}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    return { status: response.status, body: await response.text() };
  }

  async close(): Promise<void> {}
}
