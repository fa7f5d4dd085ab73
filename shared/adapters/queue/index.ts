import type { Config } from '../../config/config';
import type { EventQueue } from '../../ports/event-queue';
import { localOrigin } from '../graph/auth';
import { LocalEventQueue } from './local-event-queue';
import { ServiceBusEventQueue } from './service-bus-event-queue';

/** Azure Service Bus when a connection is configured, else the local host's queue emulator. */
export function createEventQueue(config: Config): EventQueue {
  if (config.ServiceBusConnection || config.ServiceBusConnection__fullyQualifiedNamespace) {
    return ServiceBusEventQueue.fromConnection({
      connectionString: config.ServiceBusConnection,
      fullyQualifiedNamespace: config.ServiceBusConnection__fullyQualifiedNamespace,
      clientId: config.ServiceBusConnection__clientId,
    });
  }
  return new LocalEventQueue(localOrigin(config));
}
