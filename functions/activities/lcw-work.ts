import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { ACTIVATION_ORCHESTRATION, activationInstanceId } from '../../shared/activation/signals';
import { withGraphRequestTrail } from '../../shared/adapters/graph/request-trail';
import { WorkerRecord, type HrEventInput } from '../../shared/domain/hr-event';
import { personInstanceId, type ReevaluateRequest } from '../../shared/domain/person-contract';
import { enqueueEvents, validateEvents } from '../../shared/intake/accept-events';
import { operationStatus } from '../../shared/intake/bulk-outcome';
import { durationMs, workBudgetMs } from '../../shared/lcw/callback-timeout';
import { callbackTimeoutOf, matchLcwTask, type LcwTaskRule } from '../../shared/lcw/task-mapping';
import { activationWorkState, inboxWorkState, type LcwProbe, type LcwWorkState } from '../../shared/lcw/work-outcome';
import { services } from '../../shared/services';
import { activationInputFor } from './activation-start';
import { Correlation, parseInput } from './activity-input';
import { audit } from './audit';

/**
 * The work a Lifecycle Workflows task maps to (policy lifecycleWorkflows.tasks), started once per task result:
 * groups are added here and now; a leaver or a policy refresh goes through the person's inbox like any HR event
 * (so their lifecycle stays the one place that decides); self-activation runs as its own orchestration. Each
 * answer says how to look again (lcwWorkStatus) until the work ends.
 */
type Client = ReturnType<typeof df.getClient>;

const StartInput = Correlation.extend({
  subjectId: z.string(),
  taskId: z.string(),
  taskDisplayName: z.string().nullable(),
  taskProcessingResultId: z.string(),
  workflowDisplayName: z.string().nullable(),
});
type StartInput = z.infer<typeof StartInput>;

export interface LcwStarted {
  /** How long the work may take before it is resumed Failed (the callback timeout minus a margin). */
  budgetMs: number;
  employeeId: string | null;
  state: LcwWorkState;
  probe?: LcwProbe;
}

async function runtime(client: Client, instanceId: string): Promise<{ status: string; output: unknown } | null> {
  try {
    const status = await client.getStatus(instanceId, { showInput: false });
    return { status: String(status.runtimeStatus), output: status.output };
  } catch {
    return null;
  }
}

/** The person's last HR record and account, as their lifecycle holds them (null without a lifecycle). */
async function lifecycleOf(
  client: Client,
  employeeId: string,
): Promise<{ record: WorkerRecord; userId: string } | null> {
  const status = await client.getStatus(personInstanceId(employeeId), { showInput: true }).catch(() => null);
  const state = (status?.input as { state?: { record?: unknown; userId?: string | null } } | undefined)?.state;
  const record = WorkerRecord.safeParse(state?.record);
  return record.success && state?.userId ? { record: record.data, userId: state.userId } : null;
}

async function lcwStartWork(raw: unknown, context: InvocationContext): Promise<LcwStarted> {
  const input = parseInput(StartInput, raw);
  const { policy, directory } = services();
  const budgetMs = workBudgetMs(durationMs(callbackTimeoutOf(policy))!);
  const correlation = { eventId: input.taskProcessingResultId, instanceId: input.instanceId };
  const decided = async (employeeId: string | null, state: LcwWorkState, probe?: LcwProbe): Promise<LcwStarted> => {
    await audit({
      action: 'lcw.work',
      employeeId,
      outcome: state.status === 'failed' ? 'failure' : 'success',
      reason: state.status === 'failed' ? state.reason : state.status === 'done' ? state.summary : state.detail,
      before: null,
      after: { task: input.taskDisplayName ?? input.taskId, workflow: input.workflowDisplayName, probe: probe ?? null },
      correlation,
    });
    return { budgetMs, employeeId, state, ...(probe ? { probe } : {}) };
  };

  const match = matchLcwTask(policy, input);
  if ('problem' in match) return decided(null, { status: 'failed', reason: match.problem });
  const user = await directory.getUser(input.subjectId);
  if (!user) return decided(null, { status: 'failed', reason: `no user ${input.subjectId} in the directory` });
  if (!user.employeeId)
    return decided(null, {
      status: 'failed',
      reason: `user ${user.userPrincipalName} has no employeeId: entra-jml knows people by employee id`,
    });
  const employeeId = user.employeeId;
  const client = df.getClient(context);
  const work = await startWork(match.rule, { input, employeeId, userId: user.id, client });
  return decided(employeeId, work.state, work.probe);
}

interface WorkContext {
  input: StartInput;
  employeeId: string;
  userId: string;
  client: Client;
}

async function startWork(rule: LcwTaskRule, work: WorkContext): Promise<{ state: LcwWorkState; probe?: LcwProbe }> {
  switch (rule.run) {
    case 'accessPackage':
      return { state: await addAccessPackage(rule.accessPackage!, work) };
    case 'leaver':
    case 'refreshAccess':
      return throughInbox(rule.run, work);
    case 'activation':
      return startActivationFor(work);
  }
}

async function addAccessPackage(
  accessPackage: NonNullable<LcwTaskRule['accessPackage']>,
  { userId, employeeId, input }: WorkContext,
): Promise<LcwWorkState> {
  const { directory } = services();
  const result = await directory.applyRelations(userId, { addGroupIds: accessPackage.groups.map((g) => g.id) });
  const failed = new Set(result.failures.map((f) => f.target.toLowerCase()));
  const added = accessPackage.groups.filter((g) => !failed.has(g.id.toLowerCase()));
  await audit({
    action: 'lcw.accessPackage',
    employeeId,
    outcome: result.failures.length ? 'failure' : 'success',
    reason: result.failures.length
      ? result.failures.map((f) => `${f.target}: ${f.code} ${f.message}`).join('; ')
      : null,
    before: null,
    // SCIM targets are noted for the SCIM fan-out (issue 19), which provisions them; nothing is sent from here yet.
    after: { addedGroups: added.map((g) => g.name), scimTargetsNoted: accessPackage.scimTargets },
    correlation: { eventId: input.taskProcessingResultId, instanceId: input.instanceId },
  });
  if (result.failures.length) {
    const names = new Map(accessPackage.groups.map((g) => [g.id.toLowerCase(), g.name]));
    const reasons = result.failures.map((f) => `${names.get(f.target.toLowerCase()) ?? f.target}: ${f.message}`);
    return { status: 'failed', reason: `groups not added: ${reasons.join('; ')}` };
  }
  return { status: 'done', summary: `added to ${added.map((g) => g.name).join(', ')}` };
}

/** A leaver or a policy refresh, in order with the person's HR events, under an id derived from the task result. */
async function throughInbox(
  run: 'leaver' | 'refreshAccess',
  { input, employeeId, client }: WorkContext,
): Promise<{ state: LcwWorkState; probe?: LcwProbe }> {
  const { eventQueue, config } = services();
  const lifecycle = await lifecycleOf(client, employeeId);
  if (!lifecycle)
    return { state: { status: 'failed', reason: `employee ${employeeId} has no lifecycle in entra-jml` } };
  const eventId = `lcw-${input.taskProcessingResultId}`;
  const since = new Date().toISOString();
  if (run === 'leaver') {
    const event: HrEventInput = {
      eventId,
      type: 'terminate',
      occurredAt: since,
      worker: lifecycle.record,
      immediate: true,
    };
    const accepted = validateEvents(event, 'lifecycleWorkflows');
    if (!accepted.ok)
      return {
        state: {
          status: 'failed',
          reason: `leaver not queued: ${accepted.problems.map((p) => `${p.path}: ${p.reason}`).join('; ')}`,
        },
      };
    // The queue drops a repeat of this message id (activity retry): the person's lifecycle sees it once.
    await enqueueEvents(eventQueue, config.HR_EVENTS_QUEUE, accepted.events);
  } else {
    const message: ReevaluateRequest = {
      kind: 'reevaluate',
      requestId: eventId,
      employeeId,
      reason: `Lifecycle Workflows task ${input.taskDisplayName ?? input.taskId}`,
      requestedBy: 'lifecycleWorkflows',
    };
    await eventQueue.send(config.HR_EVENTS_QUEUE, [
      {
        messageId: `${eventId}:${employeeId}`,
        sessionId: employeeId,
        body: message,
        applicationProperties: { type: 'reevaluate', source: 'lifecycleWorkflows' },
      },
    ]);
  }
  return {
    state: { status: 'running', detail: `${run} queued for the person's lifecycle` },
    probe: { kind: 'inbox', employeeId, eventId, since },
  };
}

/** Self-activation: a running one is waited for (no second mail), a finished one counts, otherwise one starts. */
async function startActivationFor({
  employeeId,
  client,
}: WorkContext): Promise<{ state: LcwWorkState; probe?: LcwProbe }> {
  const { policy } = services();
  const probe: LcwProbe = { kind: 'activation', employeeId };
  if (!policy.activation.enabled)
    return { state: { status: 'failed', reason: 'self-activation is off in the policy (activation.enabled)' } };
  const lifecycle = await lifecycleOf(client, employeeId);
  if (!lifecycle)
    return { state: { status: 'failed', reason: `employee ${employeeId} has no account in entra-jml yet` } };
  if (!lifecycle.record.personalEmail)
    return { state: { status: 'failed', reason: `employee ${employeeId} has no personal email for the code` } };
  const instanceId = activationInstanceId(employeeId);
  const current = await runtime(client, instanceId);
  const now = current ? activationWorkState(current.status, current.output) : null;
  if (now?.status === 'running') return { state: now, probe };
  if (now?.status === 'done' && (await services().directory.getUser(lifecycle.userId))?.accountEnabled)
    return { state: { status: 'done', summary: 'the account was already activated' } };
  try {
    await client.startNew(ACTIVATION_ORCHESTRATION, {
      instanceId,
      input: activationInputFor(lifecycle.record, lifecycle.userId, 'lifecycleWorkflows'),
    });
  } catch (error) {
    // Started in between (the person's day 1, or this activity retried): it is the one to wait for.
    if (!(await runtime(client, instanceId))) throw error;
  }
  return { state: { status: 'running', detail: 'activation mail sent' }, probe };
}

const StatusInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('inbox'), employeeId: z.string(), eventId: z.string(), since: z.string() }),
  z.object({ kind: z.literal('activation'), employeeId: z.string() }),
]);

/** Where the started work stands now (read-only). */
async function lcwWorkStatus(raw: unknown, context: InvocationContext): Promise<LcwWorkState> {
  const probe = parseInput(StatusInput, raw);
  const client = df.getClient(context);
  if (probe.kind === 'activation') {
    const current = await runtime(client, activationInstanceId(probe.employeeId));
    return activationWorkState(current?.status ?? null, current?.output);
  }
  const rows = await services().auditLog.query({ employeeId: probe.employeeId, from: probe.since });
  const operation = {
    bulkId: probe.eventId,
    employeeId: probe.employeeId,
    eventIds: [probe.eventId],
    intake: 'queued' as const,
    matched: true,
    managerEmployeeId: null,
    reason: null,
    warnings: [],
  };
  const status = operationStatus(operation, rows);
  if (status.outcome !== 'pending') return inboxWorkState(status);
  const lifecycle = await runtime(client, personInstanceId(probe.employeeId));
  if (lifecycle?.status === 'Failed')
    return { status: 'failed', reason: `the person's lifecycle failed: ${JSON.stringify(lifecycle.output)}` };
  const held = rows.find((r) => r.correlation.eventId === probe.eventId && r.outcome === 'held');
  return { status: 'running', detail: held ? `held: ${held.reason ?? 'waiting for approval'}` : status.reason! };
}

function registerWithClient(name: string, handler: (input: unknown, context: InvocationContext) => Promise<unknown>) {
  df.app.activity(name, {
    extraInputs: [df.input.durableClient()],
    handler: (input: unknown, context: InvocationContext) => withGraphRequestTrail(async () => handler(input, context)),
  });
}

registerWithClient('lcwStartWork', lcwStartWork);
registerWithClient('lcwWorkStatus', lcwWorkStatus);
