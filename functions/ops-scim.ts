import { opsRoute } from './ops-route';
import { type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { WorkerRecord } from '../shared/domain/hr-event';
import { personInstanceId } from '../shared/domain/person-contract';
import type { ScimTargetSyncInput } from '../shared/orchestration/scim-fanout-contract';
import { services } from '../shared/services';
import { employeeIdParam } from './route-params';

/**
 * Operators' view of the SCIM targets (issue 19), admin key like the other ops routes: each target's circuit and
 * backlog, provision one person now (Entra's "provision on demand"), and the initial sync of a target.
 */
const actor = (request: HttpRequest) => request.headers.get('x-ms-client-principal-name') ?? 'admin-key';

function targetOf(targetId: string | undefined) {
  return services().policy.scimTargets.find((target) => target.id === targetId);
}

const unknownTarget = (targetId: string | undefined): HttpResponseInit => ({
  status: 404,
  jsonBody: { error: `no SCIM target ${targetId ?? ''} in the policy` },
});

/**
 * GET /api/ops/scim/targets: per target, enabled, circuit state, last errors, the syncs waiting (backlog) and its
 * sender's state.
 */
opsRoute('opsScimTargets', {
  route: 'ops/scim/targets',
  methods: ['GET'],
  handler: async (): Promise<HttpResponseInit> => {
    const { policy, scimTargetHealth } = services();
    const value = await Promise.all(
      policy.scimTargets.map(async (target) => {
        const circuit = await scimTargetHealth.circuit(target.id);
        const sender = await scimTargetHealth.sender(target.id);
        return {
          id: target.id,
          name: target.name,
          enabled: target.enabled,
          circuit: circuit.state,
          quarantinedSince: circuit.openedAt,
          nextProbeAt: circuit.probeAt,
          lastErrors: circuit.lastErrors,
          backlog: await scimTargetHealth.countParked(target.id),
          // The target's sender: idle (waiting for a queued sync) or busy, next looking by senderNextLookBy.
          sender: sender.idle ? 'idle' : 'busy',
          senderNextLookBy: sender.until,
        };
      }),
    );
    return { jsonBody: { value } };
  },
});

const PersonSnapshot = z.object({
  userId: z.string().nullable(),
  phase: z.string(),
  record: WorkerRecord.nullable(),
  appliedRecord: WorkerRecord.nullable(),
});
const WAIT_MS = 30_000;

/**
 * POST /api/ops/scim/targets/{targetId}/provision/{employeeId}: pushes the person to the target now and answers
 * with what was done (the calls made), or 202 with the status URL when the target takes longer than 30 s.
 */
opsRoute('opsScimProvision', {
  route: 'ops/scim/targets/{targetId}/provision/{employeeId}',
  methods: ['POST'],
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const target = targetOf(request.params.targetId);
    if (!target) return unknownTarget(request.params.targetId);
    const { employeeId, problem } = employeeIdParam(request);
    if (problem) return { status: 400, jsonBody: { problems: [problem] } };
    const client = df.getClient(context);
    const status = await client.getStatus(personInstanceId(employeeId), { showInput: true }).catch(() => null);
    const state = PersonSnapshot.safeParse((status?.input as { state?: unknown } | null)?.state);
    const record = state.success ? (state.data.appliedRecord ?? state.data.record) : null;
    if (!state.success || !record) return { status: 404, jsonBody: { error: `no lifecycle for ${employeeId}` } };
    const action = state.data.phase === 'deleted' ? 'delete' : state.data.phase === 'left' ? 'deactivate' : 'upsert';
    const input: ScimTargetSyncInput = {
      targetId: target.id,
      employeeId,
      userId: state.data.userId,
      action,
      record,
      correlation: { eventId: `provision-${context.invocationId}` },
      seq: Date.now() * 100 + 99,
      mode: 'lifecycle',
      probe: false,
    };
    const instanceId = await client.startNew('scimProvisionOnDemand', { input });
    const deadline = Date.now() + WAIT_MS;
    while (Date.now() < deadline) {
      const run = await client.getStatus(instanceId);
      if (run.runtimeStatus === df.OrchestrationRuntimeStatus.Completed)
        return {
          jsonBody: { targetId: target.id, employeeId, action, requestedBy: actor(request), outcome: run.output },
        };
      if (run.runtimeStatus === df.OrchestrationRuntimeStatus.Failed)
        return { status: 502, jsonBody: { error: 'provisioning failed', detail: run.output } };
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return client.createCheckStatusResponse(request, instanceId);
  },
});

/** POST /api/ops/scim/targets/{targetId}/sync: initial sync of everyone in scope (a new target), in the background. */
opsRoute('opsScimInitialSync', {
  route: 'ops/scim/targets/{targetId}/sync',
  methods: ['POST'],
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const target = targetOf(request.params.targetId);
    if (!target) return unknownTarget(request.params.targetId);
    if (!target.enabled) return { status: 409, jsonBody: { error: `SCIM target ${target.id} is disabled` } };
    const client = df.getClient(context);
    const instanceId = await client.startNew('scimInitialSync', {
      input: { targetId: target.id, requestedBy: actor(request) },
    });
    return client.createCheckStatusResponse(request, instanceId);
  },
});
