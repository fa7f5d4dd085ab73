import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import type { LcwTaskInput } from '../../shared/lcw/callout';
import { LCW_TASK_ORCHESTRATION } from '../../shared/lcw/callout';
import type { LcwProbe, LcwWorkState } from '../../shared/lcw/work-outcome';
import { graphRetry } from './retry';

/**
 * One Lifecycle Workflows task result (instance lcw-{taskProcessingResultId}): start the mapped work, look at it
 * again with a growing interval (2 s up to 1 min) until it ends or the budget runs out (the callback timeout minus a
 * margin, from this orchestration's start), then resume the task on Graph with Completed or Failed. Work not done
 * in time is resumed Failed with the reason: the task never fails silently by timeout.
 */
interface Started {
  budgetMs: number;
  employeeId: string | null;
  state: LcwWorkState;
  probe?: LcwProbe;
}

export interface LcwTaskResult {
  operationStatus: 'Completed' | 'Failed';
  reason: string;
  resumed: boolean;
}

const FIRST_LOOK_MS = 2_000;
const LONGEST_WAIT_MS = 60_000;

export function* lcwTask(context: OrchestrationContext): Generator<df.Task, LcwTaskResult, unknown> {
  const input = context.df.getInput<LcwTaskInput>();
  const instanceId = context.df.instanceId;
  const startedAt = context.df.currentUtcDateTime.getTime();
  let employeeId: string | null = null;
  let state: LcwWorkState;
  try {
    const started = (yield context.df.callActivityWithRetry('lcwStartWork', graphRetry, {
      ...input,
      instanceId,
    })) as Started;
    employeeId = started.employeeId;
    state = started.state;
    const deadline = startedAt + started.budgetMs;
    let wait = FIRST_LOOK_MS;
    while (state.status === 'running') {
      const now = context.df.currentUtcDateTime.getTime();
      if (now >= deadline || !started.probe) {
        const minutes = Math.round(started.budgetMs / 60_000);
        state = { status: 'failed', reason: `not done within ${minutes} min (callback timeout): ${state.detail}` };
        break;
      }
      context.df.setCustomStatus({ status: 'waiting', detail: state.detail, deadline: new Date(deadline) });
      yield context.df.createTimer(new Date(Math.min(now + wait, deadline)));
      wait = Math.min(wait * 2, LONGEST_WAIT_MS);
      state = (yield context.df.callActivityWithRetry('lcwWorkStatus', graphRetry, started.probe)) as LcwWorkState;
    }
  } catch (error) {
    state = {
      status: 'failed',
      reason: `the work could not run: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  // The loop ends only when the work is done or failed.
  const operationStatus = state.status === 'done' ? 'Completed' : 'Failed';
  const reason = state.status === 'done' ? state.summary : state.reason;
  context.df.setCustomStatus({ status: 'resuming', operationStatus, reason });
  let resumed = false;
  try {
    const answer = (yield context.df.callActivityWithRetry('resumeLifecycleTask', graphRetry, {
      instanceId,
      callbackUriPath: input.callbackUriPath,
      taskProcessingResultId: input.taskProcessingResultId,
      employeeId,
      operationStatus,
      reason,
    })) as { resumed: boolean };
    resumed = answer.resumed;
  } catch {
    // Every attempt is audited (lcw.resume, failure); the task times out in Lifecycle Workflows.
  }
  context.df.setCustomStatus({ status: resumed ? 'resumed' : 'resume failed', operationStatus, reason });
  return { operationStatus, reason, resumed };
}

df.app.orchestration(LCW_TASK_ORCHESTRATION, lcwTask);
