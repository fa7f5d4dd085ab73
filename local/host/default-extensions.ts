import { createGraphEmulatorExtension } from '../emulators/graph/graph-emulator-extension';
import { createScimDemoTargetsExtension } from '../emulators/scim/scim-demo-targets-extension';
import { createDurableExtension } from '../durable/durable-extension';
import { createServiceBusExtension } from '../servicebus/service-bus-extension';
import type { HostExtension, HostServices } from './extension';
import { createHttpTriggerExtension } from './http/http-trigger-extension';
import { createTimerTriggerExtension } from './timer/timer-trigger-extension';

/**
 * The extensions `entra-jml-host start` runs, in HTTP dispatch order: runtime APIs and local
 * emulators first (they own /runtime/... and /_local/...), the HTTP trigger extension last
 * because it answers 404/405 for everything under the route prefix.
 */
export function defaultExtensions(_services: HostServices): HostExtension[] {
  return [
    createDurableExtension(),
    createGraphEmulatorExtension(),
    createServiceBusExtension(),
    createScimDemoTargetsExtension(),
    createTimerTriggerExtension(),
    createHttpTriggerExtension(),
  ];
}
