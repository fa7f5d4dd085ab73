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
  type PendingSteps,
  type PersonState,
  type Schedule,
  type Step,
} from '../../shared/orchestration/person-state';
import {
  attemptSuffix,
  decideOvertaking,
  mayOvertake,
  pendingStepProblem,
  pendingStepStatus,
  stepsDone,
  stepsFailed,
} from '../../shared/orchestration/pending-steps';
import { leaverDone, leavingGroups, needsLeavingGroups } from '../../shared/orchestration/leaver-groups';
import { changedWorkerFields } from '../../shared/domain/worker-changes';
import type { InboxEntry } from '../../shared/ports/person-inbox';
import type { WorkerRecord } from '../../shared/domain/hr-event';
import type { ScimStepKind } from '../../shared/orchestration/scim-actions';
import type { StepInput, StepResult } from './jml-steps';
import { stepRetry } from './retry';
import { fanOutStep } from './scim-fanout';

/**
 * One eternal orchestration per person (instance id person-{employeeId}). Each turn it reads the next
 * message from the person's inbox (HR events and re-evaluations, in arrival order); with none waiting it
 * sleeps until a wake-up event or its own next due date. The pure state machine decides, the JML steps run
 * as sub-orchestrations, then it continues as new with the state so history stays short. Messages are never
 * taken from the raised events themselves: one raised in the same batch as continueAsNew would be lost
 * (see shared/ports/person-inbox.ts), a wake-up lost that way costs nothing.
 *
 * A step that fails (after its own durable retries) never fails this orchestration: it and the rest of its
 * decision stay pending in the state, shown in the custom status and audited, and run again on a timer before
 * anything else is decided (shared/orchestration/pending-steps.ts says when an event may overtake them).
 */
export interface PersonInput {
  employeeId: string;
  state?: PersonState;
  /** Seq of the last inbox message handled. */
  inboxSeq?: number;
  /** A wake-up came while steps were pending (an HR event, an operator's re-evaluation): run them again at once. */
  retryNow?: boolean;
}

export function* person(context: OrchestrationContext): Generator<df.Task, void, unknown> {
  const input = context.df.getInput<PersonInput>();
  let state = input.state ?? initialState(input.employeeId);
  const inboxSeq = input.inboxSeq ?? 0;
  publishStatus(context, state);
  if (state.pendingSteps) {
    yield* pendingTurn(context, state, state.pendingSteps, inboxSeq, input.retryNow === true);
    return;
  }
  const due = nextDue(state);

  // Waiting messages first, so nothing depends on a wake-up event arriving.
  const waiting = (yield context.df.callActivity('nextInboxMessage', {
    employeeId: state.employeeId,
    afterSeq: inboxSeq,
  })) as WaitingMessage | null;
  if (waiting) {
    const { decision, eventId } = yield* onEvent(context, state, waiting.message, waiting.schedule);
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
      // Keyed by the due date itself: a later employment's leave date is another decision (deletion guard).
      state = yield* apply(
        context,
        decide(state, { kind: 'due', which: due.which, schedule }, now(context)),
        undefined,
        `due:${due.which}@${due.at}`,
      );
    }
  } else {
    yield wakeUp;
  }
  context.df.continueAsNew({ employeeId: state.employeeId, state, inboxSeq } satisfies PersonInput);
}

/** What operators see: phase, account, what comes next, and what went wrong (a pending step among it). */
function publishStatus(context: OrchestrationContext, state: PersonState): void {
  const pending = state.pendingSteps;
  context.df.setCustomStatus({
    phase: state.phase,
    userId: state.userId,
    // While steps are pending their retry is what comes next: due dates wait for them.
    nextDue: pending ? { which: 'stepRetryAt', at: pending.nextRetryAt } : nextDue(state),
    lastEvents: state.processedEventIds.slice(-5),
    problems: [...(state.problems ?? []), ...(pending ? [pendingStepProblem(pending)] : [])],
    ...(pending ? { pendingStep: pendingStepStatus(pending) } : {}),
  });
}

/**
 * A turn with steps pending: an event that supersedes a pending hire is decided at once (decideOvertaking);
 * otherwise the steps run again when their retry time comes, or at once on a wake-up. Other messages wait.
 */
function* pendingTurn(
  context: OrchestrationContext,
  state: PersonState,
  pending: PendingSteps,
  inboxSeq: number,
  retryNow: boolean,
): Generator<df.Task, void, unknown> {
  const waiting = (yield context.df.callActivity('nextInboxMessage', {
    employeeId: state.employeeId,
    afterSeq: inboxSeq,
  })) as WaitingMessage | null;
  const event = waiting ? HrEvent.safeParse(waiting.message) : null;
  if (
    waiting &&
    event?.success &&
    event.data.worker.employeeId === state.employeeId &&
    mayOvertake(state, event.data)
  ) {
    const schedule =
      waiting.schedule ?? ((yield context.df.callActivity('scheduleFor', event.data.worker)) as Schedule);
    const decision = decideOvertaking(state, event.data, schedule, now(context));
    if (decision) {
      yield* recordProblem(context, state.employeeId, pending, {
        kind: 'steps-dropped',
        reason: `superseded by ${event.data.type} ${event.data.eventId}: ${pending.reason}`,
      });
      const next = yield* apply(context, decision, event.data.eventId);
      context.df.continueAsNew({
        employeeId: next.employeeId,
        state: next,
        inboxSeq: waiting.seq,
      } satisfies PersonInput);
      return;
    }
  }
  if (!retryNow && Date.parse(pending.nextRetryAt) > context.df.currentUtcDateTime.getTime()) {
    const wakeUp = context.df.waitForExternalEvent(HR_EVENT_NAME);
    const timer = context.df.createTimer(new Date(pending.nextRetryAt));
    const winner = yield context.df.Task.any([wakeUp, timer]);
    if (winner === wakeUp) {
      timer.cancel();
      // An HR event arrived or an operator asked (a re-evaluation): the next turn looks at the inbox, then retries.
      context.df.continueAsNew({ employeeId: state.employeeId, state, inboxSeq, retryNow: true } satisfies PersonInput);
      return;
    }
  }
  const next = yield* runSteps(context, state, pending.steps, {
    eventId: pending.eventId,
    keyBase: pending.keyBase,
    firstIndex: pending.firstIndex,
    suffix: attemptSuffix(pending),
  });
  context.df.continueAsNew({ employeeId: next.employeeId, state: next, inboxSeq } satisfies PersonInput);
}

/** Where a run of steps comes from: child instance keys are `${keyBase}:${index}${suffix}`. */
interface StepRun {
  eventId: string | undefined;
  keyBase: string;
  firstIndex: number;
  /** Empty on a decision's first run; `:attempt-N` when pending steps run again (a fresh child instance id). */
  suffix: string;
}

/**
 * Runs steps in order. A step that fails (durable-functions rethrows a failed activity or sub-orchestration here,
 * the same way on every replay) stops the run: it and the steps after it are pending, audited, and retried later.
 */
function* runSteps(
  context: OrchestrationContext,
  start: PersonState,
  steps: Step[],
  run: StepRun,
): Generator<df.Task, PersonState, unknown> {
  let state = start;
  for (const [offset, step] of steps.entries()) {
    const stepIndex = run.firstIndex + offset;
    try {
      if (state.accountUnresolved) state = yield* resolveAccount(context, state, run.eventId);
      if (step.run === 'leaver' && needsLeavingGroups(state))
        state = yield* readLeavingGroups(context, state, run.eventId);
      const stepKey = `${run.keyBase}:${stepIndex}`;
      state = yield* runStep(context, state, step, { stepKey, key: `${stepKey}${run.suffix}` }, stepIndex, run.eventId);
    } catch (error) {
      const reason = failureReason(error);
      state = stepsFailed(
        state,
        { steps: steps.slice(offset), eventId: run.eventId, keyBase: run.keyBase, firstIndex: stepIndex, reason },
        now(context),
      );
      if (!context.df.isReplaying)
        context.log(`${context.df.instanceId}: step ${step.run} failed, retried at ${state.pendingSteps!.nextRetryAt}`);
      yield* recordProblem(context, state.employeeId, state.pendingSteps!, { kind: 'step-failed', reason });
      return state;
    }
  }
  return stepsDone(state);
}

/** The account a dropped hire may have left behind, by employee id (see PersonState.accountUnresolved). */
function* resolveAccount(
  context: OrchestrationContext,
  state: PersonState,
  eventId: string | undefined,
): Generator<df.Task, PersonState, unknown> {
  const found = (yield context.df.callActivityWithRetry('findAccount', stepRetry, {
    employeeId: state.employeeId,
    eventId,
    instanceId: context.df.instanceId,
  })) as { userId: string | null };
  const next: PersonState = { ...state, userId: found.userId };
  delete next.accountUnresolved;
  return next;
}

/** The groups a leaver is about to remove, kept in the state before its first removal (leaver-groups.ts). */
function* readLeavingGroups(
  context: OrchestrationContext,
  state: PersonState,
  eventId: string | undefined,
): Generator<df.Task, PersonState, unknown> {
  const found = (yield context.df.callActivityWithRetry('listLeaverGroups', stepRetry, {
    employeeId: state.employeeId,
    userId: state.userId,
    eventId,
    instanceId: context.df.instanceId,
  })) as { groupIds: string[] };
  return leavingGroups(state, found.groupIds);
}

/** The audit row of a failed or dropped step; the audit store failing too does not fail the lifecycle. */
function* recordProblem(
  context: OrchestrationContext,
  employeeId: string,
  pending: PendingSteps,
  problem: { kind: 'step-failed' | 'steps-dropped'; reason: string },
): Generator<df.Task, void, unknown> {
  try {
    yield context.df.callActivity('recordStepProblem', {
      employeeId,
      kind: problem.kind,
      step: pending.steps[0]!.run,
      remaining: pending.steps.slice(1).map((s) => s.run),
      reason: problem.reason.slice(0, 2000),
      attempt: pending.attempt,
      nextRetryAt: problem.kind === 'step-failed' ? pending.nextRetryAt : null,
      eventId: pending.eventId,
      instanceId: context.df.instanceId,
    });
  } catch (error) {
    // The problem is still in the custom status; the next failure or retry writes the next row.
    if (!context.df.isReplaying)
      context.log(`${context.df.instanceId}: step problem not audited: ${failureReason(error)}`);
  }
}

/** First line of a task's error (durable-functions appends the details, a stack, after a line break). */
function failureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim().slice(0, 500) || 'unknown failure';
}

/** Runs a decision's steps and records an event that needed none. */
function* apply(
  context: OrchestrationContext,
  decision: Decision,
  eventId: string | undefined,
  keyBase = eventId ?? 'due',
): Generator<df.Task, PersonState, unknown> {
  if (!context.df.isReplaying) context.log(`${context.df.instanceId}: ${decision.outcome}`);
  const state = yield* runSteps(context, decision.state, decision.steps, {
    eventId,
    keyBase,
    firstIndex: 0,
    suffix: '',
  });
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

/**
 * An inbox message as nextInboxMessage reads it: an HR event comes with its worker's schedule (a result recorded
 * before it did has none: scheduleFor is called then, so older histories replay as they ran).
 */
type WaitingMessage = InboxEntry & { schedule?: Schedule };

function* onEvent(
  context: OrchestrationContext,
  state: PersonState,
  raw: unknown,
  scheduled?: Schedule,
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
  const schedule = scheduled ?? ((yield context.df.callActivity('scheduleFor', event.worker)) as Schedule);
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
  { stepKey, key }: { stepKey: string; key: string },
  stepIndex: number,
  eventId: string | undefined,
): Generator<df.Task, PersonState, unknown> {
  const childId = (kind: string) => `${context.df.instanceId}:${kind}:${key}`;
  const base: Omit<StepInput, 'record'> = { employeeId: state.employeeId, userId: state.userId, eventId, stepKey };
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
      const left = leaverDone(state, result);
      if (result.guardRejected || !state.userId) return left;
      return withProblems(left, yield* scim('leaver', state.userId, step.record));
    }
    case 'enable':
    case 'disable':
      if (!state.userId) return state;
      // Enabling and disabling (day 1, leave of absence) outlast a Graph outage of minutes, as the leaver does.
      yield context.df.callActivityWithRetry('setAccountEnabled', stepRetry, {
        ...correlation,
        userId: state.userId,
        enabled: step.run === 'enable',
        reason: step.run === 'enable' ? 'day 1 / leave of absence ended' : step.reason,
      });
      return state;
    case 'activate':
      if (!state.userId || !state.record) return state;
      yield context.df.callActivityWithRetry('startActivation', stepRetry, {
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
