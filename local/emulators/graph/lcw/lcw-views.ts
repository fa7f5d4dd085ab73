import { DONE } from './lcw-progress';
import type { RunDoc, TaskProcessingResultDoc, UserProcessingResultDoc, WorkflowDoc } from './lcw-store';

/**
 * The Graph shapes of the LCW objects: run, userProcessingResult and taskProcessingResult with the counts Graph
 * computes (https://learn.microsoft.com/graph/api/resources/identitygovernance-run,
 * https://learn.microsoft.com/graph/api/resources/identitygovernance-userprocessingresult,
 * https://learn.microsoft.com/graph/api/resources/identitygovernance-taskprocessingresult). The emulator's own
 * bookkeeping (run and user ids on a task result, callback deadlines) shows in the admin state only.
 */
export function workflowView(workflow: WorkflowDoc): Record<string, unknown> {
  return { ...workflow };
}

function taskCounts(tasks: TaskProcessingResultDoc[]) {
  return {
    totalTasksCount: tasks.length,
    failedTasksCount: tasks.filter((t) => t.processingStatus === 'failed').length,
    totalUnprocessedTasksCount: tasks.filter((t) => !DONE.has(t.processingStatus)).length,
  };
}

export function userResultView(
  user: UserProcessingResultDoc,
  allTasks: TaskProcessingResultDoc[],
): Record<string, unknown> {
  const tasks = allTasks.filter((t) => t.userProcessingResultId === user.id);
  return {
    id: user.id,
    completedDateTime: user.completedDateTime,
    processingStatus: user.processingStatus,
    scheduledDateTime: user.scheduledDateTime,
    startedDateTime: user.startedDateTime,
    workflowExecutionType: user.workflowExecutionType,
    workflowVersion: user.workflowVersion,
    subject: user.subject,
    ...taskCounts(tasks),
  };
}

export function runView(
  run: RunDoc,
  allUsers: UserProcessingResultDoc[],
  allTasks: TaskProcessingResultDoc[],
): Record<string, unknown> {
  const users = allUsers.filter((u) => u.runId === run.id);
  const tasks = allTasks.filter((t) => t.runId === run.id);
  const finished = users.every((u) => DONE.has(u.processingStatus));
  const withErrors = users.some((u) => u.processingStatus !== 'completed');
  return {
    id: run.id,
    workflowExecutionType: run.workflowExecutionType,
    processingStatus: !finished ? 'inProgress' : withErrors ? 'completedWithErrors' : 'completed',
    scheduledDateTime: run.scheduledDateTime,
    startedDateTime: run.startedDateTime,
    completedDateTime: finished ? (run.completedDateTime ?? latest(users.map((u) => u.completedDateTime))) : null,
    totalUsersCount: users.length,
    successfulUsersCount: users.filter((u) => u.processingStatus === 'completed').length,
    failedUsersCount: users.filter((u) => DONE.has(u.processingStatus) && u.processingStatus !== 'completed').length,
    ...taskCounts(tasks),
  };
}

export function taskResultView(result: TaskProcessingResultDoc, workflow: WorkflowDoc): Record<string, unknown> {
  return {
    id: result.id,
    completedDateTime: result.completedDateTime,
    createdDateTime: result.createdDateTime,
    failureReason: result.failureReason,
    processingStatus: result.processingStatus,
    startedDateTime: result.startedDateTime,
    subject: result.subject,
    task: workflow.tasks.find((t) => t.id === result.taskId) ?? { id: result.taskId },
  };
}

function latest(instants: (string | null)[]): string | null {
  return (
    instants
      .filter((i): i is string => !!i)
      .sort()
      .at(-1) ?? null
  );
}
