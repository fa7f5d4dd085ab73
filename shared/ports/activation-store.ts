import type { ActivationRecord } from '../activation/record';

/**
 * Activation store port: one record per activation (keyed hashes only, see shared/activation/record.ts), with
 * optimistic concurrency so two requests racing on the same code cannot both win. SQLite locally, Azure Table
 * Storage in Azure (shared/adapters/activation).
 */
export interface ActivationStore {
  get(activationId: string): Promise<ActivationRecord | null>;
  /** The person's most recent activation (leaver, rescind and the ops API find it by employee). */
  latestForEmployee(employeeId: string): Promise<ActivationRecord | null>;
  /**
   * Writes `record` if the stored version is still `record.version` (0: must not exist yet). Returns the record
   * as stored (version bumped), or null when someone else wrote first.
   */
  save(record: ActivationRecord): Promise<ActivationRecord | null>;
}

/** Per-IP and per-person request budgets of the activation page. */
export interface ActivationRateLimits {
  /** Takes one request from `key`'s budget in `scope`; `allowed: false` once it is spent. */
  consume(scope: 'ip' | 'person' | 'resend', key: string): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
}
