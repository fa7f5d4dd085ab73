import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
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
import { explainPerson } from '../shared/ops/explain-person';
import { WorkerRecord } from '../shared/domain/hr-event';
import { employeeIdParam } from './route-params';
import type { WorkerRecord as WorkerRecordType } from '../shared/domain/hr-event';
import { services } from '../shared/services';
import { workerSchedule } from '../shared/domain/jml-decisions';
import { decide, initialState, type PersonState } from '../shared/orchestration/person-state';
import type { Directory, DirectoryUser } from '../shared/ports/directory';
import { opsRoute } from './ops-route';

const PersonStatusInput = z.object({
  state: z.custom<PersonState>(
    (v) => typeof v === 'object' && v !== null && 'phase' in v && 'removedGroupIds' in v,
    'a person orchestration state',
  ),
});

/** The person's orchestration state (a new person's when there is none): what the state machine decides from. */
async function personState(context: InvocationContext, employeeId: string): Promise<PersonState> {
  const status = await df
    .getClient(context)
    .getStatus(personInstanceId(employeeId), { showInput: true })
    .catch(() => null);
  return PersonStatusInput.safeParse(status?.input).data?.state ?? initialState(employeeId);
}

/** Each manager's mailbox (null: none, so the runtime skips the mail), for the plan's notify operations. */
async function mailboxesOf(directory: Directory, employeeIds: (string | null | undefined)[]) {
  const ids = [...new Set(employeeIds.filter((id): id is string => !!id))];
  const users = await Promise.all(ids.map((id) => directory.findUserByEmployeeId(id)));
  return Object.fromEntries(ids.map((id, i) => [id, users[i]?.mail ?? null]));
}

/**
 * POST /api/ops/plan: dry run of one HR event. Only reads the directory, then returns the exact
 * operations the JML flow would run (and why), as JSON and as text. Nothing is written. The plan kind is
 * the step the person's state machine decides for this event (shared/orchestration/person-state.ts), the
 * same decision the person orchestration then acts on; the previous record (a mover's "before") and the
 * groups removed at leave (a rehire's) come from that orchestration's state.
 */
opsRoute('opsPlan', {
  route: 'ops/plan',
  methods: ['POST'],
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const parsed = HrEvent.safeParse({ source: 'admin', ...((await request.json().catch(() => ({}))) as object) });
    if (!parsed.success) return { status: 400, jsonBody: { problems: describeIssues(parsed.error) } };
    const event = parsed.data;
    const { worker, type } = event;
    const { directory, policy } = services();
    const state = await personState(context, worker.employeeId);
    const decision = decide(
      state,
      { kind: 'event', event, schedule: workerSchedule(worker, policy) },
      new Date().toISOString(),
    );
    const step = decision.steps.find((s) =>
      ['joiner', 'rehire', 'mover', 'refreshAccess', 'leaver', 'rescind'].includes(s.run),
    );
    const [{ existing, taken }, manager, deleted] = await Promise.all([
      directory.lookupForJoiner(worker.employeeId, upnCandidates(worker, policy)),
      worker.managerEmployeeId ? directory.findUserByEmployeeId(worker.managerEmployeeId) : Promise.resolve(null),
      directory.findDeletedUserByEmployeeId(worker.employeeId),
    ]);
    const groups = existing ? await directory.listGroupIds(existing.id) : [];
    const currentManagerId = existing ? await directory.getManagerId(existing.id) : null;
    const previous = step?.run === 'mover' ? step.previous : (state.appliedRecord ?? worker);
    const managerMailboxes = await mailboxesOf(directory, [worker.managerEmployeeId, previous.managerEmployeeId]);
    const run = step?.run ?? fallbackRun(type, existing, deleted);
    let plan: Plan;
    if (run === 'rescind') plan = planRescind(worker, policy, { user: existing });
    else if (run === 'rehire' && (existing ?? deleted))
      plan = planRehire(worker, policy, {
        formerUser: (existing ?? deleted)!,
        formerGroupIds: existing ? groups : [],
        managerObjectId: manager?.id ?? null,
        currentManagerId,
        restoreGroupIds: state.removedGroupIds,
      });
    else if (!existing)
      plan = planJoiner(worker, policy, {
        existing: null,
        existingGroupIds: [],
        takenNames: taken,
        managerObjectId: manager?.id ?? null,
      });
    else if (run === 'joiner')
      plan = planJoiner(worker, policy, {
        existing,
        existingGroupIds: groups,
        takenNames: taken,
        managerObjectId: manager?.id ?? null,
      });
    else if (run === 'leaver')
      plan = planLeaver(worker, policy, {
        user: existing,
        currentGroupIds: groups,
        memberships: await directory.listMemberships(existing.id),
        immediate: event.immediate,
        managerMailboxes,
      });
    else
      plan = planMover(previous, worker, policy, {
        user: existing,
        currentGroupIds: groups,
        managerObjectId: manager?.id ?? null,
        currentManagerId,
        managerMailboxes,
      });
    if (!step) plan.notes.push(`nothing runs now: ${decision.outcome}`);
    return { jsonBody: { plan, text: renderPlan(plan) } };
  },
});

/** The plan kind when the state machine runs no JML step now (a future hire or leave date, a duplicate). */
function fallbackRun(type: HrEvent['type'], existing: DirectoryUser | null, deleted: DirectoryUser | null): string {
  if (type === 'rescind') return 'rescind';
  if (!existing && deleted && (type === 'rehire' || type === 'hire')) return 'rehire';
  if (!existing) return 'joiner';
  return type === 'terminate' ? 'leaver' : 'mover';
}

/** The explanation as the API answers it. */
async function explanation(employeeId: string, worker: WorkerRecordType): Promise<HttpResponseInit> {
  const { directory, policy } = services();
  return { jsonBody: await explainPerson(directory, policy, employeeId, worker) };
}

/** POST /api/ops/persons/{employeeId}/explain with a worker record: explain a record (what-if, or before a hire). */
opsRoute('opsExplain', {
  route: 'ops/persons/{employeeId}/explain',
  methods: ['POST'],
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
opsRoute('opsExplainPerson', {
  route: 'ops/persons/{employeeId}/explain',
  methods: ['GET'],
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
