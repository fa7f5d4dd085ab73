import { z } from 'zod';

/**
 * Reconcile (issue 19): what a SCIM target holds against what our state says it should, person by person. Pure.
 * `expected` is every person with a lifecycle whose account should be in the target (active or not); the target's
 * users are matched on externalId (our employee id, as Entra matches them by default).
 */
export const TargetUser = z.object({
  externalId: z.string().nullable(),
  userName: z.string(),
  active: z.boolean(),
});
export type TargetUser = z.infer<typeof TargetUser>;

export interface ExpectedUser {
  employeeId: string;
  /** In scope with an account: active in the target; out of scope or left: inactive or absent. */
  active: boolean;
}

type DriftKind = 'missing' | 'inactive' | 'active-out-of-scope' | 'unknown';

export interface Drift {
  employeeId: string | null;
  userName: string | null;
  kind: DriftKind;
  /** The sync that repairs it, when one does (unknown users are left to an administrator). */
  repair: 'upsert' | 'deactivate' | null;
}

export function scimDrift(expected: ExpectedUser[], actual: TargetUser[]): Drift[] {
  // Stryker disable next-line MethodExpression: equivalent, users without an externalId are never looked up (an
  // employee id is never null or empty).
  const byExternalId = new Map(actual.filter((u) => u.externalId).map((u) => [u.externalId!, u]));
  const known = new Set(expected.map((e) => e.employeeId));
  const drift: Drift[] = [];
  for (const person of expected) {
    const user = byExternalId.get(person.employeeId);
    if (person.active && !user)
      drift.push({ employeeId: person.employeeId, userName: null, kind: 'missing', repair: 'upsert' });
    else if (person.active && user && !user.active)
      drift.push({ employeeId: person.employeeId, userName: user.userName, kind: 'inactive', repair: 'upsert' });
    else if (!person.active && user?.active)
      drift.push({
        employeeId: person.employeeId,
        userName: user.userName,
        kind: 'active-out-of-scope',
        repair: 'deactivate',
      });
  }
  for (const user of actual)
    if (user.active && (!user.externalId || !known.has(user.externalId)))
      drift.push({ employeeId: user.externalId, userName: user.userName, kind: 'unknown', repair: null });
  return drift;
}
