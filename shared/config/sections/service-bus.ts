import { z } from 'zod';

/**
 * Queue settings. Names follow Functions identity-based connections
 * (https://learn.microsoft.com/azure/azure-functions/functions-reference#configure-an-identity-based-connection):
 * `ServiceBusConnection__fullyQualifiedNamespace` (managed identity) or `ServiceBusConnection` (connection string).
 * With neither, the local host's queue emulator is used.
 */
export const ServiceBusSection = z.object({
  ServiceBusConnection: z.string().optional(),
  ServiceBusConnection__fullyQualifiedNamespace: z.string().optional(),
  ServiceBusConnection__clientId: z.string().optional(),
  HR_EVENTS_QUEUE: z.string().min(1).default('hr-events'),
  /**
   * Queue for urgent HR events (immediate terminations, rescinds; shared/intake/event-priority.ts), served by
   * its own trigger so a bulk backlog in HR_EVENTS_QUEUE cannot delay them. Unset (the local host): urgent
   * events stay in HR_EVENTS_QUEUE, marked, and the local queue serves them first.
   */
  HR_URGENT_EVENTS_QUEUE: z.string().min(1).optional(),
});
