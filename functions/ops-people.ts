import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { describeIssues } from '../shared/domain/hr-event';
import { explainPerson } from '../shared/ops/explain-person';
import { personDetail, searchPeople } from '../shared/ops/people';
import { InvalidTimelineToken, personTimeline } from '../shared/ops/timeline';
import type { AuditRecord } from '../shared/ports/audit-log';
import { services } from '../shared/services';
import { opsRoute } from './ops-route';
import { employeeIdParam } from './route-params';

const SearchQuery = z.object({
  query: z.string().max(256).default(''),
  limit: z.coerce.number().int().min(1).max(200).default(25),
});

/** GET /api/ops/people?query=&limit=: people with a lifecycle, by employee id, name or UPN (shared/ops/people.ts). */
opsRoute('opsPeople', {
  route: 'ops/people',
  methods: ['GET'],
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const query = SearchQuery.safeParse(Object.fromEntries(request.query.entries()));
    if (!query.success) return { status: 400, jsonBody: { problems: describeIssues(query.error) } };
    const people = await searchPeople(df.getClient(context), services().directory, query.data);
    return { jsonBody: { people } };
  },
});

/**
 * GET /api/ops/people/{employeeId}: phase, account, next due date, problems, activation, last HR record, the groups
 * the policy grants with the rule behind each (explain), and holds awaiting approval.
 */
opsRoute('opsPerson', {
  route: 'ops/people/{employeeId}',
  methods: ['GET'],
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const { employeeId, problem } = employeeIdParam(request);
    if (problem) return { status: 400, jsonBody: { problems: [problem] } };
    const { directory, policy, deletionGuard, auditLog } = services();
    const person = await personDetail(df.getClient(context), directory, employeeId);
    if (!person) return { status: 404, jsonBody: { error: `no lifecycle for employee ${employeeId}` } };
    const [groups, holds, unconfirmedWrites] = await Promise.all([
      person.record ? explainPerson(directory, policy, employeeId, person.record) : Promise.resolve(null),
      deletionGuard.list('held').then((all) => all.filter((h) => h.employeeId === employeeId)),
      auditLog.openIntents(employeeId).then((intents) => intents.map(unconfirmedWrite)),
    ]);
    return { jsonBody: { ...person, groups, holds, unconfirmedWrites } };
  },
});

/**
 * A step that announced directory writes and has not written their audit row (its write-ahead intent, AuditLog.intend):
 * running now, or stopped by a crash or a failure (its run in ops/runs is retried or ended from there).
 */
function unconfirmedWrite(intent: AuditRecord) {
  return {
    since: intent.at,
    action: intent.action,
    intended: intent.after,
    instanceId: intent.correlation.instanceId ?? null,
    eventId: intent.correlation.eventId ?? null,
  };
}

const TimelineQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  continuationToken: z.string().max(1024).optional(),
});

/** GET /api/ops/people/{employeeId}/timeline: the person's audit trail, newest first, page by page. */
opsRoute('opsPersonTimeline', {
  route: 'ops/people/{employeeId}/timeline',
  methods: ['GET'],
  handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
    const { employeeId, problem } = employeeIdParam(request);
    if (problem) return { status: 400, jsonBody: { problems: [problem] } };
    const query = TimelineQuery.safeParse(Object.fromEntries(request.query.entries()));
    if (!query.success) return { status: 400, jsonBody: { problems: describeIssues(query.error) } };
    try {
      const page = await personTimeline(services().auditLog, employeeId, query.data);
      return { jsonBody: { employeeId, ...page } };
    } catch (error) {
      if (!(error instanceof InvalidTimelineToken)) throw error;
      return { status: 400, jsonBody: { problems: [{ path: 'continuationToken', reason: error.message }] } };
    }
  },
});
