import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../shared/domain/policy';
import { DeletionGuard } from '../../shared/governance/deletion-guard';
import { TableDeletionGuard } from '../../shared/governance/table-deletion-guard';
import type { DeletionGuardPort } from '../../shared/ports/deletion-guard';
import { fakeTable } from '../support/fake-table';
import { readFileSync } from 'node:fs';

const policy = parsePolicy(
  readFileSync(path.resolve(__dirname, '../../policy/policy.yaml'), 'utf8').replace(/maxPerHour: \d+/, 'maxPerHour: 2'),
);

const stores: [string, () => DeletionGuardPort][] = [
  ['SQLite', () => new DeletionGuard(path.join(mkdtempSync(path.join(tmpdir(), 'jml-guard-')), 'g.sqlite'))],
  ['Table Storage', () => new TableDeletionGuard(fakeTable())],
];

describe.each(stores)('deletion guard on %s', (_name, make) => {
  it('lets removals through up to maxPerHour, then holds them until approved or rejected', async () => {
    const guard = make();
    const req = (n: number) => ({
      employeeId: `E${n}`,
      action: 'disable' as const,
      instanceId: `person-E${n}:leaver`,
      eventId: `t${n}`,
    });
    expect((await guard.check(req(1), policy)).decision).toBe('proceed');
    expect((await guard.check(req(2), policy)).decision).toBe('proceed');
    const held = await guard.check(req(3), policy);
    expect(held.decision).toBe('held');
    // Asking again for the same leaver returns the same hold (the activity may be retried).
    expect(await guard.check(req(3), policy)).toEqual(held);
    const held4 = await guard.check(req(4), policy);
    expect((await guard.list('held')).map((h) => h.employeeId).sort()).toEqual(['E3', 'E4']);
    expect(await guard.decide(held.holdId!, true, 'alice')).toMatchObject({
      status: 'approved',
      decidedBy: 'alice',
      instanceId: 'person-E3:leaver',
    });
    expect((await guard.check(req(3), policy)).decision).toBe('proceed');
    expect(await guard.decide(held.holdId!, true, 'alice')).toBeNull();
    expect(await guard.decide(held4.holdId!, false, 'bob')).toMatchObject({ status: 'rejected' });
    expect(await guard.list('held')).toEqual([]);
  });

  it('holds when the window would pass maxPercent of the tenant, from percentAppliesFrom accounts up', async () => {
    const guard = make();
    const wide = { ...policy, deletionThreshold: { maxPerHour: 500, maxPercent: 10, percentAppliesFrom: 100 } };
    const req = (n: number, totalAccounts: number) => ({
      employeeId: `P${n}`,
      action: 'disable' as const,
      instanceId: `person-P${n}:leaver`,
      totalAccounts,
    });
    for (let n = 1; n <= 20; n++) expect((await guard.check(req(n, 200), wide)).decision).toBe('proceed');
    expect((await guard.check(req(21, 200), wide)).decision).toBe('held'); // 21 of 200 > 10 %
    expect((await guard.check(req(22, 50), wide)).decision).toBe('proceed'); // a 50-account tenant: maxPerHour only
  });
});
