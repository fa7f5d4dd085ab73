import * as df from 'durable-functions';
import { z } from 'zod';

/**
 * Orchestration runs for operators: list them (what runs, what waits on a timer until when, what failed and why),
 * restart a failed one, terminate one. Built on the durable client the functions get (getStatusBy, getStatus,
 * startNew, terminate), so it works on the local host and in Azure alike.
 */
export type RunsClient = Pick<df.DurableClient, 'getStatus' | 'getStatusBy' | 'startNew' | 'terminate'>;

export const RunStatus = z.enum(['running', 'pending', 'failed', 'completed', 'terminated']);
export type RunStatus = z.infer<typeof RunStatus>;

const RUNTIME_STATUS: Record<RunStatus, df.OrchestrationRuntimeStatus> = {
  running: df.OrchestrationRuntimeStatus.Running,
  pending: df.OrchestrationRuntimeStatus.Pending,
  failed: df.OrchestrationRuntimeStatus.Failed,
  completed: df.OrchestrationRuntimeStatus.Completed,
  terminated: df.OrchestrationRuntimeStatus.Terminated,
};

export interface Run {
  instanceId: string;
  name: string;
  status: string;
  createdTime: string;
  lastUpdatedTime: string;
  customStatus: unknown;
  /** The person the run is about, when its instance id says (person-…, activation-…, on-demand-…). */
  employeeId: string | null;
  /** When the timer it waits on fires (a person's next due date, an activation's next reminder or expiry). */
  waitingUntil: string | null;
  /** Why a failed run failed (the orchestration's error). */
  error: string | null;
  /** What a completed run returned. */
  output: unknown;
}

/** What the orchestrations publish as custom status that names a timer (person.ts, activation.ts). */
const TimerStatus = z
  .object({
    nextDue: z.object({ at: z.string() }).nullish(),
    nextReminder: z.string().nullish(),
    expiresAt: z.string().nullish(),
  })
  .partial();

function toIso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

export function employeeIdOfInstance(instanceId: string): string | null {
  const root = instanceId.split(':')[0]!;
  const match = /^(?:person|activation)-(.+)$/.exec(root) ?? /^on-demand-(.+)-[0-9a-f]{8}$/.exec(root);
  return match?.[1] ?? null;
}

function toRun(status: df.DurableOrchestrationStatus): Run {
  const runtime = String(status.runtimeStatus);
  const live = runtime === 'Running' || runtime === 'Pending';
  const timer = TimerStatus.safeParse(status.customStatus ?? {});
  const waitingUntil = live && timer.success ? (timer.data.nextDue?.at ?? timer.data.nextReminder ?? null) : null;
  return {
    instanceId: status.instanceId,
    name: status.name,
    status: runtime,
    createdTime: toIso(status.createdTime),
    lastUpdatedTime: toIso(status.lastUpdatedTime),
    customStatus: status.customStatus ?? null,
    employeeId: employeeIdOfInstance(status.instanceId),
    waitingUntil: waitingUntil ?? (live && timer.success ? (timer.data.expiresAt ?? null) : null),
    error: runtime === 'Failed' ? String(status.output ?? 'failed').slice(0, 4000) : null,
    output: runtime === 'Completed' ? (status.output ?? null) : null,
  };
}

/** Where a page ended: the next page starts after this run in the list's order (newest update first). */
const Cursor = z.object({ t: z.string(), id: z.string() });

export class InvalidRunsToken extends Error {
  constructor() {
    super('continuationToken is not one this API gave out');
  }
}

const before = (a: Run, b: { t: string; id: string }) =>
  a.lastUpdatedTime < b.t || (a.lastUpdatedTime === b.t && a.instanceId > b.id);

/** One page of runs, most recently updated first. */
export async function listRuns(
  client: RunsClient,
  query: { status?: RunStatus; limit: number; continuationToken?: string },
): Promise<{ runs: Run[]; continuationToken: string | null }> {
  let cursor: z.infer<typeof Cursor> | null = null;
  if (query.continuationToken) {
    try {
      cursor = Cursor.parse(JSON.parse(Buffer.from(query.continuationToken, 'base64url').toString('utf8')));
    } catch {
      throw new InvalidRunsToken();
    }
  }
  const statuses = await client.getStatusBy(query.status ? { runtimeStatus: [RUNTIME_STATUS[query.status]] } : {});
  const runs = statuses
    .map(toRun)
    .sort((a, b) =>
      a.lastUpdatedTime === b.lastUpdatedTime
        ? a.instanceId.localeCompare(b.instanceId)
        : b.lastUpdatedTime.localeCompare(a.lastUpdatedTime),
    )
    .filter((run) => !cursor || before(run, cursor));
  const page = runs.slice(0, query.limit);
  const last = page.at(-1);
  const more = runs.length > query.limit && last;
  return {
    runs: page,
    continuationToken: more
      ? Buffer.from(JSON.stringify({ t: last.lastUpdatedTime, id: last.instanceId })).toString('base64url')
      : null,
  };
}

async function statusOf(client: RunsClient, instanceId: string): Promise<df.DurableOrchestrationStatus | null> {
  // getStatus throws on 404 (durable-functions DurableClient.getStatus).
  return client.getStatus(instanceId, { showInput: true }).catch(() => null);
}

export type RetryOutcome =
  | { kind: 'not-found' }
  | { kind: 'not-retryable'; instanceId: string; status: string; why: string }
  | { kind: 'restarted'; instanceId: string; name: string; previousStatus: string; input: unknown };

/**
 * Starts a failed (or terminated) run again under the same instance id with the input it last started with.
 *
 * Why a restart and not rewind: durable-functions' `rewind` is a preview operation that not every storage provider
 * supports
 * (https://learn.microsoft.com/azure/azure-functions/durable/durable-functions-instance-management, "Rewind")
 * and that the local engine does not have; a person's lifecycle continues as new each turn, so its input is the
 * state of the turn that failed, and starting it again re-runs exactly that turn (its activities are idempotent).
 * This is also what the HR event processor does when an event reaches a stopped lifecycle. Starting an id whose
 * run is over replaces that run (host.json `overridableExistingInstanceStates`, default NonRunningStates:
 * https://learn.microsoft.com/azure/azure-functions/durable/durable-functions-bindings#host-json-settings).
 * A failed sub-orchestration (person-X:joiner:…) is retried through its person run, which failed with it: a
 * sub-orchestration started on its own would have no parent to return to.
 */
export async function retryRun(client: RunsClient, instanceId: string): Promise<RetryOutcome> {
  const root = instanceId.split(':')[0]!;
  const asked = await statusOf(client, instanceId);
  if (!asked) return { kind: 'not-found' };
  const status = root === instanceId ? asked : await statusOf(client, root);
  if (!status) return { kind: 'not-found' };
  const runtime = String(status.runtimeStatus);
  if (runtime !== 'Failed' && runtime !== 'Terminated') {
    const why =
      root === instanceId
        ? `${instanceId} is ${runtime}: only a failed or terminated run starts again`
        : `${instanceId} belongs to ${root}, which is ${runtime}: it retries its own steps`;
    return { kind: 'not-retryable', instanceId: root, status: runtime, why };
  }
  await client.startNew(status.name, { instanceId: root, input: status.input });
  return { kind: 'restarted', instanceId: root, name: status.name, previousStatus: runtime, input: status.input };
}

export type TerminateOutcome =
  { kind: 'not-found' } | { kind: 'not-running'; status: string } | { kind: 'terminated'; previousStatus: string };

export async function terminateRun(client: RunsClient, instanceId: string, reason: string): Promise<TerminateOutcome> {
  const status = await statusOf(client, instanceId);
  if (!status) return { kind: 'not-found' };
  const runtime = String(status.runtimeStatus);
  if (!['Running', 'Pending', 'Suspended'].includes(runtime)) return { kind: 'not-running', status: runtime };
  await client.terminate(instanceId, reason);
  return { kind: 'terminated', previousStatus: runtime };
}
