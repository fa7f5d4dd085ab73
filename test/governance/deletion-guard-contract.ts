import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { parsePolicy } from '../../shared/domain/policy';
import type { DeletionGuardPort } from '../../shared/ports/deletion-guard';

export const policy = parsePolicy(
  readFileSync(path.resolve(__dirname, '../../policy/policy.yaml'), 'utf8').replace(/maxPerHour: \d+/, 'maxPerHour: 2'),
);

const req = (n: number) => ({
  employeeId: `E${n}`,
  action: 'disable' as const,
  instanceId: `person-E${n}:leaver`,
  eventId: `t${n}`,
});

/** What every DeletionGuardPort adapter does (SQLite locally, Table Storage in Azure). */
export function deletionGuardContract(make: () => Promise<DeletionGuardPort>): void {
  it('lets removals through up to maxPerHour, then holds them until approved or rejected', async () => {
    const guard = await make();
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
    expect(await guard.decide('no-such-hold', true, 'alice')).toBeNull();
  });

  it('holds when the window would pass maxPercent of the tenant, from percentAppliesFrom accounts up', async () => {
    const guard = await make();
    const wide = { ...policy, deletionThreshold: { maxPerHour: 500, maxPercent: 10, percentAppliesFrom: 100 } };
    const request = (n: number, totalAccounts: number) => ({
      employeeId: `P${n}`,
      action: 'disable' as const,
      instanceId: `person-P${n}:leaver`,
      totalAccounts,
    });
    for (let n = 1; n <= 20; n++) expect((await guard.check(request(n, 200), wide)).decision).toBe('proceed');
    expect((await guard.check(request(21, 200), wide)).decision).toBe('held'); // 21 of 200 > 10 %
    expect((await guard.check(request(22, 50), wide)).decision).toBe('proceed'); // 50 accounts: maxPerHour only
  });

  it('counts a retried leaver once: same decision key, fresh instance id (issue 24)', async () => {
    const guard = await make();
    // A failed leaver step runs again in a fresh child instance (`:attempt-2`), for the same decision.
    const attempt = (n: number) => ({
      ...req(1),
      instanceId: `person-E1:leaver:t1:0:attempt-${n}`,
      decisionKey: 't1:0',
    });
    expect((await guard.check({ ...attempt(1), instanceId: 'person-E1:leaver:t1:0' }, policy)).decision).toBe(
      'proceed',
    );
    expect((await guard.check(attempt(2), policy)).decision).toBe('proceed');
    expect((await guard.check(attempt(3), policy)).decision).toBe('proceed');
    // maxPerHour 2: E1 counted once, so E2 still proceeds; E3 is the third removal of the hour and is held.
    expect((await guard.check({ ...req(2), decisionKey: 't2:0' }, policy)).decision).toBe('proceed');
    const held = await guard.check({ ...req(3), decisionKey: 't3:0' }, policy);
    expect(held.decision).toBe('held');
    // The same decision key for another person, or another decision of the same person, is another removal.
    expect((await guard.check({ ...req(4), decisionKey: 't1:0' }, policy)).decision).toBe('held');
    expect(
      (await guard.check({ ...attempt(4), decisionKey: 'due:leaveAt@2027-01-01T00:00:00.000Z:0' }, policy)).decision,
    ).toBe('held');
    // A held decision retried in a fresh instance finds its hold; approved, it proceeds and is not counted again.
    expect(
      await guard.check({ ...req(3), instanceId: 'person-E3:leaver:t3:0:attempt-2', decisionKey: 't3:0' }, policy),
    ).toEqual(held);
    await guard.decide(held.holdId!, true, 'alice');
    expect((await guard.check({ ...req(3), instanceId: 'person-E3:x', decisionKey: 't3:0' }, policy)).decision).toBe(
      'proceed',
    );
    expect((await guard.list('held')).map((h) => h.employeeId).sort()).toEqual(['E1', 'E4']);
  });

  it('decides a hold once when two admins decide it at the same moment', async () => {
    const guard = await make();
    await guard.check(req(1), policy);
    await guard.check(req(2), policy);
    const { holdId } = await guard.check(req(3), policy);
    const decisions = await Promise.all([guard.decide(holdId!, true, 'alice'), guard.decide(holdId!, false, 'bob')]);
    expect(decisions.filter((d) => d !== null)).toHaveLength(1);
    const [decided] = await guard.list();
    expect(decided).toMatchObject(decisions.find((d) => d !== null)!);
  });
}
