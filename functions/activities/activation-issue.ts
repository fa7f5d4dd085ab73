import { z } from 'zod';
import { issueActivation } from '../../shared/activation/flows';
import { ActivationLanguage } from '../../shared/activation/language';
import { services } from '../../shared/services';
import { parseInput } from './activity-input';
import { activationDeps } from './activation-deps';
import { registerActivity } from './register';

const Input = z.object({
  activationId: z.uuid().nullable(),
  employeeId: z.string().min(1),
  instanceId: z.string().min(1),
  userId: z.string().min(1),
  email: z.email(),
  language: ActivationLanguage,
  givenName: z.string().min(1),
  reason: z.enum(['initial', 'reminder', 'resend', 'retarget']),
});

/**
 * Makes, stores (keyed hashes) and mails a new code and link in one step, so neither ever leaves this activity:
 * the orchestration's history gets the activation id, its status and the policy's timings only.
 */
export async function issueActivationCode(input: unknown): Promise<{
  activationId: string;
  status: string;
  reminderHours: number[];
  expiryDays: number;
}> {
  const request = parseInput(Input, input);
  const issued = await issueActivation(activationDeps(), request);
  const { reminderHours, expiryDays } = services().policy.activation;
  return { ...issued, reminderHours, expiryDays };
}

registerActivity('issueActivationCode', issueActivationCode);
