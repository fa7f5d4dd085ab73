import { expect, it } from 'vitest';
import type { AuditLog, AuditRecord } from '../../shared/ports/audit-log';

const row = (employeeId: string | null, after: unknown, at = '2026-12-02T10:00:00.000Z'): AuditRecord => ({
  at,
  actor: 'orchestration',
  action: 'access.apply',
  employeeId,
  target: 'entra',
  outcome: 'success',
  reason: null,
  before: { groups: [] },
  after,
  correlation: { instanceId: 'person-E1' },
});

/**
 * The write-ahead intent (AuditLog.intend): what a retried step finds of an attempt that stopped between its
 * directory write and its row. Every adapter keeps the earliest intent, closes it with the row atomically, and never
 * shows an intent as a row.
 */
export function auditIntentContract(make: () => Promise<AuditLog>): void {
  it('keeps the first attempt’s intent for the retry, closes it with its row, lists no intent as a row', async () => {
    const log = await make();
    const key = { key: 'person-E1|applyAccess|abc|access.apply', employeeId: 'E1' };
    expect(await log.intend(key, row('E1', { add: ['g1', 'g2'] }))).toBeNull();
    expect(await log.openIntent(key)).toMatchObject({ after: { add: ['g1', 'g2'] } });
    // The retry announces what is left; the first attempt's intent (with the state before its writes) is answered.
    expect(await log.intend(key, row('E1', { add: ['g2'] }))).toMatchObject({ after: { add: ['g1', 'g2'] } });
    expect(await log.openIntent(key)).toMatchObject({ after: { add: ['g1', 'g2'] } });
    // Another person's step with the same key text is another intent.
    expect(await log.openIntent({ ...key, employeeId: 'E2' })).toBeNull();
    const other = { key: 'person-E1|updateAccount|def|mover.updateUser', employeeId: 'E1' };
    await log.intend(other, {
      ...row('E1', { jobTitle: 'x' }, '2026-12-02T10:00:00.500Z'),
      action: 'mover.updateUser',
    });
    expect((await log.openIntents('E1')).map((r) => r.action)).toEqual(['access.apply', 'mover.updateUser']);
    expect(await log.openIntents('E2')).toEqual([]);
    expect(await log.query({ employeeId: 'E1' })).toEqual([]);
    expect((await log.page({ employeeId: 'E1' })).records).toEqual([]);

    await log.append([row('E1', { add: ['g1', 'g2'] }, '2026-12-02T10:00:01.000Z')], { closes: key });
    expect(await log.openIntent(key)).toBeNull();
    expect((await log.query({ employeeId: 'E1' })).map((r) => r.after)).toEqual([{ add: ['g1', 'g2'] }]);
    expect((await log.openIntents('E1')).map((r) => r.action)).toEqual(['mover.updateUser']);
    // Closed: the next attempt of a step with the same key starts afresh.
    expect(await log.intend(key, row('E1', { add: ['g3'] }))).toBeNull();
  });

  it('holds intents about no one; an append closing an intent no longer there still writes its row', async () => {
    const log = await make();
    const key = { key: 'ops|reevaluate|x|policy.reevaluate', employeeId: null };
    expect(await log.intend(key, row(null, { n: 1 }))).toBeNull();
    expect(await log.openIntent(key)).toMatchObject({ after: { n: 1 } });
    await log.append([row(null, { n: 1 })], { closes: key });
    expect(await log.openIntent(key)).toBeNull();
    await log.append([row(null, { n: 2 }, '2026-12-02T10:00:02.000Z')], { closes: key });
    expect((await log.query({})).map((r) => r.after)).toEqual([{ n: 1 }, { n: 2 }]);
  });
}
