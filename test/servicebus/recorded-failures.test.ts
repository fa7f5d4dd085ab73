import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteAuditLog } from '../../shared/adapters/audit/sqlite-audit-log';
import { processingFailure, withRecordedFailures } from '../../shared/adapters/queue/recorded-failures';
import type { DeadLetter } from '../../shared/ports/dead-letters';

const deadLetter = (messageId: string, sessionId: string | null): DeadLetter => ({
  sequenceNumber: 1,
  messageId,
  sessionId,
  body: {},
  enqueuedTime: '2026-11-25T10:00:00.000Z',
  deliveryCount: 10,
  reason: 'MaxDeliveryCountExceeded',
  description: "Message couldn't be consumed after maximum delivery attempts.",
});

describe('failures recorded by the processor, read back for the dead letters', () => {
  it('shows the last error recorded for each dead letter, whatever Service Bus recorded', async () => {
    const audit = new SqliteAuditLog(path.join(mkdtempSync(path.join(tmpdir(), 'jml-failures-')), 'audit.sqlite'));
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 10, minute));
    await audit.append([
      processingFailure(
        'hr-events',
        { messageId: 'e1', sessionId: 'P1', deliveryCount: 1 },
        new Error('boom 1'),
        at(1),
      ),
      processingFailure('hr-events', { messageId: 'e2', sessionId: 'P1', deliveryCount: 1 }, new Error('other'), at(2)),
      processingFailure(
        'hr-events',
        { messageId: 'e1', sessionId: 'P1', deliveryCount: 2 },
        new Error('boom 2'),
        at(3),
      ),
      processingFailure('other-queue', { messageId: 'e3', sessionId: 'P2' }, new Error('elsewhere'), at(4)),
      processingFailure('hr-events', { messageId: 'x', sessionId: null }, 'not an error', at(5)),
    ]);
    const view = await withRecordedFailures(
      'hr-events',
      [deadLetter('e1', 'P1'), deadLetter('e3', 'P2'), deadLetter('x', null), deadLetter('e9', 'P1')],
      audit,
    );
    expect(view.map((d) => d.failure)).toEqual([
      { at: at(3).toISOString(), reason: 'boom 2', deliveryCount: 2 },
      null,
      { at: at(5).toISOString(), reason: 'not an error', deliveryCount: null },
      null,
    ]);
    expect(view[0]).toMatchObject({ reason: 'MaxDeliveryCountExceeded', messageId: 'e1' });
    // The records are part of the person's trail too.
    expect((await audit.query({ employeeId: 'P1' })).map((r) => [r.action, r.outcome])).toEqual([
      ['hr-event.processing-failed', 'failure'],
      ['hr-event.processing-failed', 'failure'],
      ['hr-event.processing-failed', 'failure'],
    ]);
  });
});
