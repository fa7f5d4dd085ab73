// The app registration POST /api/hr/bulkUpload accepts tokens for: one application role (the Entra API-driven
// inbound provisioning role name), v2 access tokens (audience = this app's client id, issuer
// https://login.microsoftonline.com/{tenant}/v2.0, which the app's defaults expect), and assignment required, so
// only HR connectors given the role can get a token. https://learn.microsoft.com/entra/identity-platform/access-tokens
// The deployer needs Application Administrator (or Cloud Application Administrator) to register it, and
// Privileged Role Administrator to assign the role to clients.
extension microsoftGraphV1

param uniqueName string
param displayName string

@description('The app role value bulkUpload callers must hold (INBOUND_REQUIRED_ROLE).')
param roleValue string

@description('Object ids of the service principals (HR connectors) to assign the role to.')
param clientPrincipalIds array = []

// Stable across deployments, so a redeployment never re-creates the role.
var roleId = guid(uniqueName, roleValue)

// The operations API (/api/ops, the console) behind App Service Authentication: JML.Admin acts, JML.Reader only
// reads (shared/ops/actor.ts). Assigned to admins (users or groups) and to automation (applications).
// https://learn.microsoft.com/entra/identity-platform/howto-add-app-roles-in-apps
var opsAdminRoleId = guid(uniqueName, 'JML.Admin')
var opsReaderRoleId = guid(uniqueName, 'JML.Reader')

resource application 'Microsoft.Graph/applications@v1.0' = {
  uniqueName: uniqueName
  displayName: displayName
  signInAudience: 'AzureADMyOrg'
  api: { requestedAccessTokenVersion: 2 }
  appRoles: [
    {
      id: roleId
      allowedMemberTypes: ['Application']
      value: roleValue
      displayName: roleValue
      description: 'Send HR records to entra-jml (SCIM bulkUpload).'
      isEnabled: true
    }
    {
      id: opsAdminRoleId
      allowedMemberTypes: ['User', 'Application']
      value: 'JML.Admin'
      displayName: 'entra-jml administrator'
      description: 'Read and act in the entra-jml operations API and console (retry, terminate, approve, discard).'
      isEnabled: true
    }
    {
      id: opsReaderRoleId
      allowedMemberTypes: ['User', 'Application']
      value: 'JML.Reader'
      displayName: 'entra-jml reader'
      description: 'Read the entra-jml operations API and console: people, timelines, runs, audit.'
      isEnabled: true
    }
  ]
}

resource servicePrincipal 'Microsoft.Graph/servicePrincipals@v1.0' = {
  appId: application.appId
  appRoleAssignmentRequired: true
}

resource clientAssignments 'Microsoft.Graph/appRoleAssignedTo@v1.0' = [
  for clientPrincipalId in clientPrincipalIds: {
    principalId: clientPrincipalId
    resourceId: servicePrincipal.id
    appRoleId: roleId
  }
]

@description('INBOUND_TOKEN_AUDIENCE: v2 access tokens carry the client id as aud.')
output audience string = application.appId
output roleValue string = roleValue
