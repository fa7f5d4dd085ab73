import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { HrEvent } from '../../shared/domain/hr-event';
import { HR_EVENT_NAME, PERSON_ORCHESTRATION, ReevaluateRequest } from '../../shared/domain/person-contract';
import {
  afterManagerPending,
  decide,
  initialState,
  nextDue,
  type Decision,
  type PersonState,
  type Schedule,
  type Step,
} from '../../shared/orchestration/person-state';
import { changedWorkerFields } from '../../shared/domain/worker-changes';
import type { InboxEntry } from '../../shared/ports/person-inbox';
import type { WorkerRecord } from '../../shared/domain/hr-event';
import type { ScimStepKind } from '../../shared/orchestration/scim-actions';
import type { StepInput, StepResult } from './jml-steps';
import { graphRetry, leaverRetry } from './retry';
import { fanOutStep } from './scim-fanout';

/**
 * One eternal orchestration per person (instance id person-{employeeId}). Each turn it reads the next
 * message from the person's inbox (HR events and re-evaluations, in arrival order); with none waiting it
 * sleeps until a wake-up event or its own next due date. The pure state machine decides, the JML steps run
 * as sub-orchestrations, then it continues as new with the state so history stays short. Messages are never
 * taken from the raised events themselves: one raised in the same batch as continueAsNew would be lost
 * (see shared/ports/person-inbox.ts), a wake-up lost that way costs nothing.
 */
export interface PersonInput {
  employeeId: string;
  state?: PersonState;
  /** Seq of the last inbox message handled. */
  inboxSeq?: number;
}

export function* person(context: OrchestrationContext): Generator<df.Task, void, unknown> {
  const input = context.df.getInput<PersonInput>();
  let state = input.state ?? initialState(input.employeeId);
  const inboxSeq = input.inboxSeq ?? 0;
  const due = nextDue(state);
  context.df.setCustomStatus({
    phase: state.phase,
    userId: state.userId,
    nextDue: due,
    lastEvents: state.processedEventIds.slice(-5),
    problems: state.problems ?? [],
  });

  // Waiting messages first, so nothing depends on a wake-up event arriving.
  const waiting = (yield context.df.callActivity('nextInboxMessage', {
    employeeId: state.employeeId,
    afterSeq: inboxSeq,
  })) as InboxEntry | null;
  if (waiting) {
    const { decision, eventId } = yield* onEvent(context, state, waiting.message);
    state = yield* apply(context, decision, eventId);
    context.df.continueAsNew({ employeeId: state.employeeId, state, inboxSeq: waiting.seq } satisfies PersonInput);
    return;
  }

  const wakeUp = context.df.waitForExternalEvent(HR_EVENT_NAME);
  if (due) {
    const timer = context.df.createTimer(
      new Date(Math.max(Date.parse(due.at), context.df.currentUtcDateTime.getTime())),
    );
    const winner = yield context.df.Task.any([wakeUp, timer]);
    if (winner === wakeUp) timer.cancel();
    else {
      const schedule = state.record ? ((yield context.df.callActivity('scheduleFor', state.record)) as Schedule) : null;
      state = yield* apply(
        context,
        decide(state, { kind: 'due', which: due.which, schedule }, now(context)),
        undefined,
      );
    }
  } else {
    yield wakeUp;
  }
  context.df.continueAsNew({ employeeId: state.employeeId, state, inboxSeq } satisfies PersonInput);
}

/** Runs a decision's steps and records an event that needed none. */
function* apply(
  context: OrchestrationContext,
  decision: Decision,
  eventId: string | undefined,
): Generator<df.Task, PersonState, unknown> {
  let state = decision.state;
  if (!context.df.isReplaying) context.log(`${context.df.instanceId}: ${decision.outcome}`);
  for (const [index, step] of decision.steps.entries()) {
    state = yield* runStep(context, state, step, `${eventId ?? 'due'}:${index}`, eventId);
  }
  if (decision.steps.length === 0 && eventId) {
    yield context.df.callActivity('recordOutcome', {
      employeeId: state.employeeId,
      action: 'hr-event',
      outcome: decision.outcome,
      eventId,
      instanceId: context.df.instanceId,
    });
  }
  return state;
}

function* onEvent(
  context: OrchestrationContext,
  state: PersonState,
  raw: unknown,
): Generator<df.Task, { decision: Decision; eventId?: string }, unknown> {
  const reevaluate = ReevaluateRequest.safeParse(raw);
  if (reevaluate.success) {
    return {
      decision: decide(state, { kind: 'reevaluate', requestId: reevaluate.data.requestId }, now(context)),
      eventId: reevaluate.data.requestId,
    };
  }
  const parsed = HrEvent.safeParse(raw);
  if (!parsed.success) {
    return {
      decision: { state, steps: [], outcome: `invalid event ignored: ${parsed.error.issues[0]?.message ?? 'unknown'}` },
    };
  }
  const event = parsed.data;
  if (event.worker.employeeId !== state.employeeId) {
    return {
      decision: {
        state,
        steps: [],
        outcome: `event ${event.eventId} is for ${event.worker.employeeId}, not ${state.employeeId}: ignored`,
      },
      eventId: event.eventId,
    };
  }
  const schedule = (yield context.df.callActivity('scheduleFor', event.worker)) as Schedule;
  return {
    decision: decide(state, { kind: 'event', event, schedule }, context.df.currentUtcDateTime.toISOString()),
    eventId: event.eventId,
  };
}

function now(context: OrchestrationContext): string {
  return context.df.currentUtcDateTime.toISOString();
}

function* runStep(
  context: OrchestrationContext,
  state: PersonState,
  step: Step,
  key: string,
  eventId: string | undefined,
): Generator<df.Task, PersonState, unknown> {
  const stepIndex = Number(key.slice(key.lastIndexOf(':') + 1)) || 0;
  const childId = (kind: string) => `${context.df.instanceId}:${kind}:${key}`;
  const base: Omit<StepInput, 'record'> = { employeeId: state.employeeId, userId: state.userId, eventId };
  const correlation = { eventId, instanceId: context.df.instanceId, employeeId: state.employeeId };
  // Each SCIM fan-out follows its step's directory work; what did not reach a target joins the person's problems.
  const scim = (kind: ScimStepKind, userId: string | null, record: WorkerRecord | null, previous?: WorkerRecord) =>
    fanOutStep(context, { kind, employeeId: state.employeeId, userId, record, previous, eventId, key, stepIndex });
  const withProblems = (next: PersonState, problems: string[]): PersonState =>
    problems.length ? { ...next, problems: [...(next.problems ?? []), ...problems] } : next;
  switch (step.run) {
    case 'joiner':
    case 'rehire': {
      const result = (yield context.df.callSubOrchestrator(
        step.run,
        {
          ...base,
          record: step.record,
          enable: step.enable ?? false,
          restoreGroupIds: step.run === 'rehire' ? state.removedGroupIds : [],
        } satisfies StepInput,
        childId(step.run),
      )) as StepResult;
      const scimProblems = yield* scim(step.run, result.userId, step.record);
      return afterManagerPending(
        {
          ...state,
          userId: result.userId,
          appliedRecord: step.record,
          removedGroupIds: [],
          problems: [...(result.licenceProblems ?? []), ...scimProblems],
        },
        result.managerPending ?? null,
        now(context),
        0,
      );
    }
    case 'mover':
    case 'refreshAccess': {
      const mover = step.run === 'mover';
      if (mover && step.record.personalEmail && step.previous.personalEmail !== step.record.personalEmail) {
        // A pending self-activation follows the new personal address (nothing happens when none is pending).
        yield context.df.callActivity('retargetActivation', { ...correlation, record: step.record });
      }
      const previousManagerEmployeeId =
        mover && step.previous.managerEmployeeId !== step.record.managerEmployeeId
          ? step.previous.managerEmployeeId
          : undefined;
      const result = (yield context.df.callSubOrchestrator(
        'mover',
        {
          ...base,
          record: step.record,
          deferRemovals: mover,
          previousManagerEmployeeId,
          changedFields: mover ? changedWorkerFields(step.previous, step.record) : [],
        } satisfies StepInput,
        childId(step.run),
      )) as StepResult;
      const scimProblems = yield* scim(step.run, state.userId, step.record, mover ? step.previous : undefined);
      const checks = mover ? 0 : (state.managerChecks ?? 0) + 1;
      let next: PersonState = {
        ...afterManagerPending(
          { ...state, appliedRecord: step.record, problems: [...(result.licenceProblems ?? []), ...scimProblems] },
          result.managerPending ?? null,
          now(context),
          checks,
        ),
        managerChecks: checks,
      };
      if (mover && result.deferredGroupIds?.length) {
        next = {
          ...next,
          due: {
            ...next.due,
            graceEndAt: new Date(
              context.df.currentUtcDateTime.getTime() + (result.graceDays ?? 0) * 86_400_000,
            ).toISOString(),
          },
        };
      }
      return next;
    }
    case 'leaver': {
      // A pending self-activation ends before access does, so the page cannot enable a leaver's account.
      yield context.df.callActivity('cancelActivation', { ...correlation, reason: 'leaver' });
      const result = (yield context.df.callSubOrchestrator(
        'leaver',
        { ...base, record: step.record } satisfies StepInput,
        childId('leaver'),
      )) as StepResult;
      const left = { ...state, removedGroupIds: result.removedGroupIds ?? [] };
      if (result.guardRejected || !state.userId) return left;
      return withProblems(left, yield* scim('leaver', state.userId, step.record));
    }
    case 'enable':
    case 'disable':
      if (!state.userId) return state;
      // Disabling (leave of absence, a leaver's day) must outlast a Graph outage as the leaver's removal does.
      yield context.df.callActivityWithRetry('setAccountEnabled', step.run === 'disable' ? leaverRetry : graphRetry, {
        ...correlation,
        userId: state.userId,
        enabled: step.run === 'enable',
        reason: step.run === 'enable' ? 'day 1 / leave of absence ended' : step.reason,
      });
      return state;
    case 'activate':
      if (!state.userId || !state.record) return state;
      yield context.df.callActivityWithRetry('startActivation', graphRetry, {
        ...correlation,
        userId: state.userId,
        record: state.record,
      });
      return state;
    case 'delete': {
      if (!state.userId) return state;
      const deleted = (yield context.df.callSubOrchestrator(
        'guardedDelete',
        { ...base, record: state.record ?? state.appliedRecord! } satisfies StepInput,
        childId('delete'),
      )) as StepResult;
      if (deleted?.guardRejected) return state;
      return withProblems(state, yield* scim('delete', state.userId, state.record ?? state.appliedRecord));
    }
    case 'rescind': {
      yield context.df.callActivity('cancelActivation', { ...correlation, reason: 'hire rescinded' });
      if (!state.userId) return state;
      // Every delete goes through the accidental-deletion guard, a rescinded pre-hire account's too.
      const rescinded = (yield context.df.callSubOrchestrator(
        'guardedDelete',
        { ...base, record: state.record ?? state.appliedRecord! } satisfies StepInput,
        childId('rescind'),
      )) as StepResult;
      const gone = { ...state, userId: null };
      if (rescinded?.guardRejected) return gone;
      return withProblems(gone, yield* scim('rescind', state.userId, state.record ?? state.appliedRecord));
    }
  }
}

df.app.orchestration(PERSON_ORCHESTRATION, person);
