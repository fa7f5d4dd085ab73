import type { IncomingMessage } from 'node:http';

/**
 * The request body, or 'too-large' past `maxBytes` (declared or counted), for every listener of the host: the HTTP
 * triggers, the runtime and emulator APIs. Listeners, not `for await`: the async iterator cost a stream wrapper and a
 * promise per chunk on every webhook. A request that closes before its end rejects, as the iterator did.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | 'too-large'> {
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return Promise.resolve('too-large');
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      settle();
      resolve('too-large');
    };
    const onEnd = () => {
      settle();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      settle();
      reject(error);
    };
    const onClose = () => onError(new Error('the request closed before its body was read'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** The whole request body, with no limit of its own (the host's runtime and emulator APIs, loopback callers). */
export function readWholeBody(req: IncomingMessage): Promise<Buffer> {
  return readBody(req, Number.POSITIVE_INFINITY) as Promise<Buffer>;
}
