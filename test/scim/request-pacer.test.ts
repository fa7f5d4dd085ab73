import { describe, expect, it } from 'vitest';
import { RequestPacer } from '../../shared/adapters/scim/request-pacer';

/** The policy's ratePerSecond per target: requests start at most `rate` a second, in the order they asked. */
describe('RequestPacer', () => {
  function pacedAt(rate: number, asks: number[]): number[] {
    let now = 0;
    const started: number[] = [];
    const pacer = new RequestPacer(
      rate,
      () => now,
      async (ms) => {
        started.push(now + ms);
      },
    );
    for (const at of asks) {
      now = at;
      const before = started.length;
      void pacer.slot();
      if (started.length === before) started.push(now);
    }
    return started;
  }

  it('spaces a burst 1000 / rate ms apart', () => {
    expect(pacedAt(10, [0, 0, 0, 0, 0])).toEqual([0, 100, 200, 300, 400]);
  });

  it('lets a request through at once when the target was idle long enough', () => {
    expect(pacedAt(4, [0, 1000, 1100, 5000])).toEqual([0, 1000, 1250, 5000]);
  });

  it('takes fractional rates (one request every two seconds)', () => {
    expect(pacedAt(0.5, [0, 0, 0])).toEqual([0, 2000, 4000]);
  });
});
