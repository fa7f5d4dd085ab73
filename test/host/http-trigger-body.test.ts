import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostServices } from '../../local/host/extension';
import type { RpcTypedData } from '../../local/host/function-registry';
import { createHttpTriggerExtension } from '../../local/host/http/http-trigger-extension';

/** What the HTTP trigger extension hands the app: the request body and the trigger metadata, read from the socket. */
interface Invocation {
  data: RpcTypedData;
  triggerMetadata: Record<string, RpcTypedData>;
}

async function serveEcho(maxRequestBytes = 64) {
  const invocations: Invocation[] = [];
  const failures: unknown[] = [];
  const extension = createHttpTriggerExtension({ maxRequestBytes });
  await extension.start({
    hostJson: {},
    foreground: { arrived: () => undefined },
    functions: () => [
      {
        metadata: { name: 'echo' },
        trigger: { type: 'httpTrigger', route: 'echo/{id}', methods: ['POST'], authLevel: 'anonymous' },
      },
    ],
    invoke: (_fn: unknown, data: RpcTypedData, options: { triggerMetadata: Record<string, RpcTypedData> }) => {
      invocations.push({ data, triggerMetadata: options.triggerMetadata });
      return Promise.resolve({ returnValue: { http: { statusCode: '200', body: { string: 'ok' } } } });
    },
  } as unknown as HostServices);
  const server: Server = createServer((req, res) => {
    Promise.resolve(extension.handleHttp!(req, res, new URL(req.url ?? '/', 'http://localhost'))).catch(
      (error: unknown) => {
        failures.push(error);
        res.destroy();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { extension, server, port, invocations, failures };
}

let running: Awaited<ReturnType<typeof serveEcho>> | undefined;
afterEach(async () => {
  await running?.extension.stop();
  await new Promise((resolve) => running?.server.close(resolve));
  running = undefined;
});

describe('HTTP trigger extension: reading the request', () => {
  it('hands the body, route parameters, and Query and Headers as JSON trigger metadata to the function', async () => {
    running = await serveEcho();
    const res = await fetch(`http://127.0.0.1:${running.port}/api/echo/42?x=1`, {
      method: 'POST',
      headers: { 'x-hr-system': 'workday' },
      body: 'hello',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    const [invocation] = running.invocations;
    const http = (invocation!.data as { http: { body: { bytes: Buffer }; params: Record<string, string> } }).http;
    expect(Buffer.from(http.body.bytes).toString()).toBe('hello');
    expect(http.params).toEqual({ id: '42' });
    // Written only when read (the library ignores it for HTTP triggers), but there, as the host sends it.
    const metadata = JSON.parse(JSON.stringify(invocation!.triggerMetadata)) as Record<string, RpcTypedData>;
    expect(JSON.parse(metadata.Query!.json!)).toEqual({ x: '1' });
    expect(JSON.parse(metadata.Headers!.json!)).toMatchObject({ 'x-hr-system': 'workday' });
    expect(metadata.id).toEqual({ string: '42' });
  });

  it('refuses a chunked body that grows past the limit with 413, without invoking the function', async () => {
    running = await serveEcho(64);
    // No content-length: the limit is counted as the chunks arrive.
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(16)));
        controller.close();
      },
    });
    const res = await fetch(`http://127.0.0.1:${running.port}/api/echo/1`, {
      method: 'POST',
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(running.invocations).toHaveLength(0);
  });

  it('does not invoke the function for a request whose client goes away before the body ends', async () => {
    running = await serveEcho();
    const socket = connect(running.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('POST /api/echo/1 HTTP/1.1\r\nhost: localhost\r\ncontent-length: 40\r\n\r\nonly ten b');
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    for (let waited = 0; running.failures.length === 0 && waited < 2_000; waited += 10)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(running.failures).toHaveLength(1);
    expect(running.invocations).toHaveLength(0);
    // Nothing is left in flight: stop() does not wait for a body that will never come.
    await running.extension.stop();
  });
});
