import { z } from 'zod';

/**
 * The callout a Lifecycle Workflows custom task extension sends (forwarded to us by the Logic App): the
 * customExtensionCalloutRequest envelope with customTaskExtensionCalloutData, as the Logic App HTTP trigger schema in
 * https://learn.microsoft.com/entra/id-governance/configure-logic-app-lifecycle-workflows lists it
 * (https://learn.microsoft.com/graph/api/resources/customextensioncalloutrequest). Parsed defensively: only what we
 * act on is required, and extra properties (`@odata.type`, fields added later) are allowed.
 */
const ObjectId = z.guid('a directory object id (GUID)');
const OptionalText = z.string().max(1024).nullish();

/**
 * Where resume is posted, relative to https://graph.microsoft.com/beta (as Microsoft's Logic App template does).
 * Our app token goes with that POST, so the path must be a Lifecycle Workflows resume action of this very task
 * result (every documented navigation path ends .../taskProcessingResults/{id}/[microsoft.graph.identityGovernance.]
 * resume: https://learn.microsoft.com/graph/api/identitygovernance-taskprocessingresult-resume), with no query,
 * fragment, escape or dot segment that could point it elsewhere.
 */
const CallbackUriPath = z
  .string()
  .max(1024)
  .regex(
    /^\/identityGovernance\/lifecycleWorkflows\/workflows\//i,
    'must start /identityGovernance/lifecycleWorkflows/',
  )
  .regex(/^[A-Za-z0-9/_.=()'-]+$/, 'only path characters (no query, fragment or percent-escape)')
  .refine((path) => !path.split('/').some((segment) => segment === '.' || segment === '..'), 'no dot segments')
  .regex(/\/(microsoft\.graph\.identityGovernance\.)?resume$/i, 'must end with the resume action');

export const LcwCallout = z.looseObject({
  source: z.string().max(1024),
  type: z.string().max(1024),
  data: z
    .looseObject({
      callbackUriPath: CallbackUriPath,
      subject: z.looseObject({
        id: ObjectId,
        displayName: OptionalText,
        email: OptionalText,
        userPrincipalName: OptionalText,
        manager: z.looseObject({ id: ObjectId.nullish(), displayName: OptionalText, email: OptionalText }).nullish(),
      }),
      task: z.looseObject({ id: ObjectId, displayName: OptionalText }),
      taskProcessingResult: z.looseObject({ id: ObjectId, createdDateTime: OptionalText }),
      workflow: z.looseObject({
        id: ObjectId,
        displayName: OptionalText,
        workflowVersion: z.number().int().nullish(),
      }),
    })
    .refine(
      (data) =>
        data.callbackUriPath
          .toLowerCase()
          .includes(`/taskprocessingresults/${data.taskProcessingResult.id.toLowerCase()}/`),
      { path: ['callbackUriPath'], message: 'must resume this taskProcessingResult (its id is not in the path)' },
    ),
});
export type LcwCallout = z.infer<typeof LcwCallout>;

/** One orchestration per task result: a retried callout finds it (instance ids are case-sensitive; ids are not). */
export function lcwInstanceId(taskProcessingResultId: string): string {
  return `lcw-${taskProcessingResultId.toLowerCase()}`;
}

/** What the orchestration needs from the callout (the rest stays in the HTTP function's log). */
export interface LcwTaskInput {
  callbackUriPath: string;
  subjectId: string;
  taskId: string;
  taskDisplayName: string | null;
  taskProcessingResultId: string;
  workflowId: string;
  workflowDisplayName: string | null;
}

export function lcwTaskInput(callout: LcwCallout): LcwTaskInput {
  const { data } = callout;
  return {
    callbackUriPath: data.callbackUriPath,
    subjectId: data.subject.id,
    taskId: data.task.id,
    taskDisplayName: data.task.displayName ?? null,
    taskProcessingResultId: data.taskProcessingResult.id.toLowerCase(),
    workflowId: data.workflow.id,
    workflowDisplayName: data.workflow.displayName ?? null,
  };
}

export const LCW_TASK_ORCHESTRATION = 'lcwTask';
