import { isClosed, type ActivationRecord } from './record';
import type { ActivationLanguage } from './language';

/**
 * The activation's rules as pure functions over the stored record: issuing a code, checking a link, counting an
 * attempt. The callers hash (keyed) and store; nothing here sees a secret in clear.
 */

export interface IssueInput {
  activationId: string;
  employeeId: string;
  instanceId: string;
  userId: string;
  language: ActivationLanguage;
  codeHash: string;
  linkHash: string;
  now: Date;
  codeTtlMinutes: number;
  maxAttempts: number;
  /** End of the whole activation; kept from the first issue when the record exists. */
  expiresAt: Date;
}

/** The generation a new issue will carry (hashes are bound to it, so compute it before hashing). */
export function nextGeneration(existing: ActivationRecord | null): number {
  return (existing?.generation ?? 0) + 1;
}

/**
 * A new code and link (first mail, reminder, resend, new address): the previous ones stop working, the attempt
 * counter starts again and a lock is lifted. A closed activation (verified, expired, cancelled) is not reopened.
 */
export function issue(
  existing: ActivationRecord | null,
  input: IssueInput,
): { record: ActivationRecord } | { refused: ActivationRecord['status'] } {
  if (existing && isClosed(existing.status)) return { refused: existing.status };
  const now = input.now.toISOString();
  return {
    record: {
      activationId: input.activationId,
      employeeId: input.employeeId,
      instanceId: input.instanceId,
      userId: input.userId,
      language: input.language,
      status: 'pending',
      generation: nextGeneration(existing),
      codeHash: input.codeHash,
      linkHash: input.linkHash,
      codeExpiresAt: new Date(input.now.getTime() + input.codeTtlMinutes * 60_000).toISOString(),
      expiresAt: existing?.expiresAt ?? input.expiresAt.toISOString(),
      attempts: 0,
      maxAttempts: input.maxAttempts,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      version: existing?.version ?? 0,
    },
  };
}

/**
 * Whether a presented link opens the activation. Unknown, superseded, used, expired and cancelled links all give
 * the same `false` (no enumeration); `linkMatches` is the caller's constant-time comparison.
 */
export function linkOpens(record: ActivationRecord | null, linkMatches: boolean, now: Date): boolean {
  if (!record || !linkMatches) return false;
  if (isClosed(record.status)) return false;
  return now.getTime() < Date.parse(record.expiresAt);
}

export type AttemptOutcome =
  | { outcome: 'verified'; record: ActivationRecord }
  | { outcome: 'wrong'; record: ActivationRecord; attemptsLeft: number }
  | { outcome: 'locked'; record: ActivationRecord; justLocked: boolean }
  | { outcome: 'code-expired'; record: ActivationRecord };

/**
 * One code attempt on an open link. A locked activation stays locked whatever is typed (until a resend); an
 * expired code is not counted (the person asks for a new one); a right code verifies and consumes the link
 * (its hash is cleared, so the link is single-use); a wrong one counts, and the last allowed one locks.
 */
export function attempt(record: ActivationRecord, codeMatches: boolean, now: Date): AttemptOutcome {
  const updatedAt = now.toISOString();
  if (record.status === 'locked') return { outcome: 'locked', record, justLocked: false };
  if (now.getTime() >= Date.parse(record.codeExpiresAt)) return { outcome: 'code-expired', record };
  if (codeMatches)
    return { outcome: 'verified', record: { ...record, status: 'verified', codeHash: '', linkHash: '', updatedAt } };
  const attempts = record.attempts + 1;
  if (attempts >= record.maxAttempts)
    return {
      outcome: 'locked',
      record: { ...record, attempts, status: 'locked', codeHash: '', updatedAt },
      justLocked: true,
    };
  return { outcome: 'wrong', record: { ...record, attempts, updatedAt }, attemptsLeft: record.maxAttempts - attempts };
}

/** Closing an activation (expiry, leaver, rescind): nothing in it can be used afterwards. */
export function close(record: ActivationRecord, status: 'expired' | 'cancelled', now: Date): ActivationRecord | null {
  if (isClosed(record.status)) return null;
  return { ...record, status, codeHash: '', linkHash: '', updatedAt: now.toISOString() };
}

/** Put back a verified record whose account could not be enabled or given a pass, so the person can try again. */
export function reopen(verified: ActivationRecord, previous: ActivationRecord, now: Date): ActivationRecord {
  return { ...previous, version: verified.version, updatedAt: now.toISOString() };
}

/** When reminders go out and when the activation ends, from its start (orchestration time). */
export function timeline(
  startedAt: Date,
  policy: { reminderHours: number[]; expiryDays: number },
): { reminderAts: string[]; expiresAt: string } {
  const expires = startedAt.getTime() + policy.expiryDays * 86_400_000;
  const reminderAts = [...new Set(policy.reminderHours)]
    .sort((a, b) => a - b)
    .map((h) => startedAt.getTime() + h * 3_600_000)
    .filter((at) => at < expires)
    .map((at) => new Date(at).toISOString());
  return { reminderAts, expiresAt: new Date(expires).toISOString() };
}

/** Temporary Access Pass options: the policy's wishes clamped to the tenant's TAP policy. */
export function tapOptions(
  wanted: { tapLifetimeMinutes: number; tapUsableOnce: boolean },
  tenant: { minimumLifetimeInMinutes: number; maximumLifetimeInMinutes: number; isUsableOnce: boolean },
): { lifetimeInMinutes: number; isUsableOnce: boolean } {
  const lifetimeInMinutes = Math.min(
    Math.max(wanted.tapLifetimeMinutes, tenant.minimumLifetimeInMinutes),
    tenant.maximumLifetimeInMinutes,
  );
  // The tenant's isUsableOnce=true makes every pass one-time; false lets each pass choose.
  return { lifetimeInMinutes, isUsableOnce: wanted.tapUsableOnce || tenant.isUsableOnce };
}
