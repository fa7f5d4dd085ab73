// Grants Microsoft Graph application permissions (app roles) to the Function App's managed identity with the
// Microsoft Graph Bicep extension: one appRoleAssignedTo per role, looked up by name on the Graph service principal.
// https://learn.microsoft.com/graph/templates/reference/approleassignedto
// The deployer needs Privileged Role Administrator (or Global Administrator) to grant Graph app roles.
extension microsoftGraphV1

@description('Object id of the managed identity\'s service principal.')
param principalId string

@description('Graph application permissions to grant, e.g. User.ReadWrite.All (generated/graph-permissions.json).')
param appRoles array

// Microsoft Graph's well-known application id.
var microsoftGraphAppId = '00000003-0000-0000-c000-000000000000'

resource microsoftGraph 'Microsoft.Graph/servicePrincipals@v1.0' existing = {
  appId: microsoftGraphAppId
}

resource grants 'Microsoft.Graph/appRoleAssignedTo@v1.0' = [
  for appRole in appRoles: {
    principalId: principalId
    resourceId: microsoftGraph.id
    appRoleId: filter(
      microsoftGraph.appRoles,
      role => role.value == appRole && contains(role.allowedMemberTypes, 'Application')
    )[0].id
  }
]

output granted array = appRoles
