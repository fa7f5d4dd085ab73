import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteScimTargetHealth } from '../../shared/adapters/sqlite/scim-target-health-store';
import { TableScimTargetHealth } from '../../shared/adapters/table-storage/scim-target-health-table';
import { closedCircuit } from '../../shared/domain/scim-circuit';
import type { ParkedSync, ScimTargetHealth } from '../../shared/ports/scim-target-health';
import { startAzurite, type Azurite } from '../support/azurite';

/**
 * The SCIM targets' backlogs, circuits and sender states (the ScimTargetHealth port), the same on SQLite (local) and
 * Table Storage (Azure, on Azurite): what the per-target senders rely on.
 */
let azurite: Azurite | undefined;
afterAll(async () => azurite?.stop());

const stores: [string, () => Promise<ScimTargetHealth>][] = [
  ['SQLite', async () => new SqliteScimTargetHealth(path.join(mkdtempSync(path.join(tmpdir(), 'sth-')), 'h.sqlite'))],
  [
    'Table Storage (Azurite)',
    async () => {
      azurite ??= await startAzurite();
      return new TableScimTargetHealth(await azurite.createTable(`scimhealth${Math.floor(Math.random() * 1e9)}`));
    },
  ],
];

const sync = (employeeId: string, seq: number, extra: Partial<ParkedSync> = {}): ParkedSync => ({
  targetId: 'crm',
  employeeId,
  seq,
  action: 'upsert',
  userId: `u-${employeeId}`,
  correlation: {},
  parkedAt: '2026-12-02T00:00:00.000Z',
  reason: 'queued',
  ...extra,
});

describe.each(stores)('SCIM target health (%s)', (_name, make) => {
  it("keeps each person's latest sync once; an initial sync never replaces a change", async () => {
    const health = await make();
    await health.park(sync('E1', 5));
    await health.park(sync('E1', 3, { action: 'delete' }));
    expect(await health.parkedFor('crm', 'E1')).toMatchObject({ seq: 5, action: 'upsert' });
    await health.park(sync('E1', 9, { action: 'deactivate' }));
    expect(await health.parkedFor('crm', 'E1')).toMatchObject({ seq: 9, action: 'deactivate' });
    await health.park(sync('E1', 0, { reason: 'initial sync' }), { onlyIfAbsent: true });
    expect(await health.parkedFor('crm', 'E1')).toMatchObject({ seq: 9 });
    expect(await health.countParked('crm')).toBe(1);
    expect(await health.parkedFor('other', 'E1')).toBeNull();
  });

  it('pages the backlog in employee order from a cursor, and unparks only the seq that was sent', async () => {
    const health = await make();
    for (const id of ['E4', 'E1', 'E3', 'E2', 'E5']) await health.park(sync(id, 1));
    await health.park(sync('X1', 1, { targetId: 'wiki' }));
    expect((await health.parked('crm', 2)).map((s) => s.employeeId)).toEqual(['E1', 'E2']);
    expect((await health.parked('crm', 2, 'E2')).map((s) => s.employeeId)).toEqual(['E3', 'E4']);
    expect((await health.parked('crm', 10, 'E4')).map((s) => s.employeeId)).toEqual(['E5']);
    expect(await health.parked('crm', 10, 'E5')).toEqual([]);
    // A newer change arrived while E1's older one was being sent: the newer one stays.
    await health.park(sync('E1', 2));
    expect(await health.unpark('crm', 'E1', 1)).toBe(false);
    expect(await health.unpark('crm', 'E1', 2)).toBe(true);
    expect(await health.unpark('crm', 'E1', 2)).toBe(false);
    expect(await health.countParked('crm')).toBe(4);
    expect(await health.countParked('wiki')).toBe(1);
  });

  it('a sender is idle until it says otherwise, and says so per target', async () => {
    const health = await make();
    expect(await health.sender('crm')).toEqual({ idle: true, until: null });
    await health.setSender('crm', { idle: false, until: '2026-12-02T00:02:00.000Z' });
    expect(await health.sender('crm')).toEqual({ idle: false, until: '2026-12-02T00:02:00.000Z' });
    expect(await health.sender('wiki')).toEqual({ idle: true, until: null });
    await health.setSender('crm', { idle: true, until: null });
    expect(await health.sender('crm')).toEqual({ idle: true, until: null });
  });

  it('changes a circuit atomically under concurrent reports (none is lost)', async () => {
    const health = await make();
    expect(await health.circuit('crm')).toEqual(closedCircuit());
    const bump = () =>
      health.updateCircuit('crm', (circuit) => ({
        circuit: { ...circuit, failedProbes: circuit.failedProbes + 1 },
        result: null,
      }));
    await Promise.all(Array.from({ length: 8 }, bump));
    expect((await health.circuit('crm')).failedProbes).toBe(8);
  });
});
