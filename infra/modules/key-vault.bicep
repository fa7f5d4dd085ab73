// Key Vault (RBAC) holding the HR webhook HMAC keys and the activation HMAC key, read by the app through Key Vault
// references in its settings. Both secrets are written on every deployment (main.bicep passes the given key, the one
// already stored, or a generated key), so the references always resolve: the app refuses to start on an unresolved
// reference (shared/config/config.ts).
// Purge protection is off by default: with it on, `azd down` leaves the name reserved until the soft-delete
// retention ends and the next `azd up` in the same environment fails (README "Deploy to Azure": recovery).
param name string
param location string
param tags object
param principalId string
param deployerPrincipalId string
@secure()
param hrWebhookSecretsValue string
@secure()
param activationHmacKeyValue string
param enablePurgeProtection bool

var hrWebhookSecretName = 'hr-webhook-secrets'
var activationHmacKeyName = 'activation-hmac-key'
var hasDeployer = !empty(deployerPrincipalId)

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    // The API accepts true or no value (null), never false.
    enablePurgeProtection: enablePurgeProtection ? true : null
  }
}

resource hrWebhookSecrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: hrWebhookSecretName
  properties: {
    value: hrWebhookSecretsValue
    contentType: 'comma-separated HMAC keys (HR_WEBHOOK_SECRETS)'
  }
}

resource activationHmacKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: activationHmacKeyName
  properties: {
    value: activationHmacKeyValue
    contentType: 'HMAC key of activation codes and links (ACTIVATION_HMAC_KEY)'
  }
}

// Key Vault Secrets User (the app) and Key Vault Secrets Officer (the deployer: read and rotate the keys).
var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var secretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource appSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, secretsUser)
  scope: vault
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
  }
}

resource deployerSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (hasDeployer) {
  name: guid(vault.id, deployerPrincipalId, secretsOfficer)
  scope: vault
  properties: {
    principalId: deployerPrincipalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsOfficer)
  }
}

output name string = vault.name
output hrWebhookSecretName string = hrWebhookSecrets.name
// Versionless: the app picks up a rotated key within a day, or at once on restart.
output hrWebhookSecretsUri string = '${vault.properties.vaultUri}secrets/${hrWebhookSecrets.name}'
output activationHmacKeyName string = activationHmacKey.name
output activationHmacKeyUri string = '${vault.properties.vaultUri}secrets/${activationHmacKey.name}'
