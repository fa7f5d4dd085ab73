import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { describeIssues } from '../shared/domain/hr-event';
import { LCW_TASK_ORCHESTRATION, LcwCallout, lcwInstanceId, lcwTaskInput } from '../shared/lcw/callout';
import { bearerChallenge, verifyLcwCaller } from '../shared/lcw/caller';
import { services } from '../shared/services';

/** A callout is a few hundred bytes; anything far larger is not one. */
const MAX_CALLOUT_BYTES = 64 * 1024;

/**
 * POST /api/lcw/tasks: a Lifecycle Workflows custom task extension callout, forwarded by our Logic App with its
 * managed identity token. 401 (and nothing runs) unless the token is the Logic App's; 400 with the field and reason
 * for a body that is not the documented callout; otherwise 202 at once (the Logic App's HTTP action waits for us)
 * with one orchestration per task result: a retried callout finds it and the work runs once.
 */
app.http('lcwTasks', {
  route: 'lcw/tasks',
  methods: ['POST'],
  authLevel: 'anonymous', // authenticated by the Logic App's Entra token
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const authorization = request.headers.get('authorization');
    const auth = await verifyLcwCaller(authorization, services().config);
    if (!auth.ok) {
      context.warn(`Lifecycle Workflows callout refused: ${auth.reason}`);
      return {
        status: 401,
        headers: { 'www-authenticate': bearerChallenge(auth.reason, !!authorization) },
        jsonBody: { error: 'invalid_token', reason: auth.reason },
      };
    }
    const raw = Buffer.from(await request.arrayBuffer());
    if (raw.length > MAX_CALLOUT_BYTES) return { status: 413 };
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return { status: 400, jsonBody: { problems: [{ path: '(root)', reason: 'body is not valid JSON' }] } };
    }
    const callout = LcwCallout.safeParse(body);
    if (!callout.success) return { status: 400, jsonBody: { problems: describeIssues(callout.error) } };

    const input = lcwTaskInput(callout.data);
    const instanceId = lcwInstanceId(input.taskProcessingResultId);
    const client = df.getClient(context);
    const exists = async () =>
      client.getStatus(instanceId, { showInput: false }).then(
        (status) => !!status?.runtimeStatus,
        () => false,
      );
    let duplicate = await exists();
    if (!duplicate) {
      try {
        await client.startNew(LCW_TASK_ORCHESTRATION, { instanceId, input });
      } catch (error) {
        // Two deliveries of one callout at once: the other one started it.
        if (!(await exists())) throw error;
        duplicate = true;
      }
    }
    context.log(
      `Lifecycle Workflows task ${input.taskDisplayName ?? input.taskId} for ${input.subjectId} from app ` +
        `${auth.appId}: ${duplicate ? 'already received' : 'started'} ${instanceId}`,
    );
    return { status: 202, jsonBody: { instanceId, taskProcessingResultId: input.taskProcessingResultId, duplicate } };
  },
});
