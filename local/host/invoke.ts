import { randomUUID } from 'node:crypto';
import type { FunctionsCoreApi, LogCategory, LogLevel } from './core-api';
import type { RegisteredFunction, RpcParameterBinding, RpcTypedData } from './function-registry';

/**
 * One invocation through the app's programming model, in the order the Node worker uses
 * (azure-functions-nodejs-worker src/eventHandlers/InvocationHandler.ts):
 * getInvocationModel → getArguments → preInvocation hooks → invokeFunction → postInvocation hooks →
 * getResponse.
 */
export interface InvocationRequest {
  inputData: RpcParameterBinding[];
  triggerMetadata?: Record<string, RpcTypedData>;
  retryContext?: { retryCount: number; maxRetryCount: number; exception?: { message?: string } };
  invocationId?: string;
}

export interface InvocationResult {
  invocationId: string;
  outputData: { name: string; data: RpcTypedData }[];
  returnValue: RpcTypedData | undefined;
}

export type InvocationLogger = (entry: {
  level: LogLevel;
  category: LogCategory;
  message: string;
  functionName: string;
  invocationId: string;
}) => void;

export async function invokeFunction(
  api: FunctionsCoreApi,
  fn: RegisteredFunction,
  request: InvocationRequest,
  logger: InvocationLogger,
): Promise<InvocationResult> {
  const model = api.programmingModel;
  if (!model) throw new Error('the app registered no programming model (is @azure/functions loaded?)');
  const invocationId = request.invocationId ?? randomUUID();
  const functionName = fn.metadata.name;
  const coreContext: Record<string, unknown> = {
    invocationId,
    request: {
      invocationId,
      functionId: fn.metadata.functionId ?? functionName,
      inputData: request.inputData,
      triggerMetadata: request.triggerMetadata ?? {},
      retryContext: request.retryContext,
    },
    metadata: fn.metadata,
    state: undefined,
    log: (level: LogLevel, category: LogCategory, message: string) =>
      logger({ level, category, message, functionName, invocationId }),
  };
  const invocationModel = model.getInvocationModel(coreContext);
  const { context, inputs } = await invocationModel.getArguments();

  // Hook data shared between pre and post hooks of this invocation, as the worker does.
  const hookData: Record<string, unknown> = {};
  const appHookData = appHookDataOf(api);

  coreContext.state = 'preInvocationHooks';
  const preContext: Record<string, unknown> = {
    hookData,
    appHookData,
    invocationContext: context,
    inputs,
    functionCallback: fn.callback,
  };
  for (const hook of api.hooks.preInvocation) await hook(preContext);

  coreContext.state = 'invocation';
  let result: unknown;
  let error: unknown;
  try {
    result = await invocationModel.invokeFunction(
      context,
      preContext.inputs as unknown[],
      preContext.functionCallback as RegisteredFunction['callback'],
    );
  } catch (caught) {
    error = caught;
  }

  coreContext.state = 'postInvocationHooks';
  const postContext: Record<string, unknown> = {
    hookData,
    appHookData,
    invocationContext: context,
    inputs: preContext.inputs,
    result,
    error,
  };
  for (const hook of api.hooks.postInvocation) await hook(postContext);
  coreContext.state = undefined;
  // Rethrows what the handler (or a hook) threw, unchanged, as the worker does.
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  if (postContext.error) throw postContext.error;

  const response = await invocationModel.getResponse(context, postContext.result);
  return {
    invocationId,
    outputData: response.outputData ?? [],
    returnValue: response.returnValue,
  };
}

const appHookDataKey = Symbol('appHookData');
function appHookDataOf(api: FunctionsCoreApi): Record<string, unknown> {
  const holder = api as unknown as { [appHookDataKey]?: Record<string, unknown> };
  return (holder[appHookDataKey] ??= {});
}

/** Shared app-level hook data (appStart/appTerminate hooks receive the same object). */
export function appHookData(api: FunctionsCoreApi): Record<string, unknown> {
  return appHookDataOf(api);
}
