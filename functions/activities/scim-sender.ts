import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { WorkerRecord } from '../../shared/domain/hr-event';
import { admit, report, type Transition } from '../../shared/domain/scim-circuit';
import { ScimStepKind, scimActionsFor } from '../../shared/orchestration/scim-actions';
import {
  crashedSyncOutcome,
  scimSyncRequest,
  SENDER_LEASE_MS,
  senderRoundSize,
  type ScimSenderRound,
} from '../../shared/orchestration/scim-fanout-contract';
import type { AuditRecord } from '../../shared/ports/audit-log';
import type { ScimSyncOutcome, ScimSyncRequest } from '../../shared/ports/scim-sync';
import type { ParkedSync } from '../../shared/ports/scim-target-health';
import { services } from '../../shared/services';
import { parseInput } from './activity-input';
import {
  alertQuarantine,
  callResultOf,
  circuitSettings,
  refusalReason,
  targetAuditRow,
  wakeCatchUp,
} from './scim-health';
import { scimAuditRow } from './scim-sync';

/**
 * The SCIM fan-out off the person's critical path (issue 19). A person's step queues one sync per target it
 * touches (scimEnqueue: the target's backlog keeps one per person, the latest, so a burst of changes to one person
 * is sent once) and goes on; each target's sender (the eternal scimCatchUp orchestration) sends the backlog in
 * rounds (scimSenderRound), one activity per round of up to senderRoundSize people, with the round's look-ups
 * shared. Before, each person's change was a sub-orchestration with a plan and an attempts activity: most of the
 * fan-out's cost was durable bookkeeping, not HTTP (bench scim-fanout).
 */

const Correlation = z.object({ eventId: z.string().optional(), instanceId: z.string().optional() });

const EnqueueInput = z.object({
  kind: ScimStepKind,
  record: WorkerRecord,
  previous: WorkerRecord.nullable().optional(),
  employeeId: z.string().min(1),
  userId: z.string().nullable(),
  correlation: Correlation.default({}),
  /** Order of the person's syncs (scimSeq): the backlog keeps the highest. */
  seq: z.number().int().nonnegative(),
  /** The person orchestration's clock (the sender's lease is read on the same clock). */
  at: z.string(),
});

/** Queues the step's syncs in each target's backlog and wakes the senders that sleep; returns what was queued. */
async function scimEnqueue(raw: unknown, context: InvocationContext): Promise<string[]> {
  const input = parseInput(EnqueueInput, raw);
  const actions = scimActionsFor(
    { kind: input.kind, record: input.record, previous: input.previous ?? null },
    services().policy,
  );
  await queueScimSyncs(
    df.getClient(context),
    actions.map((a) => ({
      targetId: a.targetId,
      employeeId: input.employeeId,
      seq: input.seq,
      action: a.action,
      userId: input.userId,
      record: input.record,
      correlation: input.correlation,
      parkedAt: input.at,
      reason: 'queued',
    })),
  );
  return actions.map((a) => `${a.targetId}:${a.action}`);
}

type Client = ReturnType<typeof df.getClient>;

/**
 * Parks each sync, then wakes each target's sender that is idle or past its lease (SenderState: read after the
 * park, so a sender that went idle before it is woken, and one that reads the backlog after it sees it).
 */
export async function queueScimSyncs(client: Client, syncs: ParkedSync[]): Promise<void> {
  const health = services().scimTargetHealth;
  for (const sync of syncs) await health.park(sync);
  for (const sync of syncs) {
    const sender = await health.sender(sync.targetId);
    if (sender.idle || sender.until === null || Date.parse(sender.until) < Date.parse(sync.parkedAt))
      await wakeCatchUp(client, sync.targetId);
  }
}

const RoundInput = z.object({
  targetId: z.string().min(1),
  at: z.string(),
  /** Employee id the previous round ended with: the round goes on from there (fair to every parked person). */
  cursor: z.string().nullable().default(null),
  /**
   * At the end of the backlog, go round to its start. False while syncs a 429 held back are behind the cursor and
   * their Retry-After is not over (nextRoundAfter): the round then reports the end instead.
   */
  wrap: z.boolean().default(true),
});

/**
 * One round of a target's sender: the next parked syncs after the cursor, admitted by the target's circuit (a
 * quarantined target gets one probe at its time), sent together (ScimSync.syncMany), each result counted in the
 * circuit (one write for the round), audited (one row per push) and taken out of the backlog when done (sent or
 * refused), unless a newer sync of the person replaced it meanwhile. Throttled and failed ones stay parked for a
 * later round; the orchestration waits their Retry-After on a durable timer.
 */
async function scimSenderRound(raw: unknown, context: InvocationContext): Promise<ScimSenderRound> {
  const { targetId, at, cursor, wrap } = parseInput(RoundInput, raw);
  const { scimTargetHealth: health, policy } = services();
  const target = policy.scimTargets.find((t) => t.id === targetId);
  const limit = senderRoundSize(target?.concurrency);
  const atMs = Date.parse(at);
  let page = await health.parked(targetId, limit, cursor ?? undefined);
  if (!page.length && cursor) {
    if (!wrap) return { kind: 'sent', sent: 0, retry: 0, retryAfterSeconds: 0, cursor, more: false };
    page = await health.parked(targetId, limit);
  }
  if (!page.length) {
    // Idle first, then the last look: a sync queued after this look finds the mark and wakes the sender.
    await health.setSender(targetId, { idle: true, until: null });
    page = await health.parked(targetId, limit);
    if (!page.length) return { kind: 'idle' };
  }
  const admission = await health.updateCircuit(targetId, (circuit) => {
    const next = admit(circuit, atMs, circuitSettings);
    return { circuit: next.circuit, result: next.admission };
  });
  if (!admission.send) {
    const until = new Date(Date.parse(admission.retryAt) + SENDER_LEASE_MS).toISOString();
    await health.setSender(targetId, { idle: false, until });
    return { kind: 'wait', retryAt: admission.retryAt };
  }
  await health.setSender(targetId, { idle: false, until: new Date(atMs + SENDER_LEASE_MS).toISOString() });
  const round = admission.probe ? page.slice(0, 1) : page;
  const outcomes = await pushAll(round.map(scimSyncRequest));
  const transitions: Transition[] = [];
  await health.updateCircuit(targetId, (circuit) => {
    let current = circuit;
    round.forEach((sync, i) => {
      const outcome = outcomes[i]!;
      const next = report(current, atMs, callResultOf(outcome, sync.employeeId, admission.probe), circuitSettings);
      current = next.circuit;
      if (next.transition) transitions.push(next.transition);
    });
    return { circuit: current, result: null };
  });
  const rows: AuditRecord[] = round.flatMap((sync, i) => auditRows(sync, outcomes[i]!));
  if (transitions.includes('recovered'))
    rows.push(targetAuditRow('scim.target.recovered', round[0]!, 'success', 'probe succeeded: syncs flow again', null));
  await services().auditLog.append(rows);
  if (transitions.includes('quarantined')) await alertQuarantine(targetId, round[0]!, context);
  let retry = 0;
  let retryAfterSeconds = 0;
  const answeredBy = Date.now();
  for (const [i, sync] of round.entries()) {
    const outcome = outcomes[i]!;
    if (outcome.ok || !outcome.retryable) await health.unpark(targetId, sync.employeeId, sync.seq);
    else {
      retry++;
      retryAfterSeconds = Math.max(retryAfterSeconds, stillToWaitSeconds(outcome, answeredBy));
    }
  }
  return {
    kind: 'sent',
    sent: round.length - retry,
    retry,
    retryAfterSeconds,
    cursor: round.at(-1)!.employeeId,
    more: page.length >= limit,
  };
}

/**
 * What is left of a Retry-After when the round ends: it counts from the answer (RFC 9110 §10.2.3), and the rest
 * of the round may already have taken most of it.
 */
function stillToWaitSeconds(outcome: Extract<ScimSyncOutcome, { ok: false }>, now: number): number {
  if (outcome.retryAfterSeconds === null) return 0;
  if (!outcome.retryAt) return outcome.retryAfterSeconds;
  return Math.max(0, (Date.parse(outcome.retryAt) - now) / 1000);
}

/** scimSync returns failures; a throw (a bug, a directory outage) is a retryable outcome for the whole round. */
async function pushAll(requests: ScimSyncRequest[]): Promise<ScimSyncOutcome[]> {
  try {
    return await services().scimSync.syncMany(requests);
  } catch (error) {
    return requests.map((r) => crashedSyncOutcome(r.targetId, error));
  }
}

/** The push's row (scim.<result> / scim.failed), and scim.sync.failed when the target refused it for good. */
function auditRows(sync: ParkedSync, outcome: ScimSyncOutcome): AuditRecord[] {
  const rows = [scimAuditRow(scimSyncRequest(sync), outcome)];
  if (!outcome.ok && !outcome.retryable)
    rows.push(
      targetAuditRow('scim.sync.failed', sync, 'failure', refusalReason(outcome), {
        action: sync.action,
        calls: outcome.calls,
      }),
    );
  return rows;
}

df.app.activity('scimEnqueue', { extraInputs: [df.input.durableClient()], handler: scimEnqueue });
df.app.activity('scimSenderRound', { extraInputs: [df.input.durableClient()], handler: scimSenderRound });
