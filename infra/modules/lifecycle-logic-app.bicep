// The consumption Logic App a Lifecycle Workflows custom task extension calls ("Lifecycle Workflows currently support
// creating custom task extensions to call out to Azure Logic Apps", consumption only:
// https://learn.microsoft.com/entra/id-governance/lifecycle-workflow-extensibility). It answers the callout 202 and
// forwards the body unchanged to entra-jml's POST /api/lcw/tasks with a managed identity token; entra-jml does the
// work and calls resume itself (the Logic App "only acts as an intermediary", same page).
// Trigger schema and authorization policies:
// https://learn.microsoft.com/entra/id-governance/configure-logic-app-lifecycle-workflows
// SAS off on the trigger: https://learn.microsoft.com/entra/id-governance/custom-extension-security
extension microsoftGraphV1

param name string
param location string
param tags object

@description('Host name of the Function App (its default <name>.azurewebsites.net, or a custom domain).')
param functionHost string

@description('Name of the user-assigned identity the Logic App forwards with (the caller entra-jml accepts).')
param forwardingIdentityName string

@description('uniqueName of the app registration the forwarded tokens are issued for (their audience).')
param calleeAppUniqueName string

param calleeAppDisplayName string

@description('''Application (client) id of this Logic App's system-assigned identity, for custom task extensions
of the legacy "Normal" token type only (their tokens carry it as aud). It exists only after the first deployment:
`az ad sp show --id <LCW_LOGIC_APP_PRINCIPAL_ID> --query appId -o tsv`. Empty: no legacy policy (new extensions
are Proof of Possession only).''')
param legacyTokenAudience string = ''

// "The appid value represents Lifecycle Workflows and is always the same" (configure-logic-app-lifecycle-workflows;
// the first-party app "AAD Lifecycle Management", CONTRACTS §3.4).
var lifecycleWorkflowsAppId = 'ce79fdc4-cd1d-4ea5-8139-e74d7dbe0bb7'
var tenantId = tenant().tenantId
// p: /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Logic/workflows/{name}
var workflowPath = '${resourceGroup().id}/providers/Microsoft.Logic/workflows/${name}'
var logicSchemas = 'https://schema.management.azure.com/providers/Microsoft.Logic/schemas'
var definitionSchema = '${logicSchemas}/2016-06-01/workflowdefinition.json#'
var calloutRole = 'LifecycleWorkflows.TaskCallout'

// Proof of Possession (the only type of new extensions): policy AADPOP with iss (trailing slash), aud, appid, m, u, p.
var popPolicy = {
  AzureADLifecycleWorkflowsAuthPOPAuthPolicy: {
    type: 'AADPOP'
    claims: [
      { name: 'iss', value: 'https://sts.windows.net/${tenantId}/' }
      { name: 'aud', value: 'https://management.azure.com' }
      { name: 'appid', value: lifecycleWorkflowsAppId }
      { name: 'm', value: 'POST' }
      { name: 'u', value: 'management.azure.com' }
      { name: 'p', value: workflowPath }
    ]
  }
}

// "Normal" (bearer) extensions created before PoP existed: two AAD policies, v1 and v2 issuer.
var legacyPolicies = {
  AzureADLifecycleWorkflowsAuthPolicy: {
    type: 'AAD'
    claims: [
      { name: 'iss', value: 'https://sts.windows.net/${tenantId}/' }
      { name: 'aud', value: legacyTokenAudience }
      { name: 'appid', value: lifecycleWorkflowsAppId }
    ]
  }
  AzureADLifecycleWorkflowsAuthPolicyV2App: {
    type: 'AAD'
    claims: [
      { name: 'iss', value: 'https://login.microsoftonline.com/${tenantId}/v2.0' }
      { name: 'aud', value: legacyTokenAudience }
      { name: 'azp', value: lifecycleWorkflowsAppId }
    ]
  }
}

// The identity the Logic App forwards with. User-assigned, so its client id is known in this deployment and the
// Function App gets it as LCW_CALLER_APP_IDS (a system-assigned identity's application id is not readable here).
resource forwardingIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: forwardingIdentityName
  location: location
  tags: tags
}

// What the forwarded tokens are for (LCW_AUDIENCE: v2 tokens carry the client id as aud). Assignment required, and
// only the forwarding identity holds the role, so no other identity of the tenant gets a token entra-jml accepts.
resource calleeApp 'Microsoft.Graph/applications@v1.0' = {
  uniqueName: calleeAppUniqueName
  displayName: calleeAppDisplayName
  signInAudience: 'AzureADMyOrg'
  api: { requestedAccessTokenVersion: 2 }
  appRoles: [
    {
      id: guid(calleeAppUniqueName, calloutRole)
      allowedMemberTypes: ['Application']
      value: calloutRole
      displayName: calloutRole
      description: 'Forward Lifecycle Workflows custom task callouts to entra-jml.'
      isEnabled: true
    }
  ]
}

resource calleeServicePrincipal 'Microsoft.Graph/servicePrincipals@v1.0' = {
  appId: calleeApp.appId
  appRoleAssignmentRequired: true
}

resource forwarderAssignment 'Microsoft.Graph/appRoleAssignedTo@v1.0' = {
  principalId: forwardingIdentity.properties.principalId
  resourceId: calleeServicePrincipal.id
  appRoleId: guid(calleeAppUniqueName, calloutRole)
}

resource logicApp 'Microsoft.Logic/workflows@2019-05-01' = {
  name: name
  location: location
  tags: tags
  // System-assigned: what Lifecycle Workflows authorizes by default (and needs for "Normal" extensions);
  // user-assigned: the caller entra-jml accepts.
  identity: {
    type: 'SystemAssigned, UserAssigned'
    userAssignedIdentities: { '${forwardingIdentity.id}': {} }
  }
  properties: {
    state: 'Enabled'
    accessControl: {
      triggers: {
        sasAuthenticationPolicy: { state: 'Disabled' }
        openAuthenticationPolicies: {
          policies: empty(legacyTokenAudience) ? popPolicy : union(popPolicy, legacyPolicies)
        }
      }
    }
    definition: {
      '$schema': definitionSchema
      contentVersion: '1.0.0.0'
      parameters: {}
      triggers: {
        manual: {
          type: 'Request'
          kind: 'Http'
          inputs: { schema: loadJsonContent('../lcw/callout-trigger-schema.json') }
        }
      }
      actions: {
        // Lifecycle Workflows waits at most timeoutInMilliseconds (200-2000 ms) for the trigger: answer at once.
        Accepted: {
          type: 'Response'
          kind: 'Http'
          runAfter: {}
          inputs: { statusCode: 202 }
        }
        Forward_to_entra_jml: {
          type: 'Http'
          runAfter: { Accepted: ['Succeeded'] }
          inputs: {
            method: 'POST'
            uri: 'https://${functionHost}/api/lcw/tasks'
            headers: { 'Content-Type': 'application/json' }
            body: '@triggerBody()'
            authentication: {
              type: 'ManagedServiceIdentity'
              identity: forwardingIdentity.id
              audience: calleeApp.appId
            }
            // A cold start of the Function App must not lose the task: retried, and entra-jml runs a task once.
            retryPolicy: { type: 'exponential', count: 4, interval: 'PT10S' }
          }
        }
      }
      outputs: {}
    }
  }
}

output name string = logicApp.name
@description('Object id of the system-assigned identity (what the custom task extension authorizes by default).')
output principalId string = logicApp.identity.principalId
@description('LCW_CALLER_APP_IDS: the client id of the identity that forwards to entra-jml.')
output callerAppId string = forwardingIdentity.properties.clientId
@description('LCW_AUDIENCE: the audience of the forwarded tokens.')
output audience string = calleeApp.appId
