import { z } from 'zod';
import { ActivationLanguage } from './language';

/**
 * One person's activation as stored: keyed hashes only (never the code, the link secret or a TAP), the current
 * issue (`generation`: every mail makes a new code and link and invalidates the previous ones), the wrong
 * attempts against the current code, and where the activation stands.
 */
export const ActivationStatus = z.enum(['pending', 'locked', 'verified', 'expired', 'cancelled']);
export type ActivationStatus = z.infer<typeof ActivationStatus>;

export const ActivationRecord = z.object({
  activationId: z.uuid(),
  employeeId: z.string().min(1),
  /** The activation orchestration's instance id (signals go there). */
  instanceId: z.string().min(1),
  userId: z.string().min(1),
  language: ActivationLanguage,
  status: ActivationStatus,
  generation: z.number().int().min(1),
  /** HMAC of the current code / link secret; '' once consumed (verified) or closed. */
  codeHash: z.string(),
  linkHash: z.string(),
  codeExpiresAt: z.iso.datetime(),
  /** The activation as a whole ends then (the orchestration's expiry timer closes it too). */
  expiresAt: z.iso.datetime(),
  attempts: z.number().int().min(0),
  maxAttempts: z.number().int().min(1),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Optimistic concurrency: bumped by the store on every write; a write with a stale version is refused. */
  version: z.number().int().min(0),
});
export type ActivationRecord = z.infer<typeof ActivationRecord>;

/** States from which nothing can be done any more with a link. */
export function isClosed(status: ActivationStatus): boolean {
  return status === 'verified' || status === 'expired' || status === 'cancelled';
}
