import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { applyScimDemoTargetUrls } from '../../emulators/scim/scim-demo-targets-extension';
import type { HostExtension, HostServices } from '../extension';
import { createLoopbackProxy } from './http-proxy';
import { servedByEmulatorWorker, WorkerToHost, type EmulatorWorkerData, type HostToWorker } from './protocol';

export interface EmulatorWorkerExtension extends HostExtension {
  /** The worker's loopback port while it runs (tests and benches may call it directly). */
  port(): number | undefined;
  /** The worker's thread id while it runs: proof that the emulators are not on the host's thread. */
  threadId(): number | undefined;
  /** Requests the host has proxied to the worker (callers of /_local/...; the app's own calls go direct). */
  proxiedRequests(): number;
}

/** How long a worker may take to close its stores before it is terminated. */
const STOP_TIMEOUT_MS = 10_000;
const RESTART_DELAY_MS = 1_000;

/** dist/…/worker-main.js beside this file; from the TypeScript sources (vitest), the built copy in dist/. */
function workerEntry(): string {
  const beside = path.join(__dirname, 'worker-main.js');
  return existsSync(beside)
    ? beside
    : path.resolve(__dirname, '../../../dist/local/host/emulator-worker/worker-main.js');
}

/**
 * Host extension: the Graph emulator and the SCIM demo targets in a worker thread (issue 16 item 2). The host
 * proxies /_local/graph, /_local/entra and /_local/scim to the worker's loopback listener, so every URL callers
 * know is unchanged, while the emulators' CPU work runs on another thread and /api/health keeps answering. The
 * worker starts before the app's triggers run, restarts if it dies, and stops after the durable engine has drained.
 */
export function createEmulatorWorkerExtension(): EmulatorWorkerExtension {
  let services: HostServices;
  let running: { worker: Worker; port: number } | undefined;
  let stopping = false;
  let proxied = 0;
  /** The worker's port, kept across restarts: the app's Graph and SCIM settings name it. */
  let workerPort = 0;
  const proxy = createLoopbackProxy();

  function launch(): Promise<void> {
    const data: EmulatorWorkerData = { dataDir: services.dataDir, origin: services.baseUrl(), port: workerPort };
    // The worker's process.env is a copy of the host's now: local settings, SCIM tokens, LCW settings included.
    const worker = new Worker(workerEntry(), { workerData: data });
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (raw: unknown) => {
        const message = WorkerToHost.safeParse(raw);
        if (!message.success) return;
        const m = message.data;
        if (m.type === 'log') services.logger[m.level]({ component: 'emulator-worker', error: m.error }, m.message);
        if (m.type === 'stopped') void worker.terminate();
        if (m.type === 'ready') {
          running = { worker, port: m.port };
          workerPort = m.port;
          resolve();
        }
      });
      worker.on('error', (error) => {
        services.logger.error({ component: 'emulator-worker', err: error }, 'the emulator worker failed');
        reject(error);
      });
      worker.once('exit', (code) => {
        reject(new Error(`the emulator worker exited with code ${code} before it was ready`));
        if (running?.worker !== worker) return;
        running = undefined;
        if (stopping) return;
        // A stand-in that crashed comes back on the same data, as a service would; callers meanwhile get 503.
        services.logger.error({ component: 'emulator-worker', code }, 'the emulator worker stopped; restarting it');
        setTimeout(() => {
          if (!stopping) launch().catch(() => undefined);
        }, RESTART_DELAY_MS).unref();
      });
    });
  }

  return {
    name: 'emulator-worker',
    triggerTypes: [],
    port: () => running?.port,
    threadId: () => running?.worker.threadId,
    proxiedRequests: () => proxied,
    async start(hostServices) {
      services = hostServices;
      stopping = false;
      await launch();
      // The app calls the worker directly, as it calls graph.microsoft.com or a SCIM service: not through the
      // host's own listener, which then parses none of the app's Graph traffic. Settings already set win (a
      // tenant, a test's unreachable Graph). Tokens still come from the host's /_local/entra (proxied), so their
      // issuer and every URL a caller knows stay the host's.
      const direct = `http://127.0.0.1:${workerPort}`;
      process.env.GRAPH_BASE_URL ||= `${direct}/_local/graph`;
      applyScimDemoTargetUrls(direct);
    },
    handleHttp(req, res, url) {
      if (!servedByEmulatorWorker(url.pathname)) return false;
      proxied++;
      if (running) return proxy.forward(running.port, req, res).then(() => true);
      unavailable(res);
      return true;
    },
    async stop() {
      stopping = true;
      const current = running;
      running = undefined;
      if (current) {
        const ended = new Promise<void>((resolve) => current.worker.once('exit', () => resolve()));
        const timer = setTimeout(() => void current.worker.terminate(), STOP_TIMEOUT_MS);
        current.worker.postMessage({ type: 'stop' } satisfies HostToWorker);
        await ended;
        clearTimeout(timer);
      }
      proxy.close();
    },
  };
}

/** 503 + Retry-After while the worker restarts (https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4). */
function unavailable(res: ServerResponse): void {
  res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
  res.end(JSON.stringify({ error: { code: 'serviceNotAvailable', message: 'The local emulator is restarting.' } }));
}
