import path from 'node:path';
import { defaultExtensions } from './default-extensions';
import type { HostExtension, HostServices } from './extension';
import { LocalHost } from './host';
import { applyScimDemoTargetSettings } from '../emulators/scim/scim-demo-targets-extension';

export interface StartHostOptions {
  appRoot: string;
  port: number;
  bindAddress?: string;
  dataDir?: string;
  extensions?: (services: HostServices) => HostExtension[];
}

/** Starts a Functions v4 Node app on the local host with the default extensions. */
export async function startHost(options: StartHostOptions): Promise<LocalHost> {
  if (!options.extensions) applyScimDemoTargetSettings();
  const host = new LocalHost({
    appRoot: path.resolve(options.appRoot),
    port: options.port,
    bindAddress: options.bindAddress,
    dataDir: options.dataDir,
    extensions: options.extensions ?? defaultExtensions,
  });
  await host.start();
  return host;
}
