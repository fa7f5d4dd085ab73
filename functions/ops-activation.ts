import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { describeIssues, WorkerRecord } from '../shared/domain/hr-event';
import { personInstanceId } from '../shared/domain/person-contract';
import { services } from '../shared/services';
import { activationInputFor, startOrResend } from './activities/activation-start';
import { employeeIdParam } from './route-params';
import { opsRoute } from './ops-route';
import type { OpsCaller } from '../shared/ops/actor';

const Body = z.object({ personalEmail: z.email().optional() }).strict();

/**
 * POST /api/ops/persons/{employeeId}/activation: start self-activation for one person, or send a new code when one
 * is running (after a lockout or a lost mail; the previous code stops working). The person's last HR record and
 * account come from their lifecycle; `personalEmail` in the body overrides the address for this activation.
 */
opsRoute('opsActivation', {
  route: 'ops/persons/{employeeId}/activation',
  methods: ['POST'],
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext, caller: OpsCaller): Promise<HttpResponseInit> => {
    const { employeeId, problem } = employeeIdParam(request);
    if (problem) return { status: 400, jsonBody: { problems: [problem] } };
    const text = await request.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      return { status: 400, jsonBody: { problems: [{ path: '', reason: 'not JSON' }] } };
    }
    const body = Body.safeParse(json);
    if (!body.success) return { status: 400, jsonBody: { problems: describeIssues(body.error) } };
    const { policy, auditLog } = services();
    if (!policy.activation.enabled)
      return { status: 409, jsonBody: { error: 'self-activation is off in the policy (activation.enabled)' } };
    const client = df.getClient(context);
    const lifecycle = await client.getStatus(personInstanceId(employeeId), { showInput: true }).catch(() => null);
    const state = (lifecycle?.input as { state?: { record?: unknown; userId?: string | null } } | undefined)?.state;
    const record = WorkerRecord.safeParse(state?.record);
    if (!record.success || !state?.userId)
      return { status: 404, jsonBody: { error: `no account for employee ${employeeId} yet` } };
    const personalEmail = body.data.personalEmail ?? record.data.personalEmail;
    if (!personalEmail)
      return { status: 409, jsonBody: { error: 'no personal email: send one in the body or through HR' } };
    const actor = caller.actor;
    const result = await startOrResend(
      client,
      activationInputFor({ ...record.data, personalEmail }, state.userId, `admin:${actor}`),
    );
    await auditLog.append([
      {
        at: new Date().toISOString(),
        actor,
        action: `activation.${result.action === 'started' ? 'start' : 'resend'}`,
        employeeId,
        target: 'entra',
        outcome: 'success',
        reason: 'requested through the ops API',
        before: null,
        after: { activationInstanceId: result.instanceId },
        correlation: { instanceId: result.instanceId },
      },
    ]);
    return { status: 202, jsonBody: result };
  },
});
