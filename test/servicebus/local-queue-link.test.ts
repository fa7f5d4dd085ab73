import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServiceBusExtension } from '../../local/servicebus/service-bus-extension';
import { LocalEventQueue } from '../../shared/adapters/queue/local-event-queue';
import { localQueueLink } from '../../shared/adapters/queue/local-queue-link';
import {
  estimatedMessageBytes,
  SERVICE_BUS_MAX_SEND_BYTES,
  splitIntoSends,
} from '../../shared/adapters/queue/send-size';
import type { QueueMessage } from '../../shared/ports/event-queue';
import { serviceBusHostServices } from '../support/service-bus-host';

const ORIGIN = 'http://localhost:65010';
const QUEUE = 'hr-events';

async function startQueue() {
  const services = serviceBusHostServices({ baseUrl: ORIGIN });
  const extension = createServiceBusExtension();
  await extension.start(services);
  return extension;
}

/** A hire-sized message: about 600 bytes of body. */
const message = (i: number): QueueMessage => ({
  messageId: `E${i}:ev-${i}`,
  sessionId: `E${i}`,
  body: { eventId: `ev-${i}`, note: 'x'.repeat(500) },
  applicationProperties: { type: 'hire', source: 'webhook' },
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('local queue: the app in the host sends in-process, sized as Service Bus sizes a send', () => {
  it('stores a send through the in-process link, without an HTTP request', async () => {
    const extension = await startQueue();
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    await new LocalEventQueue(ORIGIN).send(QUEUE, [message(1), message(2)]);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(extension.store().counts(QUEUE)).toMatchObject({ active: 2 });
    await extension.stop();
  });

  it('refuses one send over 256 KB with MessageSizeExceeded, as the Standard tier does', async () => {
    const extension = await startQueue();
    const payload = Array.from({ length: 600 }, (_, i) => message(i));
    const answer = await localQueueLink(ORIGIN)!.send(QUEUE, payload);
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ code: 'MessageSizeExceeded' });
    expect(extension.store().counts(QUEUE)).toEqual({});
    await extension.stop();
  });

  it('splits 600 messages (over 256 KB together) into sends that fit, and stores every one', async () => {
    const extension = await startQueue();
    await new LocalEventQueue(ORIGIN).send(
      QUEUE,
      Array.from({ length: 600 }, (_, i) => message(i)),
    );
    expect(extension.store().counts(QUEUE)).toMatchObject({ active: 600 });
    await extension.stop();
  });

  it('stores an object body as its JSON (application/json) and a text body as text, as before the link', async () => {
    const extension = await startQueue();
    const answer = await localQueueLink(ORIGIN)!.send('bodies', [
      { messageId: 'object', body: { eventId: 'ev-1', name: 'Zoë' } },
      { messageId: 'text', body: 'plain words' },
      { messageId: 'declared', body: '{"a":1}', contentType: 'application/json' },
    ]);
    expect(answer.status).toBe(201);
    const received = Array.from({ length: 3 }, () => extension.store().receive('bodies', 'test', false)!);
    expect(received.map((m) => [m.messageId, m.body, m.contentType])).toEqual([
      ['object', '{"eventId":"ev-1","name":"Zoë"}', 'application/json'],
      ['text', 'plain words', 'text/plain'],
      ['declared', '{"a":1}', 'application/json'],
    ]);
    await extension.stop();
  });

  it('uses the loopback API again once the host has stopped (no link left behind)', async () => {
    const extension = await startQueue();
    await extension.stop();
    expect(localQueueLink(ORIGIN)).toBeUndefined();
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('{}', { status: 201 }));
    await new LocalEventQueue(ORIGIN).send(QUEUE, [message(1)]);
    expect(fetchSpy).toHaveBeenCalledWith(`${ORIGIN}/_local/servicebus/queues/${QUEUE}/messages`, expect.anything());
  });
});

describe('splitIntoSends', () => {
  it('keeps the order and puts no more than the limit in a send', () => {
    const messages = Array.from({ length: 1_000 }, (_, i) => message(i));
    const sends = splitIntoSends(messages);
    expect(sends.length).toBeGreaterThan(1);
    expect(sends.flat()).toEqual(messages);
    for (const send of sends)
      expect(send.reduce((sum, m) => sum + estimatedMessageBytes(m), 0)).toBeLessThanOrEqual(
        SERVICE_BUS_MAX_SEND_BYTES,
      );
  });

  it('gives a message larger than the limit a send of its own', () => {
    const huge = { messageId: 'h', body: 'y'.repeat(SERVICE_BUS_MAX_SEND_BYTES) };
    const sends = splitIntoSends([message(1), huge, message(2)]);
    expect(sends).toEqual([[message(1)], [huge], [message(2)]]);
  });
});
