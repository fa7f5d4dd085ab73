import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SqliteAuditLog } from '../../shared/adapters/audit/sqlite-audit-log';
import type { AuditRecord } from '../../shared/ports/audit-log';
import type { DirectoryUser, UserRelationsChange } from '../../shared/ports/directory';
import { accessChanges } from '../../shared/domain/jml-decisions';
import { withStepIdentity } from '../../functions/activities/step-identity';
import { ensureAccount } from '../../functions/activities/ensure-account';
import { applyAccess } from '../../functions/activities/apply-access';
import { updateAccount } from '../../functions/activities/update-account';
import { removeAccess, restoreAccount } from '../../functions/activities/account-state';
import { demoPolicy, directoryUser, G, worker } from './domain/fixtures';

/**
 * Issue 24, the chaos run's open gap: a SIGKILL between a Graph write and its audit row left the change with no
 * row, because the retried step read the directory, found nothing left to change and wrote none. Each step now
 * records its row as a write-ahead intent first; here the "kill" is the row's append failing once (the attempt
 * dies after its write), and the retry, same step and input, must write the row for the change the first made.
 */
const state = vi.hoisted(() => ({
  log: null as unknown,
  crashAppends: 0,
  users: new Map<string, DirectoryUser>(),
  deleted: new Map<string, DirectoryUser>(),
  groups: new Map<string, Set<string>>(),
  writes: [] as string[],
  failWrites: 0,
}));

vi.mock('../../shared/services', () => ({
  services: () => {
    const log = state.log as SqliteAuditLog;
    const groupsOf = (id: string) => state.groups.get(id) ?? state.groups.set(id, new Set()).get(id)!;
    const byEmployee = (m: Map<string, DirectoryUser>, e: string) => [...m.values()].find((u) => u.employeeId === e);
    const write = (what: string) => {
      if (state.failWrites > 0 && state.failWrites--) return Promise.reject(new Error(`Graph unreachable: ${what}`));
      state.writes.push(what);
      return Promise.resolve();
    };
    return {
      policy: demoPolicy,
      directory: {
        lookupForJoiner: (employeeId: string) =>
          Promise.resolve({
            existing: byEmployee(state.users, employeeId) ?? null,
            taken: new Set<string>(),
            manager: null,
          }),
        createUser: async (user: Partial<DirectoryUser>) => {
          await write('create');
          const created = directoryUser({ ...user, id: 'u-1' } as Partial<DirectoryUser>);
          state.users.set(created.id, created);
          return created;
        },
        getUser: (id: string) => Promise.resolve(state.users.get(id) ?? null),
        updateUser: async (id: string, changes: Partial<DirectoryUser>) => {
          await write('update');
          state.users.set(id, { ...state.users.get(id)!, ...changes });
        },
        setAccountEnabled: async (id: string, enabled: boolean) => {
          await write(enabled ? 'enable' : 'disable');
          state.users.set(id, { ...state.users.get(id)!, accountEnabled: enabled });
        },
        revokeSignInSessions: () => Promise.resolve(),
        findUserByEmployeeId: (e: string) => Promise.resolve(byEmployee(state.users, e) ?? null),
        findDeletedUserByEmployeeId: (e: string) => Promise.resolve(byEmployee(state.deleted, e) ?? null),
        restoreDeletedUser: async (id: string) => {
          await write('restore');
          const user = state.deleted.get(id)!;
          state.deleted.delete(id);
          state.users.set(id, user);
          return user;
        },
        listGroupIds: (id: string) => Promise.resolve([...groupsOf(id)]),
        listMemberships: (id: string) =>
          Promise.resolve(
            [...groupsOf(id)].map((g) => ({ id: g, displayName: null, kind: 'group' as const, keptBecause: null })),
          ),
        getManagerId: () => Promise.resolve(null),
        listLicenseStates: () => Promise.resolve([]),
        applyRelations: async (id: string, change: UserRelationsChange) => {
          for (const g of change.addGroupIds ?? []) {
            await write(`group-add ${g}`);
            groupsOf(id).add(g);
          }
          for (const g of change.removeGroupIds ?? []) {
            await write(`group-remove ${g}`);
            groupsOf(id).delete(g);
          }
          return { failures: [] };
        },
      },
      managerWaitlist: { waiting: () => Promise.resolve([]) },
      auditLog: {
        intend: log.intend.bind(log),
        openIntent: log.openIntent.bind(log),
        query: log.query.bind(log),
        append: (records: AuditRecord[], options?: Parameters<SqliteAuditLog['append']>[1]) => {
          if (state.crashAppends > 0 && state.crashAppends--) return Promise.reject(new Error('host killed'));
          return log.append(records, options);
        },
      },
    };
  },
}));
vi.mock('durable-functions', () => ({ app: { activity: () => undefined } }));

const log = () => state.log as SqliteAuditLog;
const step = <T>(name: string, run: (input: unknown) => Promise<T>, input: Record<string, unknown>) =>
  withStepIdentity(name, input, () => run(input));
/** The first attempt dies after its writes, before its row; the durable retry runs the same step again. */
async function killedThenRetried<T>(name: string, run: (input: unknown) => Promise<T>, input: Record<string, unknown>) {
  state.crashAppends = 1;
  await expect(step(name, run, input)).rejects.toThrow('host killed');
  return step(name, run, input);
}
const rows = async (action: string) => (await log().query({ employeeId: 'E1' })).filter((r) => r.action === action);

beforeEach(() => {
  state.log = new SqliteAuditLog(path.join(mkdtempSync(path.join(tmpdir(), 'jml-intent-')), 'audit.sqlite'));
  state.users.clear();
  state.deleted.clear();
  state.groups.clear();
  state.writes.length = 0;
  state.crashAppends = 0;
  state.failWrites = 0;
});

const record = worker({ employeeId: 'E1' });
const base = { employeeId: 'E1', instanceId: 'person-E1', eventId: 'ev-1' };

describe('a step killed between its directory write and its audit row', () => {
  it('joiner: the retry finds the account the first attempt created and writes its joiner.createUser row', async () => {
    await killedThenRetried('ensureAccount', ensureAccount, { ...base, record });
    expect(state.writes).toEqual(['create']);
    expect(await rows('joiner.createUser')).toEqual([
      expect.objectContaining({ outcome: 'success', after: expect.objectContaining({ id: 'u-1' }) }),
    ]);
    // The converge finds the attributes in place: it claims no update.
    expect((await rows('joiner.converge')).map((r) => r.after)).toEqual([{}]);
  });

  it('rehire converge: the enable the first attempt made is on the retry’s joiner.converge row', async () => {
    state.users.set('u-1', directoryUser({ id: 'u-1', employeeId: 'E1', accountEnabled: false }));
    await killedThenRetried('ensureAccount', ensureAccount, { ...base, record, enable: true });
    expect(state.writes).toEqual(['enable']);
    expect(await rows('joiner.converge')).toEqual([
      expect.objectContaining({
        before: expect.objectContaining({ accountEnabled: false }),
        after: { accountEnabled: true },
      }),
    ]);
    expect(await rows('joiner.createUser')).toEqual([]);
  });

  it('access: the groups the first attempt added are on the retry’s access.apply row', async () => {
    state.users.set('u-1', directoryUser({ id: 'u-1', employeeId: 'E1' }));
    const { add } = accessChanges([], record, demoPolicy, {});
    expect(add.length).toBeGreaterThan(0);
    await killedThenRetried('applyAccess', applyAccess, { ...base, userId: 'u-1', record });
    expect(state.writes).toEqual(add.map((g) => `group-add ${g}`));
    const [row, ...more] = await rows('access.apply');
    expect(more).toEqual([]);
    expect(row).toMatchObject({ outcome: 'success', after: { add: expect.arrayContaining(add) } });
    expect((row!.after as { add: string[] }).add).toHaveLength(add.length);
  });

  it('mover: the attribute update the first attempt made is on the retry’s row, which is a success', async () => {
    state.users.set('u-1', directoryUser({ id: 'u-1', employeeId: 'E1' }));
    const moved = worker({ employeeId: 'E1', jobTitle: 'Staff Engineer' });
    await killedThenRetried('updateAccount', updateAccount, { ...base, userId: 'u-1', record: moved });
    expect(state.writes).toEqual(['update']);
    expect(await rows('mover.updateUser')).toEqual([
      expect.objectContaining({
        outcome: 'success',
        before: { jobTitle: 'Software Engineer' },
        after: { jobTitle: 'Staff Engineer' },
      }),
    ]);
  });

  it('leaver: the removals the first attempt made are on the retry’s leaver.removeAccess row', async () => {
    state.users.set('u-1', directoryUser({ id: 'u-1', employeeId: 'E1' }));
    state.groups.set('u-1', new Set([G(1), G(2)]));
    await killedThenRetried('removeAccess', removeAccess, { ...base, userId: 'u-1' });
    const [row, ...more] = await rows('leaver.removeAccess');
    expect(more).toEqual([]);
    expect(row).toMatchObject({ outcome: 'success', before: { groups: [G(1), G(2)] } });
    expect(new Set((row!.after as { removed: string[] }).removed)).toEqual(new Set([G(1), G(2)]));
  });

  it('rehire: the account the first attempt restored gets its rehire.restoreUser row', async () => {
    state.deleted.set('u-1', directoryUser({ id: 'u-1', employeeId: 'E1', deletedDateTime: '2026-11-01T00:00:00Z' }));
    expect(await killedThenRetried('restoreAccount', restoreAccount, base)).toEqual({ userId: 'u-1' });
    expect(state.writes).toEqual(['restore']);
    expect(await rows('rehire.restoreUser')).toEqual([
      expect.objectContaining({ outcome: 'success', after: { id: 'u-1' } }),
    ]);
  });
});

describe('the intent claims nothing that was not made', () => {
  it('an attempt that died before its write: the retry makes the change and one row names it once', async () => {
    state.users.set('u-1', directoryUser({ id: 'u-1', employeeId: 'E1' }));
    const { add } = accessChanges([], record, demoPolicy, {});
    state.failWrites = 1;
    const input = { ...base, userId: 'u-1', record };
    await expect(step('applyAccess', applyAccess, input)).rejects.toThrow('Graph unreachable');
    await step('applyAccess', applyAccess, input);
    const [row, ...more] = await rows('access.apply');
    expect(more).toEqual([]);
    expect([...(row!.after as { add: string[] }).add].sort()).toEqual([...add].sort());
  });

  it('a step run again after it completed (a new call, same input) finds no intent and claims nothing', async () => {
    state.users.set('u-1', directoryUser({ id: 'u-1', employeeId: 'E1' }));
    const moved = worker({ employeeId: 'E1', jobTitle: 'Staff Engineer' });
    const input = { ...base, userId: 'u-1', record: moved };
    await step('updateAccount', updateAccount, input);
    await step('updateAccount', updateAccount, input);
    expect((await rows('mover.updateUser')).map((r) => r.outcome)).toEqual(['success', 'skipped']);
  });

  it('the intent of a person’s step is not another step’s: a different event is a different key', async () => {
    state.users.set('u-1', directoryUser({ id: 'u-1', employeeId: 'E1' }));
    const moved = worker({ employeeId: 'E1', jobTitle: 'Staff Engineer' });
    state.crashAppends = 1;
    await expect(step('updateAccount', updateAccount, { ...base, userId: 'u-1', record: moved })).rejects.toThrow();
    await step('updateAccount', updateAccount, { ...base, eventId: 'ev-2', userId: 'u-1', record: moved });
    expect((await rows('mover.updateUser')).map((r) => r.outcome)).toEqual(['skipped']);
  });
});
