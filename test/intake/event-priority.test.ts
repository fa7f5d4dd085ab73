import { describe, expect, it } from 'vitest';
import { HrEvent } from '../../shared/domain/hr-event';
import { enqueueEvents } from '../../shared/intake/accept-events';
import { eventPriority } from '../../shared/intake/event-priority';
import type { EventQueue, QueueMessage } from '../../shared/ports/event-queue';

const worker = (employeeId: string) => ({
  employeeId,
  legalGivenName: 'Ada',
  legalFamilyName: 'Lovelace',
  hireDate: '2030-01-01',
  leaveDate: '2030-06-01',
  country: 'FR',
});
const event = (eventId: string, type: string, extra: Record<string, unknown> = {}) =>
  HrEvent.parse({
    eventId,
    type,
    occurredAt: '2029-12-01T00:00:00Z',
    source: 'webhook',
    worker: worker(eventId),
    ...extra,
  });

function recordingQueue() {
  const sent: { queue: string; messages: QueueMessage[] }[] = [];
  const queue: EventQueue = {
    send: async (queueName, messages) => void sent.push({ queue: queueName, messages }),
    close: async () => {},
  };
  return { queue, sent };
}

describe('HR event priority', () => {
  it('immediate terminations and rescinds are urgent; hires, updates and dated terminations are not', () => {
    expect(eventPriority(event('1', 'terminate', { immediate: true }))).toBe('urgent');
    expect(eventPriority(event('2', 'rescind'))).toBe('urgent');
    expect(eventPriority(event('3', 'terminate'))).toBe('normal');
    expect(eventPriority(event('4', 'hire'))).toBe('normal');
    expect(eventPriority(event('5', 'update'))).toBe('normal');
  });

  it('without an urgent queue, urgent events stay in the queue, marked, in request order', async () => {
    const { queue, sent } = recordingQueue();
    await enqueueEvents(queue, 'hr-events', [event('h', 'hire'), event('r', 'rescind')]);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.messages.map((m) => [m.messageId, m.applicationProperties?.priority])).toEqual([
      ['h:h', undefined],
      ['r:r', 'urgent'],
    ]);
  });

  it('with an urgent queue (Azure), urgent events go there and the rest to the bulk queue', async () => {
    const { queue, sent } = recordingQueue();
    await enqueueEvents(
      queue,
      'hr-events',
      [event('h', 'hire'), event('t', 'terminate', { immediate: true })],
      'hr-events-urgent',
    );
    expect(sent.map((s) => [s.queue, s.messages.map((m) => m.messageId)])).toEqual([
      ['hr-events', ['h:h']],
      ['hr-events-urgent', ['t:t']],
    ]);
  });
});
