import { ADMIN_ROLE, READER_ROLE } from './actor';

/**
 * OpenAPI 3.1 description of the operations API (`/api/ops/*`). Hand-written; test/ops/openapi.test.ts checks that
 * every registered ops route is here and that nothing here is unregistered. The web console is built on these shapes.
 */
type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json, description = 'OK'): Json => ({ description, content: { 'application/json': { schema } } });
const problems = json(ref('Problems'), 'The request is not valid (each problem names the field and the reason)');
const error = (description: string): Json => json(ref('Error'), description);
const path = (name: string, description: string, schema: Json = { type: 'string' }): Json => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
});
const query = (name: string, description: string, schema: Json = { type: 'string' }): Json => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const body = (schema: Json, required = true): Json => ({ required, content: { 'application/json': { schema } } });
const employeeId = path('employeeId', 'The HR employee id');
const limit = (max: number, byDefault: number) =>
  query('limit', `Items per page (1-${max})`, { type: 'integer', minimum: 1, maximum: max, default: byDefault });
const continuationToken = query('continuationToken', 'From the previous page; absent for the first page');
const reasonBody = (required: boolean): Json =>
  body({ type: 'object', properties: { reason: { type: 'string', maxLength: 500 } }, required: ['reason'] }, required);
const denied = { '401': error('No identity (Easy Auth) or no admin key'), '403': error('The app role is missing') };

function op(summary: string, responses: Json, extra: Json = {}): Json {
  return { summary, ...extra, responses: { ...responses, ...denied } };
}

const nullableString = { type: ['string', 'null'] };
const due = {
  type: ['object', 'null'],
  properties: { which: { type: 'string' }, at: { type: 'string', format: 'date-time' } },
  required: ['which', 'at'],
};

const schemas: Json = {
  Problems: {
    type: 'object',
    properties: {
      problems: {
        type: 'array',
        items: { type: 'object', properties: { path: { type: 'string' }, reason: { type: 'string' } } },
      },
    },
  },
  Error: { type: 'object', properties: { error: { type: 'string' } } },
  LicenceRemediation: {
    type: 'object',
    required: ['dryRun', 'planDigest', 'maxChanges', 'refused', 'actions', 'totals'],
    properties: {
      dryRun: { type: 'boolean' },
      planDigest: { type: 'string' },
      maxChanges: { type: 'integer' },
      refused: nullableString,
      actions: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            key: { type: 'string' },
            kind: { enum: ['remove-membership', 'remove-direct-licence', 'move-to-group'] },
            switch: { enum: ['removeFromDeparted', 'moveDirectToGroup', 'endExpiredAccess'] },
            enabled: { type: 'boolean' },
            outcome: { enum: ['planned', 'disabled', 'done', 'pending', 'failed'] },
            userId: { type: 'string' },
            userPrincipalName: nullableString,
            groupId: nullableString,
            skuId: nullableString,
            product: { type: 'string' },
            productName: { type: 'string' },
            reason: { type: 'string' },
            detail: nullableString,
          },
        },
      },
      totals: { type: 'object', additionalProperties: { type: 'integer' } },
    },
  },
  PersonSummary: {
    type: 'object',
    required: ['employeeId', 'displayName', 'userPrincipalName', 'userId', 'phase', 'nextDue', 'problems'],
    properties: {
      employeeId: { type: 'string' },
      displayName: nullableString,
      userPrincipalName: nullableString,
      userId: nullableString,
      phase: { type: 'string' },
      nextDue: due,
      problems: { type: 'array', items: { type: 'string' } },
      runtimeStatus: { type: 'string' },
    },
  },
  PersonDetail: {
    type: 'object',
    required: ['employeeId', 'instanceId', 'runtimeStatus', 'phase', 'userId', 'nextDue', 'problems', 'record'],
    properties: {
      employeeId: { type: 'string' },
      instanceId: { type: 'string' },
      runtimeStatus: { type: 'string' },
      phase: { type: 'string' },
      userId: nullableString,
      nextDue: due,
      problems: { type: 'array', items: { type: 'string' } },
      lastEvents: { type: 'array', items: { type: 'string' } },
      record: { type: ['object', 'null'], description: 'The last HR record (schemas/hr-event.schema.json worker)' },
      account: {
        type: ['object', 'null'],
        properties: {
          userId: { type: 'string' },
          userPrincipalName: { type: 'string' },
          displayName: { type: 'string' },
          accountEnabled: { type: 'boolean' },
          department: nullableString,
          jobTitle: nullableString,
        },
      },
      activation: {
        type: ['object', 'null'],
        properties: { instanceId: { type: 'string' }, runtimeStatus: { type: 'string' }, status: {} },
      },
      groups: { oneOf: [ref('Explanation'), { type: 'null' }] },
      holds: { type: 'array', items: ref('Hold') },
      unconfirmedWrites: {
        type: 'array',
        description:
          'Steps that announced directory writes (a write-ahead intent) and have not written their audit row: ' +
          'running now, or stopped; the run (instanceId) is retried or ended in /ops/runs',
        items: {
          type: 'object',
          properties: {
            since: { type: 'string', format: 'date-time' },
            action: { type: 'string' },
            intended: { description: 'The audit row it announced: the changes it set out to make' },
            instanceId: nullableString,
            eventId: nullableString,
          },
        },
      },
    },
  },
  Explanation: {
    type: 'object',
    properties: {
      policyVersion: { type: 'string' },
      groups: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            groupId: { type: 'string' },
            groupName: { type: 'string' },
            kind: { enum: ['birthright', 'licence'] },
            ruleIds: { type: 'array', items: { type: 'string' } },
            policyVersion: { type: 'string' },
            text: { type: 'string' },
          },
        },
      },
      directory: {
        type: 'object',
        properties: {
          userId: nullableString,
          currentGroupIds: { type: 'array', items: { type: 'string' } },
          missing: { type: 'array', items: { type: 'string' } },
          notGrantedByPolicy: { type: 'array', items: { type: 'string' } },
        },
      },
      text: { type: 'string' },
    },
  },
  TimelineEntry: {
    type: 'object',
    required: ['at', 'kind', 'action', 'outcome', 'actor', 'target', 'reason', 'before', 'after', 'correlation'],
    properties: {
      at: { type: 'string', format: 'date-time' },
      kind: { enum: ['hr-event', 'decision', 'step', 'directory', 'scim', 'operator', 'failure'] },
      action: { type: 'string' },
      outcome: { enum: ['success', 'failure', 'skipped', 'planned', 'held'] },
      actor: { type: 'string' },
      target: { type: 'string' },
      reason: nullableString,
      before: {},
      after: {},
      correlation: { type: 'object' },
    },
  },
  Run: {
    type: 'object',
    required: ['instanceId', 'name', 'status', 'createdTime', 'lastUpdatedTime', 'customStatus', 'waitingUntil'],
    properties: {
      instanceId: { type: 'string' },
      name: { type: 'string' },
      status: { type: 'string', description: 'Durable runtime status: Running, Pending, Failed, Completed, ...' },
      createdTime: { type: 'string', format: 'date-time' },
      lastUpdatedTime: { type: 'string', format: 'date-time' },
      customStatus: {},
      employeeId: nullableString,
      waitingUntil: { type: ['string', 'null'], format: 'date-time' },
      error: nullableString,
      output: {},
    },
  },
  Hold: {
    type: 'object',
    properties: {
      holdId: { type: 'string', format: 'uuid' },
      employeeId: { type: 'string' },
      action: { enum: ['disable', 'delete'] },
      instanceId: { type: 'string' },
      eventId: nullableString,
      createdAt: { type: 'string', format: 'date-time' },
      status: { enum: ['held', 'approved', 'rejected'] },
      decidedBy: nullableString,
    },
  },
  AuditRecord: { type: 'object', description: 'shared/ports/audit-log.ts AuditRecord' },
  DeadLetter: { type: 'object', description: 'shared/ports/dead-letters.ts DeadLetterView' },
  HrEvent: { type: 'object', description: 'schemas/hr-event.schema.json' },
  WorkerRecord: { type: 'object', description: 'The worker of schemas/hr-event.schema.json' },
};

export const OPS_OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'entra-jml operations API',
    version: '1',
    description:
      `Every call needs the admin key (x-functions-key) or, behind App Service Authentication, an Entra identity ` +
      `with the app role ${ADMIN_ROLE} (${READER_ROLE}: GET only).`,
  },
  servers: [{ url: '/api' }],
  security: [{ functionKey: [] }, { easyAuth: [] }],
  paths: {
    '/ops/people': {
      get: op(
        'Search people by employee id, name or UPN',
        {
          '200': json({ type: 'object', properties: { people: { type: 'array', items: ref('PersonSummary') } } }),
          '400': problems,
        },
        { parameters: [query('query', 'Employee id, name or UPN'), limit(200, 25)] },
      ),
    },
    '/ops/people/{employeeId}': {
      get: op(
        'A person: state, last HR record, account, activation, groups with the rule behind each',
        { '200': json(ref('PersonDetail')), '400': problems, '404': error('No lifecycle for this person') },
        { parameters: [employeeId] },
      ),
    },
    '/ops/people/{employeeId}/timeline': {
      get: op(
        "A person's timeline, newest first",
        {
          '200': json({
            type: 'object',
            properties: {
              employeeId: { type: 'string' },
              entries: { type: 'array', items: ref('TimelineEntry') },
              continuationToken: nullableString,
            },
          }),
          '400': problems,
        },
        { parameters: [employeeId, limit(1000, 100), continuationToken] },
      ),
    },
    '/ops/runs': {
      get: op(
        'Orchestration runs, most recently updated first',
        {
          '200': json({
            type: 'object',
            properties: { runs: { type: 'array', items: ref('Run') }, continuationToken: nullableString },
          }),
          '400': problems,
        },
        {
          parameters: [
            query('status', 'Only runs in this state', {
              enum: ['running', 'pending', 'failed', 'completed', 'terminated'],
            }),
            limit(1000, 100),
            continuationToken,
          ],
        },
      ),
    },
    '/ops/runs/{instanceId}/retry': {
      post: op(
        'Start a failed or terminated run again with its last input',
        {
          '202': json({ type: 'object' }, 'Restarted'),
          '404': error('No such run'),
          '409': error('The run is not failed or terminated'),
        },
        { parameters: [path('instanceId', 'Orchestration instance id')], requestBody: reasonBody(false) },
      ),
    },
    '/ops/runs/{instanceId}/terminate': {
      post: op(
        'Terminate a run (audited with the reason)',
        {
          '202': json({ type: 'object' }, 'Terminated'),
          '400': problems,
          '404': error('No such run'),
          '409': error('The run is not running'),
        },
        { parameters: [path('instanceId', 'Orchestration instance id')], requestBody: reasonBody(true) },
      ),
    },
    '/ops/dead-letters': {
      get: op('HR events that could not be processed', {
        '200': json({
          type: 'object',
          properties: { queue: { type: 'string' }, value: { type: 'array', items: ref('DeadLetter') } },
        }),
      }),
    },
    '/ops/dead-letters/{sequenceNumber}/replay': {
      post: op(
        'Put a dead letter back on the queue',
        {
          '202': { description: 'Replayed' },
          '404': error('No such dead letter'),
          '409': error('Beyond the first 1,000 dead letters'),
        },
        {
          parameters: [path('sequenceNumber', 'Service Bus sequence number', { type: 'integer' })],
          requestBody: reasonBody(false),
        },
      ),
    },
    '/ops/dead-letters/{sequenceNumber}': {
      delete: op(
        'Discard a dead letter (audited with the reason)',
        {
          '204': { description: 'Discarded' },
          '400': problems,
          '404': error('No such dead letter'),
          '409': error('Beyond the first 1,000 dead letters'),
        },
        {
          parameters: [path('sequenceNumber', 'Service Bus sequence number', { type: 'integer' })],
          requestBody: reasonBody(true),
        },
      ),
    },
    '/ops/holds': {
      get: op(
        'Leavers held by the accidental-deletion threshold',
        {
          '200': json({ type: 'object', properties: { value: { type: 'array', items: ref('Hold') } } }),
          '400': problems,
        },
        { parameters: [query('status', 'held, approved or rejected', { enum: ['held', 'approved', 'rejected'] })] },
      ),
    },
    '/ops/holds/{holdId}/approve': {
      post: op(
        'Approve a held leaver (the removal goes ahead)',
        { '202': json(ref('Hold')), '404': error('No pending hold') },
        { parameters: [path('holdId', 'Hold id', { type: 'string', format: 'uuid' })] },
      ),
    },
    '/ops/holds/{holdId}/reject': {
      post: op(
        'Reject a held leaver (the removal is cancelled)',
        { '202': json(ref('Hold')), '404': error('No pending hold') },
        { parameters: [path('holdId', 'Hold id', { type: 'string', format: 'uuid' })] },
      ),
    },
    '/ops/scim/targets': {
      get: op('SCIM targets: enabled, quarantine circuit, last errors, backlog of parked syncs', {
        '200': json({ type: 'object', properties: { value: { type: 'array', items: { type: 'object' } } } }),
      }),
    },
    '/ops/scim/targets/{targetId}/provision/{employeeId}': {
      post: op(
        'Provision one person to one SCIM target now, answered with the operations made',
        {
          '200': json({ type: 'object', description: 'ScimSyncOutcome: result, SCIM id and every call made' }),
          '202': json({ type: 'object', description: 'still running after 30 s: the instance to poll' }),
          '404': error('No such target or person'),
        },
        {
          parameters: [
            path('targetId', 'SCIM target id from the policy', { type: 'string' }),
            path('employeeId', 'Employee id', { type: 'string' }),
          ],
        },
      ),
    },
    '/ops/scim/targets/{targetId}/sync': {
      post: op(
        'Initial sync of everyone in the target scope (a new target), queued for its catch-up',
        { '202': json({ type: 'object' }), '404': error('No such target') },
        { parameters: [path('targetId', 'SCIM target id from the policy', { type: 'string' })] },
      ),
    },
    '/ops/licences/report': {
      get: op(
        'Licence compliance report: SKUs and app licences, problems, segments, trend and forecast',
        {
          '200': json({ type: 'object', description: 'the report (JSON), or CSV / HTML with format' }),
          '404': error('saved: no report kept for that day'),
        },
        {
          parameters: [
            query('format', 'json (default), csv or html', { enum: ['json', 'csv', 'html'] }),
            query('saved', 'latest or YYYY-MM-DD: the report the daily timer kept, instead of one built now'),
          ],
        },
      ),
    },
    '/ops/licences/remediate': {
      post: op(
        'Licence remediation: a dry run by default; apply changes only the actions the policy switches on',
        {
          '200': json(ref('LicenceRemediation'), 'The plan (dry run) or the outcome of each applied action'),
          '400': problems,
          '409': json(ref('LicenceRemediation'), 'Refused: more changes than maxChanges; approve with planDigest'),
        },
        {
          requestBody: body(
            {
              type: 'object',
              additionalProperties: false,
              properties: {
                apply: { type: 'boolean', default: false, description: 'false: a dry run, nothing changes' },
                approve: {
                  type: 'string',
                  pattern: '^[0-9a-f]{16}$',
                  description: 'The planDigest of a refused run: approves exactly that plan',
                },
              },
            },
            false,
          ),
        },
      ),
    },
    '/ops/audit': {
      get: op(
        'The audit trail, page by page (JSON or CSV)',
        {
          '200': {
            description: 'OK',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    value: { type: 'array', items: ref('AuditRecord') },
                    continuationToken: nullableString,
                    nextLink: nullableString,
                  },
                },
              },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          '400': problems,
        },
        {
          parameters: [
            query('employeeId', 'One person'),
            query('target', 'entra or a SCIM target'),
            query('from', 'Date (whole day, UTC) or date-time'),
            query('to', 'Date (whole day, UTC) or date-time'),
            query('format', 'json or csv', { enum: ['json', 'csv'] }),
            limit(10000, 1000),
            continuationToken,
          ],
        },
      ),
    },
    '/ops/plan': {
      post: op(
        'Dry run of one HR event: the exact directory operations and why',
        {
          '200': json({ type: 'object', properties: { plan: { type: 'object' }, text: { type: 'string' } } }),
          '400': problems,
        },
        { requestBody: body(ref('HrEvent')) },
      ),
    },
    '/ops/persons/{employeeId}/explain': {
      get: op(
        "Explain the person's last HR record: rule and policy version per group",
        { '200': json(ref('Explanation')), '400': problems, '404': error('No HR record known') },
        { parameters: [employeeId] },
      ),
      post: op(
        'Explain a worker record (what-if)',
        { '200': json(ref('Explanation')), '400': problems },
        { parameters: [employeeId], requestBody: body(ref('WorkerRecord')) },
      ),
    },
    '/ops/persons/{employeeId}/provision-now': {
      post: op(
        'Provision one person now (joiner, timers skipped), answered with each step',
        {
          '200': json({ type: 'object' }),
          '202': json({ type: 'object' }, 'Still running: status links'),
          '400': problems,
        },
        { parameters: [employeeId], requestBody: body(ref('WorkerRecord')) },
      ),
    },
    '/ops/persons/{employeeId}/activation': {
      post: op(
        'Start self-activation, or send a new code',
        {
          '202': json({ type: 'object' }),
          '400': problems,
          '404': error('No account yet'),
          '409': error('Activation off, or no personal email'),
        },
        {
          parameters: [employeeId],
          requestBody: body(
            { type: 'object', properties: { personalEmail: { type: 'string', format: 'email' } } },
            false,
          ),
        },
      ),
    },
    '/ops/reevaluate': {
      post: op(
        'Apply the current policy again to the named people, or everyone',
        {
          '200': json({ type: 'object' }, 'Dry run: how many people'),
          '202': json({ type: 'object' }, 'Queued'),
          '400': problems,
        },
        {
          requestBody: body({
            type: 'object',
            properties: {
              employeeIds: { type: 'array', items: { type: 'string' } },
              all: { const: true },
              reason: { type: 'string' },
              dryRun: { type: 'boolean' },
            },
          }),
        },
      ),
    },
    '/ops/openapi.json': {
      get: op('This document', { '200': json({ type: 'object' }) }),
    },
  },
  components: {
    schemas,
    securitySchemes: {
      functionKey: { type: 'apiKey', in: 'header', name: 'x-functions-key', description: 'The admin (master) key' },
      easyAuth: {
        type: 'http',
        scheme: 'bearer',
        description: 'An Entra token App Service Authentication accepts; the app role decides what the caller may do',
      },
    },
  },
} as const;
