import type { Config } from '../../config/config';
import type { DeadLetters } from '../../ports/dead-letters';
import type { EventQueue } from '../../ports/event-queue';
import { LocalDeadLetters } from './local-dead-letters';
import { ServiceBusDeadLetters } from './service-bus-dead-letters';
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

/** Dead letters of the same queue service the EventQueue uses. */
export function createDeadLetters(config: Config, queue: EventQueue): DeadLetters {
  if (queue instanceof ServiceBusEventQueue) return new ServiceBusDeadLetters(queue.client);
  return new LocalDeadLetters(localOrigin(config));
}
