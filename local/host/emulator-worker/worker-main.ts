import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { LocalClock } from '../../durable/local-clock';
import { GraphEmulator } from '../../emulators/graph/graph-emulator-extension';
import { lcwSettings } from '../../emulators/graph/lcw/lcw-settings';
import { ScimDemoTargets } from '../../emulators/scim/scim-demo-targets';
import { EmulatorWorkerData, HostToWorker, type WorkerToHost } from './protocol';

/**
 * The emulator worker thread: opens the Graph emulator and the SCIM demo targets on the host's data folder and
 * serves them on their own loopback listener, so their CPU work (directory scans, SQLite, JSON) never delays the
 * app's event loop. Real Graph is another service; the local stand-in is one too.
 */
async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('worker-main.ts runs inside the local host as a worker thread');
  const data = EmulatorWorkerData.parse(workerData);
  const post = (message: WorkerToHost) => port.postMessage(message);
  const origin = () => data.origin;
  const graph = await GraphEmulator.open(data.dataDir, origin, {
    // Lifecycle Workflows run on the durable clock: clock.json in the data folder, written by POST /_local/clock.
    now: () => new LocalClock(data.dataDir).now(),
    intervalMs: lcwSettings().intervalMs,
    log: (message, error) => post({ type: 'log', level: 'warn', message, error: String(error) }),
  });
  const scim = ScimDemoTargets.open({ dataDir: data.dataDir, origin });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', data.origin);
    const serve = async () => {
      if (await graph.handle(req, res, url)) return;
      if (await scim.handle(req, res, url.pathname)) return;
      res.writeHead(404);
      res.end();
    };
    serve().catch((error: unknown) => {
      post({ type: 'log', level: 'error', message: 'emulator request failed', error: String(error) });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end();
    });
  });
  // The host's proxy keeps connections open between requests; the worker keeps them a little longer than it.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(data.port, '127.0.0.1', resolve);
  });
  port.on('message', (raw: unknown) => {
    const message = HostToWorker.safeParse(raw);
    if (!message.success) return;
    void stop(server, graph, scim).then(() => {
      post({ type: 'stopped' });
      port.close();
    });
  });
  post({ type: 'ready', port: (server.address() as AddressInfo).port });
}

async function stop(server: Server, graph: GraphEmulator, scim: ScimDemoTargets): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  await graph.close();
  scim.close();
}

main().catch((error: unknown) => {
  // An exception here ends the thread; the host sees it as the worker's 'error' event.
  throw error;
});
