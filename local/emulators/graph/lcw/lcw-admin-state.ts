import type { LcwStore } from './lcw-store';
import { runView } from './lcw-views';

/**
 * Everything Lifecycle Workflows did on the emulator, for GET /_local/graph/_admin/state: workflows, runs with their
 * counts, user and task processing results with the emulator's bookkeeping (run, user, deadline), every callout
 * the Logic App stand-in sent (token claims, never the token) and every resume call received with its body and answer.
 */
export function lifecycleWorkflowsState(store: LcwStore): Record<string, unknown> {
  const users = store.list('userProcessingResult');
  const tasks = store.list('taskProcessingResult');
  return {
    customTaskExtensions: store.list('customTaskExtension'),
    workflows: store.list('workflow'),
    runs: store.list('run').map((run) => ({ workflowId: run.workflowId, ...runView(run, users, tasks) })),
    userProcessingResults: users,
    taskProcessingResults: tasks,
    callouts: store.list('callout'),
    resumes: store.list('resume'),
  };
}
