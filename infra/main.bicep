// entra-jml: Azure Functions (Flex Consumption) + Durable Functions (Azure Storage backend) + Service Bus
// (sessions, duplicate detection) + Key Vault + Application Insights, all reached with a user-assigned
// managed identity (no connection strings). Layout follows azd conventions (azure.yaml at the root).
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('azd environment name; used to derive resource names.')
param environmentName string

@description('Primary location for all resources.')
param location string = resourceGroup().location

@secure()
@description('Comma-separated HMAC keys for the HR webhook (stored in Key Vault, referenced by app setting).')
param hrWebhookSecretsValue string = ''

@description('Maximum instances for the Flex Consumption plan.')
param maximumInstanceCount int = 40

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { 'azd-env-name': environmentName, app: 'entra-jml' }

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: { name: 'id-jml-${token}', location: location, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { name: 'jml-${token}', location: location, tags: tags }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: { name: 'stjml${token}', location: location, tags: tags, principalId: identity.outputs.principalId }
}

module serviceBus 'modules/service-bus.bicep' = {
  name: 'serviceBus'
  params: { name: 'sb-jml-${token}', location: location, tags: tags, principalId: identity.outputs.principalId }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'keyVault'
  params: {
    name: 'kv-jml-${token}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    hrWebhookSecretsValue: hrWebhookSecretsValue
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'functionApp'
  params: {
    name: 'func-jml-${token}'
    planName: 'plan-jml-${token}'
    location: location
    tags: union(tags, { 'azd-service-name': 'api' })
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: storage.outputs.deploymentContainerName
    appInsightsConnectionString: monitoring.outputs.connectionString
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    hrEventsQueueName: serviceBus.outputs.hrEventsQueueName
    hrWebhookSecretsUri: keyVault.outputs.hrWebhookSecretsUri
    maximumInstanceCount: maximumInstanceCount
  }
}

output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = functionApp.outputs.url
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_MANAGED_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
// Graph application permissions are granted to this principal by scripts/grant-graph-permissions.sh
// (Bicep cannot grant Graph app roles without the Microsoft Graph Bicep extension).
