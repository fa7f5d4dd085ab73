// Log Analytics workspace + workspace-based Application Insights with local (instrumentation key) auth off: the
// Function App sends telemetry with its managed identity, which needs Monitoring Metrics Publisher on the component.
// https://learn.microsoft.com/azure/azure-monitor/app/azure-ad-authentication
param name string
param location string
param tags object
param principalId string

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${name}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${name}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

// Monitoring Metrics Publisher: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
var metricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource metricsPublisherAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, metricsPublisher)
  scope: appInsights
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', metricsPublisher)
  }
}

output connectionString string = appInsights.properties.ConnectionString
