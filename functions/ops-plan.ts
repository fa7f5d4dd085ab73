import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { personInstanceId } from '../shared/domain/person-contract';
import { describeIssues, HrEvent } from '../shared/domain/hr-event';
import {
  planJoiner,
  planLeaver,
  planMover,
  planRehire,
  planRescind,
  renderPlan,
  type Plan,
} from '../shared/domain/plan';
import { upnCandidates } from '../shared/domain/upn';
import { explainGroups, renderExplanation } from '../shared/domain/explain';
import { WorkerRecord } from '../shared/domain/hr-event';
import { employeeIdParam } from './route-params';
import type { WorkerRecord as WorkerRecordType } from '../shared/domain/hr-event';
import { desiredGroupIds } from '../shared/domain/rules';
import { services } from '../shared/services';

/**
 * POST /api/ops/plan: dry run of one HR event. Only reads the directory, then returns the exact
 * operations the JML flow would run (and why), as JSON and as text. Nothing is written.
 */
app.http('opsPlan', {
  route: 'ops/plan',
  methods: ['POST'],
  authLevel: 'admin',
  handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
    const parsed = HrEvent.safeParse({ source: 'admin', ...((await request.json().catch(() => ({}))) as object) });
    if (!parsed.success) return { status: 400, jsonBody: { problems: describeIssues(parsed.error) } };
    const { worker, type } = parsed.data;
    const { directory, policy } = services();
    const [{ existing, taken }, manager, deleted] = await Promise.all([
      directory.lookupForJoiner(worker.employeeId, upnCandidates(worker, policy)),
      worker.managerEmployeeId ? directory.findUserByEmployeeId(worker.managerEmployeeId) : Promise.resolve(null),
      directory.findDeletedUserByEmployeeId(worker.employeeId),
    ]);
    const groups = existing ? await directory.listGroupIds(existing.id) : [];
    const currentManagerId = existing ? await directory.getManagerId(existing.id) : null;
    let plan: Plan;
    if (type === 'rescind') plan = planRescind(worker, policy, { user: existing });
    else if (!existing && deleted && (type === 'rehire' || type === 'hire'))
      plan = planRehire(worker, policy, {
        formerUser: deleted,
        formerGroupIds: [],
        managerObjectId: manager?.id ?? null,
        currentManagerId: null,
      });
    else if (!existing)
      plan = planJoiner(worker, policy, {
        existing: null,
        existingGroupIds: [],
        takenNames: taken,
        managerObjectId: manager?.id ?? null,
      });
    else if (type === 'terminate')
      plan = planLeaver(worker, policy, { user: existing, currentGroupIds: groups, immediate: parsed.data.immediate });
    else
      plan = planMover(worker, worker, policy, {
        user: existing,
        currentGroupIds: groups,
        managerObjectId: manager?.id ?? null,
        currentManagerId,
      });
    return { jsonBody: { plan, text: renderPlan(plan) } };
  },
});

/** Which rule and policy version grant each group to this worker, against what the directory holds now. */
async function explanation(employeeId: string, worker: WorkerRecordType): Promise<HttpResponseInit> {
  const { directory, policy } = services();
  const user = await directory.findUserByEmployeeId(employeeId);
  const current = user ? await directory.listGroupIds(user.id) : [];
  const desired = desiredGroupIds(worker, policy);
  return {
    jsonBody: {
      policyVersion: policy.version,
      groups: explainGroups(worker, policy),
      directory: {
        userId: user?.id ?? null,
        currentGroupIds: current,
        missing: desired.filter((g) => !current.includes(g)),
        notGrantedByPolicy: current.filter((g) => !desired.includes(g)),
      },
      text: renderExplanation(worker, policy),
    },
  };
}

/** POST /api/ops/persons/{employeeId}/explain with a worker record: explain a record (what-if, or before a hire). */
app.http('opsExplain', {
  route: 'ops/persons/{employeeId}/explain',
  methods: ['POST'],
  authLevel: 'admin',
  handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
    const { employeeId, problem } = employeeIdParam(request);
    const worker = WorkerRecord.safeParse(await request.json().catch(() => ({})));
    if (problem || !worker.success) {
      return {
        status: 400,
        jsonBody: {
          problems: [...(problem ? [problem] : []), ...(worker.success ? [] : describeIssues(worker.error))],
        },
      };
    }
    return explanation(employeeId, worker.data);
  },
});

const PersonInputState = z.object({ state: z.object({ record: WorkerRecord.nullable() }) });

/**
 * GET /api/ops/persons/{employeeId}/explain: explain the person's last known HR record (kept by their
 * orchestration).
 */
app.http('opsExplainPerson', {
  route: 'ops/persons/{employeeId}/explain',
  methods: ['GET'],
  authLevel: 'admin',
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const { employeeId, problem } = employeeIdParam(request);
    if (problem) return { status: 400, jsonBody: { problems: [problem] } };
    const status = await df
      .getClient(context)
      .getStatus(personInstanceId(employeeId), { showInput: true })
      .catch(() => null);
    const record = PersonInputState.safeParse(status?.input).data?.state.record;
    if (!record)
      return {
        status: 404,
        jsonBody: { error: `no HR record known for employee ${employeeId}; POST the record to explain it` },
      };
    return explanation(employeeId, record);
  },
});
