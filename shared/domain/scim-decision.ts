import type { WorkerRecord } from './hr-event';
import type { Policy, ScimTarget } from './policy';
import { scimTargetsInScope } from './rules';

/**
 * What one push does to a person in one SCIM target, decided from the request, the policy and the account
 * (Entra's provisioning scenarios: in scope → created or updated; out of scope, disabled or gone → disabled;
 * https://learn.microsoft.com/entra/identity/app-provisioning/how-provisioning-works#de-provisioning).
 */
export type ScimDisposition =
  | { kind: 'provision' }
  /** Not (or no longer) to be provisioned: an existing active resource is deactivated, nothing is created. */
  | { kind: 'withhold'; reason: string }
  | { kind: 'deactivate' }
  | { kind: 'delete' }
  | { kind: 'invalid'; reason: string };

export function scimDisposition(
  request: { action: 'upsert' | 'deactivate' | 'delete'; record?: WorkerRecord | undefined },
  target: ScimTarget,
  policy: Policy,
  account: { accountEnabled: boolean } | null,
): ScimDisposition {
  if (request.action === 'delete') return { kind: 'delete' };
  if (request.action === 'deactivate') return { kind: 'deactivate' };
  if (!request.record) return { kind: 'invalid', reason: 'an upsert needs the worker record' };
  if (!account) return { kind: 'withhold', reason: 'the person has no account' };
  if (!scimTargetsInScope(request.record, policy).some((t) => t.id === target.id))
    return { kind: 'withhold', reason: `out of the scope of ${target.id}` };
  if (!account.accountEnabled && !target.provisionDisabled)
    return {
      kind: 'withhold',
      reason: `the account is disabled and ${target.id} does not provision disabled accounts`,
    };
  return { kind: 'provision' };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The target groups (by display name) the person should and should not be in: each group the target pushes that the
 * person is a member of, by its name; a pushed group they are not in, when it is named (an id alone has no name to
 * find it by in the target, so it is left alone).
 */
export function scimGroupMemberships(
  pushed: ScimTarget['groups'],
  memberships: readonly { id: string; displayName: string | null }[],
): { member: string[]; notMember: string[] } {
  if (pushed === 'none') return { member: [], notMember: [] };
  const member: string[] = [];
  const notMember: string[] = [];
  for (const entry of pushed) {
    const wanted = entry.toLowerCase();
    const found = memberships.find((m) => m.id.toLowerCase() === wanted || m.displayName?.toLowerCase() === wanted);
    if (found) member.push(found.displayName ?? entry);
    else if (!GUID.test(entry)) notMember.push(entry);
  }
  return { member, notMember };
}

/** Splits `items` into chunks of at most `size`. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
