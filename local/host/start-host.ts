import path from 'node:path';
import { extensionsFor } from './default-extensions';
import { EMULATOR_MODE_SETTING, emulatorModeFrom, type EmulatorMode } from './emulator-mode';
import type { HostExtension, HostServices } from './extension';
import { LocalHost } from './host';
import { applyScimDemoTargetSettings } from '../emulators/scim/scim-demo-targets-extension';

export interface StartHostOptions {
  appRoot: string;
  port: number;
  bindAddress?: string;
  dataDir?: string;
  /**
   * Where the Graph emulator and the SCIM demo targets run: 'worker' (default; $ENTRA_JML_EMULATORS decides
   * when unset) or 'in-process' for callers that use `host.extensionNamed('graph-emulator').emulator()`.
   */
  emulators?: EmulatorMode;
  extensions?: (services: HostServices) => HostExtension[];
}

/** Starts a Functions v4 Node app on the local host with the default extensions. */
export async function startHost(options: StartHostOptions): Promise<LocalHost> {
  if (!options.extensions) applyScimDemoTargetSettings();
  const mode = options.emulators ?? emulatorModeFrom(process.env[EMULATOR_MODE_SETTING]);
  const host = new LocalHost({
    appRoot: path.resolve(options.appRoot),
    port: options.port,
    bindAddress: options.bindAddress,
    dataDir: options.dataDir,
    extensions: options.extensions ?? extensionsFor(mode),
  });
  await host.start();
  return host;
}
