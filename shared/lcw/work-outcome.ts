import type { OperationStatus } from '../intake/bulk-outcome';

/**
 * Where the work of one Lifecycle Workflows task stands, and how to look again. Work that runs in the person's
 * lifecycle (leaver, refreshAccess) is read from the audit rows carrying its event id, as a bulkUpload status is;
 * self-activation from its own orchestration's status.
 */
export type LcwProbe =
  { kind: 'inbox'; employeeId: string; eventId: string; since: string } | { kind: 'activation'; employeeId: string };

export type LcwWorkState =
  { status: 'done'; summary: string } | { status: 'failed'; reason: string } | { status: 'running'; detail: string };

/** The person's lifecycle handled the event: done unless it failed or skipped it. */
export function inboxWorkState(status: OperationStatus): LcwWorkState {
  switch (status.outcome) {
    case 'pending':
      return { status: 'running', detail: status.reason ?? 'queued' };
    case 'failed':
      return { status: 'failed', reason: status.reason ?? 'the person lifecycle failed' };
    case 'skipped':
      return { status: 'failed', reason: `not applied: ${status.reason ?? 'skipped'}` };
    case 'scheduled':
      return { status: 'failed', reason: `scheduled for later, not done now: ${status.reason ?? ''}`.trim() };
    default:
      return { status: 'done', summary: status.reason ?? status.outcome };
  }
}

/** Runtime statuses of an orchestration that has not ended. */
const RUNNING = new Set(['Running', 'Pending', 'ContinuedAsNew', 'Suspended']);

/**
 * The self-activation orchestration ended activated (done), expired or cancelled (failed), or is still waiting for
 * the person. Its output is { outcome, activationId } (functions/orchestrations/activation.ts).
 */
export function activationWorkState(runtimeStatus: string | null, output: unknown): LcwWorkState {
  if (runtimeStatus === null) return { status: 'running', detail: 'activation not started yet' };
  if (RUNNING.has(runtimeStatus)) return { status: 'running', detail: 'waiting for the person to activate' };
  if (runtimeStatus !== 'Completed')
    return { status: 'failed', reason: `the activation orchestration ended ${runtimeStatus}` };
  const outcome = (output as { outcome?: unknown } | null)?.outcome;
  if (outcome === 'activated') return { status: 'done', summary: 'the person activated their account' };
  return { status: 'failed', reason: `self-activation ${typeof outcome === 'string' ? outcome : 'ended'}` };
}
