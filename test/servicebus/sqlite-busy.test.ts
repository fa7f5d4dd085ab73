import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QueueStore } from '../../local/servicebus/queue-store';
import { createServiceBusExtension } from '../../local/servicebus/service-bus-extension';
import { serviceBusFunction, serviceBusHostServices } from '../support/service-bus-host';

/**
 * Issue 24: another connection holding the queue's SQLite file (BEGIN EXCLUSIVE, as local/chaos/sqlite-lock.ts does
 * from another process) past the busy timeout made the worker's receive throw SQLITE_BUSY, and the host died of the
 * unhandled rejection. The worker must log, wait and go on: once the lock is released the message is delivered,
 * once, and completed. The busy timeout is 20 ms here, so the worker meets SQLITE_BUSY at once; nothing is timed,
 * every wait is for an outcome, with a generous deadline.
 */
const QUEUE = 'hr-events';

const rejections: unknown[] = [];
const onRejection = (reason: unknown) => void rejections.push(reason);
beforeEach(() => {
  rejections.length = 0;
  process.on('unhandledRejection', onRejection);
});
afterEach(() => {
  process.off('unhandledRejection', onRejection);
});

async function until(what: string, check: () => boolean): Promise<void> {
  const end = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`never reached: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('service bus worker with its SQLite file locked by another connection (issue 24)', () => {
  it(
    'does not reject while the file is locked, and delivers the message once it is released',
    { timeout: 60_000 },
    async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'jml-sb-busy-'));
      const file = path.join(dataDir, 'servicebus.sqlite');
      // The message waits in the file before the lock is taken and before the host starts.
      const sender = new QueueStore(file);
      sender.send(QUEUE, [{ messageId: 'busy-1', sessionId: 'E1', body: { eventId: 'busy-1' } }]);
      sender.close();
      const blocker = new Database(file);
      blocker.exec('BEGIN EXCLUSIVE');

      const deliveries: string[] = [];
      const warnings: string[] = [];
      const services = serviceBusHostServices({
        baseUrl: 'http://localhost:65002',
        dataDir,
        functions: [serviceBusFunction(QUEUE, { sessions: true })],
        serviceBus: { maxConcurrentSessions: 2 },
        warn: (_fields, message) => void warnings.push(message),
        invoke: (_fn, data) => {
          deliveries.push(String(data.json));
          return Promise.resolve();
        },
      });
      const extension = createServiceBusExtension({ busyTimeoutMs: 20 });
      await extension.start(services);
      try {
        await until(
          'a receive meets the lock',
          () => warnings.includes('service bus receive failed; retrying') || rejections.length > 0,
        );
        // Before the fix: the worker's loop rejected with SQLITE_BUSY (the host died of it) and never received again.
        expect(rejections).toEqual([]);
        expect(deliveries).toEqual([]);

        blocker.exec('COMMIT');
        blocker.close();
        await until('the message is completed', () => extension.store().counts(QUEUE).completed === 1);
        expect(deliveries).toEqual([JSON.stringify({ eventId: 'busy-1' })]);
        expect(extension.store().deadLetters(QUEUE)).toEqual([]);
        expect(rejections).toEqual([]);
      } finally {
        if (blocker.open) blocker.close();
        await extension.stop();
      }
    },
  );
});
