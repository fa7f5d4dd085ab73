import type { Policy } from '../domain/policy';
import type { LcwTaskInput } from './callout';

type LifecycleWorkflowsPolicy = NonNullable<Policy['lifecycleWorkflows']>;
export type LcwTaskRule = LifecycleWorkflowsPolicy['tasks'][number];

const same = (a: string | null, b: string) => a !== null && a.trim().toLowerCase() === b.trim().toLowerCase();

/** The policy entry for this task (the first whose every criterion fits), or why there is none. */
export function matchLcwTask(
  policy: Policy,
  task: Pick<LcwTaskInput, 'taskId' | 'taskDisplayName' | 'workflowDisplayName'>,
): { rule: LcwTaskRule; index: number } | { problem: string } {
  const rules = policy.lifecycleWorkflows?.tasks ?? [];
  if (!rules.length) return { problem: 'the policy maps no Lifecycle Workflows task (lifecycleWorkflows.tasks)' };
  const index = rules.findIndex(({ match }) => {
    if (match.taskId !== undefined && match.taskId.toLowerCase() !== task.taskId.toLowerCase()) return false;
    if (match.taskDisplayName !== undefined && !same(task.taskDisplayName, match.taskDisplayName)) return false;
    if (match.workflowDisplayName !== undefined && !same(task.workflowDisplayName, match.workflowDisplayName))
      return false;
    return true;
  });
  if (index < 0)
    return {
      problem:
        `no lifecycleWorkflows.tasks entry matches task "${task.taskDisplayName ?? task.taskId}" ` +
        `of workflow "${task.workflowDisplayName ?? 'unnamed'}"`,
    };
  return { rule: rules[index]!, index };
}

/** The callback timeout the policy states (PT1H when the section is absent). */
export function callbackTimeoutOf(policy: Policy): string {
  return policy.lifecycleWorkflows?.callbackTimeout ?? 'PT1H';
}
