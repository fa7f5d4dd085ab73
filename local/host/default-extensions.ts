import { createGraphEmulatorExtension } from '../emulators/graph/graph-emulator-extension';
import { createScimDemoTargetsExtension } from '../emulators/scim/scim-demo-targets-extension';
import { createDurableExtension } from '../durable/durable-extension';
import { createServiceBusExtension } from '../servicebus/service-bus-extension';
import { createEmulatorWorkerExtension } from './emulator-worker/emulator-worker-extension';
import type { EmulatorMode } from './emulator-mode';
import type { HostExtension, HostServices } from './extension';
import { createHttpTriggerExtension } from './http/http-trigger-extension';
import { createTimerTriggerExtension } from './timer/timer-trigger-extension';

/**
 * The extensions `entra-jml-host start` runs, in HTTP dispatch order: runtime APIs and local
 * emulators first (they own /runtime/... and /_local/...), the HTTP trigger extension last
 * because it answers 404/405 for everything under the route prefix. In-process (tests that reach the emulator's
 * objects), the emulators share the host's loop.
 */
function defaultExtensions(_services: HostServices): HostExtension[] {
  return [
    createDurableExtension(),
    createGraphEmulatorExtension(),
    createServiceBusExtension(),
    createScimDemoTargetsExtension(),
    createTimerTriggerExtension(),
    createHttpTriggerExtension(),
  ];
}

/**
 * With the emulators in a worker thread: the worker comes first, so it is ready before the durable engine resumes
 * work that calls Graph, and it stops last (the host stops extensions in reverse), after that work has drained.
 */
function workerExtensions(_services: HostServices): HostExtension[] {
  return [
    createEmulatorWorkerExtension(),
    createDurableExtension(),
    createServiceBusExtension(),
    createTimerTriggerExtension(),
    createHttpTriggerExtension(),
  ];
}

export function extensionsFor(mode: EmulatorMode): (services: HostServices) => HostExtension[] {
  return mode === 'worker' ? workerExtensions : defaultExtensions;
}
