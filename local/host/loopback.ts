import type { IncomingMessage } from 'node:http';

/**
 * Set by the host's proxy in front of the emulator worker (emulator-worker/http-proxy.ts): the address of the
 * caller the host served. Trusted only from a loopback peer, and it can only narrow: a caller that sends it
 * itself can make a loopback request count as remote, never the reverse.
 */
export const CLIENT_ADDRESS_HEADER = 'x-entra-jml-client-address';

/** The local admin/data APIs (emulators, queue) answer only callers on this machine. */
export function isLoopback(req: IncomingMessage): boolean {
  if (!isLoopbackPeer(req.socket.remoteAddress ?? '')) return false;
  const forwarded = req.headers[CLIENT_ADDRESS_HEADER];
  return forwarded === undefined || (typeof forwarded === 'string' && isLoopbackPeer(forwarded));
}

function isLoopbackPeer(address: string): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** True for an address only this machine can reach (the default bind address of the local host). */
export function isLoopbackAddress(address: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i.test(address.replace(/^\[|\]$/g, ''));
}
