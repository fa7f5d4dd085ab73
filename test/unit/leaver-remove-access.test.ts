import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditRecord } from '../../shared/ports/audit-log';
import type { DirectoryMembership, UserRelationsChange } from '../../shared/ports/directory';
import type { Policy } from '../../shared/domain/policy';
import { removeAccess } from '../../functions/activities/account-state';
import { demoPolicy, G } from './domain/fixtures';

/**
 * The leaver's removeAccess activity (issue 15: "removing the leaver's session revocation" survived every test).
 * The directory is a recording fake: the test asserts which Graph writes the leaver makes, in which order.
 */
const state = vi.hoisted(() => ({
  policy: null as unknown,
  calls: [] as string[],
  memberships: [] as DirectoryMembership[],
  audited: [] as unknown[],
}));

vi.mock('../../shared/services', () => ({
  services: () => ({
    policy: state.policy,
    directory: {
      setAccountEnabled: (userId: string, enabled: boolean) =>
        Promise.resolve(void state.calls.push(`setAccountEnabled ${userId} ${enabled}`)),
      revokeSignInSessions: (userId: string) =>
        Promise.resolve(void state.calls.push(`revokeSignInSessions ${userId}`)),
      listMemberships: () => Promise.resolve(state.memberships),
      applyRelations: (userId: string, change: UserRelationsChange) => {
        state.calls.push(`applyRelations ${userId} remove ${(change.removeGroupIds ?? []).join(',')}`);
        return Promise.resolve({ failures: [] });
      },
      listGroupIds: () => Promise.resolve([]),
    },
    auditLog: { append: (records: AuditRecord[]) => Promise.resolve(void state.audited.push(...records)) },
  }),
}));
vi.mock('durable-functions', () => ({ app: { activity: () => undefined } }));

const group = (id: string): DirectoryMembership => ({ id, displayName: null, kind: 'group', keptBecause: null });

beforeEach(() => {
  state.calls.length = 0;
  state.audited.length = 0;
  state.memberships = [group(G(1))];
});

describe('removeAccess (leaver at the leave date)', () => {
  it('disables sign-in, revokes the sessions, then removes the groups (policy leaver.revokeSessions)', async () => {
    state.policy = demoPolicy;
    expect(await removeAccess({ employeeId: 'E1', userId: 'u-1', instanceId: 'person-E1' })).toEqual({
      removedGroupIds: [G(1)],
    });
    expect(state.calls).toEqual([
      'setAccountEnabled u-1 false',
      'revokeSignInSessions u-1',
      `applyRelations u-1 remove ${G(1)}`,
    ]);
    expect(state.audited[0]).toMatchObject({
      action: 'leaver.removeAccess',
      outcome: 'success',
      after: { accountEnabled: false, sessionsRevoked: true, removed: [G(1)] },
    });
  });

  it('leaves the sessions alone when the policy says leaver.revokeSessions: false', async () => {
    const policy: Policy = { ...demoPolicy, leaver: { ...demoPolicy.leaver, revokeSessions: false } };
    state.policy = policy;
    await removeAccess({ employeeId: 'E1', userId: 'u-1', instanceId: 'person-E1' });
    expect(state.calls).not.toContain('revokeSignInSessions u-1');
    expect(state.audited[0]).toMatchObject({ after: { sessionsRevoked: false } });
  });
});
