import { z } from 'zod';
import { WorkerRecord } from '../domain/hr-event';
import { ScimSyncOutcome, type ScimSyncRequest } from '../ports/scim-sync';
import { ScimAction, ScimTargetAction } from './scim-actions';

/**
 * Names, inputs and timing rules shared by the SCIM fan-out orchestrations (functions/orchestrations/scim-fanout.ts)
 * and their activities (functions/activities/scim-health.ts). Pure: the retry schedule is tested without a host.
 */
export const SCIM_FANOUT = 'scimFanout';
export const SCIM_TARGET_SYNC = 'scimTargetSync';
export const SCIM_CATCH_UP = 'scimCatchUp';
/** Wakes a target's catch-up orchestration when a sync was parked (a lost wake-up costs its idle timer). */
export const SCIM_BACKLOG_EVENT = 'scim-backlog';

export function catchUpInstanceId(targetId: string): string {
  return `scim-catchup-${targetId}`;
}

const Correlation = z.object({ eventId: z.string().optional(), instanceId: z.string().optional() });

export const ScimFanoutInput = z.object({
  employeeId: z.string().min(1),
  userId: z.string().nullable(),
  actions: z.array(ScimTargetAction),
  record: WorkerRecord.optional(),
  correlation: Correlation.default({}),
  /** Order of this fan-out among the person's (see scimSeq). */
  seq: z.number().int().nonnegative(),
});
export type ScimFanoutInput = z.infer<typeof ScimFanoutInput>;

export const ScimTargetSyncInput = z.object({
  targetId: z.string().min(1),
  employeeId: z.string().min(1),
  userId: z.string().nullable(),
  action: ScimAction,
  record: WorkerRecord.optional(),
  correlation: Correlation.default({}),
  seq: z.number().int().nonnegative(),
  /**
   * lifecycle: from a person's step; parks the sync when the target is quarantined (or the person already has a
   * parked one, which must go first), retries throttling itself. backlog: one attempt for the catch-up, already
   * admitted by it (`probe` when it is the half-open probe).
   */
  mode: z.enum(['lifecycle', 'backlog']),
  probe: z.boolean().default(false),
});
export type ScimTargetSyncInput = z.infer<typeof ScimTargetSyncInput>;

/** One round of attempts (scimTargetAttempts): the syncs that are due, all at the orchestration's instant `at`. */
export const ScimTargetAttemptsInput = z.object({
  at: z.string(),
  syncs: z.array(
    ScimTargetSyncInput.extend({
      attempt: z.number().int().positive(),
      /** No attempt follows this one if it fails (a lifecycle sync is then parked for the catch-up). */
      lastAttempt: z.boolean(),
    }),
  ),
});
export type ScimTargetAttemptsInput = z.infer<typeof ScimTargetAttemptsInput>;

/** What one attempt did: parked before any call (circuit, or an earlier parked sync), or sent with its outcome. */
export type ScimTargetAttempt =
  { parked: true; reason: string } | { parked: false; outcome: ScimSyncOutcome; final: boolean; parkedAfter: boolean };

export type ScimTargetSyncResult = {
  targetId: string;
  action: ScimAction;
  /** synced: the target matches; failed: given up (recorded); parked: sent by the catch-up; retry: backlog only. */
  result: 'synced' | 'failed' | 'parked' | 'retry';
  attempts: number;
  detail: string;
  outcome: ScimSyncOutcome | null;
  retryAfterSeconds?: number | null;
};

export interface ScimFanoutResult {
  results: ScimTargetSyncResult[];
  /** Shown in the person's status (problems): what did not reach a target and will not without help. */
  problems: string[];
}

/** Attempts per sync (the first included): 8, about 26 minutes of waiting with the backoff below. */
export const SCIM_MAX_ATTEMPTS = 8;
const FIRST_BACKOFF_MS = 15_000;
const MAX_BACKOFF_MS = 10 * 60_000;

/**
 * Wait before attempt `attempt + 1`: exponential backoff from 15 s, capped at 10 minutes, never shorter than the
 * target's Retry-After
 * (https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3, sent with 429 or 503).
 */
export function retryDelayMs(attempt: number, retryAfterSeconds: number | null | undefined): number {
  const backoff = Math.min(FIRST_BACKOFF_MS * 2 ** (attempt - 1), MAX_BACKOFF_MS);
  return Math.max(backoff, Math.ceil((retryAfterSeconds ?? 0) * 1000));
}

/**
 * Order of a person's fan-outs: the orchestration's replay-safe clock when it starts one, and the step's index in
 * the decision (a person's orchestration runs one step at a time, so its clock only moves forward between them).
 */
export function scimSeq(atMs: number, stepIndex: number): number {
  return atMs * 100 + Math.min(stepIndex, 99);
}

/** The push a sync input asks scimSync for (the orchestration's provision-on-demand and the attempts activity). */
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
