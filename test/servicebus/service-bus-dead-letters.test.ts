import { describe, expect, it } from 'vitest';
import { ServiceBusDeadLetters } from '../../shared/adapters/queue/service-bus-dead-letters';
import { DeadLetterOutOfReachError } from '../../shared/ports/dead-letters';
import { ScriptedDeadLetterQueue } from './scripted-dead-letter-queue';

const adapter = (queue: ScriptedDeadLetterQueue, maxScan = 1000) =>
  new ServiceBusDeadLetters(queue, { maxScan, maxWaitTimeInMs: 0 });

describe('ServiceBusDeadLetters against a dead-letter queue that answers in Azure order', () => {
  it('lists every dead letter, page after page by sequence number', async () => {
    const queue = new ScriptedDeadLetterQueue(250);
    const listed = await adapter(queue).list('hr-events');
    expect(listed.map((d) => d.sequenceNumber)).toEqual(queue.messages.map((m) => m.seq));
    expect(listed[0]).toMatchObject({ messageId: 'e0', sessionId: 'P0', reason: 'MaxDeliveryCountExceeded' });
    expect(queue.locked()).toEqual([]);
  });

  it('replays a dead letter far beyond the first receive batch, and lets go of every other one in order', async () => {
    const queue = new ScriptedDeadLetterQueue(250);
    const target = queue.seqAt(180);
    const others = queue.messages.map((m) => m.seq).filter((s) => s !== target);
    expect(await adapter(queue).replay('hr-events', target)).toBe(true);
    expect(queue.sent).toEqual([
      expect.objectContaining({
        body: { eventId: 'e180' },
        sessionId: 'P5',
        applicationProperties: expect.objectContaining({ replayOf: 'e180' }),
      }),
    ]);
    expect(queue.messages.map((m) => m.seq)).toEqual(others);
    expect(queue.locked()).toEqual([]);
    // Bounded: it received only as far as the target (20 a batch here), never the same messages again.
    expect(queue.calls.complete).toBe(1);
    expect(queue.calls.receive).toBeLessThanOrEqual(Math.ceil(200 / 20));
    expect(queue.calls.abandon).toBeLessThan(200);
  });

  it('discards the first dead letter without touching the rest', async () => {
    const queue = new ScriptedDeadLetterQueue(5);
    expect(await adapter(queue).discard('hr-events', queue.seqAt(0))).toBe(true);
    expect(queue.messages.map((m) => m.messageId)).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(queue.sent).toEqual([]);
    expect(queue.locked()).toEqual([]);
  });

  it('answers false for a sequence number that is not there, without receiving anything', async () => {
    const queue = new ScriptedDeadLetterQueue(120);
    expect(await adapter(queue).replay('hr-events', queue.seqAt(60) + 1)).toBe(false);
    expect(await adapter(queue).discard('hr-events', 1)).toBe(false);
    expect(await adapter(queue).discard('hr-events', queue.seqAt(119) + 1)).toBe(false);
    expect(queue.calls.receive).toBe(0);
    expect(queue.messages).toHaveLength(120);
  });

  it('refuses a dead letter deeper than it may lock, without locking anything', async () => {
    const queue = new ScriptedDeadLetterQueue(150);
    await expect(adapter(queue, 100).discard('hr-events', queue.seqAt(120))).rejects.toBeInstanceOf(
      DeadLetterOutOfReachError,
    );
    expect(queue.calls.receive).toBe(0);
    expect(queue.messages).toHaveLength(150);
  });

  it('answers false when another consumer settles the target between the peek and the receive', async () => {
    const queue = new ScriptedDeadLetterQueue(60);
    const target = queue.seqAt(30);
    const dlq = adapter(queue);
    const receiver = queue.createReceiver.bind(queue);
    queue.createReceiver = (name, options) => {
      const inner = receiver(name, options);
      return {
        ...inner,
        receiveMessages: async (max, opts) => {
          const at = queue.messages.findIndex((m) => m.seq === target);
          if (at >= 0) queue.messages.splice(at, 1);
          return inner.receiveMessages(max, opts);
        },
      };
    };
    expect(await dlq.discard('hr-events', target)).toBe(false);
    expect(queue.locked()).toEqual([]);
    expect(queue.messages).toHaveLength(59);
  });
});
