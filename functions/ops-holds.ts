import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { services } from '../shared/services';
import { opsRoute } from './ops-route';
import type { OpsCaller } from '../shared/ops/actor';

/** GET /api/ops/holds: leavers held by the accidental-deletion threshold. */
opsRoute('opsHolds', {
  route: 'ops/holds',
  methods: ['GET'],
  handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
    const status = z
      .enum(['held', 'approved', 'rejected'])
      .optional()
      .safeParse(request.query.get('status') ?? undefined);
    if (!status.success)
      return { status: 400, jsonBody: { problems: [{ path: 'status', reason: 'held, approved or rejected' }] } };
    return { jsonBody: { value: await services().deletionGuard.list(status.data) } };
  },
});

/** POST /api/ops/holds/{holdId}/approve|reject: resumes the held leaver (or cancels it). */
opsRoute('opsHoldDecision', {
  route: 'ops/holds/{holdId:guid}/{decision:regex(^(approve|reject)$)}',
  methods: ['POST'],
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext, caller: OpsCaller): Promise<HttpResponseInit> => {
    const approve = request.params.decision === 'approve';
    const actor = caller.actor;
    const hold = await services().deletionGuard.decide(request.params.holdId!, approve, actor);
    if (!hold) return { status: 404, jsonBody: { error: `no pending hold ${request.params.holdId}` } };
    await df
      .getClient(context)
      .raiseEvent(hold.instanceId, 'deletion-approved', { approved: approve, holdId: hold.holdId });
    await services().auditLog.append([
      {
        at: new Date().toISOString(),
        actor,
        action: `guard.${request.params.decision}`,
        employeeId: hold.employeeId,
        target: 'entra',
        outcome: 'success',
        reason: null,
        before: { status: 'held' },
        after: { status: hold.status },
        correlation: { instanceId: hold.instanceId, eventId: hold.eventId ?? undefined },
      },
    ]);
    return { status: 202, jsonBody: hold };
  },
});
