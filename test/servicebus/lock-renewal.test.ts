import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_QUEUE_SETTINGS } from '../../local/servicebus/queue-store';
import { createServiceBusExtension } from '../../local/servicebus/service-bus-extension';
import { serviceBusFunction, serviceBusHostServices } from '../support/service-bus-host';

/**
 * Lock renewal under a slow handler (issue 15). The Functions Service Bus extension renews the message lock while
 * the function runs (maxAutoLockRenewalDuration, 5 minutes by default:
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-service-bus#hostjson-settings), so a
 * handler slower than the lock duration keeps its message: no second delivery to another listener, and its
 * completion settles the message. The clock is vitest's fake one: the test advances it, nothing is timed.
 */
const QUEUE = 'hr-events';

afterEach(() => {
  vi.useRealTimers();
});

describe('service bus trigger with a handler slower than the lock', () => {
  it('renews the lock: one delivery while the handler runs, then the message is completed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const deliveries: number[] = [];
    let finish: () => void = () => undefined;
    const services = serviceBusHostServices({
      baseUrl: 'http://localhost:65000',
      functions: [serviceBusFunction(QUEUE)],
      // Two listeners: a lock that lapsed would hand the message to the idle one.
      serviceBus: { maxConcurrentCalls: 2 },
      invoke: (_fn, _data, options) => {
        deliveries.push(Number(options?.triggerMetadata?.DeliveryCount?.int));
        return new Promise<void>((resolve) => {
          finish = resolve;
        });
      },
    });
    const extension = createServiceBusExtension();
    await extension.start(services);
    extension.store().send(QUEUE, [{ messageId: 'slow-1', body: { eventId: 'slow-1' } }]);

    await vi.advanceTimersByTimeAsync(1_000);
    expect(deliveries).toEqual([1]);
    // Three lock durations with the handler still running.
    await vi.advanceTimersByTimeAsync(3 * DEFAULT_QUEUE_SETTINGS.lockDurationMs);
    expect(deliveries).toEqual([1]);
    expect(extension.store().counts(QUEUE)).toMatchObject({ locked: 1 });

    finish();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(extension.store().counts(QUEUE)).toMatchObject({ completed: 1 });
    expect(extension.store().deadLetters(QUEUE)).toEqual([]);
    expect(deliveries).toEqual([1]);
    const stopped = extension.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    await stopped;
  });
});
