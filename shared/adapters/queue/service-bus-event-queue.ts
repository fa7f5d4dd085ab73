import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { ServiceBusClient, type ServiceBusSender } from '@azure/service-bus';
import type { EventQueue, QueueMessage } from '../../ports/event-queue';

/**
 * EventQueue on Azure Service Bus: sessionId keeps one person's events in order, messageId feeds
 * duplicate detection. `sendMessages` resolves once Service Bus has stored the batch.
 */
export class ServiceBusEventQueue implements EventQueue {
  private readonly senders = new Map<string, ServiceBusSender>();

  constructor(readonly client: ServiceBusClient) {}

  static fromConnection(options: {
    connectionString?: string;
    fullyQualifiedNamespace?: string;
    clientId?: string;
  }): ServiceBusEventQueue {
    if (options.connectionString) return new ServiceBusEventQueue(new ServiceBusClient(options.connectionString));
    const credential = options.clientId
      ? new ManagedIdentityCredential({ clientId: options.clientId })
      : new DefaultAzureCredential();
    return new ServiceBusEventQueue(new ServiceBusClient(options.fullyQualifiedNamespace!, credential));
  }

  async send(queueName: string, messages: QueueMessage[]): Promise<void> {
    let sender = this.senders.get(queueName);
    if (!sender) {
      sender = this.client.createSender(queueName);
      this.senders.set(queueName, sender);
    }
    const toSend = messages.map((m) => ({
      messageId: m.messageId,
      sessionId: m.sessionId,
      body: m.body,
      contentType: 'application/json',
      applicationProperties: m.applicationProperties,
      scheduledEnqueueTimeUtc: m.scheduledEnqueueTime,
    }));
    // One batch per 256 KB (Standard tier): sendMessages(array) throws MessageSizeExceeded for an array that does
    // not fit one batch. Batches go one after another; a failure after the first leaves the first stored, and
    // the caller's retry is deduplicated by messageId.
    let batch = await sender.createMessageBatch();
    for (const message of toSend) {
      if (batch.tryAddMessage(message)) continue;
      if (batch.count > 0) {
        await sender.sendMessages(batch);
        batch = await sender.createMessageBatch();
        if (batch.tryAddMessage(message)) continue;
      }
      throw new Error(`message ${message.messageId} is larger than a Service Bus batch`);
    }
    if (batch.count > 0) await sender.sendMessages(batch);
  }

  async close(): Promise<void> {
    for (const sender of this.senders.values()) await sender.close();
    await this.client.close();
  }
}
