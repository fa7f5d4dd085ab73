import type { AuditRecord } from '../../shared/ports/audit-log';
import type { Effect, EffectKind } from './effect-log';

/**
 * "The audit trail holds one row per effective change": the effective Graph writes the emulator applied
 * (effect-log.ts) against the changes the audit rows claim, person by person, as multisets of (kind, target).
 * A change no row claims is a missing row; a claim no change stands behind is a doubled (or phantom) row.
 *
 * Which audit rows claim which changes (success rows; a failure row's claims are allowed, not required; skipped,
 * planned and held rows claim none). A row claims the changes its own before/after say were made:
 *   joiner.createUser          create
 *   joiner.converge            update when `after` holds attributes; enable when after.accountEnabled is true
 *   mover.updateUser,
 *   leaver.updateUser          update
 *   enableUser / disableUser   enable / disable
 *   access.apply               group-add per after.add, group-remove per after.remove, manager-set when
 *                              after.manager is set and differs from before.manager
 *   leaver.removeAccess        group-remove per after.removed; disable when the account was still enabled (the row
 *                              always states accountEnabled true → false: that claim is allowed, not required)
 *   deleteUser                 delete (the memberships and manager link a deletion ends are part of it)
 *   rehire.restoreUser         restore
 * Every other action (notifications, licence checks, step.failed, recordOutcome, ...) claims no directory change.
 */
type AuditRow = Pick<AuditRecord, 'action' | 'employeeId' | 'outcome' | 'before' | 'after'>;

interface Claim {
  key: string;
  /** An optional claim may stand for a change but is not counted when none happened. */
  optional?: boolean;
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const key = (kind: EffectKind, target?: string | null) => (target ? `${kind} ${target}` : kind);

/**
 * The changes one audit row claims. A failure row (access.apply or leaver.removeAccess with some writes refused)
 * lists what the step set out to do and names the refused writes in its reason: its claims are allowed, not
 * required, since some of them were made and some not (the step's retry then writes the row that counts).
 */
export function claimsOf(row: AuditRow): Claim[] {
  if (row.outcome === 'failure') return claimsOf({ ...row, outcome: 'success' }).map((c) => ({ ...c, optional: true }));
  if (row.outcome !== 'success') return [];
  const before = obj(row.before);
  const after = obj(row.after);
  switch (row.action) {
    case 'joiner.createUser':
      return [{ key: 'create' }];
    case 'joiner.converge': {
      const { accountEnabled, ...attributes } = after;
      return [
        ...(Object.keys(attributes).length ? [{ key: 'update' }] : []),
        ...(accountEnabled === true ? [{ key: 'enable' }] : []),
      ];
    }
    case 'mover.updateUser':
    case 'leaver.updateUser':
      return [{ key: 'update' }];
    case 'enableUser':
      return [{ key: 'enable' }];
    case 'disableUser':
      return [{ key: 'disable' }];
    case 'access.apply':
      return [
        ...ids(after.add).map((g) => ({ key: key('group-add', g) })),
        ...ids(after.remove).map((g) => ({ key: key('group-remove', g) })),
        ...(typeof after.manager === 'string' && after.manager !== before.manager
          ? [{ key: key('manager-set', after.manager) }]
          : []),
      ];
    case 'leaver.removeAccess':
      return [...ids(after.removed).map((g) => ({ key: key('group-remove', g) })), { key: 'disable', optional: true }];
    case 'deleteUser':
      return [{ key: 'delete' }];
    case 'rehire.restoreUser':
      return [{ key: 'restore' }];
    default:
      return [];
  }
}

/** The effective changes as the audit counts them: what a deletion ends is part of the deletion. */
function countedEffects(effects: readonly Effect[]): Effect[] {
  return effects.filter(
    (e) =>
      !((e.kind === 'group-remove' || e.kind === 'manager-remove') && /^DELETE \/users\/[^/]+$/.test(e.request ?? '')),
  );
}

/** One line per mismatch: `employeeId: kind target: N change(s), M row(s) (requests ...)`. */
export function auditMismatches(
  effects: readonly Effect[],
  rows: readonly AuditRow[],
  isTrialPerson: (employeeId: string) => boolean,
): string[] {
  const tally = new Map<string, { changes: number; required: number; optional: number; requests: string[] }>();
  const at = (employeeId: string, k: string) => {
    const id = `${employeeId}\u0000${k}`;
    let entry = tally.get(id);
    if (!entry) tally.set(id, (entry = { changes: 0, required: 0, optional: 0, requests: [] }));
    return entry;
  };
  for (const effect of countedEffects(effects)) {
    if (!effect.employeeId || !isTrialPerson(effect.employeeId)) continue;
    const entry = at(effect.employeeId, key(effect.kind, effect.target));
    entry.changes++;
    if (effect.request) entry.requests.push(`${effect.request}${effect.requestId ? ` ${effect.requestId}` : ''}`);
  }
  for (const row of rows) {
    if (!row.employeeId || !isTrialPerson(row.employeeId)) continue;
    for (const claim of claimsOf(row)) {
      const entry = at(row.employeeId, claim.key);
      if (claim.optional) entry.optional++;
      else entry.required++;
    }
  }
  const out: string[] = [];
  for (const [id, { changes, required, optional, requests }] of tally) {
    const [employeeId, k] = id.split('\u0000') as [string, string];
    const missing = changes - required - optional;
    const extra = required - changes;
    const detail = `${changes} change(s), ${required} row(s)${requests.length ? ` (${requests.join(', ')})` : ''}`;
    for (let i = 0; i < missing; i++) out.push(`${employeeId}: ${k} without its audit row: ${detail}`);
    for (let i = 0; i < extra; i++) out.push(`${employeeId}: ${k} audited twice or never made: ${detail}`);
  }
  return out.sort();
}
