import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { QueueStore } from '../../local/servicebus/queue-store';

const open = (
  clock?: () => number,
  settings = { maxDeliveryCount: 3, lockDurationMs: 1000, duplicateDetectionWindowMs: 60_000 },
) => new QueueStore(path.join(mkdtempSync(path.join(tmpdir(), 'jml-sb-')), 'q.sqlite'), settings, clock);

describe('local Service Bus queue semantics', () => {
  it('keeps FIFO per session and never hands one session to two receivers at once', () => {
    const store = open();
    store.send(
      'q',
      ['a1', 'b1', 'a2', 'b2', 'a3'].map((id) => ({ messageId: id, sessionId: id[0]!, body: id })),
    );
    const first = store.receive('q', 'r1', true)!;
    const second = store.receive('q', 'r2', true)!;
    expect([first.messageId, second.messageId]).toEqual(['a1', 'b1']);
    // a is locked by r1: r2 cannot take a2 while a1 is in flight
    expect(store.receive('q', 'r2', true)).toBeNull();
    store.complete(first.lockToken!);
    store.complete(second.lockToken!);
    // r2 still holds session b (as a session receiver does) until it lets it go.
    const a2 = store.receive('q', 'r1', true)!;
    expect(a2.messageId).toBe('a2');
    expect(store.receive('q', 'r1', true)).toBeNull(); // a3 waits for a2 to be settled
    store.complete(a2.lockToken!);
    store.releaseSession('q', 'b', 'r2');
    const order: string[] = [];
    for (let m = store.receive('q', 'r1', true); m; m = store.receive('q', 'r1', true)) {
      order.push(m.messageId);
      store.complete(m.lockToken!);
    }
    expect(order.filter((id) => id.startsWith('a'))).toEqual(['a3']);
    expect(order.filter((id) => id.startsWith('b'))).toEqual(['b2']);
  });

  it('drops duplicates inside the detection window (accepted, not delivered twice)', () => {
    const store = open();
    expect(store.send('q', [{ messageId: 'e1', body: 1 }])[0]!.duplicate).toBe(false);
    expect(store.send('q', [{ messageId: 'e1', body: 1 }])[0]!.duplicate).toBe(true);
    expect(store.counts('q')).toEqual({ active: 1 });
  });

  it('accepts a message id again once its detection window has passed, and that send opens a new window', () => {
    let now = 1_000_000;
    const store = open(() => now);
    const sendE1 = () => store.send('q', [{ messageId: 'e1', body: 1 }])[0]!.duplicate;
    expect(sendE1()).toBe(false);
    now += 59_999; // still inside the 60 s window: dropped, and the window is not extended by the duplicate
    expect(sendE1()).toBe(true);
    now += 1; // 60 s after the first send
    expect(sendE1()).toBe(false);
    now += 59_999; // inside the window the second send opened
    expect(sendE1()).toBe(true);
    expect(store.counts('q')).toEqual({ active: 2 });
    // Per queue: the same id on another queue is another message.
    expect(store.send('other', [{ messageId: 'e1', body: 1 }])[0]!.duplicate).toBe(false);
  });

  it('redelivers after lock expiry and dead-letters after max deliveries as Service Bus does', () => {
    let now = 1_000_000;
    const store = open(() => now);
    store.send('q', [{ messageId: 'p', body: 'x' }]);
    const m1 = store.receive('q', 'r', false)!;
    now += 1500; // lock expired
    const m2 = store.receive('q', 'r', false)!;
    expect(m2.deliveryCount).toBe(2);
    expect(store.complete(m1.lockToken!)).toBe(false); // lost lock
    expect(store.abandon(m2.lockToken!)).toBe('redeliver');
    const m3 = store.receive('q', 'r', false)!;
    expect(store.abandon(m3.lockToken!)).toBe('dead-lettered');
    expect(store.deadLetters('q')[0]).toMatchObject({
      messageId: 'p',
      deadLetterReason: 'MaxDeliveryCountExceeded',
      deadLetterErrorDescription: "Message couldn't be consumed after maximum delivery attempts.",
    });
  });

  it('holds scheduled messages until their time', () => {
    let now = Date.parse('2026-11-25T10:00:00Z');
    const store = open(() => now);
    store.send('q', [{ messageId: 's', body: 1, scheduledEnqueueTime: '2026-11-25T10:05:00Z' }]);
    expect(store.receive('q', 'r', false)).toBeNull();
    now = Date.parse('2026-11-25T10:05:00Z');
    expect(store.receive('q', 'r', false)?.messageId).toBe('s');
  });
});
