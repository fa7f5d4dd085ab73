import { z } from 'zod';
import { GraphRequestError } from '../../shared/adapters/graph/errors';
import { services } from '../../shared/services';
import { Correlation, parseInput } from './activity-input';
import { audit } from './audit';
import { registerActivity } from './register';

/**
 * Tells Lifecycle Workflows the task ended: POST https://graph.microsoft.com/beta{callbackUriPath} with
 * {data: {operationStatus}, source, type} → 204
 * (https://learn.microsoft.com/graph/api/identitygovernance-taskprocessingresult-resume). The body has no field for
 * a reason, so the reason is in the audit row (action lcw.resume). Throttling (429), server errors (5xx) and network
 * failures are thrown so the durable retry policy tries again; any other refusal will not change on retry and is
 * audited and answered as is.
 */
const ResumeInput = Correlation.extend({
  callbackUriPath: z.string(),
  taskProcessingResultId: z.string(),
  employeeId: z.string().nullable(),
  operationStatus: z.enum(['Completed', 'Failed']),
  reason: z.string(),
});

export const RESUME_SOURCE = 'entra-jml';

function retryable(error: unknown): boolean {
  return !(error instanceof GraphRequestError) || error.status === 429 || error.status >= 500;
}

async function resumeLifecycleTask(raw: unknown): Promise<{ resumed: boolean; reason: string }> {
  const input = parseInput(ResumeInput, raw);
  const correlation = { eventId: input.taskProcessingResultId, instanceId: input.instanceId };
  const row = {
    action: 'lcw.resume',
    employeeId: input.employeeId,
    before: null,
    after: { operationStatus: input.operationStatus, callbackUriPath: input.callbackUriPath },
    correlation,
  };
  try {
    await services().directory.resumeLifecycleTask(input.callbackUriPath, input.operationStatus, RESUME_SOURCE);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await audit({ ...row, outcome: 'failure', reason: `resume refused: ${message} (task: ${input.reason})` });
    if (retryable(error)) throw error;
    return { resumed: false, reason: message };
  }
  await audit({ ...row, outcome: 'success', reason: input.reason });
  return { resumed: true, reason: input.reason };
}

registerActivity('resumeLifecycleTask', resumeLifecycleTask);
