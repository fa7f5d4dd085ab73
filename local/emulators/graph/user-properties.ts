import { badRequest, forbidden, type EmulatorResponse } from './odata';

/**
 * The property rules Graph applies when a user is created or updated (POST /users, PATCH /users/{id}).
 *
 * - user resource (https://learn.microsoft.com/graph/api/resources/user): employeeId at most 16 characters;
 *   displayName at most 256 and cannot be cleared; mailNickname at most 64; usageLocation a two-letter code;
 *   employeeLeaveDateTime written only with User-LifeCycleInfo.ReadWrite.All (otherwise 403
 *   Authorization_RequestDenied;
 *   https://learn.microsoft.com/graph/tutorial-lifecycle-workflows-set-employeeleavedatetime).
 * - mailNickname characters: ASCII 0-127 except @ ( ) \ [ ] " ; : < > , and space (group resource, mailNickname,
 *   https://learn.microsoft.com/graph/api/resources/group; the same alias rules apply to users).
 * - userPrincipalName, "Username policies" on
 *   https://learn.microsoft.com/entra/identity/authentication/concept-sspr-policy:
 *   A-Z a-z 0-9 ' . - _ ! # ^ ~ before the @; no "." right before the @; at most 64 characters before the @,
 *   48 after it, 113 in all; the domain must be one of the tenant's verified domains.
 */
const LIFECYCLE_ROLE = 'User-LifeCycleInfo.ReadWrite.All';

const invalid = (property: string): EmulatorResponse =>
  badRequest(`Invalid value specified for property '${property}' of resource 'User'.`, [
    { code: 'InvalidValue', target: property },
  ]);

export function validateUserProperties(
  input: Record<string, unknown>,
  options: { domains: string[]; roles?: string[]; update: boolean },
): EmulatorResponse | null {
  if ('employeeLeaveDateTime' in input && options.roles && !options.roles.includes(LIFECYCLE_ROLE)) return forbidden();
  if (typeof input.employeeId === 'string' && input.employeeId.length > 16) return invalid('employeeId');
  if ('displayName' in input) {
    const name = input.displayName;
    if (options.update && (name === null || name === '')) return invalid('displayName');
    if (typeof name === 'string' && name.length > 256) return invalid('displayName');
  }
  if (typeof input.mailNickname === 'string') {
    const nick = input.mailNickname;
    // eslint-disable-next-line no-control-regex
    if (nick.length > 64 || /[@()\\[\]";:<>,\s]/.test(nick) || /[^\x00-\x7f]/.test(nick))
      return invalid('mailNickname');
  }
  if (typeof input.userPrincipalName === 'string') {
    const upn = input.userPrincipalName;
    const at = upn.lastIndexOf('@');
    const local = at > 0 ? upn.slice(0, at) : '';
    const domain = at > 0 ? upn.slice(at + 1) : '';
    const domains = options.domains.map((d) => d.toLowerCase());
    if (
      !local ||
      local.length > 64 ||
      domain.length > 48 ||
      upn.length > 113 ||
      !/^[A-Za-z0-9'._!#^~-]+$/.test(local) ||
      local.endsWith('.') ||
      !domains.includes(domain.toLowerCase())
    )
      return badRequest('Property userPrincipalName is invalid.', [
        { code: 'InvalidValue', target: 'userPrincipalName' },
      ]);
  }
  if (typeof input.usageLocation === 'string' && !/^[A-Z]{2}$/.test(input.usageLocation))
    return invalid('usageLocation');
  return null;
}
