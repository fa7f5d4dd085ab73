import type { Config } from '../../config/config';
import type { QueueBacklog } from '../../ports/queue-backlog';
import { localOrigin } from '../graph/auth';
import { LocalQueueBacklog } from './local-queue-backlog';
import { ServiceBusQueueBacklog } from './service-bus-queue-backlog';

/** The backlog of the same queue service the EventQueue uses (shared/adapters/queue/index.ts chooses alike). */
function createQueueBacklog(config: Config): QueueBacklog {
  if (config.ServiceBusConnection || config.ServiceBusConnection__fullyQualifiedNamespace) {
    return ServiceBusQueueBacklog.fromConnection({
      connectionString: config.ServiceBusConnection,
      fullyQualifiedNamespace: config.ServiceBusConnection__fullyQualifiedNamespace,
      clientId: config.ServiceBusConnection__clientId,
    });
  }
  return new LocalQueueBacklog(localOrigin(config));
}

let backlog: QueueBacklog | undefined;

/** The process's backlog reader, built on first use. */
export function queueBacklog(config: Config): QueueBacklog {
  return (backlog ??= createQueueBacklog(config));
}
