/**
 * Microsoft Graph application permissions entra-jml needs, least privilege first
 * (https://learn.microsoft.com/graph/permissions-reference). Used by the README and by
 * scripts/grant-graph-permissions.sh to grant them to the Function App's managed identity.
 */
export const requiredGraphPermissions: readonly { permission: string; why: string }[] = [
  {
    permission: 'User.ReadWrite.All',
    why: 'create, update, disable, delete and restore users (user-post-users, user-update, user-delete)',
  },
  {
    permission: 'User-LifeCycleInfo.ReadWrite.All',
    why: 'write employeeHireDate / employeeLeaveDateTime (user resource)',
  },
  {
    permission: 'GroupMember.ReadWrite.All',
    why: 'add and remove birthright and licence group members (group-post-members)',
  },
  { permission: 'User.RevokeSessions.All', why: 'revoke sign-in sessions of leavers (user-revokesigninsessions)' },
  {
    permission: 'UserAuthenticationMethod.ReadWrite.All',
    why: 'issue the Temporary Access Pass after activation (authentication-post-temporaryaccesspassmethods)',
  },
  {
    permission: 'Policy.Read.AuthenticationMethod',
    why:
      "fit the Temporary Access Pass in the tenant's TAP policy " +
      '(temporaryaccesspassauthenticationmethodconfiguration-get)',
  },
  { permission: 'LicenseAssignment.ReadWrite.All', why: 'assign/remove direct licences (user-assignlicense)' },
  { permission: 'Organization.Read.All', why: 'read subscribed SKUs for licence reports (subscribedsku-list)' },
  {
    permission: 'Mail.Send',
    why:
      'send one-time codes and manager notifications from the sender mailbox (user-sendmail); ' +
      'restrict with an Exchange application access policy',
  },
  {
    permission: 'AuditLog.Read.All',
    why: 'read signInActivity for reclaimable-licence reports (user resource, signInActivity)',
  },
  {
    permission: 'PrivilegedAssignmentSchedule.Read.AzureADGroup',
    why:
      'read the end dates of time-limited access to licence groups for licence reports ' +
      '(privilegedaccessgroup-list-assignmentscheduleinstances)',
  },
  {
    permission: 'LifecycleWorkflows.ReadWrite.All',
    why: 'resume Lifecycle Workflows custom task extensions when the app is not in authorizedApps',
  },
];
