import { describe, expect, it } from 'vitest';
import { BulkAdmission } from '../../shared/intake/bulk-admission';

/**
 * bulkUpload admission on a real clock (epoch milliseconds, not a clock starting at 0): the per-second window and
 * the backlog reading's one-second reuse (mutation testing, issue 15; bulk-upload-status.test.ts has the rules).
 */
const T = Date.parse('2026-11-25T08:00:00.000Z');
const settings = { queueName: 'hr-events', maxRequestsPerSecond: 2, maxQueueBacklog: 100, retryAfterSeconds: 30 };

describe('BulkAdmission on an epoch clock', () => {
  it('refuses the third request of an app within one second, saying why, and admits it a second later', async () => {
    let now = T;
    const admission = new BulkAdmission({ activeMessages: async () => 0 }, settings, () => now);
    expect(await admission.admit('app1')).toEqual({ ok: true });
    now = T + 500;
    expect(await admission.admit('app1')).toEqual({ ok: true });
    now = T + 999;
    expect(await admission.admit('app1')).toEqual({
      ok: false,
      retryAfterSeconds: 1,
      reason: 'more than 2 requests per second from app app1',
    });
    now = T + 1000;
    expect(await admission.admit('app1')).toEqual({ ok: true });
  });

  it('reads the backlog once a second at most', async () => {
    let now = T;
    let reads = 0;
    const admission = new BulkAdmission(
      {
        activeMessages: async () => {
          reads++;
          return 0;
        },
      },
      { ...settings, maxRequestsPerSecond: 100 },
      () => now,
    );
    await admission.admit('app1');
    now = T + 999;
    await admission.admit('app1');
    expect(reads).toBe(1);
    now = T + 1000;
    await admission.admit('app1');
    expect(reads).toBe(2);
  });
});
