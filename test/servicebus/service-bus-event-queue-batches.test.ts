import type { ServiceBusClient, ServiceBusMessage } from '@azure/service-bus';
import { describe, expect, it } from 'vitest';
import { ServiceBusEventQueue } from '../../shared/adapters/queue/service-bus-event-queue';
import type { QueueMessage } from '../../shared/ports/event-queue';

/**
 * The Azure adapter against a sender whose batches hold `maxBytes` of bodies, as the SDK's ServiceBusMessageBatch
 * refuses a message that would take it past the link's maximum (256 KB on the Standard tier,
 * https://learn.microsoft.com/azure/service-bus-messaging/service-bus-quotas). sendMessages(array) throws
 * MessageSizeExceeded for an array that does not fit one batch (@azure/service-bus sender.ts), so the adapter must
 * fill batches itself and send as many as needed.
 */
function scriptedClient(maxBytes: number) {
  const sent: string[][] = [];
  const batch = () => {
    const messages: ServiceBusMessage[] = [];
    let bytes = 0;
    return {
      messages,
      get count() {
        return messages.length;
      },
      tryAddMessage(message: ServiceBusMessage) {
        const size = JSON.stringify(message.body).length;
        if (bytes + size > maxBytes) return false;
        messages.push(message);
        bytes += size;
        return true;
      },
    };
  };
  const sender = {
    createMessageBatch: () => Promise.resolve(batch()),
    sendMessages: (sending: ReturnType<typeof batch> | ServiceBusMessage[]) => {
      // An array would be one batch in the SDK, refused when too big: the adapter must never send one.
      if (Array.isArray(sending)) throw new Error('sendMessages(array) used');
      sent.push(sending.messages.map((m) => String(m.messageId)));
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
  const client = { createSender: () => sender, close: () => Promise.resolve() } as unknown as ServiceBusClient;
  return { client, sent };
}

/** A message whose JSON body is about 300 bytes. */
const message = (i: number): QueueMessage => ({ messageId: `m${i}`, sessionId: `E${i}`, body: 'x'.repeat(298) });

describe('ServiceBusEventQueue: sends in batches that fit', () => {
  it('fills a batch, sends it, and goes on with the next, in order, until every message is sent', async () => {
    const { client, sent } = scriptedClient(1_000);
    await new ServiceBusEventQueue(client).send(
      'hr-events',
      Array.from({ length: 10 }, (_, i) => message(i)),
    );
    expect(sent).toEqual([['m0', 'm1', 'm2'], ['m3', 'm4', 'm5'], ['m6', 'm7', 'm8'], ['m9']]);
  });

  it('refuses a message larger than a whole batch, after sending the ones before it', async () => {
    const { client, sent } = scriptedClient(1_000);
    const huge: QueueMessage = { messageId: 'huge', sessionId: 'H', body: 'y'.repeat(2_000) };
    await expect(new ServiceBusEventQueue(client).send('hr-events', [message(0), huge, message(1)])).rejects.toThrow(
      'message huge is larger than a Service Bus batch',
    );
    expect(sent).toEqual([['m0']]);
  });

  it('refuses an oversized first message without sending anything', async () => {
    const { client, sent } = scriptedClient(1_000);
    const huge: QueueMessage = { messageId: 'huge', sessionId: 'H', body: 'y'.repeat(2_000) };
    await expect(new ServiceBusEventQueue(client).send('hr-events', [huge])).rejects.toThrow(/huge/);
    expect(sent).toEqual([]);
  });
});
