import { registerActivity } from './register';
import { z } from 'zod';
import { Correlation, parseInput } from './activity-input';
import { audit } from './audit';

/**
 * The audit side of a lifecycle step that failed after its durable retries (kept pending and retried later), or
 * of pending steps dropped because a rescind or an immediate terminate superseded the hire
 * (shared/orchestration/pending-steps.ts). Operators find the failure here with its reason and the next retry.
 */
const StepProblem = Correlation.extend({
  employeeId: z.string(),
  kind: z.enum(['step-failed', 'steps-dropped']),
  step: z.string(),
  remaining: z.array(z.string()),
  reason: z.string().max(2000),
  attempt: z.number().int().min(1),
  nextRetryAt: z.string().nullable(),
});

export async function recordStepProblem(input: unknown): Promise<void> {
  const { employeeId, kind, step, remaining, reason, attempt, nextRetryAt, eventId, instanceId } = parseInput(
    StepProblem,
    input,
  );
  await audit({
    action: kind === 'step-failed' ? 'step.failed' : 'step.dropped',
    employeeId,
    outcome: kind === 'step-failed' ? 'failure' : 'skipped',
    reason,
    before: null,
    after: { step, remaining, attempt, nextRetryAt },
    correlation: { eventId, instanceId },
  });
}

registerActivity('recordStepProblem', recordStepProblem);
