import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FunctionsCoreApi } from './core-api';
import type { ForegroundGate } from './foreground-gate';
import type { RegisteredFunction, RpcBindingInfo, RpcTypedData } from './function-registry';
import type { InvocationResult } from './invoke';
import type { HostJson } from './host-json';
import type { HostLogger } from './host-logger';

/**
 * Services the host gives its extensions (HTTP triggers, timers, Service Bus, Durable Task).
 * Extensions own a trigger type each; the host owns loading, invoking and the HTTP listener.
 */
export interface HostServices {
  readonly api: FunctionsCoreApi;
  readonly appRoot: string;
  readonly hostJson: HostJson;
  /** Data folder for persisted state (SQLite files). */
  readonly dataDir: string;
  /** http://localhost:PORT, known once the listener is bound. */
  baseUrl(): string;
  readonly logger: HostLogger;
  /** Callers first: app HTTP arrivals are counted here; background turns ask it for their slot. */
  readonly foreground: ForegroundGate;
  functions(): RegisteredFunction[];
  /**
   * Invokes `fn` with the given trigger data; the host adds the data of the function's other input
   * bindings (asking extensions), dispatches output bindings to extensions, and returns the raw result.
   */
  invoke(
    fn: RegisteredFunction,
    trigger: RpcTypedData,
    options?: {
      triggerMetadata?: Record<string, RpcTypedData>;
      retryContext?: InvocationRetryContext;
      invocationId?: string;
    },
  ): Promise<InvocationResult>;
}

interface InvocationRetryContext {
  retryCount: number;
  maxRetryCount: number;
  exception?: { message?: string };
}

export interface HostExtension {
  readonly name: string;
  /** Trigger binding types this extension runs, e.g. ['httpTrigger']. */
  readonly triggerTypes: readonly string[];
  /** Data for a non-trigger input binding of these types, e.g. 'durableClient'. */
  readonly inputBindingTypes?: readonly string[];
  inputBindingData?(binding: RpcBindingInfo, fn: RegisteredFunction): RpcTypedData | Promise<RpcTypedData>;
  /** Output binding types this extension accepts, e.g. 'serviceBus'. */
  readonly outputBindingTypes?: readonly string[];
  outputBinding?(binding: RpcBindingInfo, data: RpcTypedData, fn: RegisteredFunction): Promise<void>;
  /**
   * Serves requests outside the app's routes (runtime APIs, admin). Returns true when handled. A path that is not
   * the extension's is declined with a plain `false`, not a promise: every request passes the extensions in turn,
   * and an awaited "no" from each was paid on every webhook under load.
   */
  handleHttp?(req: IncomingMessage, res: ServerResponse, url: URL): boolean | Promise<boolean>;
  /** Called once after the app is loaded and the listener is bound. */
  start(services: HostServices): Promise<void>;
  /** Stop taking new work; resolve once in-flight work is done. */
  stop(): Promise<void>;
}
