// Service Bus namespace with the "hr-events" queue: sessions (per-person FIFO, sessionId = employee id)
// and duplicate detection (messageId = HR event id), as DESIGN.md's pipeline needs. SAS (local) auth is off; the
// app's identity gets Data Owner on the queue only (never the namespace): it receives (trigger, dead-letter replay),
// sends (webhook, bulkUpload, re-evaluation) and reads the queue's runtime properties, the backlog bulkUpload's
// back-pressure compares with BULK_UPLOAD_MAX_QUEUE_BACKLOG. Reading them is a management operation that Data
// Receiver and Data Sender do not allow (shared/adapters/queue-backlog/service-bus-queue-backlog.ts).
// https://learn.microsoft.com/azure/service-bus-messaging/service-bus-role-based-access-control
// https://learn.microsoft.com/azure/service-bus-messaging/message-counters
// https://learn.microsoft.com/azure/service-bus-messaging/message-sessions
// https://learn.microsoft.com/azure/service-bus-messaging/duplicate-detection
// "hr-events-urgent": immediate terminations and rescinds (shared/intake/event-priority.ts), with the same
// sessions and duplicate detection, served by its own trigger so a bulk backlog in "hr-events" cannot delay them.
// Service Bus has no message priority; separate queues are the documented way
// (https://learn.microsoft.com/azure/architecture/patterns/priority-queue); a Standard namespace holds up to
// 10,000 queues (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-quotas).
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

resource hrUrgentEvents 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = {
  parent: namespace
  name: 'hr-events-urgent'
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

// Azure Service Bus Data Owner (built-in role id), scoped to the queue: send, receive and read its message counts.
var queueRoles = {
  dataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419'
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

resource urgentQueueRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in items(queueRoles): {
    name: guid(hrUrgentEvents.id, principalId, role.value)
    scope: hrUrgentEvents
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
output hrUrgentEventsQueueName string = hrUrgentEvents.name
