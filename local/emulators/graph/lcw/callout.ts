import type { TaskDoc, TaskProcessingResultDoc, WorkflowDoc } from './lcw-store';

/**
 * The callout Lifecycle Workflows POSTs to the custom task extension's Logic App: a customExtensionCalloutRequest
 * whose data is a customTaskExtensionCalloutData, with exactly the fields of the Logic App trigger schema Microsoft
 * publishes (https://learn.microsoft.com/entra/id-governance/configure-logic-app-lifecycle-workflows, CONTRACTS §3.3).
 * Microsoft documents `source` and `type` only as strings; the values below are the emulator's own.
 */
export interface CalloutSubject {
  id: string;
  displayName?: string;
  email?: string;
  userPrincipalName?: string;
  manager?: { id: string; displayName?: string; email?: string };
}

export interface CalloutBody {
  source: string;
  type: string;
  data: {
    '@odata.type': string;
    callbackUriPath: string;
    subject: CalloutSubject;
    task: { id: string; displayName: string };
    taskProcessingResult: { id: string; createdDateTime: string };
    workflow: { id: string; displayName: string; workflowVersion: number };
  };
}

/**
 * The path the receiver appends to https://graph.microsoft.com/beta to resume
 * (https://learn.microsoft.com/graph/api/identitygovernance-taskprocessingresult-resume).
 */
function callbackUriPath(workflowId: string, taskId: string, taskProcessingResultId: string): string {
  return (
    `/identityGovernance/lifecycleWorkflows/workflows/${workflowId}/tasks/${taskId}` +
    `/taskProcessingResults/${taskProcessingResultId}/resume`
  );
}

export function calloutBody(
  workflow: WorkflowDoc,
  task: TaskDoc,
  result: TaskProcessingResultDoc,
  subject: CalloutSubject,
): CalloutBody {
  return {
    source: `/identityGovernance/lifecycleWorkflows/workflows/${workflow.id}`,
    type: 'lifecycleEvent',
    data: {
      '@odata.type': 'microsoft.graph.identityGovernance.customTaskExtensionCalloutData',
      callbackUriPath: callbackUriPath(workflow.id, task.id, result.id),
      subject,
      task: { id: task.id, displayName: task.displayName },
      taskProcessingResult: { id: result.id, createdDateTime: result.createdDateTime },
      workflow: { id: workflow.id, displayName: workflow.displayName, workflowVersion: workflow.version },
    },
  };
}
