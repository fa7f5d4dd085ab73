import * as z from 'zod/mini';

/**
 * The shapes the console reads from the admin API (functions/ops-*.ts, functions/persons.ts). Loose on purpose:
 * fields the console does not show pass through, fields it shows are checked, so a new API field never breaks a
 * page and a changed one fails here with its path instead of rendering "undefined".
 */

const NextDue = z.nullable(z.object({ which: z.string(), at: z.string() }));

export const PersonSummary = z.looseObject({
  employeeId: z.string(),
  displayName: z.nullish(z.string()),
  userPrincipalName: z.nullish(z.string()),
  userId: z.nullish(z.string()),
  phase: z.nullish(z.string()),
  nextDue: z.nullish(NextDue),
  problems: z.nullish(z.array(z.string())),
});
export type PersonSummary = z.infer<typeof PersonSummary>;

export const PeopleAnswer = z.object({ people: z.array(PersonSummary) });

/** GET /api/persons/{employeeId}: the person orchestration's custom status. */
export const PersonStatus = z.looseObject({
  employeeId: z.string(),
  instanceId: z.optional(z.string()),
  runtimeStatus: z.optional(z.string()),
  phase: z.optional(z.string()),
  userId: z.nullish(z.string()),
  nextDue: z.nullish(NextDue),
  lastEvents: z.optional(z.array(z.string())),
  problems: z.optional(z.array(z.string())),
});
export type PersonStatus = z.infer<typeof PersonStatus>;

export const GroupExplanation = z.looseObject({
  groupId: z.string(),
  groupName: z.optional(z.string()),
  kind: z.optional(z.string()),
  ruleIds: z.optional(z.array(z.string())),
  policyVersion: z.optional(z.string()),
  text: z.optional(z.string()),
});
export type GroupExplanation = z.infer<typeof GroupExplanation>;

/** GET /api/ops/persons/{employeeId}/explain. */
export const Explanation = z.looseObject({
  policyVersion: z.optional(z.string()),
  groups: z.array(GroupExplanation),
  directory: z.optional(
    z.looseObject({
      userId: z.nullish(z.string()),
      currentGroupIds: z.optional(z.array(z.string())),
      missing: z.optional(z.array(z.string())),
      notGrantedByPolicy: z.optional(z.array(z.string())),
    }),
  ),
});
export type Explanation = z.infer<typeof Explanation>;

/** The worker record as HR last sent it (shared/domain/hr-event.ts WorkerRecord); only what the page shows. */
const WorkerRecordView = z.looseObject({
  employeeId: z.string(),
  legalGivenName: z.optional(z.string()),
  legalFamilyName: z.optional(z.string()),
  preferredGivenName: z.nullish(z.string()),
  displayName: z.nullish(z.string()),
  department: z.nullish(z.string()),
  jobTitle: z.nullish(z.string()),
  country: z.nullish(z.string()),
  hireDate: z.nullish(z.string()),
  leaveDate: z.nullish(z.string()),
  managerEmployeeId: z.nullish(z.string()),
});

/** GET /api/ops/people/{employeeId} (admin API, issue 20): state, last record, groups with their reason. */
export const PersonDetail = z.looseObject({
  employeeId: z.string(),
  displayName: z.nullish(z.string()),
  userPrincipalName: z.nullish(z.string()),
  state: z.nullish(
    z.looseObject({
      phase: z.nullish(z.string()),
      userId: z.nullish(z.string()),
      nextDue: z.nullish(NextDue),
      problems: z.nullish(z.array(z.string())),
    }),
  ),
  record: z.nullish(WorkerRecordView),
  groups: z.nullish(z.array(GroupExplanation)),
  activation: z.optional(z.unknown()),
  /** Steps that announced directory writes and have no audit row yet (running, or stopped: see Runs). */
  unconfirmedWrites: z.nullish(
    z.array(z.looseObject({ since: z.string(), action: z.string(), instanceId: z.nullish(z.string()) })),
  ),
});
export type PersonDetail = z.infer<typeof PersonDetail>;

export const AuditEntry = z.looseObject({
  at: z.string(),
  actor: z.nullish(z.string()),
  action: z.string(),
  employeeId: z.nullish(z.string()),
  target: z.nullish(z.string()),
  outcome: z.nullish(z.string()),
  reason: z.nullish(z.string()),
  before: z.optional(z.unknown()),
  after: z.optional(z.unknown()),
  correlation: z.nullish(z.looseObject({ eventId: z.optional(z.string()), instanceId: z.optional(z.string()) })),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** GET /api/ops/people/{employeeId}/timeline (newest first). */
export const TimelineAnswer = z.object({
  entries: z.array(AuditEntry),
  continuationToken: z.nullish(z.string()),
});
/** GET /api/ops/audit (oldest first; the console's fallback while the timeline route is not there). */
export const AuditAnswer = z.object({ value: z.array(AuditEntry), continuationToken: z.nullish(z.string()) });

// GET /api/ops/runs names the durable runtime status `status` (shared/ops/runs.ts); the page calls it runtimeStatus.
export const Run = z.pipe(
  z.transform((raw: unknown) => {
    const run = (raw ?? {}) as Record<string, unknown>;
    return { ...run, runtimeStatus: run.runtimeStatus ?? run.status };
  }),
  z.looseObject({
    instanceId: z.string(),
    name: z.nullish(z.string()),
    runtimeStatus: z.string(),
    createdTime: z.nullish(z.string()),
    lastUpdatedTime: z.nullish(z.string()),
    customStatus: z.optional(z.unknown()),
    output: z.optional(z.unknown()),
    /** When the run waits on a durable timer: until when (admin API, when it knows). */
    waitingUntil: z.nullish(z.string()),
  }),
);
export type Run = z.infer<typeof Run>;
export const RunsAnswer = z.object({ runs: z.array(Run), continuationToken: z.nullish(z.string()) });

export const DeadLetter = z.looseObject({
  sequenceNumber: z.number(),
  messageId: z.string(),
  sessionId: z.nullish(z.string()),
  body: z.unknown(),
  enqueuedTime: z.string(),
  deliveryCount: z.number(),
  reason: z.nullish(z.string()),
  description: z.nullish(z.string()),
  failure: z.nullish(z.looseObject({ at: z.string(), reason: z.string(), deliveryCount: z.nullish(z.number()) })),
});
export type DeadLetter = z.infer<typeof DeadLetter>;
export const DeadLettersAnswer = z.object({ queue: z.optional(z.string()), value: z.array(DeadLetter) });

export const Hold = z.looseObject({
  holdId: z.string(),
  employeeId: z.string(),
  action: z.string(),
  instanceId: z.optional(z.string()),
  eventId: z.nullish(z.string()),
  createdAt: z.string(),
  status: z.string(),
  decidedBy: z.nullish(z.string()),
});
export type Hold = z.infer<typeof Hold>;
export const HoldsAnswer = z.object({ value: z.array(Hold) });

/** GET /_local/graph/_admin/outbox (local/emulators/graph): mails the app sent, newest last. */
export const OutboxMail = z.looseObject({
  seq: z.number(),
  sender: z.string(),
  sentAt: z.string(),
  message: z.nullish(
    z.looseObject({
      subject: z.nullish(z.string()),
      toRecipients: z.nullish(z.array(z.looseObject({ emailAddress: z.looseObject({ address: z.string() }) }))),
      body: z.nullish(z.looseObject({ contentType: z.nullish(z.string()), content: z.nullish(z.string()) })),
    }),
  ),
});
export type OutboxMail = z.infer<typeof OutboxMail>;
export const OutboxAnswer = z.object({ value: z.array(OutboxMail) });

/** GET/POST /_local/clock (local/durable/durable-extension.ts). */
export const ClockState = z.object({ now: z.string(), offsetMs: z.number() });
export type ClockState = z.infer<typeof ClockState>;

/** Reports whose shape the console does not know yet (SCIM targets, licences): shown as tables of their rows. */
export const AnyJson = z.unknown();

/** App Service Authentication's /.auth/me: the signed-in identity and its claims (roles among them). */
export const EasyAuthMe = z.array(
  z.looseObject({
    user_id: z.optional(z.string()),
    user_claims: z.optional(z.array(z.object({ typ: z.string(), val: z.string() }))),
  }),
);
