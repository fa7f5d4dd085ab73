import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { WorkerRecord } from '../../shared/domain/hr-event';
import { CircuitSettings, report, type CallResult, type Transition } from '../../shared/domain/scim-circuit';
import { scimActionsFor } from '../../shared/orchestration/scim-actions';
import {
  catchUpInstanceId,
  SCIM_BACKLOG_EVENT,
  SCIM_CATCH_UP,
  ScimTargetSyncInput,
} from '../../shared/orchestration/scim-fanout-contract';
import { scimDrift, TargetUser } from '../../shared/orchestration/scim-drift';
import { ScimSyncOutcome } from '../../shared/ports/scim-sync';
import type { AuditRecord } from '../../shared/ports/audit-log';
import type { ParkedSync } from '../../shared/ports/scim-target-health';
import { PERSON_ORCHESTRATION } from '../../shared/domain/person-contract';
import { services } from '../../shared/services';
import { parseInput } from './activity-input';

/**
 * The SCIM fan-out's activities around `scimSync` (which another module owns): which targets a step touches, may a
 * call go to a target now (its quarantine circuit), what the call's result does to the circuit, and the backlog of
 * syncs parked while a target was quarantined. Instants come from the orchestration (`at`), so the circuit follows
 * the durable clock the orchestration's timers follow.
 */
export const circuitSettings = CircuitSettings.parse({});
const RUNNING = new Set(['Running', 'Pending', 'ContinuedAsNew', 'Suspended']);

const ReportInput = ScimTargetSyncInput.extend({
  at: z.string(),
  outcome: ScimSyncOutcome,
  attempt: z.number().int().positive(),
  /** No attempt follows this one (success, refusal, or the last allowed). */
  final: z.boolean(),
});

/**
 * Counts a call's result in the target's circuit; audits a quarantine (the alert: audit row and a structured
 * warning), a recovery and a sync given up. A backlog sync that is done (success or refusal) leaves the backlog,
 * unless a newer one for the person replaced it meanwhile; a lifecycle sync out of attempts is parked instead.
 */
export async function scimTargetReport(
  raw: unknown,
  context: InvocationContext,
): Promise<{ transition: Transition; parked: boolean }> {
  const input = parseInput(ReportInput, raw);
  const { outcome } = input;
  const health = services().scimTargetHealth;
  const transition = await health.updateCircuit(input.targetId, (circuit) => {
    const next = report(
      circuit,
      Date.parse(input.at),
      callResultOf(outcome, input.employeeId, input.probe),
      circuitSettings,
    );
    return { circuit: next.circuit, result: next.transition };
  });
  if (transition === 'quarantined') await alertQuarantine(input.targetId, input, context);
  if (transition === 'recovered')
    await audit('scim.target.recovered', input, 'success', 'probe succeeded: syncs flow again', null);
  let parked = false;
  if (!outcome.ok && input.final) {
    const exhausted = outcome.retryable;
    const reason = exhausted
      ? `${input.attempt} attempt(s) failed (last: ${outcome.status ?? 'no answer'} ${outcome.detail})`
      : refusalReason(outcome);
    await audit('scim.sync.failed', input, 'failure', reason, { action: input.action, calls: outcome.calls });
    if (exhausted && input.mode === 'lifecycle') {
      // Not lost: the target's catch-up sends it once the target answers again.
      await health.park(parkedOf(input, reason));
      await wakeCatchUp(df.getClient(context), input.targetId);
      parked = true;
    }
  }
  if (input.mode === 'backlog' && (outcome.ok || !outcome.retryable))
    await health.unpark(input.targetId, input.employeeId, input.seq);
  return { transition, parked };
}

export async function alertQuarantine(targetId: string, input: AuditedSync, context: InvocationContext): Promise<void> {
  const circuit = await services().scimTargetHealth.circuit(targetId);
  const reason =
    `more than ${circuitSettings.failureRate * 100}% of the calls of the last ` +
    `${circuitSettings.windowMs / 60_000} minutes ` +
    `failed: calls wait (parked) until a probe at ${circuit.probeAt} succeeds`;
  await audit('scim.target.quarantined', input, 'failure', reason, { lastErrors: circuit.lastErrors });
  context.warn(
    JSON.stringify({
      alert: 'scim.target.quarantined',
      targetId,
      probeAt: circuit.probeAt,
      lastErrors: circuit.lastErrors,
    }),
  );
}

function parkedOf(input: z.infer<typeof ScimTargetSyncInput> & { at: string }, reason: string): ParkedSync {
  return {
    targetId: input.targetId,
    employeeId: input.employeeId,
    seq: input.seq,
    action: input.action,
    userId: input.userId,
    ...(input.record ? { record: input.record } : {}),
    correlation: input.correlation,
    parkedAt: input.at,
    reason,
  };
}

type Client = ReturnType<typeof df.getClient>;

/** Starts the target's catch-up orchestration, or wakes the running one. */
export async function wakeCatchUp(client: Client, targetId: string): Promise<void> {
  const instanceId = catchUpInstanceId(targetId);
  const status = await client.getStatus(instanceId, { showInput: false }).then(
    (found) => String(found.runtimeStatus),
    () => null,
  );
  if (status && RUNNING.has(status)) {
    await client.raiseEvent(instanceId, SCIM_BACKLOG_EVENT, { targetId });
    return;
  }
  try {
    await client.startNew(SCIM_CATCH_UP, { instanceId, input: { targetId, generation: 0 } });
  } catch (error) {
    // Started by another sync in between: it reads the backlog before it waits, so nothing is missed.
    if (!/already exists|409/.test(String((error as Error).message))) throw error;
  }
}

async function audit(
  action: string,
  input: AuditedSync,
  outcome: AuditRecord['outcome'],
  reason: string,
  after: unknown,
): Promise<void> {
  await services().auditLog.append([targetAuditRow(action, input, outcome, reason, after)]);
}

type AuditedSync = { targetId: string; employeeId: string; correlation: { eventId?: string; instanceId?: string } };

/** An audit row about one person's sync in one target (also written a round at a time by scim-sender.ts). */
export function targetAuditRow(
  action: string,
  input: AuditedSync,
  outcome: AuditRecord['outcome'],
  reason: string,
  after: unknown,
): AuditRecord {
  return {
    at: new Date().toISOString(),
    actor: 'orchestration',
    action,
    employeeId: input.employeeId,
    target: input.targetId,
    outcome,
    reason,
    before: null,
    after,
    correlation: input.correlation,
  };
}

/** What one call's outcome counts as in the target's circuit. */
export function callResultOf(outcome: ScimSyncOutcome, employeeId: string, probe: boolean): CallResult {
  return outcome.ok
    ? { ok: true, probe }
    : { ok: false, status: outcome.status, detail: outcome.detail, employeeId, probe };
}

/** The reason a refused sync (a 4xx other than 429) is given up with. */
export function refusalReason(outcome: Extract<ScimSyncOutcome, { ok: false }>): string {
  return `refused by the target (${outcome.status ?? 'no status'}): ${outcome.detail}`;
}

const InitialSyncInput = z.object({ targetId: z.string().min(1), requestedBy: z.string().default('admin') });
/** Phases with an account the target should hold (person-state.ts). */
const WITH_ACCOUNT = new Set(['pre-hire', 'active', 'on-leave', 'leaving']);

/**
 * Initial sync of a target (a new one, or after a restart): every person with a running lifecycle, an account and
 * the target in scope gets an upsert in the target's backlog, and the target's catch-up sends them in bounded
 * rounds. Seq 0: a lifecycle change of the person, parked or sent later, always comes after it.
 */
async function scimQueueInitialSync(
  raw: unknown,
  context: InvocationContext,
): Promise<{ queued: number; people: number }> {
  const { targetId, requestedBy } = parseInput(InitialSyncInput, raw);
  const { policy, scimTargetHealth } = services();
  const client = df.getClient(context);
  const persons = await lifecycles(client);
  let queued = 0;
  const at = new Date().toISOString();
  for (const person of persons) {
    if (!person.userId || !WITH_ACCOUNT.has(person.phase)) continue;
    const record = person.appliedRecord ?? person.record;
    if (!record) continue;
    const inScope = scimActionsFor({ kind: 'refreshAccess', record }, policy).some((a) => a.targetId === targetId);
    if (!inScope) continue;
    await scimTargetHealth.park(
      {
        targetId,
        employeeId: person.employeeId,
        seq: 0,
        action: 'upsert',
        userId: person.userId,
        record,
        correlation: { instanceId: context.invocationId },
        parkedAt: at,
        reason: `initial sync requested by ${requestedBy}`,
      },
      { onlyIfAbsent: true },
    );
    queued++;
  }
  if (queued) await wakeCatchUp(client, targetId);
  return { queued, people: persons.length };
}

/** The part of a person orchestration's input the initial sync reads (shared/orchestration/person-state.ts). */
const PersonSnapshot = z.object({
  employeeId: z.string(),
  userId: z.string().nullable(),
  phase: z.string(),
  record: WorkerRecord.nullable(),
  appliedRecord: WorkerRecord.nullable(),
});

/** Every person with a lifecycle: their state as the person orchestration last continued with it. */
async function lifecycles(client: Client): Promise<z.infer<typeof PersonSnapshot>[]> {
  const persons = (
    await client.getStatusBy({
      runtimeStatus: [df.OrchestrationRuntimeStatus.Running, df.OrchestrationRuntimeStatus.Pending],
    })
  ).filter((s) => s.name === PERSON_ORCHESTRATION && !s.instanceId.includes(':'));
  const out: z.infer<typeof PersonSnapshot>[] = [];
  for (const person of persons) {
    const status = await client.getStatus(person.instanceId, { showInput: true });
    const state = PersonSnapshot.safeParse((status.input as { state?: unknown } | null)?.state);
    if (state.success) out.push(state.data);
  }
  return out;
}

const ReconcileInput = z.object({ targetId: z.string().min(1), users: z.array(TargetUser), at: z.string() });

/**
 * Compares the target's users with our state: a person with an account in scope should be active there, one out
 * of scope or gone should not. Each drift is an audit row (scim.drift); with `reconcile: repair` on the target in
 * the policy, the repairing sync is parked for the target's catch-up (seq 0: any lifecycle change comes after it).
 */
async function scimReconcileTarget(
  raw: unknown,
  context: InvocationContext,
): Promise<{ drift: number; repaired: number }> {
  const { targetId, users, at } = parseInput(ReconcileInput, raw);
  const { policy, scimTargetHealth, auditLog } = services();
  const target = policy.scimTargets.find((t) => t.id === targetId) as
    ((typeof policy.scimTargets)[number] & { reconcile?: 'report' | 'repair' }) | undefined;
  if (!target) return { drift: 0, repaired: 0 };
  const client = df.getClient(context);
  const people = await lifecycles(client);
  const expected = people.map((p) => {
    const record = p.appliedRecord ?? p.record;
    const inScope =
      !!record && scimActionsFor({ kind: 'refreshAccess', record }, policy).some((a) => a.targetId === targetId);
    return { employeeId: p.employeeId, active: inScope && !!p.userId && WITH_ACCOUNT.has(p.phase), person: p, record };
  });
  const drift = scimDrift(expected, users);
  const repair = target.reconcile === 'repair';
  let repaired = 0;
  for (const d of drift) {
    const person = expected.find((e) => e.employeeId === d.employeeId);
    const fix = repair && d.repair && person ? d.repair : null;
    if (fix && person) {
      await scimTargetHealth.park(
        {
          targetId,
          employeeId: person.employeeId,
          seq: 0,
          action: fix,
          userId: person.person.userId,
          ...(person.record ? { record: person.record } : {}),
          correlation: { instanceId: context.invocationId },
          parkedAt: at,
          reason: `reconcile: ${d.kind}`,
        },
        { onlyIfAbsent: true },
      );
      repaired++;
    }
  }
  await auditLog.append(
    drift.map((d) => ({
      at: new Date().toISOString(),
      actor: 'scim-reconcile',
      action: 'scim.drift',
      employeeId: d.employeeId,
      target: targetId,
      outcome: repair && d.repair ? ('planned' as const) : ('skipped' as const),
      reason: `${d.kind}${d.userName ? ` (${d.userName})` : ''}`,
      before: null,
      after: { repair: repair ? d.repair : null },
      correlation: { instanceId: context.invocationId },
    })),
  );
  if (repaired) await wakeCatchUp(client, targetId);
  return { drift: drift.length, repaired };
}

for (const [name, handler] of [
  ['scimTargetReport', scimTargetReport],
  ['scimQueueInitialSync', scimQueueInitialSync],
  ['scimReconcileTarget', scimReconcileTarget],
] as const) {
  df.app.activity(name, { extraInputs: [df.input.durableClient()], handler });
}
