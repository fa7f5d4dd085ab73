import { LicenceReportPolicy, type Policy } from '../domain/policy';
import type { LicenceSnapshot, SnapshotSku, SnapshotUser } from './snapshot';

/**
 * What every part of the report shares: the snapshot indexed, the products (each Microsoft SKU and each tier of
 * each app) with their holders and prices, and the rules for "departed" and "idle". Pure: `now` is given.
 */
export type LicencePolicy = LicenceReportPolicy;

export interface Product {
  /** sku:SPE_E3 or app:acme:pro. */
  key: string;
  kind: 'sku' | 'app';
  /** skuId, or the app id. */
  id: string;
  name: string;
  tier: string | null;
  /** The app tier's licence group. */
  groupId: string | null;
  purchased: number;
  /** Units in warning (expired, in grace) and suspended (cancelled): not assignable for long. */
  warning: number;
  suspended: number;
  /** Graph's consumedUnits for a SKU; null for an app (computed from activity). */
  reportedConsumed: number | null;
  unitPrice: number | null;
  currency: string | null;
  /** User ids holding it (ids not among the users: deleted or unknown accounts still in the group). */
  holders: string[];
}

export const MS_PER_DAY = 86_400_000;

export class ReportContext {
  readonly usersById: Map<string, SnapshotUser>;
  readonly skuById: Map<string, SnapshotSku>;
  readonly products: Product[];
  readonly licences: LicencePolicy;
  private readonly usageByApp = new Map<string, Map<string, number>>();
  /** Each user's SKUs in effect, and each group's members by lower-case id: computed once, looked up in O(1). */
  private readonly skusHeld = new Map<string, Set<string>>();
  private readonly members = new Map<string, { ids: string[]; set: Set<string> }>();

  constructor(
    readonly snapshot: LicenceSnapshot,
    readonly policy: Policy,
    readonly now: Date,
  ) {
    this.licences = policy.licences ?? LicenceReportPolicy.parse({});
    this.usersById = new Map(snapshot.users.map((u) => [u.id, u]));
    this.skuById = new Map(snapshot.skus.map((s) => [s.skuId, s]));
    for (const user of snapshot.users) this.skusHeld.set(user.id, skusInEffect(user));
    for (const [id, ids] of Object.entries(snapshot.groupMembers)) {
      const key = id.toLowerCase();
      if (!this.members.has(key)) this.members.set(key, { ids, set: new Set(ids) });
    }
    for (const row of snapshot.usage) {
      const byUser = this.usageByApp.get(row.appId) ?? new Map<string, number>();
      const at = Date.parse(row.lastUsedAt.length === 10 ? `${row.lastUsedAt}T23:59:59Z` : row.lastUsedAt);
      const upn = row.userPrincipalName.toLowerCase();
      byUser.set(upn, Math.max(at, byUser.get(upn) ?? 0));
      this.usageByApp.set(row.appId, byUser);
    }
    this.products = [...this.skuProducts(), ...this.appProducts()];
  }

  private skuProducts(): Product[] {
    // One pass over the users for all SKUs (not one pass per SKU), holders in the users' order.
    const holdersOf = new Map<string, string[]>(this.snapshot.skus.map((sku) => [sku.skuId, []]));
    for (const user of this.snapshot.users)
      for (const skuId of this.skusHeld.get(user.id) ?? []) holdersOf.get(skuId)?.push(user.id);
    return this.snapshot.skus
      .filter((sku) => sku.appliesTo === 'User')
      .map((sku) => {
        const cost = this.licences.costs.find((c) => c.skuPartNumber === sku.skuPartNumber);
        return {
          key: `sku:${sku.skuPartNumber}`,
          kind: 'sku' as const,
          id: sku.skuId,
          name: sku.skuPartNumber,
          tier: null,
          groupId: null,
          purchased: sku.prepaidUnits.enabled,
          warning: sku.prepaidUnits.warning,
          suspended: sku.prepaidUnits.suspended,
          reportedConsumed: sku.consumedUnits,
          unitPrice: cost?.unitPrice ?? null,
          currency: cost?.currency ?? null,
          holders: holdersOf.get(sku.skuId) ?? [],
        };
      });
  }

  private appProducts(): Product[] {
    return this.licences.apps.flatMap((app) =>
      app.licenceGroups.map((tier) => ({
        key: `app:${app.id}:${tier.tier}`,
        kind: 'app' as const,
        id: app.id,
        name: `${app.name} ${tier.tier}`,
        tier: tier.tier,
        groupId: tier.groupId,
        purchased: tier.seats,
        warning: 0,
        suspended: 0,
        reportedConsumed: null,
        unitPrice: tier.unitPrice,
        currency: tier.currency,
        holders: [...new Set(this.membersOf(tier.groupId))],
      })),
    );
  }

  membersOf(groupId: string): string[] {
    return this.members.get(groupId.toLowerCase())?.ids ?? [];
  }

  isMember(groupId: string, userId: string): boolean {
    return this.members.get(groupId.toLowerCase())?.set.has(userId) ?? false;
  }

  /** A licence in effect: in assignedLicenses, or an assignment state that is Active (with or without error). */
  holdsSku(user: SnapshotUser, skuId: string): boolean {
    return (this.skusHeld.get(user.id) ?? skusInEffect(user)).has(skuId);
  }

  /** The SKU ids the user holds (holdsSku for every SKU at once). */
  heldSkuIds(user: SnapshotUser): ReadonlySet<string> {
    return this.skusHeld.get(user.id) ?? skusInEffect(user);
  }

  /** Disabled, or past the leave date. */
  departed(user: SnapshotUser): string | null {
    if (!user.accountEnabled) return 'account disabled';
    if (user.employeeLeaveDateTime && Date.parse(user.employeeLeaveDateTime) <= this.now.getTime())
      return `left on ${user.employeeLeaveDateTime.slice(0, 10)}`;
    return null;
  }

  /**
   * Idle for the product, or null when it cannot be told. App tiers: the app's usage rows when the organisation
   * imports them, else the last sign-in; SKUs: the last sign-in. A never-used account counts from its creation.
   */
  idleSince(user: SnapshotUser, product: Product): { idle: boolean; lastActivity: string | null } | null {
    const limit = this.now.getTime() - this.licences.idleDays * MS_PER_DAY;
    const usage = product.kind === 'app' ? this.usageByApp.get(product.id) : undefined;
    if (usage) {
      const at = usage.get(user.userPrincipalName.toLowerCase());
      return { idle: at === undefined || at < limit, lastActivity: at === undefined ? null : iso(at) };
    }
    if (!this.snapshot.signInActivityAvailable) return null;
    const last = user.lastSignInDateTime ?? user.createdDateTime;
    const at = last ? Date.parse(last) : undefined;
    return { idle: at === undefined || at < limit, lastActivity: user.lastSignInDateTime };
  }

  productName(key: string): string {
    return this.products.find((p) => p.key === key)?.name ?? key;
  }
}

function skusInEffect(user: SnapshotUser): Set<string> {
  const held = new Set(user.assignedSkuIds);
  for (const state of user.licenseAssignmentStates) if (state.state.startsWith('Active')) held.add(state.skuId);
  return held;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
