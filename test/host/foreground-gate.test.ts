import { describe, expect, it } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HostServices } from '../../local/host/extension';
import { ForegroundGate } from '../../local/host/foreground-gate';
import { createHttpTriggerExtension } from '../../local/host/http/http-trigger-extension';
import { LoopTurns } from '../../local/host/loop-turns';
import { createServiceBusExtension } from '../../local/servicebus/service-bus-extension';
import { localQueueLink } from '../../shared/adapters/queue/local-queue-link';
import { serviceBusFunction, serviceBusHostServices } from '../support/service-bus-host';

/** A gate on a hand-moved clock, with the event loop's utilisation set by the test. */
function gateAt(utilization: number) {
  const clock = { now: 0 };
  const gate = new ForegroundGate({
    busyArrivals: 20,
    windowMs: 100,
    shareIntervalMs: 50,
    busyUtilization: 0.8,
    now: () => clock.now,
    utilization: () => utilization,
  });
  return { gate, clock };
}

function burst(gate: ForegroundGate, clock: { now: number }, requests: number, overMs: number): void {
  for (let i = 0; i < requests; i++) {
    clock.now += overMs / requests;
    gate.arrived();
  }
}

describe('foreground gate: callers first while app routes burst', () => {
  it('holds nothing back below the burst rate (a console user, a health probe)', () => {
    const { gate, clock } = gateAt(1);
    burst(gate, clock, 10, 100); // 100 requests/s
    expect(gate.busy()).toBe(false);
    expect(gate.claimBackgroundSlot()).toBe(0);
    expect(gate.claimBackgroundSlot()).toBe(0);
  });

  it('under a burst on a busy loop, paces background items one per share interval, in turn', () => {
    const { gate, clock } = gateAt(0.95);
    burst(gate, clock, 60, 120); // 500 requests/s, across a bucket boundary so the utilisation is sampled
    expect(gate.busy()).toBe(true);
    expect([gate.claimBackgroundSlot(), gate.claimBackgroundSlot(), gate.claimBackgroundSlot()]).toEqual([0, 50, 100]);
  });

  it('holds nothing back while the loop has time to spare, however many requests arrive', () => {
    const { gate, clock } = gateAt(0.5);
    burst(gate, clock, 60, 120);
    expect(gate.busy()).toBe(false);
    expect(gate.claimBackgroundSlot()).toBe(0);
  });

  it('lets background go at once when the burst is over', () => {
    const { gate, clock } = gateAt(0.95);
    burst(gate, clock, 60, 120);
    expect(gate.claimBackgroundSlot()).toBe(0);
    expect(gate.claimBackgroundSlot()).toBe(50);
    clock.now += 300; // no request for 300 ms
    expect(gate.busy()).toBe(false);
    expect(gate.claimBackgroundSlot()).toBe(0);
  });
});

describe('the host behind the gate: loop turns, queue listeners, app routes', () => {
  it('hands out a turn at its slot while callers burst, and in the next loop turn after', async () => {
    let busy = true;
    const gate = { claimBackgroundSlot: () => (busy ? 30 : 0) } as unknown as ForegroundGate;
    const turns = new LoopTurns(undefined, gate);
    const order: string[] = [];
    const started = performance.now();
    const paced = turns.next().then(() => order.push('turn'));
    setImmediate(() => order.push('next loop turn'));
    await paced;
    // Paced: the turn waited for its slot, after the next loop turn (not a setImmediate of its own).
    expect(order).toEqual(['next loop turn', 'turn']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);

    busy = false;
    order.length = 0;
    const free = turns.next().then(() => order.push('turn'));
    setTimeout(() => order.push('timer'), 20);
    await free;
    expect(order).toEqual(['turn']);
  });

  it('paces the Service Bus listeners: each receive waits for its background slot', async () => {
    let claims = 0;
    const delivered: string[] = [];
    const services = serviceBusHostServices({
      baseUrl: 'http://localhost:65020',
      functions: [serviceBusFunction('q')],
      serviceBus: { maxConcurrentCalls: 4 },
      foreground: { claimBackgroundSlot: () => (claims++, 40) },
      invoke: (_fn, data) => {
        delivered.push(String(data.json));
        return Promise.resolve({ invocationId: 'i', outputData: [], returnValue: undefined });
      },
    });
    const extension = createServiceBusExtension();
    await extension.start(services);
    extension.store().send('q', [
      { messageId: 'a', body: 'a' },
      { messageId: 'b', body: 'b' },
    ]);
    for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(delivered).toEqual([]);
    for (let waited = 0; delivered.length < 2 && waited < 2_000; waited += 20)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(delivered).toHaveLength(2);
    expect(claims).toBeGreaterThanOrEqual(2);
    await extension.stop();
  });

  it('serves urgent turns first and never paces them; expedite lets the first paced waiter go at once', async () => {
    const gate = { claimBackgroundSlot: () => 300 } as unknown as ForegroundGate;
    const turns = new LoopTurns(undefined, gate);
    const order: string[] = [];
    const started = performance.now();
    const paced = turns.next().then(() => order.push('paced'));
    const second = turns.next().then(() => order.push('second'));
    await turns.next(true).then(() => order.push('urgent'));
    expect(order).toEqual(['urgent']);
    expect(turns.pending).toBe(2);
    turns.expedite();
    await paced;
    expect(order).toEqual(['urgent', 'paced']);
    expect(performance.now() - started).toBeLessThan(250);
    // The slot the first waiter had claimed goes to the next one.
    await second;
    expect(order).toEqual(['urgent', 'paced', 'second']);
  });

  it('receives an urgent message at once while callers burst; bulk messages wait for their slots', async () => {
    const delivered: string[] = [];
    let bursting = true;
    const services = serviceBusHostServices({
      baseUrl: 'http://localhost:65021',
      functions: [serviceBusFunction('q')],
      serviceBus: { maxConcurrentCalls: 2 },
      foreground: { claimBackgroundSlot: () => (bursting ? 400 : 0) },
      invoke: (_fn, data) => {
        delivered.push(String(data.string));
        return Promise.resolve({ invocationId: 'i', outputData: [], returnValue: undefined });
      },
    });
    const extension = createServiceBusExtension();
    await extension.start(services);
    const link = localQueueLink('http://localhost:65021')!;
    expect((await link.send('q', [{ messageId: 'a', body: 'bulk-a' }])).status).toBe(201);
    expect((await link.send('q', [{ messageId: 'b', body: 'bulk-b' }])).status).toBe(201);
    // The receivers now wait for their paced turns (400 ms each); the urgent send lets one of them go at once, and
    // the store hands it the urgent message first.
    const urgent = { messageId: 'u', body: 'urgent', applicationProperties: { priority: 'urgent' } };
    expect((await link.send('q', [urgent])).status).toBe(201);
    for (let waited = 0; !delivered.includes('urgent') && waited < 250; waited += 10)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(delivered).toEqual(['urgent']);
    bursting = false;
    for (let waited = 0; delivered.length < 3 && waited < 2_000; waited += 20)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(delivered).toHaveLength(3);
    await extension.stop();
  });

  it("counts the app routes' requests as arrivals, and not the host's own APIs", async () => {
    let arrivals = 0;
    const http = createHttpTriggerExtension();
    await http.start({
      hostJson: {},
      functions: () => [],
      foreground: { arrived: () => void arrivals++ },
    } as unknown as HostServices);
    const req = { method: 'GET', headers: {} } as IncomingMessage;
    const res = { writeHead: () => res, end: () => res } as unknown as ServerResponse;
    // The durable and queue APIs the app's own background work calls are not callers to serve first.
    expect(await http.handleHttp!(req, res, new URL('http://localhost/runtime/webhooks/durabletask/instances'))).toBe(
      false,
    );
    expect(arrivals).toBe(0);
    expect(await http.handleHttp!(req, res, new URL('http://localhost/api/hr/events'))).toBe(true);
    expect(arrivals).toBe(1);
  });
});
