import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { FunctionsCoreApi, installCoreApi } from './core-api';
import type { HostExtension, HostServices } from './extension';
import { ForegroundGate } from './foreground-gate';
import type { RegisteredFunction, RpcParameterBinding, RpcTypedData } from './function-registry';
import { readHostJson, type HostJson } from './host-json';
import { createHostLogger, toPinoLevel, type HostLogger } from './host-logger';
import { appHookData, invokeFunction, type InvocationResult } from './invoke';
import { loadEntryPoints, resolveEntryPoints } from './load-app';
import { applyLocalSettings } from './local-settings';
import { isLoopbackAddress } from './loopback';

export interface HostOptions {
  appRoot: string;
  port: number;
  /** Interface to listen on; default 127.0.0.1 (loopback only). */
  bindAddress?: string;
  /** Data folder; default: $ENTRA_JML_DATA_DIR or <appRoot>/.data */
  dataDir?: string;
  logger?: HostLogger;
  /** Extensions in dispatch order; created by the caller once settings are applied. */
  extensions: (services: HostServices) => HostExtension[];
}

/**
 * The local Functions host: loads a v4 Node app through the @azure/functions-core shim, binds one
 * HTTP listener, and hands each trigger type to the extension that runs it.
 */
export class LocalHost {
  readonly api = new FunctionsCoreApi();
  readonly logger: HostLogger;
  private server: Server | undefined;
  private extensions: HostExtension[] = [];
  private hostJson: HostJson = { version: '2.0' };
  private port = 0;
  private stopping: Promise<void> | undefined;
  private readonly inFlightHttp = new Set<Promise<unknown>>();
  /**
   * Settles when start-up ends. The listener opens before the extensions start (durable-functions needs
   * the port for its client URLs), so requests that arrive in between wait here instead of getting a 404
   * for a route the app registers: an HR system retrying during a restart must never read "endpoint gone".
   */
  private readonly startup = deferred();
  private started = false;
  private readonly foreground = new ForegroundGate();

  constructor(private readonly options: HostOptions) {
    this.logger = options.logger ?? createHostLogger();
    this.api.logSink = (level, category, message) => {
      this.logger[toPinoLevel(level)]({ category }, message);
    };
  }

  get services(): HostServices {
    return {
      api: this.api,
      appRoot: this.options.appRoot,
      hostJson: this.hostJson,
      dataDir: this.dataDir,
      baseUrl: () => `http://localhost:${this.port}`,
      logger: this.logger,
      foreground: this.foreground,
      functions: () => [...this.api.functions.values()],
      invoke: (fn, trigger, invokeOptions) => this.invoke(fn, trigger, invokeOptions),
    };
  }

  get dataDir(): string {
    return this.options.dataDir ?? process.env.ENTRA_JML_DATA_DIR ?? path.join(this.options.appRoot, '.data');
  }

  get listeningPort(): number {
    return this.port;
  }

  extensionNamed(name: string): HostExtension | undefined {
    return this.extensions.find((extension) => extension.name === name);
  }

  async start(): Promise<void> {
    try {
      await this.startUp();
    } catch (error) {
      this.startup.reject(error);
      throw error;
    }
  }

  private async startUp(): Promise<void> {
    const { appRoot } = this.options;
    applyLocalSettings(appRoot);
    const bindAddress = this.options.bindAddress ?? '127.0.0.1';
    refuseUnprotectedExposure(bindAddress);
    // Tells the app where it runs: its local development defaults are trusted on loopback only.
    process.env.ENTRA_JML_LOCAL_HOST_BIND = bindAddress;
    this.hostJson = readHostJson(appRoot);
    mkdirSync(this.dataDir, { recursive: true });
    installCoreApi(this.api);
    const entryPoints = await resolveEntryPoints(appRoot);
    await loadEntryPoints(entryPoints, appRoot);
    if (!this.api.programmingModel) {
      throw new Error('The app did not load @azure/functions v4 (no programming model was set).');
    }
    // Locks app.setup() and returns capabilities, as the worker asks at start-up.
    await this.api.programmingModel.getCapabilities({});

    // WEBSITE_HOSTNAME steers durable-functions' client URLs (getClient.js correctClientData).
    await this.listen();
    process.env.WEBSITE_HOSTNAME ??= `localhost:${this.port}`;

    this.extensions = this.options.extensions(this.services);
    this.checkEveryTriggerIsRun();
    for (const extension of this.extensions) await extension.start(this.services);
    const startContext = { hookData: appHookData(this.api), appHookData: appHookData(this.api) };
    for (const hook of this.api.hooks.appStart) await hook(startContext);
    this.started = true;
    this.startup.resolve();
  }

  private checkEveryTriggerIsRun(): void {
    const known = new Set(this.extensions.flatMap((e) => e.triggerTypes.map((t) => t.toLowerCase())));
    for (const fn of this.api.functions.values()) {
      const type = String(fn.trigger.type ?? '');
      if (!known.has(type.toLowerCase())) {
        this.logger.warn(
          { function: fn.metadata.name, trigger: type },
          `no local extension runs trigger type "${type}"; the function is loaded but never invoked`,
        );
      }
    }
  }

  private async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      const work = this.dispatchHttp(req, res).catch((error: unknown) => {
        this.logger.error({ err: error }, 'unhandled error while serving a request');
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
        }
        res.end();
      });
      this.inFlightHttp.add(work);
      void work.finally(() => this.inFlightHttp.delete(work));
    });
    this.server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port, this.options.bindAddress ?? '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  private async dispatchHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? `localhost:${this.port}`}`);
    if (this.stopping) {
      res.writeHead(503, { 'content-type': 'text/plain', connection: 'close', 'retry-after': '5' });
      res.end('The host is shutting down.');
      return;
    }
    if (!this.started && !(await this.waitForStartup())) {
      res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '5' });
      res.end('The host is starting.');
      return;
    }
    for (const extension of this.extensions) {
      const handled = extension.handleHttp?.(req, res, url);
      if (handled instanceof Promise ? await handled : handled) return;
    }
    res.writeHead(404);
    res.end();
  }

  /** True once started; false when start-up failed or took longer than the wait allows (then 503 + Retry-After). */
  private async waitForStartup(maxWaitMs = 30_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), maxWaitMs)));
    try {
      return await Promise.race([
        this.startup.promise.then(
          () => true,
          () => false,
        ),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async invoke(
    fn: RegisteredFunction,
    trigger: RpcTypedData,
    options: Parameters<HostServices['invoke']>[2] = {},
  ): Promise<InvocationResult> {
    const inputData: RpcParameterBinding[] = [{ name: fn.triggerName, data: trigger }];
    for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
      if (name === fn.triggerName || binding.direction !== 'in') continue;
      const provider = this.extensions.find((e) =>
        e.inputBindingTypes?.some((t) => t.toLowerCase() === String(binding.type).toLowerCase()),
      );
      if (!provider?.inputBindingData) {
        throw new Error(
          `Function "${fn.metadata.name}": no local extension provides input binding type "${String(binding.type)}"`,
        );
      }
      inputData.push({ name, data: await provider.inputBindingData(binding, fn) });
    }
    const result = await invokeFunction(this.api, fn, { inputData, ...options }, (entry) => {
      this.logger[toPinoLevel(entry.level)](
        { category: entry.category, function: entry.functionName, invocationId: entry.invocationId },
        entry.message,
      );
    });
    for (const output of result.outputData) {
      const binding = fn.metadata.bindings[output.name];
      if (!binding) continue;
      const consumer = this.extensions.find((e) =>
        e.outputBindingTypes?.some((t) => t.toLowerCase() === String(binding.type).toLowerCase()),
      );
      if (!consumer?.outputBinding) {
        throw new Error(
          `Function "${fn.metadata.name}": no local extension accepts output binding type "${String(binding.type)}"`,
        );
      }
      await consumer.outputBinding(binding, output.data, fn);
    }
    return result;
  }

  /** Graceful stop: refuse new requests, let extensions drain, run appTerminate hooks, close. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const extension of [...this.extensions].reverse()) await extension.stop();
      await Promise.allSettled([...this.inFlightHttp]);
      const terminateContext = { hookData: appHookData(this.api), appHookData: appHookData(this.api) };
      for (const hook of this.api.hooks.appTerminate) await hook(terminateContext);
      await new Promise<void>((resolve) => {
        if (!this.server) return resolve();
        this.server.close(() => resolve());
        this.server.closeIdleConnections();
      });
    })();
    return this.stopping;
  }
}

/**
 * Beyond loopback, anyone on the network can reach the host: with no master key every admin/function route is
 * open (as with Core Tools), so the host refuses to start rather than expose the ops API.
 */
function refuseUnprotectedExposure(bindAddress: string): void {
  if (isLoopbackAddress(bindAddress)) return;
  if (!process.env.ENTRA_JML_HOST_MASTER_KEY) {
    throw new Error(
      `refusing to listen on ${bindAddress} (beyond loopback) without ENTRA_JML_HOST_MASTER_KEY: ` +
        'function and admin routes would be open to the network',
    );
  }
}

/** Promise.withResolvers (Node 22) for Node 20; the rejection is observed so a failed start is not unhandled twice. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
