import { describe, expect, it } from 'vitest';
import { HrEvent } from '../../shared/domain/hr-event';
import { enqueueEvents, queueMessageId, validateEvents } from '../../shared/intake/accept-events';
import type { EventQueue, QueueMessage } from '../../shared/ports/event-queue';

/**
 * The intake pipeline's limits (mutation testing, issue 15): events per request, a body that is not an object,
 * the 128-character message id of Service Bus duplicate detection, and an urgent queue that is the normal one.
 */
const now = new Date('2029-12-01T00:00:00Z');
const raw = (eventId: string, type = 'hire', employeeId = 'E1') => ({
  eventId,
  type,
  occurredAt: '2029-12-01T00:00:00Z',
  worker: { employeeId, legalGivenName: 'Ada', legalFamilyName: 'Lovelace', hireDate: '2030-01-01', country: 'FR' },
});
const tooMany = { path: 'events', reason: 'between 1 and 500 events per request' };

describe('validateEvents', () => {
  it('takes 1 to 500 events per request', () => {
    expect(validateEvents({ events: [] }, 'webhook', now)).toEqual({ ok: false, problems: [tooMany] });
    const events = (n: number) => Array.from({ length: n }, (_, i) => raw(`e${i}`, 'hire', `E${i}`));
    expect(validateEvents({ events: events(500) }, 'webhook', now).ok).toBe(true);
    expect(validateEvents({ events: events(501) }, 'webhook', now)).toEqual({ ok: false, problems: [tooMany] });
  });

  it('a body that is not an object is one invalid event, not an object with a source added', () => {
    const asNull = validateEvents(null, 'webhook', now);
    const asText = validateEvents('x', 'webhook', now);
    expect(asNull).toEqual({ ok: false, problems: [{ path: '(root)', reason: expect.any(String) }] });
    expect(asText).toEqual({ ok: false, problems: [{ path: '(root)', reason: expect.any(String) }] });
  });
});

describe('queueMessageId', () => {
  const event = HrEvent.parse({ ...raw('e1'), source: 'webhook' });

  it('is employee id:event id up to 128 characters, the SHA-256 of the event id beyond', () => {
    const at128 = { ...event, eventId: 'x'.repeat(125) };
    expect(queueMessageId(at128)).toBe(`E1:${'x'.repeat(125)}`);
    const at129 = { ...event, eventId: 'x'.repeat(126) };
    expect(queueMessageId(at129)).toMatch(/^E1:sha256:[0-9a-f]{64}$/);
  });
});

describe('enqueueEvents', () => {
  it('an urgent queue with the normal queue\u2019s name is one queue: one send with every event', async () => {
    const sent: { queue: string; messages: QueueMessage[] }[] = [];
    const queue: EventQueue = {
      send: async (queueName, messages) => void sent.push({ queue: queueName, messages }),
      close: async () => {},
    };
    const hire = HrEvent.parse({ ...raw('h1'), source: 'webhook' });
    const rescind = HrEvent.parse({ ...raw('r1', 'rescind'), source: 'webhook' });
    await enqueueEvents(queue, 'hr-events', [hire, rescind], 'hr-events');
    expect(sent.map((s) => [s.queue, s.messages.map((m) => m.messageId)])).toEqual([['hr-events', ['E1:h1', 'E1:r1']]]);
  });
});
