// entra-jml: Azure Functions (Flex Consumption, Node 22) + Durable Functions (Azure Storage backend) + Service Bus
// (sessions, duplicate detection) + Key Vault + Application Insights, all reached with one user-assigned managed
// identity and no keys (storage shared keys, Service Bus SAS and Application Insights ingestion keys are off).
// Microsoft Graph app roles and the bulkUpload API registration come from the Microsoft Graph Bicep extension
// (bicepconfig.json). Layout follows azd conventions (azure.yaml at the root). README "Deploy to Azure".
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('azd environment name; used to derive resource names.')
param environmentName string

@description('Primary location for all resources (a region with Flex Consumption).')
param location string = resourceGroup().location

@secure()
@description('''Comma-separated HMAC keys for the HR webhook (HR_WEBHOOK_SECRETS; each at least 32 characters).
Empty: keep the keys already in Key Vault, or generate one on the first deployment.''')
param hrWebhookSecretsValue string = ''

@secure()
@description('''The keys already in Key Vault, read back by azd (secretOrRandomPassword) so a redeployment keeps
them. Shorter than 32 characters: none exist yet (azd then returns a 15-character random password).''')
param existingHrWebhookSecrets string = ''

@secure()
@description('A fresh 64-hex-character key, used only when no key is given and none exists yet. Do not set.')
param generatedHrWebhookKey string = '${replace(newGuid(), '-', '')}${replace(newGuid(), '-', '')}'

@description('''Mailbox the app sends notifications from (MAIL_SENDER). Required when the policy mails anyone (the
azd preprovision hook checks it); empty: no Mail.Send permission is asked for.''')
param mailSender string = ''

@allowed(['entra', 'exchangeRbac'])
@description('''entra: Mail.Send is granted in Entra (tenant-wide; restrict it with an Exchange application access
policy). exchangeRbac: not granted in Entra; an Exchange admin assigns "Application Mail.Send" scoped to the
sender mailbox (RBAC for Applications), README "Deploy to Azure".''')
param mailSendGrant string = 'entra'

@description('''Self-activation (policy `activation`): grant UserAuthenticationMethod.ReadWrite.All (issue the
Temporary Access Pass) and Policy.Read.AuthenticationMethod (fit it in the tenant's TAP policy). Turn it off only
with the policy's activation off (the azd preprovision hook checks).''')
param enableActivation bool = true

@secure()
@description('''ACTIVATION_HMAC_KEY: the key of the stored one-time-code and link hashes (at least 32 characters).
Empty: keep the key already in Key Vault, or generate one on the first deployment. Changing it voids pending codes.''')
param activationHmacKeyValue string = ''

@secure()
@description('''The activation key already in Key Vault, read back by azd (secretOrRandomPassword) so a redeployment
keeps it. Shorter than 32 characters: none exists yet.''')
param existingActivationHmacKey string = ''

@secure()
@description('A fresh 64-hex-character activation key, used only when none is given and none exists yet. Do not set.')
param generatedActivationHmacKey string = '${replace(newGuid(), '-', '')}${replace(newGuid(), '-', '')}'

@maxLength(100)
@description('''Organisation name on the activation page and mails (ACTIVATION_ORG_NAME). Required when the policy
activates people (the azd preprovision hook checks); empty: the app's placeholder, Contoso.''')
param activationOrgName string = ''

@description('''https URL of the organisation's logo on the activation page and mails (ACTIVATION_ORG_LOGO_URL).
Empty: no logo.''')
param activationOrgLogoUrl string = ''

@description('Where the Temporary Access Pass page sends people to register their methods (ACTIVATION_SIGN_IN_URL).')
param activationSignInUrl string = 'https://aka.ms/mysecurityinfo'

@description('''Public origin of the links the app mails (ENTRA_JML_PUBLIC_URL: activation links), e.g. a custom
domain bound to the Function App. Empty: https://<function app>.azurewebsites.net.''')
param publicUrl string = ''

@description('''Grant LicenseAssignment.ReadWrite.All: licence remediation removes direct licences (policy
licences.remediation, off until switched on). false: remediation cannot remove or move direct licences.''')
param enableDirectLicences bool = true

@description('Grant Organization.Read.All + AuditLog.Read.All: the daily licence report reads SKUs and last sign-ins.')
param enableLicenceReports bool = true

@description('Grant LifecycleWorkflows.ReadWrite.All (resume custom task extensions) once that feature is deployed.')
param enableLifecycleWorkflows bool = false

@description('''The consumption Logic App a Lifecycle Workflows custom task extension calls, forwarding to
POST /api/lcw/tasks (README "Lifecycle Workflows custom task extension"). false: none is deployed.''')
param enableLifecycleLogicApp bool = true

@description('''Application id of the Logic App's system-assigned identity, for legacy "Normal" custom task
extensions only (README). Empty: Proof of Possession extensions only, the only kind Entra creates today.''')
param lifecycleLegacyTokenAudience string = ''

@description('Object ids of the service principals (HR connectors) allowed to call POST /api/hr/bulkUpload.')
param bulkUploadClientPrincipalIds array = []

@description('''Object id of whoever deploys: gets Key Vault Secrets Officer on the vault to read and rotate the
webhook keys. Empty: nobody.''')
param deployerPrincipalId string = deployer().objectId

@description('''Key Vault purge protection. On, the vault name stays reserved for the retention period after
`azd down` (README "Deploy to Azure": recovery).''')
param enablePurgeProtection bool = false

@description('Maximum instances for the Flex Consumption plan.')
param maximumInstanceCount int = 40

// The environment's resource token: every globally unique name carries it, so a new azd environment never meets a
// soft-deleted vault of an old one.
var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { 'azd-env-name': environmentName, app: 'entra-jml' }

// The role bulkUpload callers must hold; the Entra API-driven provisioning name, so HR connectors need no change.
var bulkUploadRole = 'SynchronizationData-User.Upload'

var hrWebhookSecrets = !empty(trim(hrWebhookSecretsValue))
  ? hrWebhookSecretsValue
  : (length(existingHrWebhookSecrets) >= 32 ? existingHrWebhookSecrets : generatedHrWebhookKey)

// Same choice for the activation key: the secret always exists, so its Key Vault reference always resolves (the app
// refuses to start on an unresolved reference, shared/config/config.ts).
var activationHmacKey = !empty(trim(activationHmacKeyValue))
  ? activationHmacKeyValue
  : (length(existingActivationHmacKey) >= 32 ? existingActivationHmacKey : generatedActivationHmacKey)

// Graph app roles: generated from shared/adapters/graph/permissions.ts (scripts/generate-graph-roles.mjs); a
// feature's roles are granted only when the feature is on.
var graphFeatureOn = {
  core: true
  mail: !empty(mailSender) && mailSendGrant == 'entra'
  activation: enableActivation
  directLicences: enableDirectLicences
  licenceReports: enableLicenceReports
  lifecycleWorkflows: enableLifecycleWorkflows
}
var graphPermissions = loadJsonContent('generated/graph-permissions.json')
var grantedGraphRoles = map(
  filter(graphPermissions.appRoles, role => graphFeatureOn[role.feature]),
  role => role.permission
)

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: { name: 'id-jml-${token}', location: location, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { name: 'jml-${token}', location: location, tags: tags, principalId: identity.outputs.principalId }
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
    deployerPrincipalId: deployerPrincipalId
    hrWebhookSecretsValue: hrWebhookSecrets
    activationHmacKeyValue: activationHmacKey
    enablePurgeProtection: enablePurgeProtection
  }
}

module graphPermissionGrants 'modules/graph-permissions.bicep' = {
  name: 'graphPermissions'
  params: { principalId: identity.outputs.principalId, appRoles: grantedGraphRoles }
}

module inboundApi 'modules/inbound-api-app.bicep' = {
  name: 'inboundApi'
  params: {
    uniqueName: 'entra-jml-inbound-${token}'
    displayName: 'entra-jml bulkUpload (${environmentName})'
    roleValue: bulkUploadRole
    clientPrincipalIds: bulkUploadClientPrincipalIds
  }
}

module lifecycleLogicApp 'modules/lifecycle-logic-app.bicep' = if (enableLifecycleLogicApp) {
  name: 'lifecycleLogicApp'
  params: {
    name: 'logic-jml-lcw-${token}'
    location: location
    tags: tags
    // The site's default host name (function-app.bicep asks for no unique one): known before the site exists.
    functionHost: 'func-jml-${token}.azurewebsites.net'
    forwardingIdentityName: 'id-jml-lcw-${token}'
    calleeAppUniqueName: 'entra-jml-lcw-${token}'
    calleeAppDisplayName: 'entra-jml Lifecycle Workflows callout (${environmentName})'
    legacyTokenAudience: lifecycleLegacyTokenAudience
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'functionApp'
  params: {
    name: 'func-jml-${token}'
    planName: 'plan-jml-${token}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: storage.outputs.deploymentContainerName
    auditTableName: storage.outputs.auditTableName
    licenceReportContainerName: storage.outputs.licenceReportContainerName
    appInsightsConnectionString: monitoring.outputs.connectionString
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    hrEventsQueueName: serviceBus.outputs.hrEventsQueueName
    hrUrgentEventsQueueName: serviceBus.outputs.hrUrgentEventsQueueName
    hrWebhookSecretsUri: keyVault.outputs.hrWebhookSecretsUri
    activationHmacKeyUri: keyVault.outputs.activationHmacKeyUri
    activationOrgName: activationOrgName
    activationOrgLogoUrl: activationOrgLogoUrl
    activationSignInUrl: activationSignInUrl
    publicUrl: publicUrl
    mailSender: mailSender
    inboundTokenAudience: inboundApi.outputs.audience
    inboundRequiredRole: inboundApi.outputs.roleValue
    maximumInstanceCount: maximumInstanceCount
    lcwCallerAppIds: enableLifecycleLogicApp ? lifecycleLogicApp.outputs.callerAppId : ''
    lcwAudience: enableLifecycleLogicApp ? lifecycleLogicApp.outputs.audience : ''
  }
}

output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = functionApp.outputs.url
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_MANAGED_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output HR_WEBHOOK_URL string = '${functionApp.outputs.url}/api/hr/events'
// How to read the webhook keys (never the keys themselves: outputs are visible in the deployment history).
output HR_WEBHOOK_KEYS_READ_COMMAND string = join(
  [
    'az keyvault secret show --vault-name ${keyVault.outputs.name}'
    '--name ${keyVault.outputs.hrWebhookSecretName} --query value -o tsv'
  ],
  ' '
)
output BULK_UPLOAD_URL string = '${functionApp.outputs.url}/api/hr/bulkUpload'
output BULK_UPLOAD_AUDIENCE string = inboundApi.outputs.audience
output BULK_UPLOAD_TOKEN_SCOPE string = '${inboundApi.outputs.audience}/.default'
output GRAPH_APP_ROLES_GRANTED array = grantedGraphRoles
// Lifecycle Workflows: what scripts/lcw-setup.mjs needs to create the custom task extension (README).
output LCW_LOGIC_APP_NAME string = enableLifecycleLogicApp ? lifecycleLogicApp.outputs.name : ''
output LCW_LOGIC_APP_RESOURCE_GROUP string = resourceGroup().name
output LCW_LOGIC_APP_SUBSCRIPTION_ID string = subscription().subscriptionId
output LCW_LOGIC_APP_PRINCIPAL_ID string = enableLifecycleLogicApp ? lifecycleLogicApp.outputs.principalId : ''
output LCW_CALLER_APP_IDS string = enableLifecycleLogicApp ? lifecycleLogicApp.outputs.callerAppId : ''
output LCW_AUDIENCE string = enableLifecycleLogicApp ? lifecycleLogicApp.outputs.audience : ''
