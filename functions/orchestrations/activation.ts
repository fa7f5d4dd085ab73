import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import type { ActivationLanguage } from '../../shared/activation/language';
import { timeline } from '../../shared/activation/rules';
import { ACTIVATION_ORCHESTRATION, ACTIVATION_SIGNAL, ActivationSignal } from '../../shared/activation/signals';
import { graphRetry } from './retry';

/**
 * One person's email one-time-code self-activation (instance activation-{employeeId}). The first turn issues a
 * code (an activity makes, hashes, stores and mails it: only the activation id comes back, so no code, link or
 * pass is ever in this history or its custom status). Then it waits for a signal raced against the next
 * reminder and the expiry: the page's "verified", a resend (the person or an operator), a new address (mover) or
 * a cancel (leaver, rescind). Each turn ends with continueAsNew so no stale wait survives into the next.
 */
export interface ActivationInput {
  employeeId: string;
  userId: string;
  email: string;
  language: ActivationLanguage;
  givenName: string;
  personName: string;
  managerEmployeeId?: string | undefined;
  startedBy: string;
  eventId?: string | undefined;
  /** Set after the first issue and carried across turns. */
  activationId?: string;
  startedAt?: string;
  expiresAt?: string;
  reminderAts?: string[];
  remindersSent?: number;
}

export interface ActivationResult {
  outcome: 'activated' | 'expired' | 'cancelled';
  activationId: string | null;
}

interface Issued {
  activationId: string;
  status: string;
  reminderHours: number[];
  expiryDays: number;
}

export function* activation(context: OrchestrationContext): Generator<df.Task, ActivationResult | undefined, unknown> {
  let state = context.df.getInput<ActivationInput>();
  const now = () => context.df.currentUtcDateTime;
  const issueCode = (reason: 'initial' | 'reminder' | 'resend' | 'retarget') =>
    context.df.callActivityWithRetry('issueActivationCode', graphRetry, {
      activationId: state.activationId ?? null,
      employeeId: state.employeeId,
      instanceId: context.df.instanceId,
      userId: state.userId,
      email: state.email,
      language: state.language,
      givenName: state.givenName,
      reason,
    });

  if (!state.activationId) {
    const issued = (yield issueCode('initial')) as Issued;
    state = {
      ...state,
      activationId: issued.activationId,
      startedAt: now().toISOString(),
      remindersSent: 0,
      ...timeline(now(), issued),
    };
    if (issued.status !== 'pending') return yield* finish(context, state, issued.status);
  }
  const activationId = state.activationId!;
  const expiresAt = state.expiresAt!;
  const remindersSent = state.remindersSent ?? 0;
  const nextReminder = state.reminderAts?.[remindersSent];
  const deadline = nextReminder && nextReminder < expiresAt ? nextReminder : expiresAt;
  context.df.setCustomStatus({ activationId, status: 'waiting', expiresAt, remindersSent, nextReminder });

  const signal = context.df.waitForExternalEvent(ACTIVATION_SIGNAL);
  const timer = context.df.createTimer(new Date(Math.max(Date.parse(deadline), now().getTime())));
  const winner = yield context.df.Task.any([signal, timer]);

  if (winner === timer && deadline !== expiresAt) {
    const issued = (yield issueCode('reminder')) as Issued;
    if (issued.status !== 'pending') return yield* finish(context, state, issued.status);
    context.df.continueAsNew({ ...state, remindersSent: remindersSent + 1 } satisfies ActivationInput);
    return undefined;
  }
  if (winner === timer) {
    const closed = (yield context.df.callActivityWithRetry(
      'expireActivation',
      graphRetry,
      closeInput(context, state),
    )) as {
      status: string;
    };
    return yield* finish(context, state, closed.status);
  }

  timer.cancel();
  const parsed = ActivationSignal.safeParse(signal.result);
  if (!parsed.success) {
    context.df.continueAsNew(state);
    return undefined;
  }
  const received = parsed.data;
  switch (received.kind) {
    case 'verified':
      return yield* finish(context, state, 'verified');
    case 'cancel': {
      const closed = (yield context.df.callActivity('cancelActivationRecord', {
        activationId,
        reason: received.reason,
      })) as { status: string };
      return yield* finish(context, state, closed.status);
    }
    case 'resend':
    case 'retarget': {
      if (received.kind === 'retarget') state = { ...state, email: received.email, language: received.language };
      const issued = (yield issueCode(received.kind)) as Issued;
      if (issued.status !== 'pending') return yield* finish(context, state, issued.status);
      context.df.continueAsNew(state);
      return undefined;
    }
  }
}

function closeInput(context: OrchestrationContext, state: ActivationInput) {
  return {
    activationId: state.activationId!,
    employeeId: state.employeeId,
    instanceId: context.df.instanceId,
    personName: state.personName,
    managerEmployeeId: state.managerEmployeeId,
    expiresAt: state.expiresAt!,
  };
}

/** The activation ended: verified (audit + manager), expired or cancelled. */
function* finish(
  context: OrchestrationContext,
  state: ActivationInput,
  status: string,
): Generator<df.Task, ActivationResult, unknown> {
  const activationId = state.activationId ?? null;
  if (status === 'verified') {
    yield context.df.callActivityWithRetry('completeActivation', graphRetry, closeInput(context, state));
    context.df.setCustomStatus({ activationId, status: 'activated' });
    return { outcome: 'activated', activationId };
  }
  const outcome = status === 'expired' ? 'expired' : 'cancelled';
  context.df.setCustomStatus({ activationId, status: outcome });
  return { outcome, activationId };
}

df.app.orchestration(ACTIVATION_ORCHESTRATION, activation);
