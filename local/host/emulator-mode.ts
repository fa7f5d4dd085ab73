import { z } from 'zod';

/**
 * Where the local stand-ins (Graph emulator, SCIM demo targets) run. `worker` (the default of `npm start`, the
 * demo and the benches): a worker thread behind the host's listener, off the app's event loop, as real Graph is
 * another service. `in-process`: on the host's own loop, for tests and benches that call the emulator's objects
 * directly (`host.extensionNamed('graph-emulator').emulator()`).
 */
export const EmulatorMode = z.enum(['worker', 'in-process']);
export type EmulatorMode = z.infer<typeof EmulatorMode>;

/** The app setting that chooses the mode when no option does (`ENTRA_JML_EMULATORS=in-process`). */
export const EMULATOR_MODE_SETTING = 'ENTRA_JML_EMULATORS';

export function emulatorModeFrom(value: string | undefined): EmulatorMode {
  if (value === undefined || value === '') return 'worker';
  const parsed = EmulatorMode.safeParse(value);
  if (!parsed.success)
    throw new Error(`${EMULATOR_MODE_SETTING} / --emulators must be "worker" or "in-process", got "${value}"`);
  return parsed.data;
}
