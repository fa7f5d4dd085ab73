import type { Policy } from '../domain/policy';

/**
 * The groups that hand out a licence, by lower-case id, with what a person is told they got: the policy's SKU
 * licence groups (group-based licensing) and each tier of each app (an app seat).
 */
export function licenceGroupNames(policy: Policy): Map<string, string> {
  const names = new Map<string, string>();
  for (const group of policy.licenceGroups) names.set(group.id.toLowerCase(), `${group.name} (${group.sku})`);
  for (const app of policy.licences?.apps ?? [])
    for (const tier of app.licenceGroups) names.set(tier.groupId.toLowerCase(), `${app.name} ${tier.tier}`);
  return names;
}

/**
 * Whether a step's group changes are anything to tell the person or their manager about (policy
 * licences.notifications on, and a licence or app seat group among them). The JML steps call the mailing activity
 * only then: most steps change no licence, or the tenant mails nobody.
 */
export function licenceNotificationsDue(policy: Policy, added: readonly string[], removed: readonly string[]): boolean {
  const wanted = policy.licences?.notifications;
  if (!wanted || (!wanted.person && !wanted.manager)) return false;
  const names = licenceGroupNames(policy);
  return [...added, ...removed].some((id) => names.has(id.toLowerCase()));
}
