import type { IncomingMessage } from 'node:http';

/** The local admin/data APIs (emulators, queue) answer only callers on this machine. */
export function isLoopback(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}
