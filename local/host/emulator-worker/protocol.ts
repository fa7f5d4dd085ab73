import { z } from 'zod';

/**
 * Messages between the local host and its emulator worker thread (the Graph emulator and the SCIM demo targets,
 * off the app's event loop: issue 16 item 2). Both sides parse what they receive.
 */

/** What the worker needs to open the emulators as the in-process extensions do. */
export const EmulatorWorkerData = z.object({
  /** The host's data folder: the emulators' SQLite files live there, as in-process. */
  dataDir: z.string().min(1),
  /** The host's own origin (http://localhost:PORT): callers keep their URLs, tokens keep their issuer. */
  origin: z.url(),
  /** The loopback port to listen on: 0 the first time, the same port after a restart (the app's settings name it). */
  port: z.number().int().min(0).max(65535),
});
export type EmulatorWorkerData = z.infer<typeof EmulatorWorkerData>;

export const WorkerToHost = z.discriminatedUnion('type', [
  /** Listening on 127.0.0.1:port; the host proxies /_local/graph, /_local/entra and /_local/scim there. */
  z.object({ type: z.literal('ready'), port: z.number().int().min(1).max(65535) }),
  z.object({
    type: z.literal('log'),
    level: z.enum(['info', 'warn', 'error']),
    message: z.string(),
    error: z.string().optional(),
  }),
  /** The emulators are closed (stores flushed); the thread ends next. */
  z.object({ type: z.literal('stopped') }),
]);
export type WorkerToHost = z.infer<typeof WorkerToHost>;

export const HostToWorker = z.discriminatedUnion('type', [z.object({ type: z.literal('stop') })]);
export type HostToWorker = z.infer<typeof HostToWorker>;

/** The paths the worker serves; everything else stays with the host's own extensions. */
const EMULATOR_WORKER_PREFIXES = ['/_local/graph/', '/_local/entra/', '/_local/scim/'] as const;

export function servedByEmulatorWorker(pathname: string): boolean {
  return EMULATOR_WORKER_PREFIXES.some((prefix) => pathname.startsWith(prefix));
}
