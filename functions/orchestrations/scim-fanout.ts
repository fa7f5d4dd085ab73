import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import type { WorkerRecord } from '../../shared/domain/hr-event';
import type { ScimStepKind, ScimTargetAction } from '../../shared/orchestration/scim-actions';
import type { ScimSyncOutcome } from '../../shared/ports/scim-sync';
import type { ParkedSync } from '../../shared/ports/scim-target-health';
import {
  crashedSyncOutcome,
  retryDelayMs,
  SCIM_BACKLOG_EVENT,
  SCIM_CATCH_UP,
  SCIM_FANOUT,
  SCIM_MAX_ATTEMPTS,
  SCIM_TARGET_SYNC,
  scimSeq,
  scimSyncRequest,
  type ScimFanoutInput,
  type ScimFanoutResult,
  type ScimTargetAttempt,
  type ScimTargetAttemptsInput,
  type ScimTargetSyncInput,
  type ScimTargetSyncResult,
} from '../../shared/orchestration/scim-fanout-contract';

/**
 * SCIM fan-out (issue 19): one person's change pushed to each target in parallel, each through `scimSync` (one
 * person, one target, idempotent: it looks up before it creates). Throttling and outages come back as outcomes;
 * they are waited out with durable timers (never a sleep in an activity) and counted in the target's quarantine
 * circuit. A quarantined target's syncs are parked, not dropped: the target's catch-up orchestration sends them
 * when a probe succeeds. Nothing here fails the person's lifecycle: a refusal or a sync out of attempts is
 * audited and returned as a problem.
 */
function now(context: OrchestrationContext): string {
  return context.df.currentUtcDateTime.toISOString();
}

export function* scimFanout(context: OrchestrationContext): Generator<df.Task, ScimFanoutResult, unknown> {
  const input = context.df.getInput<ScimFanoutInput>();
  const syncs = input.actions.map(
    (target) =>
      ({
        targetId: target.targetId,
        employeeId: input.employeeId,
        userId: input.userId,
        action: target.action,
        ...(input.record ? { record: input.record } : {}),
        correlation: input.correlation,
        seq: input.seq,
        mode: 'lifecycle',
        probe: false,
      }) satisfies ScimTargetSyncInput,
  );
  const results = syncs.length ? yield* syncRounds(context, syncs, SCIM_MAX_ATTEMPTS) : [];
  const problems = results
    .filter((r) => r.result === 'failed' || (r.result === 'parked' && r.attempts > 0))
    .map((r) => `SCIM ${r.targetId}: ${r.action} ${r.result === 'failed' ? 'failed' : 'not sent yet'}: ${r.detail}`);
  return { results, problems };
}

/** One person, one target (a parked sync the catch-up sends, or a single lifecycle sync): see syncRounds. */
export function* scimTargetSync(context: OrchestrationContext): Generator<df.Task, ScimTargetSyncResult, unknown> {
  const input = context.df.getInput<ScimTargetSyncInput>();
  const [result] = yield* syncRounds(context, [input], input.mode === 'backlog' ? 1 : SCIM_MAX_ATTEMPTS);
  return result!;
}

/**
 * Syncs (each one person in one target) admitted by their target's circuit, sent, retried on throttling, reported:
 * each round is one activity (scimTargetAttempts) for every sync that is due; a throttled or failed one waits its
 * Retry-After or backoff on a durable timer and goes in a later round, up to `maxAttempts`. Results in input order.
 */
function* syncRounds(
  context: OrchestrationContext,
  syncs: ScimTargetSyncInput[],
  maxAttempts: number,
): Generator<df.Task, ScimTargetSyncResult[], unknown> {
  const results: (ScimTargetSyncResult | undefined)[] = syncs.map(() => undefined);
  let pending = syncs.map((sync, index) => ({ sync, index, attempt: 1, dueAt: 0 }));
  while (pending.length) {
    const nowMs = context.df.currentUtcDateTime.getTime();
    const earliest = Math.min(...pending.map((p) => p.dueAt));
    if (earliest > nowMs) {
      yield context.df.createTimer(new Date(earliest));
      continue;
    }
    const due = pending.filter((p) => p.dueAt <= nowMs);
    pending = pending.filter((p) => p.dueAt > nowMs);
    const attempts = (yield context.df.callActivity('scimTargetAttempts', {
      at: now(context),
      syncs: due.map((p) => ({ ...p.sync, attempt: p.attempt, lastAttempt: p.attempt >= maxAttempts })),
    } satisfies ScimTargetAttemptsInput)) as ScimTargetAttempt[];
    due.forEach((p, i) => {
      const attempt = attempts[i]!;
      const done = (result: ScimTargetSyncResult['result'], attempts: number, detail: string): ScimTargetSyncResult =>
        (results[p.index] = {
          targetId: p.sync.targetId,
          action: p.sync.action,
          result,
          attempts,
          detail,
          outcome: attempt.parked ? null : attempt.outcome,
        });
      if (attempt.parked) return done('parked', p.attempt - 1, attempt.reason);
      const { outcome } = attempt;
      if (outcome.ok) return done('synced', p.attempt, outcome.result);
      if (!outcome.retryable) return done('failed', p.attempt, `${outcome.status ?? ''} ${outcome.detail}`.trim());
      if (attempt.final) {
        const result = p.sync.mode === 'backlog' ? 'retry' : attempt.parkedAfter ? 'parked' : 'failed';
        done(result, p.attempt, outcome.detail).retryAfterSeconds = outcome.retryAfterSeconds;
        return;
      }
      pending.push({ ...p, attempt: p.attempt + 1, dueAt: nowMs + retryDelayMs(p.attempt, outcome.retryAfterSeconds) });
    });
  }
  return results as ScimTargetSyncResult[];
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
}

/** Parked syncs sent per round once the target is healthy: bounded, so a recovered target is not flooded. */
const CATCH_UP_CONCURRENCY = 10;
/** An idle catch-up looks at the backlog this often even without a wake-up (one lost in continueAsNew). */
const IDLE_MS = 10 * 60_000;
/** After a round with throttled or failed calls, before the next one. */
const ROUND_PAUSE_MS = 30_000;

/**
 * One per target (scim-catchup-{targetId}), eternal: sends the target's parked syncs once its circuit admits calls.
 * Quarantined, it waits for the probe time on a durable timer, sends one parked sync as the probe, then the rest in
 * rounds of CATCH_UP_CONCURRENCY. Each sync leaves the backlog once it reached the target, unless a newer one
 * for the same person replaced it meanwhile (that one is sent next round): each person's latest change arrives once.
 */
export function* scimCatchUp(context: OrchestrationContext): Generator<df.Task, void, unknown> {
  const input = context.df.getInput<ScimCatchUpInput>();
  const next = () =>
    context.df.continueAsNew({ ...input, generation: input.generation + 1 } satisfies ScimCatchUpInput);
  const later = (ms: number) => new Date(context.df.currentUtcDateTime.getTime() + ms);
  const page = (yield context.df.callActivity('scimBacklogPage', {
    targetId: input.targetId,
    limit: CATCH_UP_CONCURRENCY,
  })) as ParkedSync[];
  context.df.setCustomStatus({ targetId: input.targetId, backlogPage: page.length });
  if (!page.length) {
    const wake = context.df.waitForExternalEvent(SCIM_BACKLOG_EVENT);
    const idle = context.df.createTimer(later(IDLE_MS));
    if ((yield context.df.Task.any([wake, idle])) === wake) idle.cancel();
    next();
    return;
  }
  const admission = (yield context.df.callActivity('scimBacklogAdmit', {
    targetId: input.targetId,
    at: now(context),
  })) as { send: true; probe: boolean } | { send: false; retryAt: string };
  if (!admission.send) {
    yield context.df.createTimer(new Date(Math.max(Date.parse(admission.retryAt), later(0).getTime())));
    next();
    return;
  }
  const round = admission.probe ? page.slice(0, 1) : page;
  const results = yield* syncRounds(
    context,
    round.map(
      (parked) =>
        ({
          targetId: parked.targetId,
          employeeId: parked.employeeId,
          userId: parked.userId,
          action: parked.action,
          ...(parked.record ? { record: parked.record } : {}),
          correlation: parked.correlation,
          seq: parked.seq,
          mode: 'backlog',
          probe: admission.probe,
        }) satisfies ScimTargetSyncInput,
    ),
    1,
  );
  const retry = results.filter((r) => r.result === 'retry');
  if (retry.length) {
    const retryAfter = Math.max(0, ...retry.map((r) => (r.retryAfterSeconds ?? 0) * 1000));
    yield context.df.createTimer(later(Math.max(ROUND_PAUSE_MS, retryAfter)));
  }
  next();
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
df.app.orchestration(SCIM_FANOUT, scimFanout);
df.app.orchestration(SCIM_TARGET_SYNC, scimTargetSync);
df.app.orchestration(SCIM_CATCH_UP, scimCatchUp);

/**
 * The person lifecycle's door into the fan-out, after a step's directory work: asks which targets the step touches
 * (none without policy scimTargets: nothing else happens) and pushes to them. Returns what did not arrive, for the
 * person's problems. `stepIndex` orders two fan-outs of one decision (see scimSeq).
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
  const actions = (yield context.df.callActivity('scimFanoutPlan', {
    kind: step.kind,
    record: step.record,
    previous: step.previous ?? null,
  })) as ScimTargetAction[];
  if (!actions.length) return [];
  const result = (yield context.df.callSubOrchestrator(
    SCIM_FANOUT,
    {
      employeeId: step.employeeId,
      userId: step.userId,
      actions,
      record: step.record,
      correlation: { eventId: step.eventId, instanceId: context.df.instanceId },
      seq: scimSeq(context.df.currentUtcDateTime.getTime(), step.stepIndex),
    } satisfies ScimFanoutInput,
    `${context.df.instanceId}:scim:${step.key}`,
  )) as ScimFanoutResult;
  return result.problems;
}
