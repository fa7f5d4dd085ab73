import { planJoiner, planLeaver, planMover, planRehire, planRescind } from '../../../shared/domain/plan';
import type { Policy } from '../../../shared/domain/policy';
import { directoryUser, G, policyFrom, worker } from './fixtures';

/**
 * A policy that exercises every kind of plan operation: SCIM targets per department and one for everyone in
 * France, a licence group, a retired group, a mover grace period with manager mails, a leaver with session
 * revocation and a manager mail, and self-activation.
 */
export const fullPolicy: Policy = policyFrom(`
version: p-9
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}.{family}" }
mover: { graceDays: 5, notifyManagers: true }
leaver: { retentionDays: 10, notifyManager: true, revokeSessions: true }
activation: { enabled: true }
birthright:
  rules:
    - { id: eng, when: { department: [Engineering] }, groups: [{ id: ${G(3)}, name: Engineering }] }
    - { id: sales, when: { department: [Sales] }, groups: [{ id: ${G(4)}, name: Sales }] }
    - { id: fr, when: { country: [FR] }, groups: [{ id: ${G(8)}, name: France }] }
    - { id: vpn, when: { department: [Engineering] }, groups: [{ id: ${G(15)}, name: VPN Users }] }
licenceGroups: [{ id: ${G(11)}, name: E3, sku: SPE_E3 }]
retiredGroups: [{ id: ${G(16)}, name: Old Wiki Editors }]
scimTargets:
  - { id: intranet, name: Intranet, baseUrl: "https://intranet.example/scim/v2", when: { country: [FR] } }
  - { id: wiki, name: Wiki, baseUrl: "https://wiki.example/scim/v2", when: { department: [Engineering] } }
  - { id: crm, name: CRM, baseUrl: "https://crm.example/scim/v2", when: { department: [Sales] } }
`);

/** A group granted by hand in the tenant, which no rule or list of the policy names. */
export const HAND_GRANTED = 'ffffffff-1111-4000-8000-000000000000';

/** Every candidate name of Ada Lovelace taken: the first, then the numbered ones. */
const everyNameTaken = new Set(
  Array.from({ length: 200 }, (_, i) => (i === 0 ? 'ada.lovelace' : `ada.lovelace${i + 1}`)),
);

/** One plan of each kind and situation, under fullPolicy. */
export const scenarios = {
  joinerWithActivation: () =>
    planJoiner(worker({ managerEmployeeId: 'E0001', personalEmail: 'ada@example.org' }), fullPolicy, {
      existing: null,
      existingGroupIds: [],
      takenNames: new Set(),
      managerObjectId: 'm-1',
    }),
  joinerNameTaken: () =>
    planJoiner(worker(), fullPolicy, {
      existing: null,
      existingGroupIds: [],
      takenNames: new Set(['ada.lovelace@contoso.com']),
      managerObjectId: null,
    }),
  joinerHold: () =>
    planJoiner(worker(), fullPolicy, {
      existing: null,
      existingGroupIds: [],
      takenNames: everyNameTaken,
      managerObjectId: null,
    }),
  joinerConverging: () =>
    planJoiner(worker({ managerEmployeeId: 'E0001' }), fullPolicy, {
      existing: directoryUser({ jobTitle: 'Intern', accountEnabled: false }),
      // Group ids as the directory returns them may differ in case from the policy's.
      existingGroupIds: [G(16).toUpperCase(), G(3)],
      takenNames: new Set(),
      managerObjectId: null,
    }),
  moverToSales: () =>
    planMover(
      worker({ managerEmployeeId: 'E0001', extensions: { a: '1', b: '2' } }),
      worker({ department: 'Sales', managerEmployeeId: 'E0002', costCenter: 'CC9', extensions: { b: '2', a: '3' } }),
      fullPolicy,
      {
        user: directoryUser(),
        currentGroupIds: [G(3).toUpperCase(), G(8), G(15)],
        managerObjectId: 'm-2',
        currentManagerId: 'm-1',
        managerMailboxes: { E0002: 'new@contoso.com' },
      },
    ),
  moverManagerDropped: () =>
    planMover(worker({ managerEmployeeId: 'E0001' }), worker({ jobTitle: 'Staff Engineer' }), fullPolicy, {
      user: directoryUser(),
      currentGroupIds: [G(3), G(8), G(15), G(11)],
      managerObjectId: null,
      currentManagerId: 'm-1',
    }),
  moverSameManager: () =>
    planMover(
      worker({ managerEmployeeId: 'E0001', extensions: { a: '1', b: '2' } }),
      worker({ managerEmployeeId: 'E0001', jobTitle: 'Staff Engineer', extensions: { b: '2', a: '1' } }),
      fullPolicy,
      {
        user: directoryUser(),
        currentGroupIds: [G(3), G(8), G(15), G(11)],
        managerObjectId: 'm-1',
        currentManagerId: 'm-1',
      },
    ),
  moverDrift: () =>
    planMover(worker(), worker(), fullPolicy, {
      user: directoryUser({ jobTitle: 'Intern' }),
      currentGroupIds: [G(3), G(8), G(15), G(11)],
      managerObjectId: null,
      currentManagerId: null,
    }),
  leaverDated: () =>
    planLeaver(worker({ leaveDate: '2026-12-31', managerEmployeeId: 'E0001' }), fullPolicy, {
      user: directoryUser(),
      currentGroupIds: [G(3), G(11).toUpperCase(), HAND_GRANTED, G(16)],
    }),
  leaverImmediate: () =>
    planLeaver(worker({ managerEmployeeId: 'E0001' }), fullPolicy, {
      user: directoryUser(),
      currentGroupIds: [],
      immediate: true,
      managerMailboxes: { E0001: null },
    }),
  leaverWithoutDate: () => planLeaver(worker(), fullPolicy, { user: directoryUser(), currentGroupIds: [] }),
  rehireDeleted: () =>
    planRehire(worker({ hireDate: '2027-03-01', managerEmployeeId: 'E0001' }), fullPolicy, {
      formerUser: directoryUser({ accountEnabled: false, deletedDateTime: '2027-01-31T00:00:00Z' }),
      formerGroupIds: [G(16)],
      managerObjectId: 'm-1',
      currentManagerId: null,
      restoreGroupIds: [HAND_GRANTED],
    }),
  rehireEnabledSameManager: () =>
    planRehire(worker({ managerEmployeeId: 'E0001' }), fullPolicy, {
      formerUser: directoryUser(),
      formerGroupIds: [G(3), G(8), G(15), G(11)],
      managerObjectId: 'm-1',
      currentManagerId: 'm-1',
    }),
  rescind: () => planRescind(worker(), fullPolicy, { user: directoryUser({ accountEnabled: false }) }),
};
