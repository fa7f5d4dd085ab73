import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableDeletionGuard } from '../../shared/governance/table-deletion-guard';
import { startAzurite, type Azurite } from '../support/azurite';
import { deletionGuardContract, policy } from './deletion-guard-contract';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => azurite?.stop());

const NOW = Date.parse('2026-11-25T12:00:00Z');

describe('deletion guard on Table Storage (Azurite)', () => {
  deletionGuardContract(async () => new TableDeletionGuard(await azurite.createTable('guard')));

  it('decides a hold once when two admins both read it before either writes (ETag)', async () => {
    const table = await azurite.createTable('guard');
    // Both updates wait until both admins have read the hold and sent theirs: the interleaving a race needs.
    let arrived = 0;
    let bothArrived!: () => void;
    const barrier = new Promise<void>((resolve) => (bothArrived = resolve));
    const racing = new Proxy(table, {
      get(target, property, receiver) {
        if (property !== 'updateEntity') return Reflect.get(target, property, receiver) as unknown;
        return async (...args: Parameters<typeof table.updateEntity>) => {
          if (++arrived === 2) bothArrived();
          await barrier;
          return target.updateEntity(...args);
        };
      },
    });
    const guard = new TableDeletionGuard(racing);
    const request = (n: number) => ({ employeeId: `E${n}`, action: 'disable' as const, instanceId: `person-E${n}` });
    await guard.check(request(1), policy);
    await guard.check(request(2), policy);
    const { holdId } = await guard.check(request(3), policy);
    const decisions = await Promise.all([guard.decide(holdId!, true, 'alice'), guard.decide(holdId!, true, 'bob')]);
    expect(decisions.filter((d) => d !== null)).toHaveLength(1);
    // One approval, so one more removal in the window (3 in all), not two.
    let removals = 0;
    for await (const _ of table.listEntities({ queryOptions: { filter: "PartitionKey eq 'removal'" } })) removals++;
    expect(removals).toBe(3);
  });

  it('counts every removal of the rolling hour across pages (more than 1,000 rows)', async () => {
    const table = await azurite.createTable('guard');
    // Seeded 100 rows per transaction in the adapter's layout: 1,200 removals in the last hour, 50 before it.
    const rows = Array.from({ length: 1250 }, (_, n) => {
      const at = new Date(NOW - (n < 1200 ? 1000 + n * 1000 : 3_700_000 + n * 1000)).toISOString();
      return { partitionKey: 'removal', rowKey: `${at}_${String(n).padStart(8, '0')}`, employeeId: `R${n}` };
    });
    for (let k = 0; k < rows.length; k += 100)
      await table.submitTransaction(rows.slice(k, k + 100).map((row) => ['create', { ...row, action: 'disable' }]));
    const guard = new TableDeletionGuard(table, () => NOW);
    const threshold = (maxPerHour: number) => ({
      ...policy,
      deletionThreshold: { ...policy.deletionThreshold, maxPerHour },
    });
    const request = { employeeId: 'X1', action: 'disable' as const, instanceId: 'person-X1:leaver' };
    expect((await guard.check(request, threshold(1150))).decision).toBe('held');
    expect((await guard.check({ ...request, instanceId: 'person-X2:leaver' }, threshold(1201))).decision).toBe(
      'proceed',
    );
  });

  it('lists more than 1,000 holds, oldest first', async () => {
    const table = await azurite.createTable('guard');
    const holds = Array.from({ length: 1100 }, (_, n) => ({
      partitionKey: 'hold',
      rowKey: `h${String(1100 - n).padStart(5, '0')}`,
      employeeId: `H${n}`,
      action: 'disable',
      instanceId: `person-H${n}:leaver`,
      eventId: '',
      createdAt: new Date(NOW + n * 1000).toISOString(),
      status: 'held',
      decidedBy: '',
    }));
    for (let k = 0; k < holds.length; k += 100)
      await table.submitTransaction(holds.slice(k, k + 100).map((row) => ['create', row]));
    const listed = await new TableDeletionGuard(table, () => NOW).list('held');
    expect(listed).toHaveLength(1100);
    expect(listed[0]).toMatchObject({ employeeId: 'H0', eventId: null, decidedBy: null });
    expect(listed.at(-1)?.employeeId).toBe('H1099');
  });
});
