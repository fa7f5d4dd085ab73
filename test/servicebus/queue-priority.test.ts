import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { QueueStore } from '../../local/servicebus/queue-store';

const open = () => new QueueStore(path.join(mkdtempSync(path.join(tmpdir(), 'jml-sbp-')), 'q.sqlite'));

/** Receives and completes everything, one receiver, in the order the store hands messages out. */
function drain(store: QueueStore): string[] {
  const order: string[] = [];
  for (let m = store.receive('q', 'r', true); m; m = store.receive('q', 'r', true)) {
    order.push(m.messageId);
    store.complete(m.lockToken!);
    store.releaseSession('q', m.sessionId!, 'r');
  }
  return order;
}

describe('local queue: urgent sessions first, each session in order', () => {
  it('serves a session holding an urgent message before the backlog, from its oldest message on', () => {
    const store = open();
    // A bulk backlog of hires, one session per person; person P was hired in the backlog, then rescinded.
    store.send(
      'q',
      Array.from({ length: 50 }, (_, i) => ({ messageId: `hire-${i}`, sessionId: `B${i}`, body: i })),
    );
    store.send('q', [{ messageId: 'hire-P', sessionId: 'P', body: 'hire' }]);
    store.send('q', [{ messageId: 'late-hire', sessionId: 'L', body: 'hire' }]);
    store.send('q', [
      { messageId: 'rescind-P', sessionId: 'P', body: 'rescind', applicationProperties: { priority: 'urgent' } },
    ]);
    const order = drain(store);
    // P's hire is pulled forward with its rescind, and stays before it (per-person order).
    expect(order.slice(0, 2)).toEqual(['hire-P', 'rescind-P']);
    expect(order.slice(2)).toEqual([...Array.from({ length: 50 }, (_, i) => `hire-${i}`), 'late-hire']);
  });

  it('never hands out an urgent message while its session has an earlier one in flight', () => {
    const store = open();
    store.send('q', [
      { messageId: 'b1', sessionId: 'B', body: 1 },
      { messageId: 'p1', sessionId: 'P', body: 1 },
      { messageId: 'p2', sessionId: 'P', body: 2, applicationProperties: { priority: 'urgent' } },
    ]);
    const first = store.receive('q', 'r1', true)!;
    expect(first.messageId).toBe('p1');
    // Another receiver cannot take P's urgent message while p1 is locked: it gets the other session.
    expect(store.receive('q', 'r2', true)!.messageId).toBe('b1');
    expect(store.receive('q', 'r2', true)).toBeNull();
    store.complete(first.lockToken!);
    expect(store.receive('q', 'r1', true)!.messageId).toBe('p2');
  });

  it('without sessions, urgent messages first and FIFO among equals', () => {
    const store = open();
    store.send('q', [
      { messageId: 'a', body: 1 },
      { messageId: 'u', body: 2, applicationProperties: { priority: 'urgent' } },
      { messageId: 'b', body: 3 },
    ]);
    const order: string[] = [];
    for (let m = store.receive('q', 'r', false); m; m = store.receive('q', 'r', false)) {
      order.push(m.messageId);
      store.complete(m.lockToken!);
    }
    expect(order).toEqual(['u', 'a', 'b']);
  });

  it('groups several senders into one transaction, each with its own results and duplicates', () => {
    const store = open();
    const results = store.sendGroups([
      { queue: 'q', messages: [{ messageId: 'x', body: 1 }] },
      {
        queue: 'q',
        messages: [
          { messageId: 'x', body: 1 },
          { messageId: 'y', body: 2 },
        ],
      },
    ]);
    expect(results.map((group) => group.map((r) => r.duplicate))).toEqual([[false], [true, false]]);
    expect(store.counts('q')).toEqual({ active: 2 });
  });
});
