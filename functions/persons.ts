import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { EmployeeId } from '../shared/domain/hr-event';
import { personInstanceId } from '../shared/domain/person-contract';

/** GET /api/persons/{employeeId}: the person orchestration's phase, account and next due date (the intake status URL). */
app.http('personStatus', {
  route: 'persons/{employeeId}',
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const employeeId = EmployeeId.safeParse(request.params.employeeId);
    if (!employeeId.success) return { status: 400, jsonBody: { problems: [{ path: 'employeeId', reason: employeeId.error.issues[0]?.message }] } };
    try {
      const status = await df.getClient(context).getStatus(personInstanceId(employeeId.data), { showInput: false });
      return { jsonBody: { employeeId: employeeId.data, instanceId: status.instanceId, runtimeStatus: status.runtimeStatus, ...(status.customStatus as object | null) } };
    } catch {
      return { status: 404, jsonBody: { error: `no lifecycle for employee ${employeeId.data} yet` } };
    }
  },
});
