import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { WorkerRecord } from '../../shared/domain/hr-event';
import { closeActivation } from '../../shared/activation/flows';
import { chooseLanguage } from '../../shared/activation/language';
import {
  ACTIVATION_ORCHESTRATION,
  ACTIVATION_SIGNAL,
  activationInstanceId,
  type ActivationSignal,
} from '../../shared/activation/signals';
import { services } from '../../shared/services';
import type { ActivationInput } from '../orchestrations/activation';
import { activationStore } from './activation-deps';
import { Correlation, parseInput } from './activity-input';
import { withGraphRequestTrail } from '../../shared/adapters/graph/request-trail';

/**
 * The person lifecycle's doors into self-activation: start it on day 1 (or enable the account as before when the
 * policy has it off or HR gave no personal address), cancel it for a leaver or rescind, follow a new personal
 * address. The activation runs as its own orchestration (activation-{employeeId}) so the person's lifecycle keeps
 * handling HR events while it waits for days.
 */
type Client = ReturnType<typeof df.getClient>;

const RUNNING = new Set(['Running', 'Pending', 'ContinuedAsNew', 'Suspended']);

async function runtimeStatus(client: Client, instanceId: string): Promise<string | null> {
  try {
    return String((await client.getStatus(instanceId, { showInput: false })).runtimeStatus);
  } catch {
    return null;
  }
}

/** Raises a signal to the person's activation if one is running; false when there is none. */
export async function signalActivation(client: Client, employeeId: string, signal: ActivationSignal): Promise<boolean> {
  const instanceId = activationInstanceId(employeeId);
  const status = await runtimeStatus(client, instanceId);
  if (!status || !RUNNING.has(status)) return false;
  await client.raiseEvent(instanceId, ACTIVATION_SIGNAL, signal);
  return true;
}

export function activationInputFor(
  record: WorkerRecord,
  userId: string,
  startedBy: string,
  eventId?: string,
): ActivationInput {
  const given = record.preferredGivenName ?? record.legalGivenName;
  return {
    employeeId: record.employeeId,
    userId,
    email: record.personalEmail!,
    language: chooseLanguage(record),
    givenName: given,
    personName: `${given} ${record.preferredFamilyName ?? record.legalFamilyName}`,
    managerEmployeeId: record.managerEmployeeId,
    startedBy,
    eventId,
  };
}

/** Starts the activation, or sends a new code when one is already running. */
export async function startOrResend(
  client: Client,
  input: ActivationInput,
): Promise<{ instanceId: string; action: 'started' | 'resent' }> {
  const instanceId = activationInstanceId(input.employeeId);
  // A running activation gets a new code, at the address given now (which may be a corrected one).
  if (
    await signalActivation(client, input.employeeId, { kind: 'retarget', email: input.email, language: input.language })
  )
    return { instanceId, action: 'resent' };
  await client.startNew(ACTIVATION_ORCHESTRATION, { instanceId, input });
  return { instanceId, action: 'started' };
}

const StartInput = Correlation.extend({ employeeId: z.string(), userId: z.string(), record: WorkerRecord });

async function startActivation(raw: unknown, context: InvocationContext): Promise<{ started: boolean }> {
  const { employeeId, userId, record, eventId, instanceId } = parseInput(StartInput, raw);
  const { policy, directory, auditLog } = services();
  const at = () => new Date().toISOString();
  if (!policy.activation.enabled || !record.personalEmail) {
    // Policy changed since day 1 was planned, or no personal address: day 1 enables the account as before.
    await directory.setAccountEnabled(userId, true);
    await auditLog.append([
      {
        at: at(),
        actor: 'orchestration',
        action: 'enableUser',
        employeeId,
        target: 'entra',
        outcome: 'success',
        reason: policy.activation.enabled ? 'day 1 (no personal email: no self-activation)' : 'day 1',
        before: { accountEnabled: false },
        after: { accountEnabled: true },
        correlation: { eventId, instanceId },
      },
    ]);
    return { started: false };
  }
  const client = df.getClient(context);
  // A running activation (the activity retried after it started) is left alone: no second mail.
  const status = await runtimeStatus(client, activationInstanceId(employeeId));
  if (status && RUNNING.has(status)) return { started: false };
  await client.startNew(ACTIVATION_ORCHESTRATION, {
    instanceId: activationInstanceId(employeeId),
    input: activationInputFor(record, userId, 'day 1', eventId),
  });
  await auditLog.append([
    {
      at: at(),
      actor: 'orchestration',
      action: 'activation.started',
      employeeId,
      target: 'entra',
      outcome: 'success',
      reason: 'day 1: the account stays disabled until the person activates it',
      before: null,
      after: { activationInstanceId: activationInstanceId(employeeId) },
      correlation: { eventId, instanceId },
    },
  ]);
  return { started: true };
}

const CancelInput = Correlation.extend({ employeeId: z.string(), reason: z.string() });

async function cancelActivation(raw: unknown, context: InvocationContext): Promise<{ cancelled: boolean }> {
  const { employeeId, reason } = parseInput(CancelInput, raw);
  // Close the record first: from this instant the page refuses the link, whatever the orchestration is doing.
  const store = activationStore();
  const latest = await store.latestForEmployee(employeeId);
  if (latest && (latest.status === 'pending' || latest.status === 'locked'))
    await closeActivation({ store, now: () => new Date() }, latest.activationId, 'cancelled');
  const signalled = await signalActivation(df.getClient(context), employeeId, { kind: 'cancel', reason });
  return { cancelled: signalled };
}

const RetargetInput = Correlation.extend({ record: WorkerRecord });

async function retargetActivation(raw: unknown, context: InvocationContext): Promise<{ retargeted: boolean }> {
  const { record } = parseInput(RetargetInput, raw);
  if (!record.personalEmail) return { retargeted: false };
  const retargeted = await signalActivation(df.getClient(context), record.employeeId, {
    kind: 'retarget',
    email: record.personalEmail,
    language: chooseLanguage(record),
  });
  return { retargeted };
}

function registerWithClient(name: string, handler: (input: unknown, context: InvocationContext) => Promise<unknown>) {
  df.app.activity(name, {
    extraInputs: [df.input.durableClient()],
    handler: (input: unknown, context: InvocationContext) => withGraphRequestTrail(async () => handler(input, context)),
  });
}

registerWithClient('startActivation', startActivation);
registerWithClient('cancelActivation', cancelActivation);
registerWithClient('retargetActivation', retargetActivation);
