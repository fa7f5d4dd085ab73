import { z } from 'zod';
import { WorkerRecord } from '../domain/hr-event';
import type { Circuit } from '../domain/scim-circuit';

/**
 * Where each SCIM target's health lives: its quarantine circuit (shared/domain/scim-circuit.ts) and its backlog,
 * the syncs parked while it was quarantined or unreachable. A parked sync is the person's latest desired state
 * in that target (the one with the highest seq): a newer one replaces it, so catching up sends each person once,
 * in order, and loses nothing. SQLite in the data folder locally, Azure Table Storage in Azure.
 */
export const ParkedSync = z.object({
  targetId: z.string().min(1),
  employeeId: z.string().min(1),
  /** Order of the person's syncs (the person orchestration's clock and step index): higher is newer. */
  seq: z.number().int().nonnegative(),
  action: z.enum(['upsert', 'deactivate', 'delete']),
  userId: z.string().nullable(),
  record: WorkerRecord.optional(),
  correlation: z.object({ eventId: z.string().optional(), instanceId: z.string().optional() }).default({}),
  parkedAt: z.string(),
  reason: z.string(),
});
export type ParkedSync = z.infer<typeof ParkedSync>;

export interface ScimTargetHealth {
  /** The target's circuit (a closed one when nothing was stored). */
  circuit(targetId: string): Promise<Circuit>;
  /** Reads, changes and stores the circuit atomically (concurrent reports from many syncs are all counted). */
  updateCircuit<T>(targetId: string, change: (circuit: Circuit) => { circuit: Circuit; result: T }): Promise<T>;
  /**
   * Parks a sync unless one with a higher seq is parked for the person (idempotent). With `onlyIfAbsent` an
   * existing one is kept whatever its seq (an initial sync never replaces a lifecycle change).
   */
  park(sync: ParkedSync, options?: { onlyIfAbsent?: boolean }): Promise<void>;
  parkedFor(targetId: string, employeeId: string): Promise<ParkedSync | null>;
  /**
   * Up to `limit` parked syncs of the target in employee id order, after `after` when given (the target's sender
   * goes round the backlog with it as a cursor, so a steady stream of new people cannot starve the last ones).
   */
  parked(targetId: string, limit: number, after?: string): Promise<ParkedSync[]>;
  countParked(targetId: string): Promise<number>;
  /** Removes the person's parked sync if it is still `seq`; false when a newer one replaced it (or none). */
  unpark(targetId: string, employeeId: string, seq: number): Promise<boolean>;
  /** What the target's sender last said of itself (idle: waiting for a wake-up; see SenderState). */
  sender(targetId: string): Promise<SenderState>;
  setSender(targetId: string, state: SenderState): Promise<void>;
}

/**
 * The target's sender (the eternal scimCatchUp orchestration) marks itself idle before it reads the backlog one
 * last time and waits; a step that queues a sync reads the mark after queueing it and wakes the sender only when
 * idle. Marked before the last read and read after the queueing, no sync is left unseen with the sender asleep;
 * busy, it is not woken at all (no event per person and target). `until`: the busy sender promises its next look
 * by then (durable clock); past it (a lost timer, a failed instance) the sender is woken as if idle.
 */
export const SenderState = z.object({ idle: z.boolean(), until: z.string().nullable() });
export type SenderState = z.infer<typeof SenderState>;
