import type { LcwStore, TaskProcessingResultDoc } from './lcw-store';

/**
 * "If no response is received within the defined duration window, the task is considered failed"
 * (launch and wait, https://learn.microsoft.com/entra/id-governance/lifecycle-workflow-extensibility). Marks a
 * waiting task failed once the local clock passes its callback deadline; returns the result as it now stands.
 */
export function failTimedOut(store: LcwStore, result: TaskProcessingResultDoc, now: number): TaskProcessingResultDoc {
  if (result.processingStatus !== 'inProgress' || !result.callbackDeadline) return result;
  if (now < Date.parse(result.callbackDeadline)) return result;
  const failed: TaskProcessingResultDoc = {
    ...result,
    processingStatus: 'failed',
    completedDateTime: result.callbackDeadline,
    failureReason: 'No resume was received within the callback timeout (callbackConfiguration.timeoutDuration).',
  };
  store.put('taskProcessingResult', failed);
  return failed;
}

export const DONE = new Set(['completed', 'completedWithErrors', 'failed', 'canceled']);
