import { z } from 'zod';
import { ActivationLanguage } from './language';

/** The one external event the activation orchestration waits for, and what it may carry (never a secret). */
export const ACTIVATION_SIGNAL = 'activation-signal';
export const ACTIVATION_ORCHESTRATION = 'activation';

export const ActivationSignal = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('verified') }),
  /** A new code and link: by the person (expired code) or an operator (lockout, lost mail). */
  z.object({ kind: z.literal('resend'), by: z.string().min(1) }),
  /** A mover changed the personal address (or language): mail a new code there. */
  z.object({ kind: z.literal('retarget'), email: z.email(), language: ActivationLanguage }),
  z.object({ kind: z.literal('cancel'), reason: z.string().min(1) }),
]);
export type ActivationSignal = z.infer<typeof ActivationSignal>;

export function activationInstanceId(employeeId: string): string {
  return `activation-${employeeId}`;
}
