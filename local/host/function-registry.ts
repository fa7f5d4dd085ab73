/**
 * What the app registers through @azure/functions (its FunctionMetadata + callback), as the host
 * keeps it. Shapes follow types-core (Azure/azure-functions-nodejs-library/types-core/index.d.ts).
 */
export interface RpcBindingInfo {
  type?: string | null;
  direction?: 'in' | 'out' | 'inout' | null;
  dataType?: string | null;
  [property: string]: unknown;
}

export interface FunctionMetadata {
  name: string;
  functionId?: string;
  bindings: Record<string, RpcBindingInfo>;
  retryOptions?: {
    maxRetryCount?: number;
    /** 'exponentialBackoff' | 'fixedDelay' (the worker passes the library's value through). */
    retryStrategy?: string;
    delayInterval?: { seconds?: number; nanos?: number };
    minimumInterval?: { seconds?: number; nanos?: number };
    maximumInterval?: { seconds?: number; nanos?: number };
  };
  [property: string]: unknown;
}

export type FunctionCallback = (...args: unknown[]) => unknown;

export interface RegisteredFunction {
  metadata: FunctionMetadata;
  callback: FunctionCallback;
  /** Binding name and info of the trigger (the binding whose type ends in "Trigger"). */
  triggerName: string;
  trigger: RpcBindingInfo;
}

/** RpcTypedData: one field set (the worker's protobuf oneof). */
export interface RpcTypedData {
  string?: string | null;
  json?: string | null;
  bytes?: Uint8Array | null;
  stream?: Uint8Array | null;
  http?: unknown;
  int?: number | null;
  double?: number | null;
  [field: string]: unknown;
}

export interface RpcParameterBinding {
  name: string;
  data: RpcTypedData;
}

export function isTriggerType(type: string | null | undefined): boolean {
  // Same test as @azure/functions src/utils/isTrigger.ts
  return !!type && /trigger$/i.test(type);
}
