import { ruleMatches } from './membership-rule';
import type { GraphStore, GroupDoc, UserDoc } from './store';

/**
 * What a user belongs to, as `memberOf` answers it (https://learn.microsoft.com/graph/api/user-list-memberof):
 * groups, directory roles and administrative units, each with its `@odata.type`. Dynamic groups and dynamic
 * administrative units hold the users their rule matches (groups-dynamic-membership, admin-units-members-dynamic);
 * the others hold the members added to them.
 */
const GROUP_TYPE = '#microsoft.graph.group';
export const DIRECTORY_ROLE_TYPE = '#microsoft.graph.directoryRole';
export const ADMINISTRATIVE_UNIT_TYPE = '#microsoft.graph.administrativeUnit';
export const USER_TYPE = '#microsoft.graph.user';

/** groupTypes contains DynamicMembership (group resource, groupTypes). */
export function isDynamicGroup(group: GroupDoc): boolean {
  return Array.isArray(group.groupTypes) && group.groupTypes.includes('DynamicMembership');
}

/** membershipType Dynamic (administrativeUnit resource, membershipType). */
export function isDynamicUnit(unit: Record<string, unknown>): boolean {
  return (typeof unit.membershipType === 'string' ? unit.membershipType : '').toLowerCase() === 'dynamic';
}

function ruleOf(doc: Record<string, unknown>): string {
  return typeof doc.membershipRule === 'string' && doc.membershipRuleProcessingState !== 'Paused'
    ? doc.membershipRule
    : '';
}

/** The user's memberships, ordered by id (Graph gives no order; a stable one keeps paging consistent). */
export function memberOf(store: GraphStore, user: UserDoc): Record<string, unknown>[] {
  const groups = [
    ...store.groupIdsOf(user.id).map((id) => store.getGroup(id)),
    ...store.listGroups().filter((g) => isDynamicGroup(g) && ruleMatches(ruleOf(g), user)),
  ].filter((g): g is GroupDoc => !!g && !(isDynamicGroup(g) && store.isMember(g.id, user.id)));
  const roles = store.directoryRoleIdsOf(user.id).map((id) => store.getDirectoryRole(id));
  const units = [
    ...store.administrativeUnitIdsOf(user.id).map((id) => store.getAdministrativeUnit(id)),
    ...store.listAdministrativeUnits().filter((u) => isDynamicUnit(u) && ruleMatches(ruleOf(u), user)),
  ];
  const seen = new Set<string>();
  return [
    ...groups.map((g) => ({ '@odata.type': GROUP_TYPE, groupTypes: [], ...g })),
    ...roles.filter((r) => r !== null).map((r) => ({ '@odata.type': DIRECTORY_ROLE_TYPE, ...r })),
    ...units.filter((u) => u !== null).map((u) => ({ '@odata.type': ADMINISTRATIVE_UNIT_TYPE, ...u })),
  ]
    .filter((o) => (seen.has(o.id) ? false : (seen.add(o.id), true)))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Members of a group, a directory role or an administrative unit (users only: the app adds no other kind). */
export function membersOf(store: GraphStore, container: Record<string, unknown> & { id: string }): UserDoc[] {
  const dynamic = isDynamicGroup(container as GroupDoc) || isDynamicUnit(container);
  if (dynamic) return store.listUsers(false).filter((u) => ruleMatches(ruleOf(container), u));
  // The users read once per change of the store (not one query and parse per member, per page).
  const users = store.usersByIdUnchanged(false);
  return store
    .memberIdsOf(container.id)
    .map((id) => users.get(id))
    .filter((u): u is UserDoc => u !== undefined);
}
