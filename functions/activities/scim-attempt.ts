import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import {
  crashedSyncOutcome,
  ScimTargetAttemptsInput,
  scimSyncRequest,
  type ScimTargetAttempt,
} from '../../shared/orchestration/scim-fanout-contract';
import type { ScimSyncOutcome } from '../../shared/ports/scim-sync';
import { parseInput } from './activity-input';
import { scimTargetAdmit, scimTargetReport } from './scim-health';
import { scimSync } from './scim-sync';

/**
 * One attempt of one or more syncs (one per target of a person's change, or one parked sync), in one activity:
 * admission by the target's circuit (lifecycle syncs), the push (scimSync, audited), and the report to the circuit.
 * Before, each was its own activity and each target its own sub-orchestration: three durable hops per target and
 * attempt, which cost far more than the HTTP calls (issue 19, bench scim-fanout). Waiting between attempts stays
 * in the orchestration (a durable timer); nothing here waits but for the target's answers.
 */
async function scimTargetAttempts(raw: unknown, context: InvocationContext): Promise<ScimTargetAttempt[]> {
  const { at, syncs } = parseInput(ScimTargetAttemptsInput, raw);
  return Promise.all(syncs.map((sync) => attemptOne({ ...sync, at }, context)));
}

async function attemptOne(
  input: ScimTargetAttemptsInput['syncs'][number] & { at: string },
  context: InvocationContext,
): Promise<ScimTargetAttempt> {
  let probe = input.probe;
  if (input.mode === 'lifecycle') {
    const admission = await scimTargetAdmit(input, context);
    if (admission.decision === 'parked') return { parked: true, reason: admission.reason };
    probe = admission.probe;
  }
  const outcome = await pushOnce(input);
  const final = outcome.ok || !outcome.retryable || input.lastAttempt;
  const { lastAttempt: _lastAttempt, ...report } = input;
  const reported = await scimTargetReport({ ...report, probe, outcome, final }, context);
  return { parked: false, outcome, final, parkedAfter: reported.parked };
}

/** A throw from scimSync (a bug, a crash) becomes a retryable outcome (crashedSyncOutcome). */
async function pushOnce(input: ScimTargetAttemptsInput['syncs'][number]): Promise<ScimSyncOutcome> {
  try {
    return await scimSync(scimSyncRequest(input));
  } catch (error) {
    return crashedSyncOutcome(input.targetId, error);
  }
}

df.app.activity('scimTargetAttempts', { extraInputs: [df.input.durableClient()], handler: scimTargetAttempts });
