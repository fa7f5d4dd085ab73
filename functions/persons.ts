import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { personInstanceId } from '../shared/domain/person-contract';
import { employeeIdParam } from './route-params';

/**
 * GET /api/persons/{employeeId}: the person orchestration's phase, account and next due date (the intake
 * status URL).
 */
app.http('personStatus', {
  route: 'persons/{employeeId}',
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const { employeeId, problem } = employeeIdParam(request);
    if (problem) return { status: 400, jsonBody: { problems: [problem] } };
    try {
      const status = await df.getClient(context).getStatus(personInstanceId(employeeId), { showInput: false });
      return {
        jsonBody: {
          employeeId: employeeId,
          instanceId: status.instanceId,
          runtimeStatus: status.runtimeStatus,
          ...(status.customStatus as object | null),
        },
      };
    } catch {
      return { status: 404, jsonBody: { error: `no lifecycle for employee ${employeeId} yet` } };
    }
  },
});
