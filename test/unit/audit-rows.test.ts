import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditRecord } from '../../shared/ports/audit-log';
import { ensureAccount } from '../../functions/activities/ensure-account';
import { setAccountEnabled } from '../../functions/activities/account-state';
import { demoPolicy, directoryUser, worker } from './domain/fixtures';

/**
 * Issue 24 (chaos run, "the audit trail holds one row per effective change"): two steps left a change without
 * its row. A rehire's converge enabled the account and its row did not say so; a step whose audit append met a
 * locked or full store failed, and its retry found nothing left to change, so the change it made had no row.
 */
const state = vi.hoisted(() => ({
  audited: [] as AuditRecord[],
  appendFailures: [] as string[],
  existing: null as unknown,
  calls: [] as string[],
  policy: null as unknown,
  waiting: {} as Record<string, string[]>,
}));

vi.mock('../../shared/services', () => ({
  services: () => ({
    policy: state.policy,
    directory: {
      lookupForJoiner: () => Promise.resolve({ existing: state.existing, taken: new Set<string>(), manager: null }),
      updateUser: () => Promise.resolve(void state.calls.push('updateUser')),
      setAccountEnabled: (_id: string, enabled: boolean) =>
        Promise.resolve(void state.calls.push(`setAccountEnabled ${enabled}`)),
    },
    managerWaitlist: { waiting: (managerId: string) => Promise.resolve(state.waiting[managerId] ?? []) },
    auditLog: {
      append: (records: AuditRecord[]) => {
        const code = state.appendFailures.shift();
        if (code) return Promise.reject(Object.assign(new Error(`store: ${code}`), { code }));
        state.audited.push(...records);
        return Promise.resolve();
      },
    },
  }),
}));
vi.mock('durable-functions', () => ({ app: { activity: () => undefined } }));
state.policy = demoPolicy;

beforeEach(() => {
  state.audited.length = 0;
  state.calls.length = 0;
  state.appendFailures = [];
  state.waiting = {};
});
afterEach(() => vi.useRealTimers());

describe('ensureAccount tells the joiner whether reports wait for this manager', () => {
  it('true only when the waitlist names someone (the joiner skips tellWaitingReports otherwise)', async () => {
    state.existing = directoryUser({ id: 'u-1', employeeId: 'M1', accountEnabled: true });
    const record = worker({ employeeId: 'M1' });
    expect(await ensureAccount({ employeeId: 'M1', record, instanceId: 'person-M1' })).toMatchObject({
      userId: 'u-1',
      reportsWaiting: false,
    });
    state.waiting = { M1: ['R1'] };
    expect(await ensureAccount({ employeeId: 'M1', record, instanceId: 'person-M1' })).toMatchObject({
      reportsWaiting: true,
    });
  });
});

describe('audit rows of the lifecycle steps', () => {
  it("a converge that enables the account says so on its row (a rehire's enable had no row)", async () => {
    const record = worker({ employeeId: 'E1' });
    state.existing = directoryUser({ id: 'u-1', employeeId: 'E1', accountEnabled: false });
    await ensureAccount({ employeeId: 'E1', record, instanceId: 'person-E1', enable: true });
    expect(state.calls).toContain('setAccountEnabled true');
    expect(state.audited).toEqual([
      expect.objectContaining({
        action: 'joiner.converge',
        before: expect.objectContaining({ accountEnabled: false }),
        after: expect.objectContaining({ accountEnabled: true }),
      }),
    ]);
  });

  it('a converge that enables nothing claims no enable', async () => {
    const record = worker({ employeeId: 'E1' });
    state.existing = directoryUser({ id: 'u-1', employeeId: 'E1', accountEnabled: true });
    await ensureAccount({ employeeId: 'E1', record, instanceId: 'person-E1', enable: true });
    expect(state.calls).not.toContain('setAccountEnabled true');
    expect(state.audited[0]!.after).not.toHaveProperty('accountEnabled');
  });

  it('waits for a busy or full audit store instead of failing the step after its change', async () => {
    vi.useFakeTimers();
    state.appendFailures = ['SQLITE_BUSY', 'SQLITE_FULL', 'SQLITE_FULL'];
    const done = setAccountEnabled({
      employeeId: 'E1',
      userId: 'u-1',
      enabled: false,
      reason: 'leaver',
      instanceId: 'i',
    });
    await vi.runAllTimersAsync();
    await done;
    expect(state.calls).toEqual(['setAccountEnabled false']);
    expect(state.audited).toEqual([expect.objectContaining({ action: 'disableUser', outcome: 'success' })]);
  });

  it('fails the step on any other store error, and once the store stays unavailable', async () => {
    state.appendFailures = ['EACCES'];
    const args = { employeeId: 'E1', userId: 'u-1', enabled: false, reason: 'leaver', instanceId: 'i' };
    await expect(setAccountEnabled(args)).rejects.toThrow('store: EACCES');
    vi.useFakeTimers();
    state.appendFailures = Array.from({ length: 20 }, () => 'SQLITE_FULL');
    const failed = setAccountEnabled(args).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await failed).toMatchObject({ code: 'SQLITE_FULL' });
    expect(state.audited).toEqual([]);
  });
});
