// Storage for the Functions runtime, the Durable Functions task hub (Azure Storage provider: blobs, queues and
// tables), the deployment package container (Flex Consumption) and the app's tables (audit trail, deletion guard,
// person inbox, activations, bulkUpload requests, licence history) and the licence report files. Shared keys
// disabled: the managed identity gets data-plane roles on this account instead.
param name string
param location string
param tags object
param principalId string

var deploymentContainerName = 'app-package'
// The daily licence report files (JSON, CSV, HTML) and their latest.json pointer
// (shared/licences/blob-report-store.ts; LICENCE_REPORT_CONTAINER).
var licenceReportContainerName = 'licence-reports'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
}

resource licenceReportContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: licenceReportContainerName
  properties: { publicAccess: 'None' }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource auditTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: 'jmlaudit'
}

resource deletionGuardTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: 'jmldeletionguard'
}

// Each person's ordered inbox of HR events read by their orchestration (shared/adapters/inbox).
resource personInboxTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: 'jmlpersoninbox'
}

// Pending self-activations: hashed one-time codes and link tokens (shared/adapters/activation).
resource activationTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: 'jmlactivation'
}

// POST /api/hr/bulkUpload requests and their per-operation results, read back by the status endpoint
// (shared/adapters/bulk-requests).
resource bulkRequestsTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: 'jmlbulkrequests'
}

// Reports waiting for their manager's account, told as soon as it exists (shared/adapters/waitlist).
resource managerWaitlistTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: 'jmlmanagerwaitlist'
}

// Daily numbers of every licence product (purchased, assigned, consumed): the licence report's trend and forecast
// (shared/adapters/table-storage/licence-history.ts).
resource licenceHistoryTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: 'jmllicencehistory'
}

// SCIM targets' quarantine circuits and the syncs parked while a target was down
// (shared/adapters/table-storage/scim-*).
resource scimTargetHealthTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: 'jmlscimtargethealth'
}

// Built-in role ids: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
var roles = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

resource roleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in items(roles): {
  name: guid(storage.id, principalId, role.value)
  scope: storage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
  }
}]

// The app writes and reads the report files: Storage Blob Data Contributor on their container. Blob Data Owner on
// the account (above) is the Functions host's (AzureWebJobsStorage); this keeps the reports' access explicit and
// in place should the host's storage move to another account.
// https://learn.microsoft.com/azure/storage/blobs/assign-azure-role-data-access
var licenceReportWriterRole = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource licenceReportWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(licenceReportContainer.id, principalId, licenceReportWriterRole)
  scope: licenceReportContainer
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', licenceReportWriterRole)
  }
}

output name string = storage.name
output licenceReportContainerName string = licenceReportContainer.name
output deploymentContainerName string = deploymentContainerName
output tableEndpoint string = storage.properties.primaryEndpoints.table
output auditTableName string = auditTable.name
