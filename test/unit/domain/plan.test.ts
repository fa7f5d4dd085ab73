import { describe, expect, it } from 'vitest';
import {
  planJoiner,
  planLeaver,
  planMover,
  planRehire,
  planRescind,
  renderPlan,
  type Plan,
} from '../../../shared/domain/plan';
import type { Policy } from '../../../shared/domain/policy';
import { demoPolicy, directoryUser, G, policyFrom, worker } from './fixtures';

const ops = (plan: Plan) => plan.operations.map((o) => `${o.target}:${o.op}`);
const op = (plan: Plan, name: string, target = 'entra') =>
  plan.operations.find((o) => o.op === name && o.target === target);

const scimPolicy: Policy = policyFrom(`
version: p-7
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}.{family}" }
mover: { graceDays: 0, notifyManagers: false }
leaver: { retentionDays: 10, notifyManager: false, revokeSessions: false }
birthright:
  rules:
    - { id: eng, when: { department: [Engineering] }, groups: [{ id: ${G(3)}, name: Engineering }] }
    - { id: sales, when: { department: [Sales] }, groups: [{ id: ${G(4)}, name: Sales }] }
retiredGroups: [{ id: ${G(15)}, name: VPN Users }]
scimTargets:
  - { id: wiki, name: Wiki, baseUrl: "https://wiki.example/scim/v2", when: { department: [Engineering] } }
  - { id: crm, name: CRM, baseUrl: "https://crm.example/scim/v2", when: { department: [Sales] } }
`);

describe('planJoiner', () => {
  it('plans a new hire: create disabled, groups, enable through activation on day 1; manager pending', () => {
    const w = worker({
      legalGivenName: 'José',
      legalFamilyName: 'Núñez',
      managerEmployeeId: 'E0001',
      personalEmail: 'jose@example.org',
    });
    const plan = planJoiner(w, demoPolicy, {
      existing: null,
      existingGroupIds: [],
      takenNames: new Set(),
      managerObjectId: null,
    });
    expect(plan).toMatchObject({
      kind: 'joiner',
      employeeId: 'E1001',
      policyVersion: '2026.11-1',
      pendingManagerEmployeeId: 'E0001',
    });
    expect(ops(plan)).toEqual(['entra:createUser', 'entra:addToGroups', 'entra:enableUser']);
    expect(op(plan, 'createUser')?.detail).toMatchObject({
      userPrincipalName: 'jose.nunez@contoso.com',
      mailNickname: 'jose.nunez',
      accountEnabled: false,
    });
    expect(op(plan, 'addToGroups')?.detail.groupIds).toEqual([G(1), G(3), G(15), G(8), G(11)]);
    expect(op(plan, 'enableUser')).toMatchObject({ notBefore: '2026-11-30T23:00:00Z', detail: { via: 'activation' } });
  });

  it('enables on day 1 without activation when there is no personal email to send the code to', () => {
    // As the runtime's schedule decides (selfActivates): activation needs the policy and a personal email.
    const plan = planJoiner(worker(), demoPolicy, {
      existing: null,
      existingGroupIds: [],
      takenNames: new Set(),
      managerObjectId: null,
    });
    expect(op(plan, 'enableUser')?.detail.via).toBe('day1');
  });

  it('never carries a password or other secret', () => {
    const plan = planJoiner(worker(), demoPolicy, {
      existing: null,
      existingGroupIds: [],
      takenNames: new Set(),
      managerObjectId: 'm-1',
    });
    expect(JSON.stringify(plan)).not.toMatch(/password/i);
  });

  it('sets the manager when their account exists', () => {
    const plan = planJoiner(worker({ managerEmployeeId: 'E0001' }), demoPolicy, {
      existing: null,
      existingGroupIds: [],
      takenNames: new Set(),
      managerObjectId: 'm-1',
    });
    expect(op(plan, 'setManager')?.detail).toEqual({
      userId: null,
      managerObjectId: 'm-1',
      managerEmployeeId: 'E0001',
    });
    expect(plan.pendingManagerEmployeeId).toBeNull();
  });

  it('takes the next free name on a collision and says why', () => {
    const plan = planJoiner(worker(), demoPolicy, {
      existing: null,
      existingGroupIds: [],
      takenNames: new Set(['ada.lovelace@contoso.com', 'ada.lovelace2']),
      managerObjectId: null,
    });
    expect(op(plan, 'createUser')?.detail.userPrincipalName).toBe('ada.lovelace3@contoso.com');
    expect(op(plan, 'createUser')?.reason).toMatch(/ada\.lovelace@contoso\.com is taken/);
  });

  it('holds when every candidate is taken', () => {
    const taken = new Set(Array.from({ length: 40 }, (_, i) => (i < 1 ? 'ada.lovelace' : `ada.lovelace${i + 1}`)));
    const plan = planJoiner(worker(), demoPolicy, {
      existing: null,
      existingGroupIds: [],
      takenNames: taken,
      managerObjectId: null,
    });
    expect(ops(plan)).toEqual(['entra:hold']);
    expect(op(plan, 'hold')?.detail.code).toBe('no-free-upn');
  });

  it('converges on an existing account: no create, only the differences', () => {
    const existing = directoryUser({ jobTitle: 'Intern', accountEnabled: false });
    const plan = planJoiner(worker(), scimPolicy, {
      existing,
      existingGroupIds: [G(15)],
      takenNames: new Set(),
      managerObjectId: null,
    });
    expect(ops(plan)).toEqual([
      'entra:updateUser',
      'entra:addToGroups',
      'entra:removeFromGroups',
      'wiki:createUser',
      'entra:enableUser',
    ]);
    expect(op(plan, 'updateUser')?.detail.changes).toEqual({ jobTitle: 'Software Engineer' });
    expect(op(plan, 'removeFromGroups')?.detail.groupIds).toEqual([G(15)]);
    expect(op(plan, 'enableUser')?.detail.via).toBe('day1');
  });

  it('re-running a finished joiner plans no directory change', () => {
    const existing = directoryUser();
    const plan = planJoiner(worker(), scimPolicy, {
      existing,
      existingGroupIds: [G(3)],
      takenNames: new Set(),
      managerObjectId: null,
    });
    expect(ops(plan)).toEqual(['wiki:createUser']);
  });
});

describe('planMover', () => {
  const user = directoryUser();
  const previous = worker({ managerEmployeeId: 'E0001' });

  it('engineering → sales with grace period: patch, add now, remove old role later, new manager, notify both', () => {
    const next = worker({ department: 'Sales', jobTitle: 'Account Executive', managerEmployeeId: 'E0002' });
    const plan = planMover(previous, next, demoPolicy, {
      user,
      currentGroupIds: [G(1), G(3), G(15), G(8), G(11)],
      managerObjectId: 'm-2',
      currentManagerId: 'm-1',
    });
    expect(ops(plan)).toEqual([
      'entra:updateUser',
      'entra:setManager',
      'entra:addToGroups',
      'entra:removeFromGroups',
      'mail:notify',
      'mail:notify',
    ]);
    expect(op(plan, 'updateUser')?.detail.changes).toEqual({ department: 'Sales', jobTitle: 'Account Executive' });
    expect(op(plan, 'updateUser')?.reason).toContain('department Engineering → Sales');
    expect(op(plan, 'addToGroups')?.detail.groupIds).toEqual([G(4)]);
    // VPN Users is granted by the sales rule too: it stays.
    expect(op(plan, 'removeFromGroups')).toMatchObject({ delayDays: 7, detail: { groupIds: [G(3)] } });
    expect(plan.operations.filter((o) => o.op === 'notify').map((o) => o.detail.recipient)).toEqual([
      'previousManager',
      'newManager',
    ]);
  });

  it('without grace every group the new role lacks goes at once, in one removal', () => {
    const next = worker({ department: 'Sales' });
    const plan = planMover(worker(), next, scimPolicy, {
      user,
      currentGroupIds: [G(3), G(15)],
      managerObjectId: null,
      currentManagerId: null,
    });
    const removals = plan.operations.filter((o) => o.op === 'removeFromGroups');
    expect(removals.map((o) => [o.detail.groupIds, o.delayDays])).toEqual([[[G(3), G(15)], undefined]]);
    expect(ops(plan)).toEqual([
      'entra:updateUser',
      'entra:addToGroups',
      'entra:removeFromGroups',
      'crm:createUser',
      'wiki:disableUser',
    ]);
  });

  it('an unchanged record plans nothing', () => {
    const plan = planMover(previous, previous, demoPolicy, {
      user,
      currentGroupIds: [G(1), G(3), G(15), G(8), G(11)],
      managerObjectId: 'm-1',
      currentManagerId: 'm-1',
    });
    expect(plan.operations).toEqual([]);
    expect(plan.notes).toEqual(['nothing to change']);
  });

  it('removes the manager when HR drops it; waits when the new manager has no account yet', () => {
    const noManager = planMover(previous, worker(), scimPolicy, {
      user,
      currentGroupIds: [G(3)],
      managerObjectId: null,
      currentManagerId: 'm-1',
    });
    expect(ops(noManager)).toEqual(['entra:removeManager']);
    const pending = planMover(previous, worker({ managerEmployeeId: 'E0009' }), scimPolicy, {
      user,
      currentGroupIds: [G(3)],
      managerObjectId: null,
      currentManagerId: 'm-1',
    });
    expect(pending.operations).toEqual([]);
    expect(pending.pendingManagerEmployeeId).toBe('E0009');
  });

  it('updates SCIM targets still in scope when attributes change', () => {
    const plan = planMover(worker(), worker({ jobTitle: 'Staff Engineer' }), scimPolicy, {
      user,
      currentGroupIds: [G(3)],
      managerObjectId: null,
      currentManagerId: null,
    });
    expect(ops(plan)).toEqual(['entra:updateUser', 'wiki:updateUser']);
  });
});

describe('planLeaver', () => {
  const user = directoryUser();
  const leaving = worker({ leaveDate: '2026-12-31', managerEmployeeId: 'E0001' });

  it('disables, revokes, removes groups and licences (recorded), notifies, deletes after retention', () => {
    const manual = 'ffffffff-1111-4000-8000-000000000000';
    const plan = planLeaver(leaving, demoPolicy, { user, currentGroupIds: [G(1), G(3), G(11), manual] });
    expect(ops(plan)).toEqual([
      'entra:updateUser',
      'entra:disableUser',
      'entra:revokeSessions',
      'entra:removeFromGroups',
      'entra:removeFromGroups',
      'mail:notify',
      'entra:deleteUser',
    ]);
    expect(op(plan, 'updateUser')?.detail.changes).toEqual({ employeeLeaveDateTime: '2026-12-31T23:00:00Z' });
    const [groups, licences] = plan.operations.filter((o) => o.op === 'removeFromGroups');
    expect(groups?.detail.groupIds).toEqual([G(1), G(3), manual]);
    expect(licences?.detail.groupIds).toEqual([G(11)]);
    expect(op(plan, 'deleteUser')).toMatchObject({ notBefore: '2027-01-30T23:00:00Z', delayDays: 30 });
  });

  it('immediate termination: no fixed deletion instant; an already-disabled account is not disabled again', () => {
    const plan = planLeaver(worker(), scimPolicy, {
      user: directoryUser({ accountEnabled: false }),
      currentGroupIds: [G(3)],
      immediate: true,
    });
    expect(ops(plan)).toEqual(['entra:removeFromGroups', 'wiki:disableUser', 'wiki:deleteUser', 'entra:deleteUser']);
    expect(op(plan, 'deleteUser')).toMatchObject({ delayDays: 10 });
    expect(op(plan, 'deleteUser')?.notBefore).toBeUndefined();
    expect(plan.notes).toContain('account already disabled');
  });

  it('keeps memberships when the policy says so', () => {
    const policy = policyFrom(`
version: k
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}" }
leaver: { removeGroups: false, removeLicences: true, revokeSessions: false, notifyManager: false }
licenceGroups: [{ id: ${G(11)}, name: E3, sku: SPE_E3 }]
`);
    const plan = planLeaver(leaving, policy, { user, currentGroupIds: [G(1), G(11)] });
    expect(plan.operations.filter((o) => o.op === 'removeFromGroups').map((o) => o.detail.groupIds)).toEqual([[G(11)]]);
  });
});

describe('planRehire', () => {
  it('restores a deleted account instead of creating one, then re-runs the joiner rules', () => {
    const former = directoryUser({
      accountEnabled: false,
      deletedDateTime: '2027-01-31T00:00:00Z',
      employeeLeaveDateTime: '2026-12-31T23:00:00Z',
    });
    const plan = planRehire(worker({ hireDate: '2027-03-01' }), scimPolicy, {
      formerUser: former,
      formerGroupIds: [],
      managerObjectId: null,
    });
    expect(ops(plan)).toEqual([
      'entra:restoreUser',
      'entra:updateUser',
      'entra:addToGroups',
      'wiki:createUser',
      'entra:enableUser',
    ]);
    expect(op(plan, 'updateUser')?.detail.changes).toEqual({
      employeeHireDate: '2027-02-28T23:00:00Z',
      employeeLeaveDateTime: null,
    });
    expect(op(plan, 'enableUser')?.notBefore).toBe('2027-02-28T23:00:00Z');
    expect(ops(plan)).not.toContain('entra:createUser');
  });

  it('does not restore an account that was only disabled', () => {
    const plan = planRehire(worker(), scimPolicy, {
      formerUser: directoryUser({ accountEnabled: false }),
      formerGroupIds: [G(3)],
      managerObjectId: null,
    });
    expect(ops(plan)).toEqual(['wiki:createUser', 'entra:enableUser']);
  });
});

describe('planRescind', () => {
  it('deletes the unused pre-hire account at once and removes it from SCIM targets', () => {
    const plan = planRescind(worker({ managerEmployeeId: 'E0001' }), demoPolicy, {
      user: directoryUser({ accountEnabled: false }),
    });
    // The rescind step deletes and nothing else: no disable first, no manager mail.
    expect(ops(plan)).toEqual(['entra:deleteUser']);
    expect(op(plan, 'deleteUser')?.delayDays).toBeUndefined();
    const scim = planRescind(worker(), scimPolicy, { user: directoryUser() });
    expect(ops(scim)).toEqual(['wiki:deleteUser', 'entra:deleteUser']);
  });

  it('plans nothing when the account was not created yet', () => {
    const plan = planRescind(worker(), demoPolicy, { user: null });
    expect(plan.operations).toEqual([]);
    expect(plan.notes[0]).toMatch(/no account/);
  });
});

describe('renderPlan', () => {
  it('prints one numbered line per operation with its reason and schedule', () => {
    const plan = planLeaver(worker({ leaveDate: '2026-12-31' }), scimPolicy, {
      user: directoryUser(),
      currentGroupIds: [G(3)],
    });
    expect(renderPlan(plan).split('\n')).toEqual([
      'leaver plan for E1001 (policy p-7): 6 operation(s)',
      '   1. entra    updateUser       Update employeeLeaveDateTime',
      '      why: leave date 2026-12-31 in Europe/Paris',
      '   2. entra    disableUser      Disable sign-in',
      '      why: leave date 2026-12-31 in Europe/Paris',
      '   3. entra    removeFromGroups Remove from 1 group(s): Engineering',
      '      why: leaver.removeGroups: every assigned group membership is removed and recorded for a rehire' +
        ' (policy p-7)',
      '   4. wiki     disableUser      Deactivate in Wiki',
      '      why: leave date 2026-12-31 in Europe/Paris',
      '   5. wiki     deleteUser       Delete from Wiki after 10 day(s) [not before 2027-01-10T23:00:00Z]',
      '      why: leaver.retentionDays 10 (policy p-7)',
      '   6. entra    deleteUser       Delete the account after 10 day(s) (restorable for 30 days) ' +
        '[not before 2027-01-10T23:00:00Z]',
      '      why: leaver.retentionDays 10 (policy p-7); through the accidental-deletion guard',
    ]);
  });
});

describe('plans take the runtime decisions (shared/domain/jml-decisions.ts)', () => {
  it('a leaver plan removes only assigned groups and notes what is kept, and why', () => {
    const plan = planLeaver(worker({ leaveDate: '2026-12-31' }), demoPolicy, {
      user: directoryUser(),
      currentGroupIds: [],
      memberships: [
        { id: G(3), displayName: 'Engineering', kind: 'group', keptBecause: null },
        { id: 'dyn', displayName: 'All FR', kind: 'dynamicGroup', keptBecause: 'dynamic membership' },
        { id: 'role', displayName: 'Helpdesk Administrator', kind: 'directoryRole', keptBecause: 'a directory role' },
      ],
    });
    expect(plan.operations.filter((o) => o.op === 'removeFromGroups').map((o) => o.detail.groupIds)).toEqual([[G(3)]]);
    expect(plan.notes).toEqual([
      'kept dynamicGroup All FR: dynamic membership',
      'kept directoryRole Helpdesk Administrator: a directory role',
    ]);
  });

  it('mails managers only for a field in mover.notifyOn, and not those without a mailbox', () => {
    const user = directoryUser();
    const before = worker({ managerEmployeeId: 'E0001' });
    const office = planMover(before, worker({ managerEmployeeId: 'E0001', officeLocation: 'Lyon' }), demoPolicy, {
      user,
      currentGroupIds: [],
      managerObjectId: null,
      currentManagerId: null,
    });
    expect(office.operations.filter((o) => o.op === 'notify')).toEqual([]);
    const moved = planMover(before, worker({ managerEmployeeId: 'E0002', jobTitle: 'Lead' }), demoPolicy, {
      user,
      currentGroupIds: [],
      managerObjectId: null,
      currentManagerId: null,
      managerMailboxes: { E0001: null, E0002: 'boss@contoso.com' },
    });
    expect(moved.operations.filter((o) => o.op === 'notify').map((o) => o.detail)).toEqual([
      { recipient: 'newManager', managerEmployeeId: 'E0002', template: 'mover', mail: 'boss@contoso.com' },
    ]);
    expect(moved.notes).toContain('previous manager E0001 has no mailbox: no mail is sent');
  });
});
