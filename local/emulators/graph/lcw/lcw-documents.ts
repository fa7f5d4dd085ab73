import { ODATA, type CustomTaskExtensionInput, type WorkflowInput } from './lcw-schemas';
import type { CustomTaskExtensionDoc, WorkflowDoc } from './lcw-store';

/** A custom task extension as Graph stores and returns it, with the documented defaults filled in. */
export function extensionDoc(id: string, input: CustomTaskExtensionInput, at: string): CustomTaskExtensionDoc {
  return {
    id,
    displayName: input.displayName,
    ...(input.description !== undefined ? { description: input.description } : {}),
    endpointConfiguration: input.endpointConfiguration,
    authenticationConfiguration: input.authenticationConfiguration,
    // Defaults: 1 retry, 1000 ms (https://learn.microsoft.com/graph/api/resources/customextensionclientconfiguration).
    clientConfiguration: {
      '@odata.type': ODATA.clientConfiguration,
      maximumRetries: input.clientConfiguration?.maximumRetries ?? 1,
      timeoutInMilliseconds: input.clientConfiguration?.timeoutInMilliseconds ?? 1000,
    },
    ...(input.callbackConfiguration
      ? {
          callbackConfiguration: {
            '@odata.type': ODATA.callbackConfiguration,
            timeoutDuration: input.callbackConfiguration.timeoutDuration,
            ...(input.callbackConfiguration.authorizedApps
              ? { authorizedApps: input.callbackConfiguration.authorizedApps }
              : {}),
          },
        }
      : {}),
    createdDateTime: at,
    lastModifiedDateTime: at,
  };
}

/**
 * A workflow as Graph returns it: version 1, each task with its id, the workflow's category and its executionSequence
 * (both read-only, https://learn.microsoft.com/graph/api/resources/identitygovernance-task).
 */
export function workflowDoc(
  id: string,
  input: WorkflowInput,
  at: string,
  taskId: (index: number) => string,
): WorkflowDoc {
  return {
    id,
    category: input.category,
    displayName: input.displayName,
    ...(input.description !== undefined ? { description: input.description } : {}),
    isEnabled: input.isEnabled,
    isSchedulingEnabled: input.isSchedulingEnabled,
    executionConditions: input.executionConditions,
    tasks: input.tasks.map(({ category: _readOnly, ...task }, index) => ({
      ...task,
      id: taskId(index),
      category: input.category,
      executionSequence: index + 1,
    })),
    version: 1,
    createdDateTime: at,
    lastModifiedDateTime: at,
    nextScheduleRunDateTime: null,
    deletedDateTime: null,
  };
}
