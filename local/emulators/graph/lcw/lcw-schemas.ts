import { z } from 'zod';
import { FilterSyntaxError, parseFilter } from '../filter';

/**
 * Request bodies of the Lifecycle Workflows API as Graph accepts them, strict like Graph: a property the type does not
 * define is a 400, and so is a value outside the documented ranges. Each range cites its page.
 */

/** "Run a custom task extension" (https://learn.microsoft.com/entra/id-governance/lifecycle-workflow-tasks). */
export const RUN_CUSTOM_TASK_EXTENSION = '4262b724-8dba-4fad-afc3-43fcbb497a0e';

export const ODATA = {
  logicAppEndpoint: '#microsoft.graph.logicAppTriggerEndpointConfiguration',
  tokenAuthentication: '#microsoft.graph.azureAdTokenAuthentication',
  popAuthentication: '#microsoft.graph.azureAdPopTokenAuthentication',
  clientConfiguration: '#microsoft.graph.customExtensionClientConfiguration',
  callbackConfiguration: '#microsoft.graph.identityGovernance.customTaskExtensionCallbackConfiguration',
  triggerAndScope: '#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions',
  ruleBasedSubjectSet: '#microsoft.graph.identityGovernance.ruleBasedSubjectSet',
  timeBasedAttributeTrigger: '#microsoft.graph.identityGovernance.timeBasedAttributeTrigger',
  onDemandOnly: '#microsoft.graph.identityGovernance.onDemandExecutionOnly',
} as const;

/** `@odata.type` as clients write it: with or without the leading '#' (Graph's own tutorials use both). */
const odataType = (type: string) =>
  z
    .string()
    .refine((value) => value.replace(/^#/, '') === type.replace(/^#/, ''), { message: `must be ${type}` })
    .transform(() => type);

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');

/** ISO 8601 duration (P…D, PT…H…M…S) in milliseconds, or NaN when it is not one. */
export function durationMs(value: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value);
  if (!m || value === 'P' || value.endsWith('T')) return NaN;
  const [, d = '0', h = '0', min = '0', s = '0'] = m;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(min)) * 60_000 + Number(s) * 1000;
}

const FIVE_MINUTES = 5 * 60_000;
const THREE_HOURS = 3 * 3_600_000;

/**
 * An application allowed to resume, given by appId: "A collection of unique identifiers or appIds of the
 * applications that are allowed to resume a task processing result"
 * (https://learn.microsoft.com/graph/api/resources/identitygovernance-customtaskextensioncallbackconfiguration).
 * Graph types the items as microsoft.graph.application; the emulator takes an appId string or `{appId}` / `{id}`.
 */
const authorizedApp = z.union([
  uuid,
  z.strictObject({ '@odata.type': z.string().optional(), appId: uuid.optional(), id: uuid.optional() }),
]);

/** POST /identityGovernance/lifecycleWorkflows/customTaskExtensions (CONTRACTS §3.2). */
export const CustomTaskExtensionInput = z.strictObject({
  displayName: z.string().min(1).max(256),
  description: z.string().max(1024).optional(),
  endpointConfiguration: z.strictObject({
    '@odata.type': odataType(ODATA.logicAppEndpoint),
    subscriptionId: uuid,
    resourceGroupName: z.string().min(1),
    logicAppWorkflowName: z.string().min(1),
    // Graph answers with the trigger URL it resolved; accepted so a GET body can be posted back.
    url: z.string().optional(),
  }),
  authenticationConfiguration: z.discriminatedUnion('@odata.type', [
    z.strictObject({ '@odata.type': z.literal(ODATA.tokenAuthentication), resourceId: z.string().min(1) }),
    z.strictObject({ '@odata.type': z.literal(ODATA.popAuthentication) }),
  ]),
  // https://learn.microsoft.com/graph/api/resources/customextensionclientconfiguration: 200..2000 ms, retries 0..1.
  clientConfiguration: z
    .strictObject({
      '@odata.type': odataType(ODATA.clientConfiguration).optional(),
      maximumRetries: z.number().int().min(0).max(1).default(1),
      timeoutInMilliseconds: z.number().int().min(200).max(2000).default(1000),
    })
    .optional(),
  // Launch and wait: "Accepted time durations are between five minutes to three hours"
  // (https://learn.microsoft.com/graph/api/resources/identitygovernance-customtaskextensioncallbackconfiguration).
  callbackConfiguration: z
    .strictObject({
      '@odata.type': odataType(ODATA.callbackConfiguration).optional(),
      timeoutDuration: z.string().refine((v) => {
        const ms = durationMs(v);
        return ms >= FIVE_MINUTES && ms <= THREE_HOURS;
      }, 'must be an ISO 8601 duration between PT5M and PT3H'),
      authorizedApps: z.array(authorizedApp).optional(),
    })
    .optional(),
});
export type CustomTaskExtensionInput = z.infer<typeof CustomTaskExtensionInput>;

const taskArgument = z.strictObject({ name: z.string().min(1), value: z.string() });

/** A task of a workflow (https://learn.microsoft.com/graph/api/resources/identitygovernance-task). */
const TaskInput = z.strictObject({
  // Read-only on Graph, but its own tutorials send it ("category": "Joiner"); accepted and recomputed.
  category: z.string().optional(),
  continueOnError: z.boolean().default(false),
  description: z.string().max(1024).optional(),
  displayName: z.string().min(1),
  isEnabled: z.boolean().default(true),
  taskDefinitionId: uuid,
  arguments: z.array(taskArgument).default([]),
});
type TaskInput = z.infer<typeof TaskInput>;

/** A scope rule in the OData filter syntax LCW uses, e.g. "(department eq 'Sales')". */
const scopeRule = z.string().superRefine((rule, ctx) => {
  try {
    parseFilter(rule);
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `not a filter rule: ${error instanceof FilterSyntaxError ? error.message : String(error)}`,
    });
  }
});

/** https://learn.microsoft.com/graph/api/resources/identitygovernance-timebasedattributetrigger: -180..180 days. */
const TimeBasedAttributeTrigger = z.strictObject({
  '@odata.type': odataType(ODATA.timeBasedAttributeTrigger),
  timeBasedAttribute: z.enum(['employeeHireDate', 'employeeLeaveDateTime', 'createdDateTime']),
  offsetInDays: z.number().int().min(-180).max(180),
});

const ExecutionConditions = z.union([
  z.strictObject({
    '@odata.type': odataType(ODATA.triggerAndScope),
    scope: z.strictObject({ '@odata.type': odataType(ODATA.ruleBasedSubjectSet), rule: scopeRule }),
    trigger: TimeBasedAttributeTrigger,
  }),
  z.strictObject({ '@odata.type': odataType(ODATA.onDemandOnly) }),
]);

/**
 * POST /identityGovernance/lifecycleWorkflows/workflows
 * (https://learn.microsoft.com/graph/api/identitygovernance-lifecycleworkflowscontainer-post-workflows): category,
 * displayName, executionConditions and tasks are required; at most 25 tasks
 * (https://learn.microsoft.com/entra/id-governance/governance-service-limits). The emulator schedules the
 * time-based trigger only (attribute-change and membership triggers are refused as unknown).
 */
export const WorkflowInput = z
  .strictObject({
    category: z.enum(['joiner', 'leaver', 'mover']),
    description: z.string().max(1024).optional(),
    displayName: z.string().min(1).max(256),
    executionConditions: ExecutionConditions,
    id: z.string().optional(),
    isEnabled: z.boolean().default(true),
    isSchedulingEnabled: z.boolean().default(false),
    tasks: z.array(TaskInput).min(1).max(25),
  })
  // "isSchedulingEnabled ... cannot be true for a disabled workflow" (identitygovernance-workflow resource page).
  .refine((w) => w.isEnabled || !w.isSchedulingEnabled, {
    message: 'isSchedulingEnabled cannot be true when isEnabled is false',
    path: ['isSchedulingEnabled'],
  });
export type WorkflowInput = z.infer<typeof WorkflowInput>;

/**
 * POST .../taskProcessingResults/{id}/resume: a customExtensionCalloutResponse whose data.operationStatus is
 * `completed` or `failed`
 * (https://learn.microsoft.com/graph/api/resources/identitygovernance-customtaskextensioncallbackdata;
 * Microsoft's own samples write "Completed", so the value is compared without case).
 */
export const ResumeInput = z.strictObject({
  data: z.looseObject({
    '@odata.type': z.string().optional(),
    operationStatus: z
      .string()
      .transform((v) => v.toLowerCase())
      .pipe(z.enum(['completed', 'failed'])),
  }),
  source: z.string().optional(),
  type: z.string().optional(),
});
export type ResumeInput = z.infer<typeof ResumeInput>;

/** POST .../workflows/{id}/activate: 1 to 10 users ("Users per on-demand run: 10", governance-service-limits). */
export const ActivateInput = z.strictObject({
  subjects: z
    .array(z.looseObject({ id: z.string().min(1) }))
    .min(1)
    .max(10),
});

/** The first problem of a failed parse, worded the way Graph words its 400s. */
export function describeProblem(error: z.ZodError, typeName: string): string {
  const issue = error.issues[0]!;
  const path = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    return (
      `Property '${key}' does not exist on type '${typeName}'${path ? ` (at ${path})` : ''}. ` +
      'Make sure to only use property names that are defined by the type.'
    );
  }
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && issue.input === undefined)
    return `The property '${path}' is required.`;
  return `Invalid value for property '${path}': ${issue.message}`;
}
