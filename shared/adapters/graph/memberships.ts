import { z } from 'zod';
import type { DirectoryMembership, MembershipKind } from '../../ports/directory';

/**
 * One item of `GET /users/{id}/memberOf` (https://learn.microsoft.com/graph/api/user-list-memberof) as a
 * membership with its kind. memberOf returns groups, directory roles and administrative units, told apart by
 * `@odata.type`; a group is dynamic when groupTypes contains DynamicMembership (member writes refused,
 * https://learn.microsoft.com/entra/identity/users/groups-dynamic-membership) and role-assignable when
 * isAssignableToRole is true (its members change only with RoleManagement.ReadWrite.Directory,
 * https://learn.microsoft.com/entra/identity/role-based-access-control/groups-concept).
 */
const MemberOfItem = z
  .object({
    '@odata.type': z.string().optional(),
    id: z.string(),
    displayName: z.string().nullish(),
    groupTypes: z.array(z.string()).nullish(),
    isAssignableToRole: z.boolean().nullish(),
  })
  .passthrough();

const KEPT_BECAUSE: Record<MembershipKind, string | null> = {
  group: null,
  dynamicGroup: 'dynamic membership group: its membership rule decides, member removals are refused',
  roleAssignableGroup:
    'role-assignable group: removing a member needs RoleManagement.ReadWrite.Directory; ' +
    'remove only when the policy says so',
  directoryRole: 'directory role: ended by removing the role assignment (role management), not a group membership',
  administrativeUnit: 'administrative unit: scopes who may administer the account; it grants the person no access',
};

export function membershipFrom(raw: unknown): DirectoryMembership {
  const item = MemberOfItem.parse(raw);
  const type = (item['@odata.type'] ?? '#microsoft.graph.group').toLowerCase();
  const kind: MembershipKind =
    type === '#microsoft.graph.directoryrole'
      ? 'directoryRole'
      : type === '#microsoft.graph.administrativeunit'
        ? 'administrativeUnit'
        : item.groupTypes?.includes('DynamicMembership')
          ? 'dynamicGroup'
          : item.isAssignableToRole
            ? 'roleAssignableGroup'
            : 'group';
  return { id: item.id, displayName: item.displayName ?? null, kind, keptBecause: KEPT_BECAUSE[kind] };
}
