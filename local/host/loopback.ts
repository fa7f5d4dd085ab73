import type { IncomingMessage } from 'node:http';

/** The local admin/data APIs (emulators, queue) answer only callers on this machine. */
export function isLoopback(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** True for an address only this machine can reach (the default bind address of the local host). */
export function isLoopbackAddress(address: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i.test(address.replace(/^\[|\]$/g, ''));
}
