import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import type { WorkerRecord } from '../../shared/domain/hr-event';
import type { ScimStepKind } from '../../shared/orchestration/scim-actions';
import type { ScimSyncOutcome } from '../../shared/ports/scim-sync';
import {
  crashedSyncOutcome,
  SCIM_BACKLOG_EVENT,
  nextRoundAfter,
  SCIM_CATCH_UP,
  scimSeq,
  scimSyncRequest,
  type ScimSenderRound,
  type ScimTargetSyncInput,
} from '../../shared/orchestration/scim-fanout-contract';

/**
 * SCIM fan-out (issue 19), off the person's critical path: a person's step queues its syncs (fanOutStep, one
 * activity) and goes on; each target's sender (scimCatchUp, one eternal instance per target) sends its backlog in
 * rounds (functions/activities/scim-sender.ts). Throttling and outages are waited out with durable timers (never a
 * sleep in an activity) and counted in the target's quarantine circuit; a quarantined target gets one probe at a
 * time, and its backlog once it answers again. Nothing is dropped: a sync leaves the backlog when it reached the
 * target or the target refused it (audited), and a newer change of the person replaces an older one not yet sent.
 */
function now(context: OrchestrationContext): string {
  return context.df.currentUtcDateTime.toISOString();
}

/** A throw from scimSync (a bug, a crash) becomes a retryable outcome (crashedSyncOutcome). */
function* callScimSync(
  context: OrchestrationContext,
  input: ScimTargetSyncInput,
): Generator<df.Task, ScimSyncOutcome, unknown> {
  try {
    return (yield context.df.callActivity('scimSync', scimSyncRequest(input))) as ScimSyncOutcome;
  } catch (error) {
    return crashedSyncOutcome(input.targetId, error);
  }
}

export interface ScimCatchUpInput {
  targetId: string;
  generation: number;
  /** Where the next round starts in the backlog (the employee id the last round ended with). */
  cursor?: string | null;
  /** Rounds in a row in which nothing got through (the pause grows with them). */
  failedRounds?: number;
  /** A Retry-After not waited out yet (ISO, this orchestration's clock): see nextRoundAfter. */
  holdUntil?: string | null;
}

/** An idle sender looks at the backlog this often even without a wake-up (a safety net: see SenderState). */
const IDLE_MS = 10 * 60_000;

/**
 * A target's sender (scim-catchup-{targetId}), eternal: one round (scimSenderRound) per execution, then
 * continueAsNew, so its history stays small. Idle, it waits for a wake-up (a queued sync) or its idle timer;
 * quarantined, for the probe time; after a round, straight on or after a pause (nextRoundAfter: a Retry-After is
 * waited out before the syncs it held back are sent again; a round that got nothing through backs off).
 */
export function* scimCatchUp(context: OrchestrationContext): Generator<df.Task, void, unknown> {
  const input = context.df.getInput<ScimCatchUpInput>();
  const nowMs = () => context.df.currentUtcDateTime.getTime();
  const round = (yield context.df.callActivity('scimSenderRound', {
    targetId: input.targetId,
    at: now(context),
    cursor: input.cursor ?? null,
    wrap: !input.holdUntil || Date.parse(input.holdUntil) <= nowMs(),
  })) as ScimSenderRound;
  let next: ScimCatchUpInput = { targetId: input.targetId, generation: input.generation + 1 };
  if (round.kind === 'idle') {
    context.df.setCustomStatus({ targetId: input.targetId, sender: 'idle' });
    const wake = context.df.waitForExternalEvent(SCIM_BACKLOG_EVENT);
    const idle = context.df.createTimer(new Date(nowMs() + IDLE_MS));
    if ((yield context.df.Task.any([wake, idle])) === wake) idle.cancel();
  } else if (round.kind === 'wait') {
    context.df.setCustomStatus({ targetId: input.targetId, sender: 'quarantined', retryAt: round.retryAt });
    yield context.df.createTimer(new Date(Math.max(Date.parse(round.retryAt), nowMs())));
  } else {
    const { startAtMs, pace } = nextRoundAfter(
      round,
      {
        cursor: input.cursor ?? null,
        failedRounds: input.failedRounds ?? 0,
        holdUntilMs: input.holdUntil ? Date.parse(input.holdUntil) : null,
      },
      nowMs(),
    );
    next = {
      ...next,
      cursor: pace.cursor,
      failedRounds: pace.failedRounds,
      holdUntil: pace.holdUntilMs === null ? null : new Date(pace.holdUntilMs).toISOString(),
    };
    context.df.setCustomStatus({ targetId: input.targetId, sender: 'sending', sent: round.sent, retry: round.retry });
    if (startAtMs > nowMs()) yield context.df.createTimer(new Date(startAtMs));
  }
  context.df.continueAsNew(next);
}

/** Provision on demand: one person, one target, now, past the circuit (an operator asked); the calls come back. */
export function* scimProvisionOnDemand(context: OrchestrationContext): Generator<df.Task, ScimSyncOutcome, unknown> {
  const input = context.df.getInput<ScimTargetSyncInput>();
  const outcome = yield* callScimSync(context, input);
  yield context.df.callActivity('scimTargetReport', { ...input, at: now(context), outcome, attempt: 1, final: true });
  return outcome;
}

/** Initial sync of a target: every person in scope is queued for the target's catch-up (bounded rounds). */
export function* scimInitialSync(
  context: OrchestrationContext,
): Generator<df.Task, { queued: number; people: number }, unknown> {
  const input = context.df.getInput<{ targetId: string; requestedBy: string }>();
  return (yield context.df.callActivity('scimQueueInitialSync', input)) as { queued: number; people: number };
}

/**
 * Reconcile one target: its users (activity scimListUsers, the SCIM client's listing: GET /Users paged) against
 * our state (scimReconcileTarget audits the drift and parks the repairs when the target's policy asks for them).
 */
export function* scimReconcile(
  context: OrchestrationContext,
): Generator<df.Task, { drift: number; repaired: number } | { skipped: string }, unknown> {
  const { targetId } = context.df.getInput<{ targetId: string }>();
  let users: unknown;
  try {
    users = yield context.df.callActivity('scimListUsers', { targetId });
  } catch (error) {
    // The target did not answer (or its listing is not available): the next run compares again.
    return { skipped: `listing the users of ${targetId} failed: ${(error as Error).message}`.slice(0, 500) };
  }
  return (yield context.df.callActivity('scimReconcileTarget', { targetId, users, at: now(context) })) as {
    drift: number;
    repaired: number;
  };
}

df.app.orchestration('scimReconcile', scimReconcile);
df.app.orchestration('scimProvisionOnDemand', scimProvisionOnDemand);
df.app.orchestration('scimInitialSync', scimInitialSync);
df.app.orchestration(SCIM_CATCH_UP, scimCatchUp);

/**
 * The person lifecycle's door into the fan-out, after a step's directory work: one activity queues the step's
 * syncs for the targets it touches (none without policy scimTargets) and wakes their senders; the person goes on.
 * What a target refuses is audited (scim.sync.failed) and shown per target in the ops API, not in the person's
 * problems: the push happens after the step. `stepIndex` orders two fan-outs of one decision (see scimSeq).
 */
export function* fanOutStep(
  context: OrchestrationContext,
  step: {
    kind: ScimStepKind;
    employeeId: string;
    userId: string | null;
    record: WorkerRecord | null | undefined;
    previous?: WorkerRecord | null;
    eventId?: string;
    key: string;
    stepIndex: number;
  },
): Generator<df.Task, string[], unknown> {
  if (!step.record) return [];
  yield context.df.callActivity('scimEnqueue', {
    kind: step.kind,
    record: step.record,
    previous: step.previous ?? null,
    employeeId: step.employeeId,
    userId: step.userId,
    correlation: { eventId: step.eventId, instanceId: context.df.instanceId },
    seq: scimSeq(context.df.currentUtcDateTime.getTime(), step.stepIndex),
    at: now(context),
  });
  return [];
}
