import { z } from 'zod';
import { WorkerRecord } from '../domain/hr-event';

/**
 * The contract between the SCIM fan-out orchestration and the `scimSync` activity (issue 19): bring one
 * person in one SCIM target to what the policy says, idempotently. The activity reads the person's account
 * (userPrincipalName, mail, enabled, groups) from the directory itself, maps it with the target's mapping,
 * looks the user up in the target (userName / externalId), then creates, adopts, patches, deactivates or
 * deletes. Throttling and outages are returned, not thrown, so the orchestration can wait out `Retry-After`
 * with a durable timer (an activity never sleeps) and count failures for the target's quarantine circuit.
 */
export const ScimSyncRequest = z
  .object({
    targetId: z.string().min(1),
    employeeId: z.string().min(1),
    /** Directory object id of the person's account; null when there is none (nothing to push but a delete). */
    userId: z.string().nullable(),
    /**
     * upsert: create or update to match the mapping (deactivated when the account is out of the target's scope
     * or disabled and the target does not provision disabled accounts); deactivate: `active: false`;
     * delete: remove the resource (leave = delete, or retention passed).
     */
    action: z.enum(['upsert', 'deactivate', 'delete']),
    record: WorkerRecord.optional(),
    correlation: z.object({ eventId: z.string().optional(), instanceId: z.string().optional() }).default({}),
  })
  .strict();
export type ScimSyncRequest = z.infer<typeof ScimSyncRequest>;

/** One HTTP call made to the target, as audited. */
export const ScimCall = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  path: z.string(),
  status: z.number().int(),
  requestId: z.string().nullable().default(null),
});
export type ScimCall = z.infer<typeof ScimCall>;

export const ScimSyncOutcome = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    targetId: z.string(),
    /** What changed in the target; `unchanged` and `absent` (nothing to deactivate or delete) change nothing. */
    result: z.enum(['created', 'adopted', 'updated', 'unchanged', 'deactivated', 'deleted', 'absent', 'out-of-scope']),
    scimId: z.string().nullable(),
    calls: z.array(ScimCall),
  }),
  z.object({
    ok: z.literal(false),
    targetId: z.string(),
    /** 429, 5xx, timeouts and connection failures are retryable; 4xx other than 429 are not (a mapping bug). */
    retryable: z.boolean(),
    status: z.number().int().nullable(),
    /** Seconds the target asked us to wait (Retry-After), null when it did not say. */
    retryAfterSeconds: z.number().nonnegative().nullable(),
    /** The instant (ISO) the Retry-After ends: it counts from the answer, not from when the outcome is read. */
    retryAt: z.string().nullable().optional(),
    detail: z.string(),
    calls: z.array(ScimCall),
  }),
]);
export type ScimSyncOutcome = z.infer<typeof ScimSyncOutcome>;

/** Port implemented by shared/scim (the SCIM client + mapping); the activity is a thin wrapper over it. */
/** One user as a target holds it, for the reconcile (booleans sent as strings by quirky targets are read). */
export interface ScimListedUser {
  externalId: string | null;
  userName: string;
  active: boolean;
}

export interface ScimSync {
  sync(request: ScimSyncRequest): Promise<ScimSyncOutcome>;
  /**
   * Several at once (a round of a target's sender): the same outcome for each as `sync` would give, in order,
   * with the look-ups of one target shared (one request for ten people) instead of one each.
   */
  syncMany(requests: ScimSyncRequest[]): Promise<ScimSyncOutcome[]>;
  /** Every user of one target (GET /Users, paged); throws when the target does not answer. */
  listUsers(targetId: string): Promise<ScimListedUser[]>;
}
