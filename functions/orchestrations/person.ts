import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { HrEvent } from '../../shared/domain/hr-event';
import { HR_EVENT_NAME, PERSON_ORCHESTRATION, ReevaluateRequest } from '../../shared/domain/person-contract';
import { afterManagerPending, decide, initialState, nextDue, type Decision, type PersonState, type Schedule, type Step } from '../../shared/orchestration/person-state';
import type { StepInput, StepResult } from './jml-steps';
import { graphRetry } from './retry';

/**
 * One eternal orchestration per person (instance id person-{employeeId}): waits for the next HR event or
 * its own next due date, lets the pure state machine decide, runs the resulting JML steps as
 * sub-orchestrations, then continues as new with the state so history stays short.
 */
export interface PersonInput {
  employeeId: string;
  state?: PersonState;
  /** An event that arrived while a due step ran (its wait had lost the race): handled first next time. */
  pendingEvent?: unknown;
}

export function* person(context: OrchestrationContext): Generator<df.Task, void, unknown> {
  const input = context.df.getInput<PersonInput>();
  let state = input.state ?? initialState(input.employeeId);
  const due = nextDue(state);
  context.df.setCustomStatus({ phase: state.phase, userId: state.userId, nextDue: due, lastEvents: state.processedEventIds.slice(-5) });

  let decision: Decision;
  let eventId: string | undefined;
  let carried: unknown;
  if (input.pendingEvent !== undefined) {
    ({ decision, eventId } = yield* onEvent(context, state, input.pendingEvent));
    state = decision.state;
    for (const [index, step] of decision.steps.entries()) state = yield* runStep(context, state, step, `${eventId ?? 'pending'}:${index}`, eventId);
    context.df.continueAsNew({ employeeId: state.employeeId, state } satisfies PersonInput);
    return;
  }
  const eventTask = context.df.waitForExternalEvent(HR_EVENT_NAME);
  if (due) {
    const timer = context.df.createTimer(new Date(Math.max(Date.parse(due.at), context.df.currentUtcDateTime.getTime())));
    const winner = yield context.df.Task.any([eventTask, timer]);
    if (winner === eventTask) {
      timer.cancel();
      ({ decision, eventId } = yield* onEvent(context, state, eventTask.result));
    } else {
      const schedule = state.record ? ((yield context.df.callActivity('scheduleFor', state.record)) as Schedule) : null;
      decision = decide(state, { kind: 'due', which: due.which, schedule }, context.df.currentUtcDateTime.toISOString());
    }
  } else {
    yield eventTask;
    ({ decision, eventId } = yield* onEvent(context, state, eventTask.result));
  }

  state = decision.state;
  if (!context.df.isReplaying) context.log(`${context.df.instanceId}: ${decision.outcome}`);
  for (const [index, step] of decision.steps.entries()) {
    state = yield* runStep(context, state, step, `${eventId ?? 'due'}:${index}`, eventId);
  }
  if (decision.steps.length === 0 && eventId) {
    yield context.df.callActivity('recordOutcome', { employeeId: state.employeeId, action: 'hr-event', outcome: decision.outcome, eventId, instanceId: context.df.instanceId });
  }
  // The timer won but an event arrived meanwhile: the still-open wait took it, so carry it over.
  if (!eventId && eventTask.isCompleted) carried = eventTask.result;
  context.df.continueAsNew({ employeeId: state.employeeId, state, ...(carried !== undefined ? { pendingEvent: carried } : {}) } satisfies PersonInput);
}

function* onEvent(context: OrchestrationContext, state: PersonState, raw: unknown): Generator<df.Task, { decision: Decision; eventId?: string }, unknown> {
  const reevaluate = ReevaluateRequest.safeParse(raw);
  if (reevaluate.success) {
    return { decision: decide(state, { kind: 'reevaluate', requestId: reevaluate.data.requestId }, now(context)), eventId: reevaluate.data.requestId };
  }
  const parsed = HrEvent.safeParse(raw);
  if (!parsed.success) {
    return { decision: { state, steps: [], outcome: `invalid event ignored: ${parsed.error.issues[0]?.message ?? 'unknown'}` } };
  }
  const event = parsed.data;
  if (event.worker.employeeId !== state.employeeId) {
    return { decision: { state, steps: [], outcome: `event ${event.eventId} is for ${event.worker.employeeId}, not ${state.employeeId}: ignored` }, eventId: event.eventId };
  }
  const schedule = (yield context.df.callActivity('scheduleFor', event.worker)) as Schedule;
  return { decision: decide(state, { kind: 'event', event, schedule }, context.df.currentUtcDateTime.toISOString()), eventId: event.eventId };
}

function now(context: OrchestrationContext): string {
  return context.df.currentUtcDateTime.toISOString();
}

function* runStep(context: OrchestrationContext, state: PersonState, step: Step, key: string, eventId: string | undefined): Generator<df.Task, PersonState, unknown> {
  const childId = (kind: string) => `${context.df.instanceId}:${kind}:${key}`;
  const base: Omit<StepInput, 'record'> = { employeeId: state.employeeId, userId: state.userId, eventId };
  const correlation = { eventId, instanceId: context.df.instanceId, employeeId: state.employeeId };
  switch (step.run) {
    case 'joiner':
    case 'rehire': {
      const result = (yield context.df.callSubOrchestrator(step.run, { ...base, record: step.record, enable: step.enable ?? false, restoreGroupIds: step.run === 'rehire' ? state.removedGroupIds : [] } satisfies StepInput, childId(step.run))) as StepResult;
      return afterManagerPending({ ...state, userId: result.userId, appliedRecord: step.record, removedGroupIds: [] }, result.managerPending ?? null, now(context), 0);
    }
    case 'mover':
    case 'refreshAccess': {
      const mover = step.run === 'mover';
      const previousManagerEmployeeId = mover && step.previous.managerEmployeeId !== step.record.managerEmployeeId ? step.previous.managerEmployeeId : undefined;
      const result = (yield context.df.callSubOrchestrator('mover', { ...base, record: step.record, deferRemovals: mover, previousManagerEmployeeId } satisfies StepInput, childId(step.run))) as StepResult;
      const checks = mover ? 0 : (state.managerChecks ?? 0) + 1;
      let next: PersonState = { ...afterManagerPending({ ...state, appliedRecord: step.record }, result.managerPending ?? null, now(context), checks), managerChecks: checks };
      if (mover && result.deferredGroupIds?.length) {
        next = { ...next, due: { ...next.due, graceEndAt: new Date(context.df.currentUtcDateTime.getTime() + (result.graceDays ?? 0) * 86_400_000).toISOString() } };
      }
      return next;
    }
    case 'leaver': {
      const result = (yield context.df.callSubOrchestrator('leaver', { ...base, record: step.record } satisfies StepInput, childId('leaver'))) as StepResult;
      return { ...state, removedGroupIds: result.removedGroupIds ?? [] };
    }
    case 'enable':
    case 'disable':
      if (!state.userId) return state;
      yield context.df.callActivityWithRetry('setAccountEnabled', graphRetry, { ...correlation, userId: state.userId, enabled: step.run === 'enable', reason: step.run === 'enable' ? 'day 1 / leave of absence ended' : step.reason });
      return state;
    case 'delete':
    case 'rescind':
      if (!state.userId) return state;
      yield context.df.callActivityWithRetry('deleteAccount', graphRetry, { ...correlation, userId: state.userId });
      return step.run === 'rescind' ? { ...state, userId: null } : state;
  }
}

df.app.orchestration(PERSON_ORCHESTRATION, person);
