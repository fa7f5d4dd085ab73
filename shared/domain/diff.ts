import type { DirectoryUser, UserAttributes } from '../ports/directory';

/*
 * Differences between what the directory (or the previous HR record) says and what the policy wants.
 * Only changed keys are patched: fewer writes against Graph's write budget, and an audit trail that
 * shows real changes only.
 */

type Scalar = string | null;

/** null, undefined, '' and blank strings all mean "no value". */
function normaliseScalar(value: unknown): Scalar {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  return text === '' ? null : text;
}

/** Date-times compare as instants: 2026-12-01T00:00:00Z equals 2026-12-01T00:00:00.000Z. */
const DATE_TIME_KEYS = new Set(['employeeHireDate', 'employeeLeaveDateTime']);

function sameScalar(key: string, a: unknown, b: unknown): boolean {
  const left = normaliseScalar(a);
  const right = normaliseScalar(b);
  if (left === null || right === null) return left === right;
  if (DATE_TIME_KEYS.has(key)) {
    const l = Date.parse(left);
    const r = Date.parse(right);
    if (!Number.isNaN(l) && !Number.isNaN(r)) return l === r;
  }
  // Country and usage location codes are case-insensitive; everything else is compared exactly.
  if (key === 'country' || key === 'usageLocation') return left.toUpperCase() === right.toUpperCase();
  return left === right;
}

function sameList(a: unknown, b: unknown): boolean {
  const set = (v: unknown): string[] =>
    [...new Set((Array.isArray(v) ? v : []).map((x) => String(x).trim().toLowerCase()).filter((x) => x !== ''))].sort();
  return JSON.stringify(set(a)) === JSON.stringify(set(b));
}

/**
 * The attributes of `desired` whose value differs from `current`. Keys absent from `desired` are not
 * touched. Extension attributes are compared one by one; only the changed ones are returned
 * (a DirectoryUser carries none, so every non-empty desired one counts as a change).
 */
export function diffAttributes(current: DirectoryUser | UserAttributes, desired: UserAttributes): UserAttributes {
  const changes: Record<string, unknown> = {};
  const currentRecord = current as Record<string, unknown>;
  for (const [key, value] of Object.entries(desired)) {
    if (value === undefined) continue;
    if (key === 'extensionAttributes') {
      const currentExtensions = (currentRecord.extensionAttributes ?? {}) as Record<string, string | null>;
      const changed = Object.entries(value as Record<string, string | null>).filter(
        ([name, wanted]) => !sameScalar(name, currentExtensions[name], wanted),
      );
      if (changed.length > 0)
        changes.extensionAttributes = Object.fromEntries(
          changed.map(([name, wanted]) => [name, normaliseScalar(wanted)]),
        );
      continue;
    }
    if (key === 'otherMails' || key === 'businessPhones') {
      if (!sameList(currentRecord[key], value)) changes[key] = value;
      continue;
    }
    if (key === 'employeeOrgData') {
      // One object on the user: written whole when either of its fields differs.
      const now = (currentRecord.employeeOrgData ?? {}) as Record<string, unknown>;
      const wanted = value as Record<string, unknown>;
      if (
        !sameScalar('division', now.division, wanted.division) ||
        !sameScalar('costCenter', now.costCenter, wanted.costCenter)
      )
        changes.employeeOrgData = {
          division: normaliseScalar(wanted.division),
          costCenter: normaliseScalar(wanted.costCenter),
        };
      continue;
    }
    if (!sameScalar(key, currentRecord[key], value))
      changes[key] = key === 'displayName' ? value : normaliseScalar(value);
  }
  return changes;
}

/** Names of the attributes that differ (for plan reasons and audit). */
export function changedAttributeNames(changes: UserAttributes): string[] {
  return Object.entries(changes).flatMap(([key, value]) =>
    key === 'extensionAttributes' && value ? Object.keys(value as object) : [key],
  );
}

export interface GroupDelta {
  add: string[];
  remove: string[];
}

/**
 * Group membership changes: add every desired group the person is not in; remove only groups the
 * policy manages (`managedGroupIds`, see managedGroupIds(policy)) that are no longer desired, so
 * memberships granted by hand or by other tools are never touched. Ids compare case-insensitively.
 */
export function diffGroups(
  currentGroupIds: readonly string[],
  desiredGroupIds: readonly string[],
  managedGroupIds: readonly string[],
): GroupDelta {
  const lower = (ids: readonly string[]): Set<string> => new Set(ids.map((id) => id.toLowerCase()));
  const current = lower(currentGroupIds);
  const desired = lower(desiredGroupIds);
  const managed = lower(managedGroupIds);
  const unique = (ids: readonly string[]): string[] => {
    const seen = new Set<string>();
    return ids.filter((id) => !seen.has(id.toLowerCase()) && seen.add(id.toLowerCase()));
  };
  return {
    add: unique(desiredGroupIds).filter((id) => !current.has(id.toLowerCase())),
    remove: unique(currentGroupIds).filter((id) => managed.has(id.toLowerCase()) && !desired.has(id.toLowerCase())),
  };
}
