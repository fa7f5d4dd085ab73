import Module from 'node:module';
import { createRequire } from 'node:module';
import {
  type FunctionCallback,
  type FunctionMetadata,
  type RegisteredFunction,
  isTriggerType,
} from './function-registry';

/**
 * The `@azure/functions-core` module that @azure/functions looks for at start-up
 * (src/utils/tryGetCoreApiLazy.ts). Without it the library runs in "test mode" and registers
 * nothing. The real one is provided by the Node worker (azure-functions-nodejs-worker
 * src/coreApi); this one records registrations for the local host.
 */
export type HookName = 'appStart' | 'appTerminate' | 'preInvocation' | 'postInvocation' | 'log';
export type HookCallback = (context: Record<string, unknown>) => unknown;
export type LogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical' | 'none';
export type LogCategory = 'user' | 'system' | 'customMetric';

export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreContext: unknown): InvocationModel;
  getCapabilities(capabilities: Record<string, string>): Promise<Record<string, string>>;
}

interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], callback: FunctionCallback): Promise<unknown>;
  getResponse(
    context: unknown,
    result: unknown,
  ): Promise<{
    invocationId: string;
    outputData?: { name: string; data: Record<string, unknown> }[];
    returnValue?: Record<string, unknown>;
  }>;
}

class Disposable {
  #callOnDispose: (() => void) | undefined;
  constructor(callOnDispose: () => void) {
    this.#callOnDispose = callOnDispose;
  }
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  dispose(): void {
    this.#callOnDispose?.();
    this.#callOnDispose = undefined;
  }
}

export class FunctionsCoreApi {
  readonly version = '3.12.0';
  readonly hostVersion = '4.1000.0';
  readonly Disposable = Disposable;
  readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks: Record<HookName, HookCallback[]> = {
    appStart: [],
    appTerminate: [],
    preInvocation: [],
    postInvocation: [],
    log: [],
  };
  programmingModel: ProgrammingModel | undefined;
  /** Where system logs of the library go; the host replaces it with its logger. */
  logSink: (level: LogLevel, category: LogCategory, message: string) => void = () => {};

  setProgrammingModel(model: ProgrammingModel): void {
    this.programmingModel = model;
  }

  getProgrammingModel(): ProgrammingModel | undefined {
    return this.programmingModel;
  }

  registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable {
    if (this.functions.has(metadata.name.toLowerCase())) {
      // The real worker refuses duplicates too (nodejs-worker src/coreApi/registerFunction.ts).
      throw new Error(`A function with the name "${metadata.name}" has already been registered.`);
    }
    const trigger = Object.entries(metadata.bindings).find(([, binding]) => isTriggerType(binding.type));
    if (!trigger) {
      throw new Error(`Function "${metadata.name}" has no trigger binding.`);
    }
    const registered: RegisteredFunction = { metadata, callback, triggerName: trigger[0], trigger: trigger[1] };
    this.functions.set(metadata.name.toLowerCase(), registered);
    return new Disposable(() => this.functions.delete(metadata.name.toLowerCase()));
  }

  registerHook(name: string, callback: HookCallback): Disposable {
    const list = this.hooks[name as HookName];
    if (!list) {
      // Same error class the library checks for log hooks on older hosts (RangeError).
      throw new RangeError(`Unrecognized hook "${name}"`);
    }
    list.push(callback);
    return new Disposable(() => {
      const index = list.indexOf(callback);
      if (index >= 0) list.splice(index, 1);
    });
  }

  log(level: LogLevel, category: LogCategory, message: string): void {
    this.logSink(level, category, message);
  }
}

const CORE_MODULE = '@azure/functions-core';

/**
 * Makes `require('@azure/functions-core')` return `api` for every module in the process, without
 * touching node_modules. Must run before the app first calls `app.*` (the library caches a failed
 * lookup as test mode for the life of the process).
 */
export function installCoreApi(api: FunctionsCoreApi): void {
  const M = Module as unknown as {
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
    _cache: Record<string, unknown>;
    new (id: string): { exports: unknown; loaded: boolean; filename: string };
  };
  const original = M._resolveFilename;
  if (!(original as { __entraJml?: boolean }).__entraJml) {
    const patched = function (this: unknown, request: string, ...rest: unknown[]): string {
      return request === CORE_MODULE ? CORE_MODULE : original.call(this, request, ...rest);
    };
    (patched as { __entraJml?: boolean }).__entraJml = true;
    M._resolveFilename = patched;
  }
  const mod = new M(CORE_MODULE);
  mod.exports = api;
  mod.loaded = true;
  mod.filename = CORE_MODULE;
  M._cache[CORE_MODULE] = mod;
  // Sanity check: a fresh require now resolves to the shim.
  const check: unknown = createRequire(__filename)(CORE_MODULE);
  if (check !== api) throw new Error('could not install @azure/functions-core shim');
}
