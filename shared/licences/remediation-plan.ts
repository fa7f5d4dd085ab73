import { createHash } from 'node:crypto';
import type { ReportContext } from './context';

/**
 * What licence remediation would change, decided from one snapshot (pure). Three actions, each switched on
 * separately in the policy (licences.remediation):
 * - removeFromDeparted: a disabled or departed account gives back its app seats and licence-group memberships
 *   (remove-membership) and its directly assigned licences (remove-direct-licence: assignLicense removeLicenses,
 *   https://learn.microsoft.com/graph/api/user-assignlicense); a member of a seat group that is not a user (a deleted
 *   account, a nested group) is removed from the group.
 * - moveDirectToGroup: a licence assigned directly moves to the policy's licence group for that SKU: first the
 *   membership, then, once the group's licence is active, the direct assignment is removed (the order Microsoft
 *   documents: https://learn.microsoft.com/entra/identity/users/licensing-groups-migrate-users).
 * - endExpiredAccess: time-limited access whose end date has passed and that is still held ends (remove-membership).
 * Applying the plan and planning again yields an empty plan: every action is read from the state it changes.
 */
type RemediationKind = 'remove-membership' | 'remove-direct-licence' | 'move-to-group';
type RemediationSwitch = 'removeFromDeparted' | 'moveDirectToGroup' | 'endExpiredAccess';

export interface RemediationAction {
  /** Stable key of the change (kind, user, group or SKU): the plan digest and idempotency are built on it. */
  key: string;
  kind: RemediationKind;
  /** The policy switch that allows it. */
  switch: RemediationSwitch;
  /** Whether that switch is on: a dry run lists every candidate, an apply changes only enabled ones. */
  enabled: boolean;
  userId: string;
  userPrincipalName: string | null;
  displayName: string | null;
  mail: string | null;
  /** The group to leave or join. */
  groupId: string | null;
  skuId: string | null;
  /** Product key (sku:SPE_E3, app:acme:pro) and name, for people and mails. */
  product: string;
  productName: string;
  /** Why (account disabled, left on..., ended on..., assigned directly). */
  reason: string;
  /** move-to-group: already in the group (only the direct assignment is left to remove). */
  alreadyInGroup?: boolean;
}

export interface RemediationPlan {
  actions: RemediationAction[];
  /** Digest of the enabled actions: an admin approves exactly this plan (a changed plan needs a new approval). */
  digest: string;
}

export function planRemediation(ctx: ReportContext): RemediationPlan {
  const switches = ctx.licences.remediation;
  const actions = new Map<string, RemediationAction>();
  const add = (action: Omit<RemediationAction, 'key' | 'enabled'>) => {
    const key = `${action.kind}|${action.userId}|${action.groupId ?? action.skuId}`.toLowerCase();
    if (!actions.has(key)) actions.set(key, { ...action, key, enabled: switches[action.switch] });
  };
  departed(ctx, add);
  direct(ctx, add);
  expired(ctx, add);
  const list = [...actions.values()].sort((a, b) => a.key.localeCompare(b.key));
  return { actions: list, digest: digestOf(list.filter((a) => a.enabled)) };
}

function digestOf(actions: RemediationAction[]): string {
  return createHash('sha256')
    .update(actions.map((a) => a.key).join('\n'))
    .digest('hex')
    .slice(0, 16);
}

type Add = (action: Omit<RemediationAction, 'key' | 'enabled'>) => void;

function who(ctx: ReportContext, userId: string) {
  const user = ctx.usersById.get(userId);
  return {
    userId,
    userPrincipalName: user?.userPrincipalName ?? null,
    displayName: user?.displayName ?? null,
    mail: user?.mail ?? null,
  };
}

function skuPart(ctx: ReportContext, skuId: string): string {
  return ctx.skuById.get(skuId)?.skuPartNumber ?? skuId;
}

function departed(ctx: ReportContext, add: Add): void {
  for (const user of ctx.snapshot.users) {
    const why = ctx.departed(user);
    if (!why) continue;
    for (const state of user.licenseAssignmentStates) {
      const part = skuPart(ctx, state.skuId);
      const common = { ...who(ctx, user.id), skuId: state.skuId, product: `sku:${part}`, productName: part };
      if (state.assignedByGroup)
        add({
          ...common,
          kind: 'remove-membership',
          switch: 'removeFromDeparted',
          groupId: state.assignedByGroup,
          reason: why,
        });
      else add({ ...common, kind: 'remove-direct-licence', switch: 'removeFromDeparted', groupId: null, reason: why });
    }
  }
  for (const product of ctx.products.filter((p) => p.kind === 'app'))
    for (const id of product.holders) {
      const user = ctx.usersById.get(id);
      const why = user ? ctx.departed(user) : 'not a user (deleted account or another kind of object)';
      if (!why) continue;
      add({
        ...who(ctx, id),
        kind: 'remove-membership',
        switch: 'removeFromDeparted',
        groupId: product.groupId,
        skuId: null,
        product: product.key,
        productName: product.name,
        reason: why,
      });
    }
}

function direct(ctx: ReportContext, add: Add): void {
  for (const user of ctx.snapshot.users) {
    if (ctx.departed(user)) continue;
    for (const state of user.licenseAssignmentStates) {
      if (state.assignedByGroup !== null) continue;
      const part = skuPart(ctx, state.skuId);
      const group = ctx.policy.licenceGroups.find((g) => g.sku === part);
      if (!group) continue;
      add({
        ...who(ctx, user.id),
        kind: 'move-to-group',
        switch: 'moveDirectToGroup',
        groupId: group.id,
        skuId: state.skuId,
        product: `sku:${part}`,
        productName: part,
        reason: `assigned directly; the policy's group is "${group.name}"`,
        alreadyInGroup: user.licenseAssignmentStates.some(
          (s) => s.skuId === state.skuId && s.assignedByGroup?.toLowerCase() === group.id.toLowerCase(),
        ),
      });
    }
  }
}

function expired(ctx: ReportContext, add: Add): void {
  const now = ctx.now.getTime();
  for (const membership of ctx.snapshot.timeLimited) {
    if (Date.parse(membership.endDateTime) > now) continue;
    const group = membership.groupId.toLowerCase();
    const user = ctx.usersById.get(membership.userId);
    const inSeatGroup = ctx.membersOf(membership.groupId).includes(membership.userId);
    const viaSkuGroup = user?.licenseAssignmentStates.find((s) => s.assignedByGroup?.toLowerCase() === group);
    if (!inSeatGroup && !viaSkuGroup) continue;
    const app = ctx.products.find((p) => p.groupId?.toLowerCase() === group);
    const part = viaSkuGroup ? skuPart(ctx, viaSkuGroup.skuId) : null;
    add({
      ...who(ctx, membership.userId),
      kind: 'remove-membership',
      switch: 'endExpiredAccess',
      groupId: membership.groupId,
      skuId: viaSkuGroup?.skuId ?? null,
      product: app?.key ?? (part ? `sku:${part}` : `group:${membership.groupId}`),
      productName: app?.name ?? part ?? `group ${membership.groupId}`,
      reason: `time-limited access ended on ${membership.endDateTime.slice(0, 10)}`,
    });
  }
}
