import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { ServiceBusAdministrationClient } from '@azure/service-bus';
import type { QueueBacklog } from '../../ports/queue-backlog';

/**
 * Backlog of an Azure Service Bus queue: activeMessageCount of its runtime properties
 * (https://learn.microsoft.com/azure/service-bus-messaging/message-counters). Reading it is a management
 * operation: Manage rights with a connection string, or the "Azure Service Bus Data Owner" role with Entra.
 */
export class ServiceBusQueueBacklog implements QueueBacklog {
  constructor(private readonly admin: ServiceBusAdministrationClient) {}

  static fromConnection(options: {
    connectionString?: string;
    fullyQualifiedNamespace?: string;
    clientId?: string;
  }): ServiceBusQueueBacklog {
    if (options.connectionString)
      return new ServiceBusQueueBacklog(new ServiceBusAdministrationClient(options.connectionString));
    const credential = options.clientId
      ? new ManagedIdentityCredential({ clientId: options.clientId })
      : new DefaultAzureCredential();
    return new ServiceBusQueueBacklog(new ServiceBusAdministrationClient(options.fullyQualifiedNamespace!, credential));
  }

  async activeMessages(queueName: string): Promise<number> {
    return (await this.admin.getQueueRuntimeProperties(queueName)).activeMessageCount;
  }
}
