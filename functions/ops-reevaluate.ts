import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { describeIssues, EmployeeId } from '../shared/domain/hr-event';
import {
  employeeIdOf,
  PERSON_ORCHESTRATION,
  personInstanceId,
  type ReevaluateRequest,
} from '../shared/domain/person-contract';
import type { QueueMessage } from '../shared/ports/event-queue';
import { services } from '../shared/services';
import { opsRoute } from './ops-route';
import type { OpsCaller } from '../shared/ops/actor';

/**
 * Who is re-evaluated must be said: the listed people, or `"all": true` for everyone with a running lifecycle.
 * An empty or unparsable body is a 400, never "everyone" (issue 23: `-d '{'` once re-evaluated 10,091 people).
 * `dryRun: true` only counts the people (the CLI asks for confirmation above a threshold).
 */
const Body = z
  .object({
    employeeIds: z.array(EmployeeId).min(1).max(10_000).optional(),
    all: z.literal(true).optional(),
    reason: z.string().max(500).optional(),
    dryRun: z.boolean().default(false),
  })
  .strict()
  .refine((body) => (body.employeeIds === undefined) !== (body.all === undefined), {
    path: ['employeeIds'],
    message: 'name the people (employeeIds) or say "all": true, not both and not neither',
  });

async function readBody(request: HttpRequest): Promise<{ ok: true; value: unknown } | { ok: false; reason: string }> {
  const text = await request.text();
  if (!text.trim()) return { ok: false, reason: 'empty body: send {"employeeIds": [...]} or {"all": true}' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, reason: 'body is not valid JSON' };
  }
}

/**
 * POST /api/ops/reevaluate: after a policy change (a rule narrowed, a group retired), asks each person's
 * orchestration to apply the current policy again. The request is queued per person on the HR events queue,
 * so it never overtakes an HR event; each person applies it once (request id). Plan first with
 * POST /api/ops/plan to see what a person would gain or lose.
 */
opsRoute('opsReevaluate', {
  route: 'ops/reevaluate',
  methods: ['POST'],
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext, caller: OpsCaller): Promise<HttpResponseInit> => {
    const raw = await readBody(request);
    if (!raw.ok) return { status: 400, jsonBody: { problems: [{ path: '(root)', reason: raw.reason }] } };
    const body = Body.safeParse(raw.value);
    if (!body.success) return { status: 400, jsonBody: { problems: describeIssues(body.error) } };
    const client = df.getClient(context);
    const actor = caller.actor;
    const instanceIds = body.data.employeeIds
      ? body.data.employeeIds.map(personInstanceId)
      : (
          await client.getStatusBy({
            runtimeStatus: [df.OrchestrationRuntimeStatus.Running, df.OrchestrationRuntimeStatus.Pending],
          })
        )
          .filter((s) => s.name === PERSON_ORCHESTRATION && !s.instanceId.includes(':'))
          .map((s) => s.instanceId);
    if (body.data.dryRun) return { status: 200, jsonBody: { persons: instanceIds.length } };
    const requestId = `reevaluate-${context.invocationId}`;
    const notFound: string[] = [];
    const messages: QueueMessage[] = [];
    for (const instanceId of instanceIds) {
      if (body.data.employeeIds) {
        // Named people: only those with a lifecycle (an inbox entry for nobody would wait for a hire).
        const known = await client.getStatus(instanceId, { showInput: false }).then(
          () => true,
          () => false,
        );
        if (!known) {
          notFound.push(instanceId);
          continue;
        }
      }
      const employeeId = employeeIdOf(instanceId);
      const message: ReevaluateRequest = {
        kind: 'reevaluate',
        requestId,
        employeeId,
        reason: body.data.reason,
        requestedBy: actor,
      };
      messages.push({
        messageId: `${requestId}:${employeeId}`,
        sessionId: employeeId,
        body: message,
        applicationProperties: { type: 'reevaluate', source: 'admin' },
      });
    }
    // Through the HR events queue: ordered with each person's events, and fanned out by the Service Bus
    // trigger instead of inside this request (thousands of people, HTTP time limits).
    const { eventQueue, config } = services();
    for (let i = 0; i < messages.length; i += 100)
      await eventQueue.send(config.HR_EVENTS_QUEUE, messages.slice(i, i + 100));
    const policy = services().policy;
    await services().auditLog.append([
      {
        at: new Date().toISOString(),
        actor,
        action: 'policy.reevaluate',
        employeeId: null,
        target: 'entra',
        outcome: notFound.length ? 'failure' : 'success',
        reason: body.data.reason ?? null,
        before: null,
        after: { policyVersion: policy.version, persons: instanceIds.length - notFound.length, notFound },
        correlation: { eventId: requestId },
      },
    ]);
    return {
      status: 202,
      jsonBody: { requestId, policyVersion: policy.version, persons: instanceIds.length - notFound.length, notFound },
    };
  },
});
