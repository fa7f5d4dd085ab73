import { describe, expect, it } from 'vitest';
import { BulkAdmission } from '../../shared/intake/bulk-admission';
import type { QueueBacklog } from '../../shared/ports/queue-backlog';

/** The one-second windows of bulkUpload admission, at a clock far from zero (as the real one is). */
describe('bulkUpload admission windows', () => {
  const settings = { queueName: 'hr-events', maxRequestsPerSecond: 2, maxQueueBacklog: 100, retryAfterSeconds: 30 };
  const backlog = (): QueueBacklog & { reads: number } => {
    const port = { reads: 0, activeMessages: async () => (port.reads++, 0) };
    return port;
  };

  it('counts the requests of the last second and says why it refuses', async () => {
    let now = 1_700_000_000_000;
    const admission = new BulkAdmission(backlog(), settings, () => now);
    expect(await admission.admit('app1')).toEqual({ ok: true });
    now += 500;
    expect(await admission.admit('app1')).toEqual({ ok: true });
    now += 499;
    expect(await admission.admit('app1')).toEqual({
      ok: false,
      retryAfterSeconds: 1,
      reason: 'more than 2 requests per second from app app1',
    });
    // The first request is now a second old: one place is free again.
    now += 1;
    expect(await admission.admit('app1')).toEqual({ ok: true });
  });

  it('reads the backlog once a second', async () => {
    let now = 1_700_000_000_000;
    const port = backlog();
    const admission = new BulkAdmission(port, { ...settings, maxRequestsPerSecond: 1000 }, () => now);
    await admission.admit('app1');
    now += 999;
    await admission.admit('app1');
    expect(port.reads).toBe(1);
    now += 1;
    await admission.admit('app1');
    expect(port.reads).toBe(2);
  });
});
