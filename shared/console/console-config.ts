// zod/mini: the console bundles this schema, and the mini build tree-shakes (15 KiB instead of 450 KiB).
import * as z from 'zod/mini';

/**
 * What the console page learns from the app at /api/console/config.json: where it runs, so it offers the local
 * panels (the Graph emulator's mail outbox, the durable clock) only on the local host, and how a person signs in.
 * Shared by the function that answers it and the page that reads it.
 */
export const ConsoleConfig = z.object({
  /** `local`: the local host (admin key, loopback emulators); `azure`: App Service Authentication (Easy Auth). */
  mode: z.enum(['local', 'azure']),
  /** The app talks to the local Graph emulator, whose mail outbox the console can show. */
  graphEmulator: z.boolean(),
  version: z.string(),
});
export type ConsoleConfig = z.infer<typeof ConsoleConfig>;
