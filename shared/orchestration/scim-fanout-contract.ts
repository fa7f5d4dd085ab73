import { z } from 'zod';
import { WorkerRecord } from '../domain/hr-event';
import { ScimSyncOutcome, type ScimSyncRequest } from '../ports/scim-sync';
import { ScimAction } from './scim-actions';

/**
 * Names, inputs and timing rules shared by the SCIM fan-out orchestrations (functions/orchestrations/scim-fanout.ts)
 * and their activities (functions/activities/scim-health.ts). Pure: the retry schedule is tested without a host.
 */
/** The eternal per-target sender of parked syncs (one instance per target: catchUpInstanceId). */
export const SCIM_CATCH_UP = 'scimCatchUp';
/** Wakes a target's sender when a sync was queued and the sender was idle (SenderState). */
export const SCIM_BACKLOG_EVENT = 'scim-backlog';

export function catchUpInstanceId(targetId: string): string {
  return `scim-catchup-${targetId}`;
}

const Correlation = z.object({ eventId: z.string().optional(), instanceId: z.string().optional() });

export const ScimTargetSyncInput = z.object({
  targetId: z.string().min(1),
  employeeId: z.string().min(1),
  userId: z.string().nullable(),
  action: ScimAction,
  record: WorkerRecord.optional(),
  correlation: Correlation.default({}),
  seq: z.number().int().nonnegative(),
  /**
   * lifecycle: provision on demand (an operator's push, past the circuit; parked when it fails for good).
   * backlog: a parked sync the target's sender sends (`probe` when it is the half-open probe).
   */
  mode: z.enum(['lifecycle', 'backlog']),
  probe: z.boolean().default(false),
});
export type ScimTargetSyncInput = z.infer<typeof ScimTargetSyncInput>;

/** What one round of a target's sender did (scimSenderRound). */
export type ScimSenderRound =
  | { kind: 'idle' }
  | { kind: 'wait'; retryAt: string }
  | { kind: 'sent'; sent: number; retry: number; retryAfterSeconds: number; cursor: string; more: boolean };

/** The sender promises its next look within this of its last round (SenderState.until). */
export const SENDER_LEASE_MS = 2 * 60_000;

/** People per round: ten per request the target may have in flight (policy concurrency), 10 to 100. */
export function senderRoundSize(concurrency: number | undefined): number {
  return Math.min(100, Math.max(10, (concurrency ?? 4) * 10));
}

const FIRST_PAUSE_MS = 1_000;
const MAX_PAUSE_MS = 5 * 60_000;

/**
 * Pause of a target's sender after a round in which nothing got through and the target gave no Retry-After (a
 * Retry-After is waited as given: nextRoundAfter), `failedRounds` the rounds in a row in which nothing got
 * through: exponential from 1 s, capped at 5 minutes. A target failing for long is quarantined by its circuit
 * (probes at growing intervals) before the cap matters.
 */
export function senderPauseMs(failedRounds: number): number {
  return Math.min(FIRST_PAUSE_MS * 2 ** Math.max(0, failedRounds - 1), MAX_PAUSE_MS);
}

/** Where a target's sender stands between rounds (carried by continueAsNew in ScimCatchUpInput). */
export interface SenderPace {
  /** Where the next round starts in the backlog (the employee id the last round ended with); null: the start. */
  cursor: string | null;
  /** Rounds in a row in which nothing got through (the pause grows with them). */
  failedRounds: number;
  /** The end (ms, the orchestration's clock) of the latest Retry-After a round met and has not waited out yet. */
  holdUntilMs: number | null;
}

/**
 * After a round that sent: when the next round may start (ms, the orchestration's clock; `nowMs` when at once) and
 * from where. A round that got nothing through waits (below). One that got some through goes straight on
 * with the rest of the backlog: its throttled syncs stay parked behind the cursor, and the sender waits what is left
 * of their Retry-After only when the cursor comes back round to them (the round reached the end of the backlog), so
 * no sync is sent again before the target said it may be (RFC 9110 §10.2.3, RFC 6585 §4). Pausing the whole target
 * after every round with one 429 in it held a thousand other people back a second a round (bench scim-fanout).
 */
export function nextRoundAfter(
  round: Extract<ScimSenderRound, { kind: 'sent' }>,
  pace: SenderPace,
  nowMs: number,
): { startAtMs: number; pace: SenderPace } {
  const throttledUntil = round.retry ? nowMs + Math.ceil(round.retryAfterSeconds * 1000) : null;
  const holdUntilMs =
    throttledUntil === null ? pace.holdUntilMs : Math.max(throttledUntil, pace.holdUntilMs ?? throttledUntil);
  if (round.retry && !round.sent) {
    const failedRounds = pace.failedRounds + 1;
    // A target that said when to come back (Retry-After) is taken at its word; one that did not gets a pause that
    // grows with each round in a row that got nothing through. Growing past a Retry-After held a mostly healthy
    // target back for half a minute after a few one-person rounds met a 429 (bench scim-fanout); a target that
    // keeps refusing is quarantined by its circuit.
    const pauseMs =
      round.retryAfterSeconds > 0 ? Math.ceil(round.retryAfterSeconds * 1000) : senderPauseMs(failedRounds);
    const startAtMs = Math.max(nowMs + pauseMs, holdUntilMs ?? 0);
    return { startAtMs, pace: { cursor: round.more ? round.cursor : null, failedRounds, holdUntilMs: null } };
  }
  if (round.more) return { startAtMs: nowMs, pace: { cursor: round.cursor, failedRounds: 0, holdUntilMs } };
  // The end of the backlog after sending some: what comes next is a trickle (one person's step at a time), so the
  // sender looks again after SENDER_LINGER_MS instead of at once (Nagle): a round for each person, then a round
  // that finds nothing and goes idle, then a wake-up for the next person cost three targets about eighteen durable
  // operations per hire during a bulk import (bench scim-fanout). A lone change still goes at once: it wakes an
  // idle sender, and the linger only follows a round that sent.
  const lingerUntil = round.sent > 0 ? nowMs + SENDER_LINGER_MS : nowMs;
  return {
    startAtMs: Math.max(lingerUntil, holdUntilMs ?? nowMs),
    pace: { cursor: null, failedRounds: 0, holdUntilMs: null },
  };
}

/** How long a sender that reached the end of its backlog after sending waits before it looks again. */
export const SENDER_LINGER_MS = 1_000;

/**
 * Order of a person's fan-outs: the orchestration's replay-safe clock when it starts one, and the step's index in
 * the decision (a person's orchestration runs one step at a time, so its clock only moves forward between them).
 */
export function scimSeq(atMs: number, stepIndex: number): number {
  return atMs * 100 + Math.min(stepIndex, 99);
}

/** The push a sync input asks scimSync for (provision on demand). */
export function scimSyncRequest(
  input: Pick<ScimTargetSyncInput, 'targetId' | 'employeeId' | 'userId' | 'action' | 'record' | 'correlation'>,
): ScimSyncRequest {
  return {
    targetId: input.targetId,
    employeeId: input.employeeId,
    userId: input.userId,
    action: input.action,
    ...(input.record ? { record: input.record } : {}),
    correlation: input.correlation,
  };
}

/** scimSync returns failures; a throw (a bug, a crash) is turned into a retryable outcome all the same. */
export function crashedSyncOutcome(targetId: string, error: unknown): ScimSyncOutcome {
  return {
    ok: false,
    targetId,
    retryable: true,
    status: null,
    retryAfterSeconds: null,
    detail: `scimSync failed: ${(error as Error).message}`.slice(0, 500),
    calls: [],
  };
}
