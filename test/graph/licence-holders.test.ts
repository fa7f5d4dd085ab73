import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphStore, type UserDoc } from '../../local/emulators/graph/store';

/**
 * The licence holders the store keeps incrementally (licence-holders.ts) must give exactly the answers of the
 * emulator's rule computed from scratch: the reference below is the scan the emulator used to run on every
 * request (direct holders by creation, then licence-group members with a usageLocation by group then member id;
 * the first enabledUnits are within units, the rest in CountViolation).
 */
const SKUS = ['sku-a', 'sku-b'];
const GROUPS = ['group-1', 'group-2', 'group-3'];
const USERS = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];

function referenceOrder(store: GraphStore, skuId: string): Map<string, number> {
  const order = new Map<string, number>();
  for (const user of store.listUsers(false))
    if (user.assignedLicenses.some((l) => l.skuId === skuId)) order.set(user.id, order.size);
  for (const group of store.listGroups()) {
    if (!group.assignedLicenses?.includes(skuId)) continue;
    for (const id of store.memberIdsOf(group.id)) {
      if (order.has(id)) continue;
      if (store.getUser(id)?.usageLocation) order.set(id, order.size);
    }
  }
  return order;
}

function userDoc(id: string, licences: string[], usageLocation: boolean): UserDoc {
  return {
    id,
    userPrincipalName: `${id}@contoso.com`,
    mailNickname: id,
    displayName: id,
    accountEnabled: true,
    createdDateTime: '2026-01-01T00:00:00Z',
    deletedDateTime: null,
    signInSessionsValidFromDateTime: null,
    assignedLicenses: licences.map((skuId) => ({ skuId, disabledPlans: [] })),
    ...(usageLocation ? { usageLocation: 'FR' } : {}),
  };
}

const pick = <T>(values: T[]) => fc.constantFrom(...values);
const operation = fc.oneof(
  fc.record({
    op: fc.constant('saveUser' as const),
    user: pick(USERS),
    licences: fc.subarray(SKUS),
    usageLocation: fc.boolean(),
  }),
  fc.record({ op: fc.constant('softDelete' as const), user: pick(USERS) }),
  fc.record({ op: fc.constant('hardDelete' as const), user: pick(USERS) }),
  fc.record({ op: fc.constant('addMember' as const), group: pick(GROUPS), user: pick(USERS) }),
  fc.record({ op: fc.constant('removeMember' as const), group: pick(GROUPS), user: pick(USERS) }),
  fc.record({ op: fc.constant('leaveAll' as const), user: pick(USERS) }),
  fc.record({ op: fc.constant('saveGroup' as const), group: pick(GROUPS), licences: fc.subarray(SKUS) }),
  fc.record({ op: fc.constant('saveSku' as const), sku: pick(SKUS), units: fc.integer({ min: 0, max: 4 }) }),
);
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

function apply(store: GraphStore, o: Operation): void {
  switch (o.op) {
    case 'saveUser': {
      store.saveUser(userDoc(o.user, o.licences, o.usageLocation));
      return;
    }
    case 'softDelete': {
      const user = store.getUser(o.user);
      if (!user) return;
      store.removeFromAllContainers(user.id);
      store.saveUser({ ...user, deletedDateTime: '2026-01-02T00:00:00Z' });
      return;
    }
    case 'hardDelete':
      return store.hardDeleteUser(o.user);
    case 'addMember':
      return store.addMember(o.group, o.user);
    case 'removeMember':
      store.removeMember(o.group, o.user);
      return;
    case 'leaveAll':
      return store.removeFromAllContainers(o.user);
    case 'saveGroup':
      return store.saveGroup({ id: o.group, displayName: o.group, assignedLicenses: o.licences });
    case 'saveSku':
      return store.saveSku({ skuId: o.sku, skuPartNumber: o.sku, enabledUnits: o.units });
  }
}

describe('licence holders kept incrementally', () => {
  const store = new GraphStore(path.join(mkdtempSync(path.join(tmpdir(), 'jml-holders-')), 'graph.sqlite'));
  afterAll(() => store.close());

  it('answer consumedUnits and within-units exactly as the scan of the whole tenant does', () => {
    fc.assert(
      fc.property(fc.array(operation, { minLength: 10, maxLength: 40, size: 'max' }), (operations) => {
        store.reset();
        store.saveSku({ skuId: 'sku-a', skuPartNumber: 'A', enabledUnits: 2 });
        for (const group of GROUPS) store.saveGroup({ id: group, displayName: group, assignedLicenses: ['sku-a'] });
        for (const o of operations) {
          apply(store, o);
          for (const skuId of SKUS) {
            const order = referenceOrder(store, skuId);
            const units = store.skus().find((s) => s.skuId === skuId)?.enabledUnits ?? 0;
            expect(store.licenceHolders.consumed(skuId)).toBe(Math.min(order.size, units));
            for (const userId of USERS)
              expect(store.licenceHolders.isGranted(skuId, userId)).toBe((order.get(userId) ?? Infinity) < units);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('are rebuilt from the tenant when a file written before them is opened', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jml-holders-old-')), 'graph.sqlite');
    const old = new GraphStore(file);
    old.saveSku({ skuId: 'sku-a', skuPartNumber: 'A', enabledUnits: 1 });
    old.saveGroup({ id: 'group-1', displayName: 'g', assignedLicenses: ['sku-a'] });
    old.saveUser(userDoc('u1', [], true));
    old.saveUser(userDoc('u2', [], true));
    old.addMember('group-1', 'u2');
    old.addMember('group-1', 'u1');
    // As a file from before the holders were kept: no holder rows, no version mark.
    old.db.exec(`DELETE FROM licence_holders; DELETE FROM licence_units; DELETE FROM meta WHERE key LIKE 'licence%'`);
    old.close();
    const reopened = new GraphStore(file);
    expect(reopened.licenceHolders.consumed('sku-a')).toBe(1);
    expect(reopened.licenceHolders.isGranted('sku-a', 'u1')).toBe(true);
    expect(reopened.licenceHolders.isGranted('sku-a', 'u2')).toBe(false);
    reopened.close();
  });
});
