import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { describeIssues, WorkerRecord } from '../shared/domain/hr-event';
import { services } from '../shared/services';
import { opsRoute } from './ops-route';

/**
 * POST /api/ops/persons/{employeeId}/provision-now with the worker record: provision on demand. Runs the
 * joiner for one person now, skipping the pre-hire and day-1 timers (the account is created enabled), waits
 * up to 30 s, and answers with the outcome and each step from the audit trail. Idempotent like every joiner.
 */
opsRoute('opsProvisionNow', {
  route: 'ops/persons/{employeeId}/provision-now',
  methods: ['POST'],
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const record = WorkerRecord.safeParse(await request.json().catch(() => ({})));
    if (!record.success) return { status: 400, jsonBody: { problems: describeIssues(record.error) } };
    if (record.data.employeeId !== request.params.employeeId)
      return { status: 400, jsonBody: { problems: [{ path: 'employeeId', reason: 'must match the route' }] } };
    const client = df.getClient(context);
    const instanceId = `on-demand-${record.data.employeeId}-${context.invocationId.slice(0, 8)}`;
    await client.startNew('joiner', {
      instanceId,
      input: {
        employeeId: record.data.employeeId,
        record: record.data,
        userId: null,
        enable: true,
        eventId: instanceId,
      },
    });
    const response = await client.waitForCompletionOrCreateCheckStatusResponse(request, instanceId, {
      timeoutInMilliseconds: 30_000,
      retryIntervalInMilliseconds: 250,
    });
    if (response.status !== 200) return response;
    const status = await client.getStatus(instanceId);
    const steps = (await services().auditLog.query({ employeeId: record.data.employeeId })).filter(
      (r) => r.correlation.eventId === instanceId,
    );
    return {
      jsonBody: {
        instanceId,
        runtimeStatus: status.runtimeStatus,
        output: status.output,
        steps: steps.map((s) => ({ at: s.at, action: s.action, outcome: s.outcome, after: s.after })),
      },
    };
  },
});
