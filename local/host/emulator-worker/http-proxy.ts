import { Agent, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { CLIENT_ADDRESS_HEADER } from '../loopback';

/**
 * Hop-by-hop headers a proxy does not forward (RFC 9110 §7.6.1,
 * https://www.rfc-editor.org/rfc/rfc9110#section-7.6.1): they describe one connection, not the message.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !HOP_BY_HOP.has(name) && !named.includes(name)) out[name] = value;
  return out;
}

/**
 * Forwards one request to a loopback listener (the emulator worker) and streams the answer back. The caller's
 * address travels in CLIENT_ADDRESS_HEADER, overwriting any the caller sent, so the worker's loopback-only admin
 * APIs still refuse a caller from the network. Resolves once the response has ended (or the caller went away).
 */
export function createLoopbackProxy(): {
  forward(port: number, req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): void;
} {
  // Connections are reused: the app makes thousands of Graph calls, each would otherwise open a socket.
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  return {
    close: () => agent.destroy(),
    forward: (port, req, res) =>
      new Promise<void>((resolve) => {
        const upstream = request(
          {
            host: '127.0.0.1',
            port,
            method: req.method,
            path: req.url,
            agent,
            headers: { ...endToEnd(req.headers), [CLIENT_ADDRESS_HEADER]: req.socket.remoteAddress ?? '' },
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
            answer.pipe(res);
          },
        );
        upstream.on('error', (error) => {
          if (res.headersSent) return void res.destroy(error);
          // The emulator is restarting or stopped: 503 + Retry-After, which the app's Graph client retries
          // (https://learn.microsoft.com/graph/best-practices-concept#handling-expected-errors).
          res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
          res.end(
            JSON.stringify({ error: { code: 'serviceNotAvailable', message: 'The local emulator is not running.' } }),
          );
        });
        res.once('close', () => {
          // The caller went away before the answer ended: stop the upstream request too.
          if (!res.writableFinished) upstream.destroy();
          resolve();
        });
        req.pipe(upstream);
      }),
  };
}
