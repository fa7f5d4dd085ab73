import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { describeIssues } from '../shared/domain/hr-event';
import type { OpsCaller } from '../shared/ops/actor';
import { readReason } from '../shared/ops/reason';
import {
  employeeIdOfInstance,
  InvalidRunsToken,
  listRuns,
  retryRun,
  RunStatus,
  terminateRun,
} from '../shared/ops/runs';
import type { AuditRecord } from '../shared/ports/audit-log';
import { services } from '../shared/services';
import { opsRoute } from './ops-route';

const RunsQuery = z.object({
  status: RunStatus.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  continuationToken: z.string().max(1024).optional(),
});

/** GET /api/ops/runs?status=&limit=&continuationToken=: orchestration runs, most recently updated first. */
opsRoute('opsRuns', {
  route: 'ops/runs',
  methods: ['GET'],
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const query = RunsQuery.safeParse(Object.fromEntries(request.query.entries()));
    if (!query.success) return { status: 400, jsonBody: { problems: describeIssues(query.error) } };
    try {
      const page = await listRuns(df.getClient(context), query.data);
      return { jsonBody: { runs: page.runs, continuationToken: page.continuationToken } };
    } catch (error) {
      if (!(error instanceof InvalidRunsToken)) throw error;
      return { status: 400, jsonBody: { problems: [{ path: 'continuationToken', reason: error.message }] } };
    }
  },
});

function runAudit(caller: OpsCaller, action: string, instanceId: string, extra: Partial<AuditRecord>): AuditRecord {
  return {
    at: new Date().toISOString(),
    actor: caller.actor,
    action,
    employeeId: employeeIdOfInstance(instanceId),
    target: 'entra-jml',
    outcome: 'success',
    reason: null,
    before: null,
    after: null,
    correlation: { instanceId },
    ...extra,
  };
}

/**
 * POST /api/ops/runs/{instanceId}/retry (`{reason}` optional): starts a failed or terminated run again with the
 * input it last started with (a failed sub-orchestration through its person run). shared/ops/runs.ts says why a
 * restart rather than rewind.
 */
opsRoute('opsRunRetry', {
  route: 'ops/runs/{instanceId}/retry',
  methods: ['POST'],
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext, caller: OpsCaller): Promise<HttpResponseInit> => {
    const instanceId = request.params.instanceId!;
    const reason = await readReason(request, { required: false });
    if (!reason.ok) return { status: 400, jsonBody: { problems: [reason.problem] } };
    const outcome = await retryRun(df.getClient(context), instanceId);
    if (outcome.kind === 'not-found') return { status: 404, jsonBody: { error: `no run ${instanceId}` } };
    if (outcome.kind === 'not-retryable') return { status: 409, jsonBody: { error: outcome.why, ...outcome } };
    await services().auditLog.append([
      runAudit(caller, 'run.retry', outcome.instanceId, {
        reason: reason.value,
        before: { runtimeStatus: outcome.previousStatus },
        after: { runtimeStatus: 'Pending', restartedFrom: instanceId },
      }),
    ]);
    return {
      status: 202,
      jsonBody: { instanceId: outcome.instanceId, name: outcome.name, previousStatus: outcome.previousStatus },
    };
  },
});

/** POST /api/ops/runs/{instanceId}/terminate with `{reason}`: stops a run (audited with the reason). */
opsRoute('opsRunTerminate', {
  route: 'ops/runs/{instanceId}/terminate',
  methods: ['POST'],
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext, caller: OpsCaller): Promise<HttpResponseInit> => {
    const instanceId = request.params.instanceId!;
    const reason = await readReason(request, { required: true });
    if (!reason.ok) return { status: 400, jsonBody: { problems: [reason.problem] } };
    const outcome = await terminateRun(df.getClient(context), instanceId, `${caller.actor}: ${reason.value}`);
    if (outcome.kind === 'not-found') return { status: 404, jsonBody: { error: `no run ${instanceId}` } };
    if (outcome.kind === 'not-running')
      return { status: 409, jsonBody: { error: `${instanceId} is ${outcome.status}: nothing to terminate` } };
    await services().auditLog.append([
      runAudit(caller, 'run.terminate', instanceId, {
        reason: reason.value,
        before: { runtimeStatus: outcome.previousStatus },
        after: { runtimeStatus: 'Terminated' },
      }),
    ]);
    return { status: 202, jsonBody: { instanceId, status: 'Terminated' } };
  },
});
