// Function App on the Flex Consumption plan (FC1), Node 22, identity-based connections everywhere.
// https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan
// Identity-based connections:
// https://learn.microsoft.com/azure/azure-functions/functions-reference#configure-an-identity-based-connection
// Every setting here is read by the app or the platform, and every setting the app reads is here or deliberately
// left to its default (test/infra/settings.test.ts).
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerName string
param auditTableName string
param appInsightsConnectionString string
param serviceBusNamespace string
param hrEventsQueueName string
param hrWebhookSecretsUri string
param mailSender string
param inboundTokenAudience string
param inboundRequiredRole string
param maximumInstanceCount int

var appSettings = union(
  {
    // Functions host storage and the Durable Functions task hub (Azure Storage provider).
    AzureWebJobsStorage__accountName: storageAccountName
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    ENTRA_JML_TASK_HUB: 'entrajml'
    // Telemetry with Entra auth (the component has local auth off).
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    // The Service Bus trigger's connection ("ServiceBusConnection") and the app's own sender.
    ServiceBusConnection__fullyQualifiedNamespace: serviceBusNamespace
    ServiceBusConnection__credential: 'managedidentity'
    ServiceBusConnection__clientId: identityClientId
    HR_EVENTS_QUEUE: hrEventsQueueName
    // Microsoft Graph with the managed identity.
    AZURE_CLIENT_ID: identityClientId
    AZURE_TENANT_ID: tenant().tenantId
    GRAPH_USE_MANAGED_IDENTITY: 'true'
    // Audit trail, deletion guard and person inbox in Table Storage.
    AUDIT_TABLE_ENDPOINT: 'https://${storageAccountName}.table.${environment().suffixes.storage}'
    AUDIT_TABLE_NAME: auditTableName
    // Intake: webhook keys from Key Vault; bulkUpload tokens for the inbound API registration.
    HR_WEBHOOK_SECRETS: '@Microsoft.KeyVault(SecretUri=${hrWebhookSecretsUri})'
    INBOUND_TOKEN_AUDIENCE: inboundTokenAudience
    INBOUND_REQUIRED_ROLE: inboundRequiredRole
  },
  // Without a sender the app never mails (the preprovision hook refuses a policy that notifies without one).
  empty(mailSender) ? {} : { MAIL_SENDER: mailSender }
)

// No azd-service-name tag here: azd deploys to the one resource carrying it (the site).
resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: 'https://${storageAccountName}.blob.${environment().suffixes.storage}/${deploymentContainerName}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: maximumInstanceCount, instanceMemoryMB: 2048 }
      runtime: { name: 'node', version: '22' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: map(items(appSettings), setting => { name: setting.key, value: setting.value })
    }
  }
}

// No basic (user name + password) publishing credentials: azd deploys with Entra tokens.
// https://learn.microsoft.com/azure/app-service/configure-basic-auth-disable
resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: { allow: false }
}

resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: { allow: false }
}

output name string = app.name
output url string = 'https://${app.properties.defaultHostName}'
