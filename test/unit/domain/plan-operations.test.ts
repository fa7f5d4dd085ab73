import { describe, expect, it } from 'vitest';
import { planMover, renderPlan, type Plan } from '../../../shared/domain/plan';
import { directoryUser, G, policyFrom, worker } from './fixtures';
import { fullPolicy, HAND_GRANTED, scenarios } from './plan-operations.fixtures';

/**
 * Every operation of every plan kind, in full: its target, summary, reason and schedule as the dry run prints them
 * (renderPlan), and its detail as the runtime reads it. plan.test.ts says which operations a plan holds; these
 * pin down what each one says and carries (mutation testing, issue 15).
 */
const lines = (plan: Plan): string[] => renderPlan(plan).split('\n');

/** The attributes a SCIM operation carries: the user's attributes under the policy (attributes.test.ts). */
const ATTRIBUTES = expect.objectContaining({ employeeId: 'E1001', department: expect.any(String) });

/** The names a hold tried, first to last. */
const TRIED = expect.arrayContaining(['ada.lovelace@contoso.com', 'ada.lovelace2@contoso.com']);

describe('what each operation says (dry-run text)', () => {
  it('a joiner with self-activation and a manager with an account', () => {
    expect(lines(scenarios.joinerWithActivation())).toEqual([
      'joiner plan for E1001 (policy p-9): 6 operation(s)',
      '   1. entra    createUser       Create ada.lovelace@contoso.com (disabled until day 1)',
      '      why: new hire; UPN from {given}.{family} (policy p-9)',
      '   2. entra    setManager       Set manager to E0001',
      '      why: HR manager is E0001',
      '   3. entra    addToGroups      Add to 4 group(s): Engineering, France, VPN Users, E3',
      '      why: rules eng, fr, vpn, licence:SPE_E3 (policy p-9)',
      '   4. intranet createUser       Provision to Intranet',
      '      why: in scope of SCIM target intranet (policy p-9)',
      '   5. wiki     createUser       Provision to Wiki',
      '      why: in scope of SCIM target wiki (policy p-9)',
      '   6. entra    enableUser       Enable the account when the person activates it (one-time' +
        ' code, then Temporary Access Pass) [not before 2026-11-30T23:00:00Z]',
      '      why: activation.enabled and a personal email (policy p-9)',
    ]);
  });

  it('a joiner whose first name is taken, enabled on day 1', () => {
    expect(lines(scenarios.joinerNameTaken())).toEqual([
      'joiner plan for E1001 (policy p-9): 5 operation(s)',
      '   1. entra    createUser       Create ada.lovelace2@contoso.com (disabled until day 1)',
      '      why: new hire; ada.lovelace@contoso.com is taken or reserved, so the next candidate (policy p-9)',
      '   2. entra    addToGroups      Add to 4 group(s): Engineering, France, VPN Users, E3',
      '      why: rules eng, fr, vpn, licence:SPE_E3 (policy p-9)',
      '   3. intranet createUser       Provision to Intranet',
      '      why: in scope of SCIM target intranet (policy p-9)',
      '   4. wiki     createUser       Provision to Wiki',
      '      why: in scope of SCIM target wiki (policy p-9)',
      '   5. entra    enableUser       Enable the account on day 1 (2026-11-30T23:00:00Z) [not' +
        ' before 2026-11-30T23:00:00Z]',
      '      why: hire date 2026-12-01 in Europe/Paris',
    ]);
  });

  it('a joiner with every name taken: a hold', () => {
    expect(lines(scenarios.joinerHold())).toEqual([
      'joiner plan for E1001 (policy p-9): 1 operation(s)',
      '   1. entra    hold             No free user principal name: an administrator must choose one',
      '      why: every candidate from {given}.{family} and its fallbacks is taken (policy p-9)',
    ]);
  });

  it('a joiner converging on an existing account, manager not there yet', () => {
    expect(lines(scenarios.joinerConverging())).toEqual([
      'joiner plan for E1001 (policy p-9): 6 operation(s)',
      '   1. entra    updateUser       Update jobTitle',
      '      why: directory differs from the HR record (policy p-9)',
      '   2. entra    addToGroups      Add to 3 group(s): France, VPN Users, E3',
      '      why: rules fr, vpn, licence:SPE_E3 (policy p-9)',
      '   3. entra    removeFromGroups Remove from 1 group(s): Old Wiki Editors',
      '      why: no rule grants it any more (policy p-9)',
      '   4. intranet createUser       Provision to Intranet',
      '      why: in scope of SCIM target intranet (policy p-9)',
      '   5. wiki     createUser       Provision to Wiki',
      '      why: in scope of SCIM target wiki (policy p-9)',
      '   6. entra    enableUser       Enable the account on day 1 (2026-11-30T23:00:00Z) [not' +
        ' before 2026-11-30T23:00:00Z]',
      '      why: hire date 2026-12-01 in Europe/Paris',
      '  note: account ada.lovelace@contoso.com already exists: converging instead of creating',
      '  note: manager E0001 has no account yet: the manager is set when they join',
    ]);
  });

  it('a mover to another department, manager and SCIM targets, with grace', () => {
    expect(lines(scenarios.moverToSales())).toEqual([
      'mover plan for E1001 (policy p-9): 9 operation(s)',
      '   1. entra    updateUser       Update department, employeeOrgData',
      '      why: HR change: department Engineering → Sales; costCenter (none) → CC9;' +
        ' managerEmployeeId E0001 → E0002; extensions changed',
      '   2. entra    setManager       Set manager to E0002',
      '      why: HR manager is E0002',
      '   3. entra    addToGroups      Add to 2 group(s): Sales, E3',
      '      why: rules sales, licence:SPE_E3 (policy p-9)',
      '   4. entra    removeFromGroups Remove from 2 group(s): Engineering, VPN Users [after 5 day(s)]',
      '      why: no rule grants it any more; kept for mover.graceDays 5 (policy p-9)',
      '   5. intranet updateUser       Update in Intranet',
      '      why: attributes changed (policy p-9)',
      '   6. crm      createUser       Provision to CRM',
      '      why: now in scope of SCIM target crm (policy p-9)',
      '   7. wiki     disableUser      Deactivate in Wiki',
      '      why: no longer in scope of SCIM target wiki (policy p-9)',
      '   8. mail     notify           Tell previous manager E0001',
      '      why: department, managerEmployeeId changed (mover.notifyOn, policy p-9)',
      '   9. mail     notify           Tell new manager E0002',
      '      why: department, managerEmployeeId changed (mover.notifyOn, policy p-9)',
    ]);
  });

  it('a mover whose manager HR dropped', () => {
    expect(lines(scenarios.moverManagerDropped())).toEqual([
      'mover plan for E1001 (policy p-9): 5 operation(s)',
      '   1. entra    updateUser       Update jobTitle',
      '      why: HR change: jobTitle Software Engineer → Staff Engineer; managerEmployeeId' + ' E0001 → (none)',
      '   2. entra    removeManager    Remove manager',
      '      why: HR record has no manager (policy p-9)',
      '   3. intranet updateUser       Update in Intranet',
      '      why: attributes changed (policy p-9)',
      '   4. wiki     updateUser       Update in Wiki',
      '      why: attributes changed (policy p-9)',
      '   5. mail     notify           Tell previous manager E0001',
      '      why: jobTitle, managerEmployeeId changed (mover.notifyOn, policy p-9)',
    ]);
  });

  it('a mover keeping the manager, extensions only reordered', () => {
    expect(lines(scenarios.moverSameManager())).toEqual([
      'mover plan for E1001 (policy p-9): 4 operation(s)',
      '   1. entra    updateUser       Update jobTitle',
      '      why: HR change: jobTitle Software Engineer → Staff Engineer',
      '   2. intranet updateUser       Update in Intranet',
      '      why: attributes changed (policy p-9)',
      '   3. wiki     updateUser       Update in Wiki',
      '      why: attributes changed (policy p-9)',
      '   4. mail     notify           Tell manager E0001',
      '      why: jobTitle changed (mover.notifyOn, policy p-9)',
    ]);
  });

  it('a mover with no HR change, only directory drift', () => {
    expect(lines(scenarios.moverDrift())).toEqual([
      'mover plan for E1001 (policy p-9): 3 operation(s)',
      '   1. entra    updateUser       Update jobTitle',
      '      why: directory drift (policy p-9)',
      '   2. intranet updateUser       Update in Intranet',
      '      why: attributes changed (policy p-9)',
      '   3. wiki     updateUser       Update in Wiki',
      '      why: attributes changed (policy p-9)',
    ]);
  });

  it('a leaver with a leave date: groups, licences, mail, deletion instant', () => {
    expect(lines(scenarios.leaverDated())).toEqual([
      'leaver plan for E1001 (policy p-9): 11 operation(s)',
      '   1. entra    updateUser       Update employeeLeaveDateTime',
      '      why: leave date 2026-12-31 in Europe/Paris',
      '   2. entra    disableUser      Disable sign-in',
      '      why: leave date 2026-12-31 in Europe/Paris',
      '   3. entra    revokeSessions   Revoke sign-in sessions and refresh tokens',
      '      why: leaver.revokeSessions (policy p-9)',
      '   4. entra    removeFromGroups Remove from 3 group(s): Engineering,' +
        ' ffffffff-1111-4000-8000-000000000000, Old Wiki Editors',
      '      why: leaver.removeGroups: every assigned group membership is removed and recorded' +
        ' for a rehire (policy p-9)',
      '   5. entra    removeFromGroups Remove from 1 group(s): E3',
      '      why: leaver.removeLicences: licence groups removed (policy p-9)',
      '   6. intranet disableUser      Deactivate in Intranet',
      '      why: leave date 2026-12-31 in Europe/Paris',
      '   7. wiki     disableUser      Deactivate in Wiki',
      '      why: leave date 2026-12-31 in Europe/Paris',
      '   8. mail     notify           Tell manager E0001',
      '      why: leaver.notifyManager (policy p-9)',
      '   9. intranet deleteUser       Delete from Intranet after 10 day(s) [not before' + ' 2027-01-10T23:00:00Z]',
      '      why: leaver.retentionDays 10 (policy p-9)',
      '  10. wiki     deleteUser       Delete from Wiki after 10 day(s) [not before' + ' 2027-01-10T23:00:00Z]',
      '      why: leaver.retentionDays 10 (policy p-9)',
      '  11. entra    deleteUser       Delete the account after 10 day(s) (restorable for 30' +
        ' days) [not before 2027-01-10T23:00:00Z]',
      '      why: leaver.retentionDays 10 (policy p-9); through the accidental-deletion guard',
    ]);
  });

  it('an immediate leaver whose manager has no mailbox', () => {
    expect(lines(scenarios.leaverImmediate())).toEqual([
      'leaver plan for E1001 (policy p-9): 7 operation(s)',
      '   1. entra    disableUser      Disable sign-in',
      '      why: immediate termination',
      '   2. entra    revokeSessions   Revoke sign-in sessions and refresh tokens',
      '      why: leaver.revokeSessions (policy p-9)',
      '   3. intranet disableUser      Deactivate in Intranet',
      '      why: immediate termination',
      '   4. wiki     disableUser      Deactivate in Wiki',
      '      why: immediate termination',
      '   5. intranet deleteUser       Delete from Intranet after 10 day(s) [after 10 day(s)]',
      '      why: leaver.retentionDays 10 (policy p-9)',
      '   6. wiki     deleteUser       Delete from Wiki after 10 day(s) [after 10 day(s)]',
      '      why: leaver.retentionDays 10 (policy p-9)',
      '   7. entra    deleteUser       Delete the account after 10 day(s) (restorable for 30' +
        ' days) [after 10 day(s)]',
      '      why: leaver.retentionDays 10 (policy p-9); through the accidental-deletion guard',
      '  note: manager E0001 has no mailbox: no mail is sent',
    ]);
  });

  it('a leaver with no leave date on the record', () => {
    expect(lines(scenarios.leaverWithoutDate())).toEqual([
      'leaver plan for E1001 (policy p-9): 7 operation(s)',
      '   1. entra    disableUser      Disable sign-in',
      '      why: leave date (none) in Europe/Paris',
      '   2. entra    revokeSessions   Revoke sign-in sessions and refresh tokens',
      '      why: leaver.revokeSessions (policy p-9)',
      '   3. intranet disableUser      Deactivate in Intranet',
      '      why: leave date (none) in Europe/Paris',
      '   4. wiki     disableUser      Deactivate in Wiki',
      '      why: leave date (none) in Europe/Paris',
      '   5. intranet deleteUser       Delete from Intranet after 10 day(s) [after 10 day(s)]',
      '      why: leaver.retentionDays 10 (policy p-9)',
      '   6. wiki     deleteUser       Delete from Wiki after 10 day(s) [after 10 day(s)]',
      '      why: leaver.retentionDays 10 (policy p-9)',
      '   7. entra    deleteUser       Delete the account after 10 day(s) (restorable for 30' +
        ' days) [after 10 day(s)]',
      '      why: leaver.retentionDays 10 (policy p-9); through the accidental-deletion guard',
    ]);
  });

  it('a rehire of a deleted account, with groups given back', () => {
    expect(lines(scenarios.rehireDeleted())).toEqual([
      'rehire plan for E1001 (policy p-9): 8 operation(s)',
      '   1. entra    restoreUser      Restore ada.lovelace@contoso.com from deleted items',
      '      why: rehire; former account deleted 2027-01-31T00:00:00Z',
      '   2. entra    updateUser       Update employeeHireDate',
      '      why: rehire: record the new hire (policy p-9)',
      '   3. entra    setManager       Set manager to E0001',
      '      why: HR manager is E0001',
      '   4. entra    addToGroups      Add to 5 group(s): Engineering, France, VPN Users, E3,' +
        ' ffffffff-1111-4000-8000-000000000000',
      '      why: rules eng, fr, vpn, licence:SPE_E3 (policy p-9)',
      '   5. entra    removeFromGroups Remove from 1 group(s): Old Wiki Editors',
      '      why: no rule grants it any more (policy p-9)',
      '   6. intranet createUser       Provision to Intranet (or reactivate)',
      '      why: rehire in scope of SCIM target intranet (policy p-9)',
      '   7. wiki     createUser       Provision to Wiki (or reactivate)',
      '      why: rehire in scope of SCIM target wiki (policy p-9)',
      '   8. entra    enableUser       Enable the account on day 1 (2027-02-28T23:00:00Z) [not' +
        ' before 2027-02-28T23:00:00Z]',
      '      why: hire date 2027-03-01 in Europe/Paris',
    ]);
  });

  it('a rehire of an enabled account with the same manager', () => {
    expect(lines(scenarios.rehireEnabledSameManager())).toEqual([
      'rehire plan for E1001 (policy p-9): 2 operation(s)',
      '   1. intranet createUser       Provision to Intranet (or reactivate)',
      '      why: rehire in scope of SCIM target intranet (policy p-9)',
      '   2. wiki     createUser       Provision to Wiki (or reactivate)',
      '      why: rehire in scope of SCIM target wiki (policy p-9)',
    ]);
  });

  it('a rescinded hire', () => {
    expect(lines(scenarios.rescind())).toEqual([
      'rescind plan for E1001 (policy p-9): 3 operation(s)',
      '   1. intranet deleteUser       Delete from Intranet',
      '      why: hire rescinded before day 1 (policy p-9)',
      '   2. wiki     deleteUser       Delete from Wiki',
      '      why: hire rescinded before day 1 (policy p-9)',
      '   3. entra    deleteUser       Delete ada.lovelace@contoso.com (never used; restorable' + ' for 30 days)',
      '      why: hire rescinded before day 1 (policy p-9)',
    ]);
  });
});

describe('the reason of a mover names every HR field that changed', () => {
  it('from the names to the time zone, before → after, (none) for a field not set, then the extensions', () => {
    const previous = worker({ preferredGivenName: 'Ada', city: 'Paris', officeLocation: 'P1', extensions: { x: '1' } });
    const next = worker({
      legalGivenName: 'Augusta',
      legalFamilyName: 'King',
      preferredFamilyName: 'King',
      department: 'Sales',
      jobTitle: 'Countess',
      costCenter: 'CC1',
      company: 'Analytical',
      country: 'GB',
      city: 'London',
      officeLocation: 'L1',
      managerEmployeeId: 'E0002',
      employmentType: 'contractor',
      hireDate: '2026-12-02',
      leaveDate: '2027-06-30',
      timeZone: 'Europe/London',
      extensions: { x: '2' },
    });
    const plan = planMover(previous, next, fullPolicy, {
      user: directoryUser(),
      currentGroupIds: [],
      managerObjectId: null,
      currentManagerId: null,
    });
    expect(plan.operations.find((o) => o.op === 'updateUser' && o.target === 'entra')?.reason.split('; ')).toEqual([
      'HR change: legalGivenName Ada → Augusta',
      'legalFamilyName Lovelace → King',
      'preferredGivenName Ada → (none)',
      'preferredFamilyName (none) → King',
      'department Engineering → Sales',
      'jobTitle Software Engineer → Countess',
      'costCenter (none) → CC1',
      'company (none) → Analytical',
      'country FR → GB',
      'city Paris → London',
      'officeLocation P1 → L1',
      'managerEmployeeId (none) → E0002',
      'employmentType employee → contractor',
      'hireDate 2026-12-01 → 2026-12-02',
      'leaveDate (none) → 2027-06-30',
      'timeZone Europe/Paris → Europe/London',
      'extensions changed',
    ]);
  });
});

describe('the reason of a mover, more', () => {
  const context = { user: directoryUser(), currentGroupIds: [], managerObjectId: null, currentManagerId: null };

  it('extensions in another key order are no change, whichever record has them out of order', () => {
    const sorted = { a: '1', b: '2' };
    const reversed = { b: '2', a: '1' };
    for (const [before, after] of [
      [reversed, sorted],
      [sorted, reversed],
    ]) {
      const plan = planMover(
        worker({ extensions: before }),
        worker({ jobTitle: 'Lead', extensions: after }),
        fullPolicy,
        context,
      );
      expect(plan.operations.find((o) => o.op === 'updateUser')?.reason).toBe(
        'HR change: jobTitle Software Engineer → Lead',
      );
    }
  });

  it('without a grace period the groups a mover loses go at once, and the reason says why', () => {
    const noGrace = policyFrom(`
version: g-0
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}.{family}" }
mover: { graceDays: 0, notifyManagers: false }
birthright:
  rules:
    - { id: eng, when: { department: [Engineering] }, groups: [{ id: ${G(3)}, name: Engineering }] }
`);
    const plan = planMover(worker(), worker({ department: 'Sales' }), noGrace, { ...context, currentGroupIds: [G(3)] });
    expect(plan.operations.find((o) => o.op === 'removeFromGroups')).toMatchObject({
      summary: 'Remove from 1 group(s): Engineering',
      reason: 'no rule grants it any more (policy g-0)',
    });
  });
});

describe('what each operation carries (detail)', () => {
  it('a joiner with self-activation and a manager with an account', () => {
    expect(scenarios.joinerWithActivation().operations.map((o) => o.detail)).toEqual([
      {
        userPrincipalName: 'ada.lovelace@contoso.com',
        mailNickname: 'ada.lovelace',
        accountEnabled: false,
        attributes: ATTRIBUTES,
      },
      { userId: null, managerObjectId: 'm-1', managerEmployeeId: 'E0001' },
      {
        userId: null,
        groupIds: [G(3), G(8), G(15), G(11)],
        groups: [
          { id: G(3), name: 'Engineering', kind: 'birthright', ruleIds: ['eng'] },
          { id: G(8), name: 'France', kind: 'birthright', ruleIds: ['fr'] },
          { id: G(15), name: 'VPN Users', kind: 'birthright', ruleIds: ['vpn'] },
          { id: G(11), name: 'E3', kind: 'licence', ruleIds: ['licence:SPE_E3'] },
        ],
      },
      { userPrincipalName: 'ada.lovelace@contoso.com', attributes: ATTRIBUTES },
      { userPrincipalName: 'ada.lovelace@contoso.com', attributes: ATTRIBUTES },
      { userId: null, via: 'activation' },
    ]);
  });
  it('a joiner whose first name is taken, enabled on day 1', () => {
    expect(scenarios.joinerNameTaken().operations.map((o) => o.detail)).toEqual([
      {
        userPrincipalName: 'ada.lovelace2@contoso.com',
        mailNickname: 'ada.lovelace2',
        accountEnabled: false,
        attributes: ATTRIBUTES,
      },
      {
        userId: null,
        groupIds: [G(3), G(8), G(15), G(11)],
        groups: [
          { id: G(3), name: 'Engineering', kind: 'birthright', ruleIds: ['eng'] },
          { id: G(8), name: 'France', kind: 'birthright', ruleIds: ['fr'] },
          { id: G(15), name: 'VPN Users', kind: 'birthright', ruleIds: ['vpn'] },
          { id: G(11), name: 'E3', kind: 'licence', ruleIds: ['licence:SPE_E3'] },
        ],
      },
      { userPrincipalName: 'ada.lovelace2@contoso.com', attributes: ATTRIBUTES },
      { userPrincipalName: 'ada.lovelace2@contoso.com', attributes: ATTRIBUTES },
      { userId: null, via: 'day1' },
    ]);
  });
  it('a joiner with every name taken: a hold', () => {
    expect(scenarios.joinerHold().operations.map((o) => o.detail)).toEqual([{ code: 'no-free-upn', tried: TRIED }]);
  });
  it('a joiner converging on an existing account, manager not there yet', () => {
    expect(scenarios.joinerConverging().operations.map((o) => o.detail)).toEqual([
      { userId: 'u-1001', changes: { jobTitle: 'Software Engineer' }, changed: ['jobTitle'] },
      {
        userId: 'u-1001',
        groupIds: [G(8), G(15), G(11)],
        groups: [
          { id: G(8), name: 'France', kind: 'birthright', ruleIds: ['fr'] },
          { id: G(15), name: 'VPN Users', kind: 'birthright', ruleIds: ['vpn'] },
          { id: G(11), name: 'E3', kind: 'licence', ruleIds: ['licence:SPE_E3'] },
        ],
      },
      {
        userId: 'u-1001',
        groupIds: [G(16).toUpperCase()],
        groups: [{ id: G(16).toUpperCase(), name: 'Old Wiki Editors', kind: 'other', ruleIds: [] }],
      },
      { userPrincipalName: 'ada.lovelace@contoso.com', attributes: ATTRIBUTES },
      { userPrincipalName: 'ada.lovelace@contoso.com', attributes: ATTRIBUTES },
      { userId: 'u-1001', via: 'day1' },
    ]);
  });
  it('a mover to another department, manager and SCIM targets, with grace', () => {
    expect(scenarios.moverToSales().operations.map((o) => o.detail)).toEqual([
      {
        userId: 'u-1001',
        changes: { department: 'Sales', employeeOrgData: { division: null, costCenter: 'CC9' } },
        changed: ['department', 'employeeOrgData'],
      },
      { userId: 'u-1001', managerObjectId: 'm-2', managerEmployeeId: 'E0002' },
      {
        userId: 'u-1001',
        groupIds: [G(4), G(11)],
        groups: [
          { id: G(4), name: 'Sales', kind: 'birthright', ruleIds: ['sales'] },
          { id: G(11), name: 'E3', kind: 'licence', ruleIds: ['licence:SPE_E3'] },
        ],
      },
      {
        userId: 'u-1001',
        groupIds: [G(3).toUpperCase(), G(15)],
        groups: [
          { id: G(3).toUpperCase(), name: 'Engineering', kind: 'birthright', ruleIds: ['eng'] },
          { id: G(15), name: 'VPN Users', kind: 'birthright', ruleIds: ['vpn'] },
        ],
      },
      { userPrincipalName: 'ada.lovelace@contoso.com', attributes: ATTRIBUTES },
      { userPrincipalName: 'ada.lovelace@contoso.com', attributes: ATTRIBUTES },
      { userPrincipalName: 'ada.lovelace@contoso.com' },
      { recipient: 'previousManager', managerEmployeeId: 'E0001', template: 'mover' },
      { recipient: 'newManager', managerEmployeeId: 'E0002', template: 'mover', mail: 'new@contoso.com' },
    ]);
  });
  it('a mover whose manager HR dropped', () => {
    expect(scenarios.moverManagerDropped().operations.map((o) => o.detail)).toEqual([
      { userId: 'u-1001', changes: { jobTitle: 'Staff Engineer' }, changed: ['jobTitle'] },
      { userId: 'u-1001' },
      { userPrincipalName: 'ada.lovelace@contoso.com', attributes: ATTRIBUTES },
      { userPrincipalName: 'ada.lovelace@contoso.com', attributes: ATTRIBUTES },
      { recipient: 'previousManager', managerEmployeeId: 'E0001', template: 'mover' },
    ]);
  });
  it('a mover keeping the manager, extensions only reordered', () => {
    expect(scenarios.moverSameManager().operations.map((o) => o.detail)).toEqual([
      { userId: 'u-1001', changes: { jobTitle: 'Staff Engineer' }, changed: ['jobTitle'] },
      { userPrincipalName: 'ada.lovelace@contoso.com', attributes: ATTRIBUTES },
      { userPrincipalName: 'ada.lovelace@contoso.com', attributes: ATTRIBUTES },
      { recipient: 'manager', managerEmployeeId: 'E0001', template: 'mover' },
    ]);
  });
  it('a mover with no HR change, only directory drift', () => {
    expect(scenarios.moverDrift().operations.map((o) => o.detail)).toEqual([
      { userId: 'u-1001', changes: { jobTitle: 'Software Engineer' }, changed: ['jobTitle'] },
      { userPrincipalName: 'ada.lovelace@contoso.com', attributes: ATTRIBUTES },
      { userPrincipalName: 'ada.lovelace@contoso.com', attributes: ATTRIBUTES },
    ]);
  });
  it('a leaver with a leave date: groups, licences, mail, deletion instant', () => {
    expect(scenarios.leaverDated().operations.map((o) => o.detail)).toEqual([
      {
        userId: 'u-1001',
        changes: { employeeLeaveDateTime: '2026-12-31T23:00:00Z' },
        changed: ['employeeLeaveDateTime'],
      },
      { userId: 'u-1001' },
      { userId: 'u-1001' },
      {
        userId: 'u-1001',
        groupIds: [G(3), HAND_GRANTED, G(16)],
        groups: [
          { id: G(3), name: 'Engineering', kind: 'other', ruleIds: [] },
          { id: HAND_GRANTED, name: null, kind: 'other', ruleIds: [] },
          { id: G(16), name: 'Old Wiki Editors', kind: 'other', ruleIds: [] },
        ],
      },
      {
        userId: 'u-1001',
        groupIds: [G(11).toUpperCase()],
        groups: [{ id: G(11).toUpperCase(), name: 'E3', kind: 'licence', ruleIds: [] }],
      },
      { userPrincipalName: 'ada.lovelace@contoso.com' },
      { userPrincipalName: 'ada.lovelace@contoso.com' },
      { recipient: 'manager', managerEmployeeId: 'E0001', template: 'leaver' },
      { userPrincipalName: 'ada.lovelace@contoso.com' },
      { userPrincipalName: 'ada.lovelace@contoso.com' },
      { userId: 'u-1001' },
    ]);
  });
  it('an immediate leaver whose manager has no mailbox', () => {
    expect(scenarios.leaverImmediate().operations.map((o) => o.detail)).toEqual([
      { userId: 'u-1001' },
      { userId: 'u-1001' },
      { userPrincipalName: 'ada.lovelace@contoso.com' },
      { userPrincipalName: 'ada.lovelace@contoso.com' },
      { userPrincipalName: 'ada.lovelace@contoso.com' },
      { userPrincipalName: 'ada.lovelace@contoso.com' },
      { userId: 'u-1001' },
    ]);
  });
  it('a leaver with no leave date on the record', () => {
    expect(scenarios.leaverWithoutDate().operations.map((o) => o.detail)).toEqual([
      { userId: 'u-1001' },
      { userId: 'u-1001' },
      { userPrincipalName: 'ada.lovelace@contoso.com' },
      { userPrincipalName: 'ada.lovelace@contoso.com' },
      { userPrincipalName: 'ada.lovelace@contoso.com' },
      { userPrincipalName: 'ada.lovelace@contoso.com' },
      { userId: 'u-1001' },
    ]);
  });
  it('a rehire of a deleted account, with groups given back', () => {
    expect(scenarios.rehireDeleted().operations.map((o) => o.detail)).toEqual([
      { userId: 'u-1001' },
      { userId: 'u-1001', changes: { employeeHireDate: '2027-02-28T23:00:00Z' }, changed: ['employeeHireDate'] },
      { userId: 'u-1001', managerObjectId: 'm-1', managerEmployeeId: 'E0001' },
      {
        userId: 'u-1001',
        groupIds: [G(3), G(8), G(15), G(11), HAND_GRANTED],
        groups: [
          { id: G(3), name: 'Engineering', kind: 'birthright', ruleIds: ['eng'] },
          { id: G(8), name: 'France', kind: 'birthright', ruleIds: ['fr'] },
          { id: G(15), name: 'VPN Users', kind: 'birthright', ruleIds: ['vpn'] },
          { id: G(11), name: 'E3', kind: 'licence', ruleIds: ['licence:SPE_E3'] },
          { id: HAND_GRANTED, name: null, kind: 'other', ruleIds: [] },
        ],
      },
      {
        userId: 'u-1001',
        groupIds: [G(16)],
        groups: [{ id: G(16), name: 'Old Wiki Editors', kind: 'other', ruleIds: [] }],
      },
      { userPrincipalName: 'ada.lovelace@contoso.com', attributes: ATTRIBUTES },
      { userPrincipalName: 'ada.lovelace@contoso.com', attributes: ATTRIBUTES },
      { userId: 'u-1001', via: 'day1' },
    ]);
  });
  it('a rehire of an enabled account with the same manager', () => {
    expect(scenarios.rehireEnabledSameManager().operations.map((o) => o.detail)).toEqual([
      { userPrincipalName: 'ada.lovelace@contoso.com', attributes: ATTRIBUTES },
      { userPrincipalName: 'ada.lovelace@contoso.com', attributes: ATTRIBUTES },
    ]);
  });
  it('a rescinded hire', () => {
    expect(scenarios.rescind().operations.map((o) => o.detail)).toEqual([
      { userPrincipalName: 'ada.lovelace@contoso.com' },
      { userPrincipalName: 'ada.lovelace@contoso.com' },
      { userId: 'u-1001' },
    ]);
  });
});
