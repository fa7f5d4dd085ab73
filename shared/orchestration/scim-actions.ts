import { z } from 'zod';
import type { WorkerRecord } from '../domain/hr-event';
import type { Policy } from '../domain/policy';
import { scimTargetsInScope } from '../domain/rules';

/**
 * Which SCIM targets a lifecycle step touches, and how: the runtime side of what shared/domain/plan.ts lists as
 * SCIM operations (same scope rule, scimTargetsInScope). Pure, so the person orchestration gets the answer from
 * one activity (the policy is a file: orchestrators must not read it) and tests check it without a host.
 *
 * - joiner, rehire, refreshAccess: every target in scope gets an upsert (create, adopt or update).
 * - mover: in scope after the move → upsert; in scope before but not after → the target's leave action.
 * - leaver: targets in scope → deactivate (the plan's disableUser); retention delete and rescind → delete.
 *
 * A policy change that takes a person out of a target's scope without an HR change is found by the reconcile
 * timer (drift), not here: a re-evaluation only knows the record, not the scope it had under the old policy.
 */
export const ScimAction = z.enum(['upsert', 'deactivate', 'delete']);
export type ScimAction = z.infer<typeof ScimAction>;

export const ScimTargetAction = z.object({ targetId: z.string().min(1), action: ScimAction });
export type ScimTargetAction = z.infer<typeof ScimTargetAction>;

export const ScimStepKind = z.enum(['joiner', 'rehire', 'mover', 'refreshAccess', 'leaver', 'delete', 'rescind']);
export type ScimStepKind = z.infer<typeof ScimStepKind>;

export interface ScimStep {
  kind: ScimStepKind;
  record: WorkerRecord;
  /** The record before a mover (the scope the person was in). */
  previous?: WorkerRecord | null;
}

/** What leaving a target's scope does there: Entra's default is to disable; a target may ask for a delete. */
type LeaveAction = Exclude<ScimAction, 'upsert'>;
type TargetLike = Policy['scimTargets'][number] & { onLeave?: LeaveAction };

/** The policy schema defaults onLeave to 'deactivate' (Entra's default), so every parsed target has one. */
function leaveActionOf(target: TargetLike): LeaveAction {
  return target.onLeave;
}

export function scimActionsFor(step: ScimStep, policy: Policy): ScimTargetAction[] {
  const inScope = scimTargetsInScope(step.record, policy) as TargetLike[];
  const all = (action: ScimAction) => inScope.map((target) => ({ targetId: target.id, action }));
  switch (step.kind) {
    case 'joiner':
    case 'rehire':
    case 'refreshAccess':
      return all('upsert');
    case 'leaver':
      return all('deactivate');
    case 'delete':
    case 'rescind':
      return all('delete');
    case 'mover': {
      const now = new Set(inScope.map((target) => target.id));
      const before = step.previous ? (scimTargetsInScope(step.previous, policy) as TargetLike[]) : [];
      const left = before
        .filter((target) => !now.has(target.id))
        .map((target) => ({ targetId: target.id, action: leaveActionOf(target) }));
      return [...all('upsert'), ...left];
    }
  }
}
