import { describe, expect, it } from 'vitest';
import { planJoiner, planLeaver, planMover, planRescind } from '../../shared/domain/plan';
import { scimActionsFor } from '../../shared/orchestration/scim-actions';
import { directoryUser, policyFrom, worker } from '../unit/domain/fixtures';

const policy = policyFrom(`
version: s
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}" }
scimTargets:
  - { id: payroll, name: Payroll, baseUrl: "https://payroll.example/scim/v2", when: { employmentType: [employee] } }
  - { id: pos, name: POS, baseUrl: "https://pos.example/scim/v2", when: { department: [Retail] } }
  - { id: off, name: Off, baseUrl: "https://off.example/scim/v2", enabled: false }
`);
const noTargets = policyFrom(`
version: s
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}" }
`);

const engineer = worker();
const retailContractor = worker({ employmentType: 'contractor', department: 'Retail' });
const retailEmployee = worker({ department: 'Retail' });

/** The SCIM operations a plan lists for targets other than entra and mail, as runtime actions. */
function planned(plan: { operations: { op: string; target: string; delayDays?: number }[] }) {
  const action = { createUser: 'upsert', updateUser: 'upsert', disableUser: 'deactivate', deleteUser: 'delete' };
  return plan.operations
    .filter((o) => o.target !== 'entra' && o.target !== 'mail' && !o.delayDays)
    .map((o) => ({ targetId: o.target, action: action[o.op as keyof typeof action] }));
}

describe('scimActionsFor: which targets a lifecycle step touches', () => {
  it('does nothing without SCIM targets (the default policy)', () => {
    for (const kind of ['joiner', 'rehire', 'mover', 'refreshAccess', 'leaver', 'delete', 'rescind'] as const)
      expect(scimActionsFor({ kind, record: engineer, previous: engineer }, noTargets)).toEqual([]);
  });

  it('joiner and rehire upsert every enabled target in scope', () => {
    expect(scimActionsFor({ kind: 'joiner', record: engineer }, policy)).toEqual([
      { targetId: 'payroll', action: 'upsert' },
    ]);
    expect(scimActionsFor({ kind: 'rehire', record: retailEmployee }, policy)).toEqual([
      { targetId: 'payroll', action: 'upsert' },
      { targetId: 'pos', action: 'upsert' },
    ]);
  });

  it('a mover out of a target scope is deactivated there (Entra default), one into scope is provisioned', () => {
    expect(scimActionsFor({ kind: 'mover', previous: retailEmployee, record: retailContractor }, policy)).toEqual([
      { targetId: 'pos', action: 'upsert' },
      { targetId: 'payroll', action: 'deactivate' },
    ]);
  });

  it('a target whose onLeave is delete gets a delete when the person leaves its scope', () => {
    const withDelete = {
      ...policy,
      scimTargets: policy.scimTargets.map((t) => (t.id === 'payroll' ? { ...t, onLeave: 'delete' as const } : t)),
    };
    expect(scimActionsFor({ kind: 'mover', previous: engineer, record: retailContractor }, withDelete)).toEqual([
      { targetId: 'pos', action: 'upsert' },
      { targetId: 'payroll', action: 'delete' },
    ]);
  });

  it('leaver deactivates, retention delete and rescind delete, in the targets in scope', () => {
    expect(scimActionsFor({ kind: 'leaver', record: retailEmployee }, policy).map((a) => a.action)).toEqual([
      'deactivate',
      'deactivate',
    ]);
    expect(scimActionsFor({ kind: 'delete', record: engineer }, policy)).toEqual([
      { targetId: 'payroll', action: 'delete' },
    ]);
    expect(scimActionsFor({ kind: 'rescind', record: engineer }, policy)).toEqual([
      { targetId: 'payroll', action: 'delete' },
    ]);
  });

  it('matches the SCIM operations the dry-run plan lists for the same step', () => {
    const user = directoryUser();
    expect(scimActionsFor({ kind: 'joiner', record: retailEmployee }, policy)).toEqual(
      planned(
        planJoiner(retailEmployee, policy, {
          existing: null,
          existingGroupIds: [],
          takenNames: new Set(),
          managerObjectId: null,
        }),
      ),
    );
    const moverPlan = planMover(retailEmployee, retailContractor, policy, {
      user,
      currentGroupIds: [],
      managerObjectId: null,
      currentManagerId: null,
    });
    expect(scimActionsFor({ kind: 'mover', previous: retailEmployee, record: retailContractor }, policy)).toEqual(
      planned(moverPlan),
    );
    expect(scimActionsFor({ kind: 'leaver', record: retailEmployee }, policy)).toEqual(
      planned(planLeaver(retailEmployee, policy, { user, currentGroupIds: [], immediate: true })),
    );
    expect(scimActionsFor({ kind: 'rescind', record: engineer }, policy)).toEqual(
      planned(planRescind(engineer, policy, { user })),
    );
  });
});
