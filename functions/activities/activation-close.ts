import { z } from 'zod';
import { closeActivation } from '../../shared/activation/flows';
import { chooseLanguage } from '../../shared/activation/language';
import { renderManagerMail } from '../../shared/activation/mail-templates';
import { services } from '../../shared/services';
import { parseInput } from './activity-input';
import { activationDeps } from './activation-deps';
import { registerActivity } from './register';

const Input = z.object({
  activationId: z.uuid(),
  employeeId: z.string().min(1),
  instanceId: z.string().min(1),
  personName: z.string().min(1),
  managerEmployeeId: z.string().optional(),
  expiresAt: z.iso.datetime(),
});

/** Tells the person's manager (when they have a mailbox and the policy asks for it); returns whether it did. */
async function mailManager(kind: 'expired' | 'activated', input: z.infer<typeof Input>): Promise<string | null> {
  const { directory, policy } = services();
  if (!policy.activation.notifyManager || !input.managerEmployeeId) return null;
  const manager = await directory.findUserByEmployeeId(input.managerEmployeeId);
  const address = manager?.mail ?? manager?.userPrincipalName;
  if (!manager || !address) return null;
  const deps = activationDeps();
  const mail = renderManagerMail({
    kind,
    language: chooseLanguage({ country: manager.country }),
    org: deps.org,
    personName: input.personName,
    expiresAt: input.expiresAt,
  });
  await deps.mailer.send({ to: [address], ...mail });
  return input.managerEmployeeId;
}

/**
 * The expiry timer won: the activation is closed (no link or code works any more) and the manager is told, so
 * someone checks the personal address. A verification that won the race just before is reported as such.
 */
export async function expireActivation(input: unknown): Promise<{ status: string }> {
  const request = parseInput(Input, input);
  const deps = activationDeps();
  const before = await closeActivation(deps, request.activationId, 'expired');
  if (before?.status === 'verified') return { status: 'verified' };
  const notified = await mailManager('expired', request);
  await deps.audit({
    actor: 'orchestration',
    action: 'activation.expired',
    employeeId: request.employeeId,
    target: 'entra',
    outcome: 'failure',
    reason: 'not activated before the activation ended: the account stays disabled',
    before: before ? { status: before.status, generation: before.generation } : null,
    after: { status: 'expired', managerNotified: notified },
    correlation: { instanceId: request.instanceId },
  });
  return { status: 'expired' };
}

/** The page verified the person: audit the completed activation and tell the manager. */
export async function completeActivation(input: unknown): Promise<{ status: string }> {
  const request = parseInput(Input, input);
  const deps = activationDeps();
  const record = await deps.store.get(request.activationId);
  if (record?.status !== 'verified') return { status: record?.status ?? 'unknown' };
  const notified = await mailManager('activated', request);
  await deps.audit({
    actor: 'orchestration',
    action: 'activation.completed',
    employeeId: request.employeeId,
    target: 'mail',
    outcome: 'success',
    reason: null,
    before: null,
    after: { activationId: request.activationId, managerNotified: notified },
    correlation: { instanceId: request.instanceId },
  });
  return { status: 'verified' };
}

/** Leaver, rescind or an operator: nothing of the activation works any more. */
export async function cancelActivationRecord(input: unknown): Promise<{ status: string }> {
  const request = parseInput(z.object({ activationId: z.uuid(), reason: z.string() }), input);
  const before = await closeActivation(activationDeps(), request.activationId, 'cancelled');
  return { status: before?.status === 'verified' ? 'verified' : 'cancelled' };
}

registerActivity('expireActivation', expireActivation);
registerActivity('completeActivation', completeActivation);
registerActivity('cancelActivationRecord', cancelActivationRecord);
