import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HrEvent } from '../../shared/domain/hr-event';
import { enqueueEvents, queueMessageId, validateEvents } from '../../shared/intake/accept-events';
import type { EventQueue, QueueMessage } from '../../shared/ports/event-queue';

const NOW = new Date('2026-11-25T08:00:00Z');
const raw = (eventId: string, employeeId = 'E1', extra: Record<string, unknown> = {}) => ({
  eventId,
  type: 'hire',
  occurredAt: '2026-11-25T08:00:00Z',
  ...extra,
  worker: { employeeId, legalGivenName: 'Ada', legalFamilyName: 'Lovelace', hireDate: '2026-12-01' },
});

/** The edges of the intake pipeline: batch size, paths, sources, duplicate keys and where messages go. */
describe('accept events edges', () => {
  it('between 1 and 500 events per request', () => {
    const many = (n: number) => ({ events: Array.from({ length: n }, (_, i) => raw(`e${i}`, `E${i}`)) });
    const refused = { ok: false, problems: [{ path: 'events', reason: 'between 1 and 500 events per request' }] };
    expect(validateEvents({ events: [] }, 'webhook', NOW)).toEqual(refused);
    expect(validateEvents(many(501), 'webhook', NOW)).toEqual(refused);
    expect(validateEvents(many(500), 'webhook', NOW)).toMatchObject({ ok: true });
  });

  it('the door sets the source; a single event has unprefixed paths, a batch has events.<i>.', () => {
    const single = validateEvents(raw('e1', 'E1', { source: 'admin' }), 'csv', NOW);
    expect(single.ok && single.events[0]!.source).toBe('csv');
    expect(validateEvents({ ...raw('e1'), type: 'nope' }, 'webhook', NOW)).toMatchObject({
      ok: false,
      problems: [expect.objectContaining({ path: 'type' })],
    });
    expect(validateEvents({ events: [raw('e1'), { ...raw('e2'), type: 'nope' }] }, 'webhook', NOW)).toMatchObject({
      ok: false,
      problems: [expect.objectContaining({ path: 'events.1.type' })],
    });
  });

  it('bodies that are not objects are one invalid event, never a crash', () => {
    for (const body of [null, 'x', 3, [], { events: 'x' }])
      expect(validateEvents(body, 'webhook', NOW)).toMatchObject({ ok: false });
    // One problem, at the root: the door's source is not spread into a value that is not an object.
    for (const [body, received] of [
      [null, 'null'],
      ['x', 'string'],
      [3, 'number'],
    ] as const)
      expect(validateEvents(body, 'webhook', NOW)).toEqual({
        ok: false,
        problems: [{ path: '(root)', reason: `Invalid input: expected object, received ${received}` }],
      });
  });

  it('each name field is checked for look-alike letters, with its path in the batch', () => {
    const fields = ['legalGivenName', 'legalFamilyName', 'preferredGivenName', 'preferredFamilyName', 'displayName'];
    for (const field of fields) {
      const event = raw('e1');
      const body = { events: [raw('e0', 'E0'), { ...event, worker: { ...event.worker, [field]: 'Аdmin' } }] };
      expect(validateEvents(body, 'webhook', NOW)).toEqual({
        ok: false,
        problems: [
          {
            path: `events.1.worker.${field}`,
            reason: 'mixes Latin with Cyrillic or Greek letters in "Аdmin" (look-alike characters)',
          },
        ],
      });
    }
  });

  it('date problems and notices carry the batch path', () => {
    const event = raw('e1');
    const late = { ...event, worker: { ...event.worker, hireDate: '2099-01-01' } };
    expect(validateEvents({ events: [raw('e0', 'E0'), late] }, 'webhook', NOW)).toMatchObject({
      ok: false,
      problems: [expect.objectContaining({ path: 'events.1.worker.hireDate' })],
    });
    const past = {
      ...event,
      type: 'update',
      worker: { ...event.worker, hireDate: '2026-01-05', leaveDate: '2026-11-01' },
    };
    const result = validateEvents({ events: [past] }, 'webhook', NOW);
    expect(result).toMatchObject({
      ok: true,
      notices: [expect.objectContaining({ path: 'events.0.worker.leaveDate' })],
    });
  });

  it('the same event id for two people is two events', () => {
    expect(validateEvents({ events: [raw('e1', 'E1'), raw('e1', 'E2')] }, 'webhook', NOW)).toMatchObject({ ok: true });
  });

  it('the message id: employee id and event id up to 128 characters, then the SHA-256 of the event id', () => {
    const fits = HrEvent.parse(raw('x'.repeat(125), 'E1'));
    expect(queueMessageId(fits)).toBe(`E1:${'x'.repeat(125)}`);
    const long = HrEvent.parse(raw('x'.repeat(126), 'E1'));
    const digest = createHash('sha256').update('x'.repeat(126)).digest('hex');
    expect(queueMessageId(long)).toBe(`E1:sha256:${digest}`);
  });

  it('messages: session per person, type and source; an urgent queue named as the bulk one is one queue', async () => {
    const sent: { queue: string; messages: QueueMessage[] }[] = [];
    const queue: EventQueue = {
      send: async (q, messages) => void sent.push({ queue: q, messages }),
      close: async () => {},
    };
    const hire = HrEvent.parse(raw('h', 'E1'));
    const rescind = HrEvent.parse({ ...raw('r', 'E2'), type: 'rescind' });
    await enqueueEvents(queue, 'hr-events', [hire, rescind], 'hr-events');
    expect(sent).toEqual([
      {
        queue: 'hr-events',
        messages: [
          {
            messageId: 'E1:h',
            sessionId: 'E1',
            body: hire,
            applicationProperties: { type: 'hire', source: 'webhook' },
          },
          {
            messageId: 'E2:r',
            sessionId: 'E2',
            body: rescind,
            applicationProperties: { type: 'rescind', source: 'webhook', priority: 'urgent' },
          },
        ],
      },
    ]);
    sent.length = 0;
    await enqueueEvents(queue, 'hr-events', [hire], 'hr-events-urgent');
    expect(sent.map((s) => s.queue)).toEqual(['hr-events']);
    sent.length = 0;
    await enqueueEvents(queue, 'hr-events', [rescind], 'hr-events-urgent');
    expect(sent.map((s) => s.queue)).toEqual(['hr-events-urgent']);
    sent.length = 0;
    await enqueueEvents(queue, 'hr-events', []);
    expect(sent).toEqual([]);
  });
});
