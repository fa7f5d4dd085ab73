// Key Vault (RBAC) for the HR webhook HMAC keys and any client certificate; the app reads secrets
// through Key Vault references in app settings.
param name string
param location string
param tags object
param principalId string
@secure()
param hrWebhookSecretsValue string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
    softDeleteRetentionInDays: 90
  }
}

resource hrWebhookSecrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(hrWebhookSecretsValue)) {
  parent: vault
  name: 'hr-webhook-secrets'
  properties: { value: hrWebhookSecretsValue }
}

// Key Vault Secrets User
var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource roleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, secretsUser)
  scope: vault
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
  }
}

output hrWebhookSecretsUri string = '${vault.properties.vaultUri}secrets/hr-webhook-secrets'
