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
});
