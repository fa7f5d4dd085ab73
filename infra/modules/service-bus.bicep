// Service Bus namespace with the "hr-events" queue: sessions (per-person FIFO, sessionId = employee id)
// and duplicate detection (messageId = HR event id), as DESIGN.md's pipeline needs.
// https://learn.microsoft.com/azure/service-bus-messaging/message-sessions
// https://learn.microsoft.com/azure/service-bus-messaging/duplicate-detection
param name string
param location string
param tags object
param principalId string

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource hrEvents 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = {
  parent: namespace
  name: 'hr-events'
  properties: {
    requiresSession: true
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT1H'
    maxDeliveryCount: 10
    lockDuration: 'PT1M'
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: 'P14D'
  }
}

// Azure Service Bus Data Owner: send, receive, and manage the dead-letter sub-queue for replay.
var dataOwner = '090c5cfd-751d-490a-894a-3ce6f1109419'

resource roleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(namespace.id, principalId, dataOwner)
  scope: namespace
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataOwner)
  }
}

output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
output hrEventsQueueName string = hrEvents.name
