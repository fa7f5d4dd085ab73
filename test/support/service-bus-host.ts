import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HostServices } from '../../local/host/extension';
import type { ForegroundGate } from '../../local/host/foreground-gate';
import type { RegisteredFunction, RpcTypedData } from '../../local/host/function-registry';

/** A serviceBusTrigger function as the host's registry holds it: what the Service Bus extension reads of it. */
export function serviceBusFunction(queueName: string, options: { sessions?: boolean } = {}): RegisteredFunction {
  return {
    metadata: { name: 'intake' },
    callback: () => undefined,
    triggerName: 'message',
    trigger: {
      type: 'serviceBusTrigger',
      direction: 'in',
      queueName,
      ...(options.sessions ? { isSessionsEnabled: true } : {}),
    },
  } as unknown as RegisteredFunction;
}

type Invoke = (
  fn: RegisteredFunction,
  data: RpcTypedData,
  options?: { triggerMetadata?: Record<string, RpcTypedData> },
) => Promise<unknown>;

/**
 * The host services the Service Bus extension uses, for starting it alone: a fresh data folder, host.json's
 * serviceBus section, the origin it registers its in-process link under, the listened functions and their
 * invocation. Without `foreground` the listeners are never paced (the extension's gate is optional in effect).
 */
export function serviceBusHostServices(options: {
  baseUrl: string;
  /** A data folder prepared by the test (a queue file written before the start); a fresh one by default. */
  dataDir?: string;
  functions?: RegisteredFunction[];
  serviceBus?: { maxConcurrentCalls?: number; maxConcurrentSessions?: number };
  invoke?: Invoke;
  warn?: (fields: unknown, message: string) => void;
  foreground?: Pick<ForegroundGate, 'claimBackgroundSlot'>;
}): HostServices {
  return {
    dataDir: options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'jml-sb-')),
    hostJson: options.serviceBus ? { extensions: { serviceBus: options.serviceBus } } : {},
    baseUrl: () => options.baseUrl,
    logger: { error: () => undefined, info: () => undefined, warn: options.warn ?? (() => undefined) },
    foreground: options.foreground,
    functions: () => options.functions ?? [],
    invoke: options.invoke ?? (() => Promise.resolve()),
  } as unknown as HostServices;
}
