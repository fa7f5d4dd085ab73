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
 * Who holds each SKU within its units is kept by the store as the tenant changes (licence-holders.ts), so a
 * request reads a counter and one indexed row per licence instead of every user and licence-group member.
 */
export interface LicenceState {
  skuId: string;
  assignedByGroup: string | null;
  state: string;
  error: string;
}

export class LicenceLedger {
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

  consumed(skuId: string): number {
    return this.store.licenceHolders.consumed(skuId);
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
    // The user's own groups (indexed by member), not every licensing group's members: one user's licence states
    // cost their memberships, whatever the tenant's size (issue 16). In group id order, as memberOf lists them.
    const groups = this.store
      .groupIdsOf(user.id)
      .map((id) => this.store.getGroup(id))
      .filter((g) => (g?.assignedLicenses?.length ?? 0) > 0)
      .sort((a, b) => (a!.id < b!.id ? -1 : a!.id > b!.id ? 1 : 0));
    for (const group of groups as { id: string; assignedLicenses: string[] }[]) {
      for (const skuId of group.assignedLicenses) {
        if (!user.usageLocation) {
          states.push({ skuId, assignedByGroup: group.id, state: 'Error', error: 'UsageLocationNotAllowed' });
          continue;
        }
        const withinUnits = this.store.licenceHolders.isGranted(skuId, user.id);
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
