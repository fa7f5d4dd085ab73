import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import type { WorkerRecord } from '../../shared/domain/hr-event';
import { graphRetry, stepRetry } from './retry';

/**
 * The JML sub-orchestrations: thin, deterministic sequences of idempotent activities. Each returns what
 * the person orchestration records (the directory object id, groups removed at leave).
 */
export interface StepInput {
  employeeId: string;
  record: WorkerRecord;
  userId: string | null;
  eventId?: string;
  /**
   * The step's key in its decision (`${eventId}:${index}`), the same on every retry of the step, while each retry
   * runs in a fresh child instance: the accidental-deletion guard counts a decision's removal once by it.
   */
  stepKey?: string;
  restoreGroupIds?: string[];
  /** Day 1 has already come: create (or converge) the account enabled. */
  enable?: boolean;
  /** Mover: keep the old role's groups for the policy's grace period. */
  deferRemovals?: boolean;
  /** Mover: the manager before the change, told too when it changed. */
  previousManagerEmployeeId?: string;
  /** Mover: the worker fields that changed (the policy decides which are worth a mail to the managers). */
  changedFields?: string[];
}

export interface StepResult {
  userId: string | null;
  removedGroupIds?: string[];
  managerPending?: string | null;
  /** Licence assignment errors read back after the access change (empty when none). */
  licenceProblems?: string[];
  /** Old-role groups kept for the mover grace period, and when to remove them. */
  deferredGroupIds?: string[];
  graceDays?: number;
  /** An admin rejected the held disable or delete (deletion guard): nothing was done, SCIM targets included. */
  guardRejected?: boolean;
}

export function* joiner(context: OrchestrationContext): Generator<df.Task, StepResult, never> {
  const input = context.df.getInput<StepInput>();
  const correlation = { eventId: input.eventId, instanceId: context.df.instanceId };
  const account = (yield context.df.callActivityWithRetry('ensureAccount', stepRetry, {
    ...correlation,
    employeeId: input.employeeId,
    record: input.record,
    enable: input.enable ?? false,
  })) as { userId: string; created: boolean; managerUserId?: string | null; reportsWaiting?: boolean };
  // Reports hired before this person (same import) were waiting for this account as their manager.
  if (account.reportsWaiting !== false)
    yield context.df.callActivityWithRetry('tellWaitingReports', graphRetry, {
      ...correlation,
      employeeId: input.employeeId,
      userId: account.userId,
    });
  const access = (yield context.df.callActivityWithRetry('applyAccess', stepRetry, {
    ...correlation,
    employeeId: input.employeeId,
    userId: account.userId,
    record: input.record,
    extraGroupIds: input.restoreGroupIds ?? [],
    created: account.created,
    managerUserId: account.managerUserId,
  })) as AccessChanges & { managerPending: string | null; licenceProblems?: string[] };
  yield* notifyLicenceChanges(
    context,
    { ...correlation, employeeId: input.employeeId, userId: account.userId },
    access,
  );
  // The SCIM fan-out follows in the person orchestration (functions/orchestrations/scim-fanout.ts, fanOutStep).
  return { userId: account.userId, managerPending: access.managerPending, licenceProblems: access.licenceProblems };
}

/** What applyAccess reports of the step's group changes, for the licence mails. */
interface AccessChanges {
  added?: string[];
  removed?: string[];
  notifyLicences?: boolean;
}

/**
 * Mails the step's licence changes, only when there is something to mail (an older applyAccess result without the
 * flag: the activity decides).
 */
function* notifyLicenceChanges(
  context: OrchestrationContext,
  person: { eventId?: string; instanceId: string; employeeId: string; userId: string },
  access: AccessChanges,
): Generator<df.Task, void, unknown> {
  if (access.notifyLicences === false) return;
  yield context.df.callActivityWithRetry('notifyLicenceChanges', graphRetry, {
    ...person,
    added: access.added ?? [],
    removed: access.removed ?? [],
  });
}

export function* mover(context: OrchestrationContext): Generator<df.Task, StepResult, never> {
  const input = context.df.getInput<StepInput>();
  const correlation = { eventId: input.eventId, instanceId: context.df.instanceId };
  if (!input.userId) return { userId: null };
  yield context.df.callActivityWithRetry('updateAccount', stepRetry, {
    ...correlation,
    employeeId: input.employeeId,
    userId: input.userId,
    record: input.record,
  });
  const access = (yield context.df.callActivityWithRetry('applyAccess', stepRetry, {
    ...correlation,
    employeeId: input.employeeId,
    userId: input.userId,
    record: input.record,
    deferRemovals: input.deferRemovals ?? false,
  })) as {
    managerPending: string | null;
    deferred: string[];
    graceDays: number;
    licenceProblems?: string[];
  } & AccessChanges;
  yield* notifyLicenceChanges(context, { ...correlation, employeeId: input.employeeId, userId: input.userId }, access);
  if (input.deferRemovals) {
    yield context.df.callActivityWithRetry('notifyManager', graphRetry, {
      ...correlation,
      employeeId: input.employeeId,
      record: input.record,
      kind: 'mover',
      previousManagerEmployeeId: input.previousManagerEmployeeId,
      changedFields: input.changedFields ?? [],
    });
  }
  return {
    userId: input.userId,
    managerPending: access.managerPending,
    deferredGroupIds: access.deferred,
    graceDays: access.graceDays,
    licenceProblems: access.licenceProblems,
  };
}

/**
 * Accidental-deletion protection for a disable or a delete: past the threshold, the step waits for an admin's
 * decision (raised as 'deletion-approved' by the holds API). True when it may proceed.
 */
function* passesDeletionGuard(
  context: OrchestrationContext,
  employeeId: string,
  action: 'disable' | 'delete',
): Generator<df.Task, boolean, unknown> {
  const input = context.df.getInput<StepInput>();
  const correlation = { eventId: input.eventId, instanceId: context.df.instanceId };
  const guard = (yield context.df.callActivity('checkDeletionGuard', {
    ...correlation,
    employeeId,
    action,
    decisionKey: input.stepKey,
  })) as {
    decision: string;
    holdId?: string;
  };
  if (guard.decision !== 'held') return true;
  context.df.setCustomStatus({ held: guard.holdId });
  const verdict = (yield context.df.waitForExternalEvent('deletion-approved')) as { approved: boolean };
  return verdict.approved;
}

export function* leaver(context: OrchestrationContext): Generator<df.Task, StepResult, never> {
  const input = context.df.getInput<StepInput>();
  const correlation = { eventId: input.eventId, instanceId: context.df.instanceId };
  if (!input.userId) return { userId: null };
  if (!(yield* passesDeletionGuard(context, input.employeeId, 'disable')))
    return { userId: input.userId, removedGroupIds: [], guardRejected: true };
  // employeeLeaveDateTime (and any last change) is written before access goes, for Lifecycle Workflows.
  yield context.df.callActivityWithRetry('updateAccount', stepRetry, {
    ...correlation,
    employeeId: input.employeeId,
    userId: input.userId,
    record: input.record,
    purpose: 'leaver',
  });
  const removed = (yield context.df.callActivityWithRetry('removeAccess', stepRetry, {
    ...correlation,
    employeeId: input.employeeId,
    userId: input.userId,
  })) as { removedGroupIds: string[] };
  yield context.df.callActivityWithRetry('notifyLicenceChanges', graphRetry, {
    ...correlation,
    employeeId: input.employeeId,
    userId: input.userId,
    removed: removed.removedGroupIds,
  });
  yield context.df.callActivityWithRetry('notifyManager', graphRetry, {
    ...correlation,
    employeeId: input.employeeId,
    record: input.record,
    kind: 'leaver',
  });
  return { userId: input.userId, removedGroupIds: removed.removedGroupIds };
}

/** A delete (retention over, or a rescinded pre-hire account) goes through the accidental-deletion guard. */
export function* guardedDelete(context: OrchestrationContext): Generator<df.Task, StepResult, never> {
  const input = context.df.getInput<StepInput>();
  const correlation = { eventId: input.eventId, instanceId: context.df.instanceId };
  if (!input.userId) return { userId: null };
  if (!(yield* passesDeletionGuard(context, input.employeeId, 'delete')))
    return { userId: input.userId, guardRejected: true };
  yield context.df.callActivityWithRetry('deleteAccount', graphRetry, {
    ...correlation,
    employeeId: input.employeeId,
    userId: input.userId,
  });
  return { userId: input.userId };
}

export function* rehire(context: OrchestrationContext): Generator<df.Task, StepResult, never> {
  const input = context.df.getInput<StepInput>();
  const correlation = { eventId: input.eventId, instanceId: context.df.instanceId };
  // Restore the former account (deleted items included) so the joiner converges on it instead of creating one.
  yield context.df.callActivityWithRetry('restoreAccount', graphRetry, {
    ...correlation,
    employeeId: input.employeeId,
  });
  const result = (yield context.df.callSubOrchestrator(
    'joiner',
    input,
    `${context.df.instanceId}:joiner`,
  )) as StepResult;
  return result;
}

df.app.orchestration('joiner', joiner);
df.app.orchestration('mover', mover);
df.app.orchestration('leaver', leaver);
df.app.orchestration('rehire', rehire);
df.app.orchestration('guardedDelete', guardedDelete);
