// Service Bus namespace with the "hr-events" queue: sessions (per-person FIFO, sessionId = employee id)
// and duplicate detection (messageId = HR event id), as DESIGN.md's pipeline needs. SAS (local) auth is off; the
// app's identity gets Data Receiver (trigger, dead-letter replay) and Data Sender (webhook, re-evaluation) on the
// queue only. https://learn.microsoft.com/azure/service-bus-messaging/service-bus-role-based-access-control
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

// Azure Service Bus Data Receiver and Data Sender (built-in role ids).
var queueRoles = {
  dataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  dataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
}

resource queueRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in items(queueRoles): {
    name: guid(hrEvents.id, principalId, role.value)
    scope: hrEvents
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
    }
  }
]

// serviceBusEndpoint is https://{namespace}.servicebus.windows.net:443/ (the suffix differs in sovereign clouds).
output fullyQualifiedNamespace string = replace(
  replace(namespace.properties.serviceBusEndpoint, 'https://', ''),
  ':443/',
  ''
)
output hrEventsQueueName string = hrEvents.name
