import type { HrEvent } from '../domain/hr-event';
import { decide, type Decision, type PendingSteps, type PersonState, type Schedule, type Step } from './person-state';

/**
 * A step that fails never ends the person's lifecycle (issue 24: a Graph outage longer than a step's durable
 * retries left persons Failed mid-leaver, the account still enabled). The failed step and the rest of its decision
 * are kept as pending and run again on a durable timer, backing off from 1 minute to 30 minutes, for as long as
 * it takes: nothing is given up silently, and every failure is a visible problem and an audit row.
 *
 * Per-person order: while steps are pending, nothing else is decided. Inbox messages and due dates wait; a wake-up
 * (an HR event arriving, an operator's re-evaluation) retries the pending steps at once instead.
 *
 * The one exception (`decideOvertaking`): while the hire itself is pending (a joiner or rehire step), a rescind,
 * or an immediate terminate, that is next in the inbox is decided at once and the pending steps are dropped. HR
 * has withdrawn the hire or ended the employment: finishing an account creation that may never succeed (a record
 * Graph refuses) only to undo it would block the lifecycle behind a step nobody wants any more. It applies only
 * when the event really supersedes the hire (the person ends rescinded or left); a rescind after day 1, which the
 * state machine ignores, waits like any event. The account the failed hire may have created is found by employee
 * id before the next step (`accountUnresolved`), so the rescind deletes it or the leaver disables it.
 */
const STEP_RETRY_FIRST_MS = 60_000;
export const STEP_RETRY_MAX_MS = 30 * 60_000;

/** Delay before the next run of pending steps that have run `attempt` times: 1, 2, 4, 8, 16, 30, 30… minutes. */
export function stepRetryDelayMs(attempt: number): number {
  const doublings = Math.min(Math.max(attempt, 1) - 1, 10);
  return Math.min(STEP_RETRY_FIRST_MS * 2 ** doublings, STEP_RETRY_MAX_MS);
}

export interface StepFailure {
  /** The failed step, then the rest of its decision. */
  steps: Step[];
  eventId?: string;
  keyBase: string;
  firstIndex: number;
  reason: string;
}

/** Records a failed step: it and the rest of its decision are pending, with the next run scheduled. */
export function stepsFailed(state: PersonState, failure: StepFailure, nowIso: string): PersonState {
  const previous = state.pendingSteps;
  // Nothing new is decided while steps are pending, so a failure with steps pending is a retry of them.
  const attempt = previous ? previous.attempt + 1 : 1;
  const pending: PendingSteps = {
    steps: failure.steps,
    ...(failure.eventId !== undefined ? { eventId: failure.eventId } : {}),
    keyBase: failure.keyBase,
    firstIndex: failure.firstIndex,
    attempt,
    nextRetryAt: new Date(Date.parse(nowIso) + stepRetryDelayMs(attempt)).toISOString(),
    reason: failure.reason,
    failedAt: nowIso,
  };
  return { ...state, pendingSteps: pending };
}

/** Every step of the decision is done. */
export function stepsDone(state: PersonState): PersonState {
  if (!state.pendingSteps) return state;
  const next = { ...state };
  delete next.pendingSteps;
  return next;
}

/** Suffix of the child instance ids of a run of pending steps: the first run has none, the next `:attempt-2`… */
export function attemptSuffix(pending: PendingSteps | undefined): string {
  return pending ? `:attempt-${pending.attempt + 1}` : '';
}

const HIRE_STEPS: ReadonlySet<Step['run']> = new Set(['joiner', 'rehire']);

/** Cheap check before the schedule is read: could this event overtake the pending steps at all? */
export function mayOvertake(state: PersonState, event: HrEvent): boolean {
  const pending = state.pendingSteps;
  if (!pending || !pending.steps.some((step) => HIRE_STEPS.has(step.run))) return false;
  return event.type === 'rescind' || (event.type === 'terminate' && event.immediate);
}

/**
 * The decision for an event that overtakes pending steps (see the module comment), or null when it must wait in
 * the inbox until they are done.
 */
export function decideOvertaking(
  state: PersonState,
  event: HrEvent,
  schedule: Schedule,
  nowIso: string,
): Decision | null {
  const pending = state.pendingSteps;
  if (!pending || !mayOvertake(state, event)) return null;
  const dropped = stepsDone(state);
  const decision = decide(
    { ...dropped, accountUnresolved: true, notes: [...dropped.notes, droppedNote(pending, event.eventId)] },
    // Stryker disable next-line StringLiteral: equivalent, decide reads any input not a due date or re-evaluation as
    // an event (the kind is for the type checker).
    { kind: 'event', event, schedule },
    nowIso,
  );
  if (decision.state.phase !== 'rescinded' && decision.state.phase !== 'left') return null;
  return { ...decision, outcome: `${decision.outcome}; pending ${runs(pending)} dropped` };
}

function droppedNote(pending: PendingSteps, eventId: string): string {
  return `pending ${runs(pending)} (failed: ${pending.reason}) dropped for ${eventId}`;
}

function runs(pending: PendingSteps): string {
  return pending.steps.map((step) => step.run).join(', ');
}

/** The pending steps as operators see them in the person's custom status. */
export interface PendingStepStatus {
  kind: 'step-failed';
  step: Step['run'];
  remaining: Step['run'][];
  eventId: string | null;
  reason: string;
  attempt: number;
  failedAt: string;
  nextRetryAt: string;
}

export function pendingStepStatus(pending: PendingSteps): PendingStepStatus {
  return {
    kind: 'step-failed',
    step: pending.steps[0]!.run,
    remaining: pending.steps.slice(1).map((step) => step.run),
    eventId: pending.eventId ?? null,
    reason: pending.reason,
    attempt: pending.attempt,
    failedAt: pending.failedAt,
    nextRetryAt: pending.nextRetryAt,
  };
}

/** One line for the person's problems list. */
export function pendingStepProblem(pending: PendingSteps): string {
  const step = pending.steps[0]!.run;
  const times = pending.attempt === 1 ? 'once' : `${pending.attempt} times`;
  return `step ${step} failed ${times} (${pending.reason}); retried at ${pending.nextRetryAt}`;
}
