import { forbidden, type EmulatorResponse } from './odata';
import type { GraphStore, SkuDoc, UserDoc } from './store';

export type { SkuDoc } from './store';

/**
 * Licences in the emulated tenant, computed the way Entra reports them:
 * - subscribedSku (https://learn.microsoft.com/graph/api/resources/subscribedsku): prepaidUnits is a
 *   licenseUnitsDetail {enabled, suspended, warning}
 *   (https://learn.microsoft.com/graph/api/resources/licenseunitsdetail),
 *   servicePlans a servicePlanInfo collection, consumedUnits the licences assigned; the id is tenantId_skuId.
 * - user.assignedLicenses "including inherited (group-based) licenses", licenseAssignmentStates with assignedByGroup
 *   (null when direct), state and error (https://learn.microsoft.com/graph/api/resources/licenseassignmentstate).
 *   A group licence beyond the SKU's enabled units is in Error with CountViolation
 *   (https://learn.microsoft.com/entra/identity/users/licensing-groups-resolve-problems).
 * One ledger answers one request: who holds each SKU is computed once, not once per user listed.
 */
export interface LicenceState {
  skuId: string;
  assignedByGroup: string | null;
  state: string;
  error: string;
}

export class LicenceLedger {
  private readonly holdersBySku = new Map<string, { order: Map<string, number> }>();
  private readonly skus: Map<string, SkuDoc>;

  constructor(private readonly store: GraphStore) {
    this.skus = new Map(store.skuDocs().map((s) => [s.skuId, s]));
  }

  private static readonly latest = new WeakMap<GraphStore, { at: string; ledger: LicenceLedger }>();

  /**
   * The ledger of the store as it is: the same one while nothing was written (GraphStore.changeStamp), so the
   * pages of one listing, and the listings after it, do not recompute every SKU's holders from every user.
   */
  static of(store: GraphStore): LicenceLedger {
    const at = store.changeStamp();
    const latest = LicenceLedger.latest.get(store);
    if (latest && latest.at === at) return latest.ledger;
    const ledger = new LicenceLedger(store);
    LicenceLedger.latest.set(store, { at, ledger });
    return ledger;
  }

  /** Users holding the SKU directly or through a licence group, in the order units are handed out. */
  private holders(skuId: string): Map<string, number> {
    let entry = this.holdersBySku.get(skuId);
    if (!entry) {
      const order = new Map<string, number>();
      const users = this.usersById();
      for (const user of users.values())
        if (user.assignedLicenses.some((l) => l.skuId === skuId)) order.set(user.id, order.size);
      for (const group of this.store.listGroups()) {
        if (!group.assignedLicenses?.includes(skuId)) continue;
        for (const id of this.store.memberIdsOf(group.id)) {
          if (order.has(id)) continue;
          const user = users.get(id);
          if (user?.usageLocation) order.set(id, order.size);
        }
      }
      entry = { order };
      this.holdersBySku.set(skuId, entry);
    }
    return entry.order;
  }

  /** The users (not deleted) by id, read once for all the SKUs instead of once per SKU and per member. */
  private usersById(): ReadonlyMap<string, UserDoc> {
    return this.store.usersByIdUnchanged(false);
  }

  private groups: { id: string; assignedLicenses: string[]; members: Set<string> }[] | undefined;

  /**
   * The groups that assign licences, with their members, read once: a user's group licences are found in them
   * (in group id order, as memberOf lists them) instead of by two queries per user and group.
   */
  private licensingGroups(): { id: string; assignedLicenses: string[]; members: Set<string> }[] {
    this.groups ??= this.store
      .listGroups()
      .filter((g) => (g.assignedLicenses?.length ?? 0) > 0)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((g) => ({
        id: g.id,
        assignedLicenses: g.assignedLicenses!,
        members: new Set(this.store.memberIdsOf(g.id)),
      }));
    return this.groups;
  }

  consumed(skuId: string): number {
    return Math.min(this.holders(skuId).size, this.skus.get(skuId)?.enabledUnits ?? 0);
  }

  /** The subscribedSku resource as Graph answers it. */
  subscribedSkus(tenantId: string): Record<string, unknown>[] {
    return [...this.skus.values()].map((sku) => ({
      id: `${tenantId}_${sku.skuId}`,
      capabilityStatus: sku.capabilityStatus ?? 'Enabled',
      appliesTo: sku.appliesTo ?? 'User',
      consumedUnits: this.consumed(sku.skuId),
      prepaidUnits: { enabled: sku.enabledUnits, suspended: sku.suspendedUnits ?? 0, warning: sku.warningUnits ?? 0 },
      servicePlans: (sku.servicePlans ?? []).map((plan) => ({
        servicePlanId: plan.servicePlanId,
        servicePlanName: plan.servicePlanName,
        provisioningStatus: plan.provisioningStatus ?? 'Success',
        appliesTo: plan.appliesTo ?? 'User',
      })),
      skuId: sku.skuId,
      skuPartNumber: sku.skuPartNumber,
    }));
  }

  /**
   * Direct licences are Active; a group licence is Active within the SKU's units, else Error CountViolation, and
   * Error UsageLocationNotAllowed when the user has no usageLocation (the emulator's long-standing code for it).
   */
  states(user: UserDoc): LicenceState[] {
    const states: LicenceState[] = user.assignedLicenses.map((l) => ({
      skuId: l.skuId,
      assignedByGroup: null,
      state: 'Active',
      error: 'None',
    }));
    for (const group of this.licensingGroups()) {
      if (!group.members.has(user.id)) continue;
      for (const skuId of group.assignedLicenses) {
        if (!user.usageLocation) {
          states.push({ skuId, assignedByGroup: group.id, state: 'Error', error: 'UsageLocationNotAllowed' });
          continue;
        }
        const position = this.holders(skuId).get(user.id) ?? Number.POSITIVE_INFINITY;
        const withinUnits = position < (this.skus.get(skuId)?.enabledUnits ?? 0);
        states.push({
          skuId,
          assignedByGroup: group.id,
          state: withinUnits ? 'Active' : 'Error',
          error: withinUnits ? 'None' : 'CountViolation',
        });
      }
    }
    return states;
  }

  /** user.assignedLicenses: direct and inherited licences that are in effect (an assignment in error is not). */
  assignedLicenses(user: UserDoc): { skuId: string; disabledPlans: string[] }[] {
    const active = new Map<string, { skuId: string; disabledPlans: string[] }>();
    for (const l of user.assignedLicenses) active.set(l.skuId, { skuId: l.skuId, disabledPlans: l.disabledPlans });
    for (const s of this.states(user))
      if (s.state === 'Active' && !active.has(s.skuId)) active.set(s.skuId, { skuId: s.skuId, disabledPlans: [] });
    return [...active.values()];
  }
}

/**
 * signInActivity: "Returned only on $select", needs AuditLog.Read.All (403 without it), and "when you specify
 * $select=signInActivity or $filter=signInActivity while listing users, the maximum page size is 120 users.
 * Requests with $top set higher than 120 will return pages with up to 120 users"
 * (https://learn.microsoft.com/graph/api/resources/user, signInActivity). Callers must follow nextLink.
 */
const SIGN_IN_ACTIVITY_ROLE = 'AuditLog.Read.All';
const SIGN_IN_ACTIVITY_PAGE_SIZE = 120;

function selected($select: string | null): Set<string> {
  return new Set(($select ?? '').split(',').map((k) => k.trim()));
}

export function signInActivityPageSize(top: number | null, $select: string | null): number | null {
  if (!selected($select).has('signInActivity')) return top;
  return Math.min(top ?? SIGN_IN_ACTIVITY_PAGE_SIZE, SIGN_IN_ACTIVITY_PAGE_SIZE);
}

/**
 * The user document with the licence properties Graph computes (assignedLicenses with inherited licences,
 * licenseAssignmentStates) when they are selected; signInActivity only when selected and allowed.
 */
export function withLicenceProperties(
  user: UserDoc,
  $select: string | null,
  roles: string[] | undefined,
  ledger: LicenceLedger,
): { doc: Record<string, unknown> } | EmulatorResponse {
  const keys = selected($select);
  const { signInActivity, ...doc } = user as UserDoc & { signInActivity?: unknown };
  if (keys.has('signInActivity')) {
    if (roles && !roles.includes(SIGN_IN_ACTIVITY_ROLE)) return forbidden();
    // "Not returned for a user who has never signed in": absent, not null.
    if (signInActivity !== undefined) (doc as Record<string, unknown>).signInActivity = signInActivity;
  }
  if (keys.has('assignedLicenses')) doc.assignedLicenses = ledger.assignedLicenses(user);
  if (keys.has('licenseAssignmentStates'))
    (doc as Record<string, unknown>).licenseAssignmentStates = ledger.states(user);
  return { doc };
}
