import { randomUUID } from 'node:crypto';
import type { EmulatorResponse } from '../odata';
import { badRequest, forbidden, notFound, odataError, ok } from '../odata';
import { extensionDoc, workflowDoc } from './lcw-documents';
import { failTimedOut } from './lcw-progress';
import {
  ActivateInput,
  CustomTaskExtensionInput,
  describeProblem,
  ResumeInput,
  RUN_CUSTOM_TASK_EXTENSION,
  WorkflowInput,
} from './lcw-schemas';
import type { CustomTaskExtensionDoc, LcwStore, SubjectDoc, TaskProcessingResultDoc, WorkflowDoc } from './lcw-store';
import { runView, taskResultView, userResultView, workflowView } from './lcw-views';

/**
 * Microsoft Graph's Lifecycle Workflows API (/identityGovernance/lifecycleWorkflows/..., v1.0 and beta) on the
 * emulator's tenant: custom task extensions, workflows, their runs and processing results, and the resume action.
 * Each refusal follows the API page cited next to it.
 */
export interface LcwRequest {
  method: string;
  /** Segments after /identityGovernance/lifecycleWorkflows. */
  segments: string[];
  path: string;
  body: unknown;
  /** Application roles of the caller's token; undefined: an in-process caller, not checked. */
  roles?: string[];
  /** Delegated scopes (scp) of the caller's token. */
  scopes?: string[];
  /** appid / azp of the caller's token. */
  appId?: string;
}

const READ_WRITE = 'LifecycleWorkflows.ReadWrite.All';
const READ = 'LifecycleWorkflows.Read.All';
/** Workflows per tenant (https://learn.microsoft.com/entra/id-governance/governance-service-limits). */
const MAX_WORKFLOWS = 100;
/** Custom task extensions per tenant (same page). */
const MAX_EXTENSIONS = 100;
const WORKFLOW_TYPE = 'microsoft.graph.identityGovernance.workflow';
const EXTENSION_TYPE = 'microsoft.graph.identityGovernance.customTaskExtension';

export class LifecycleWorkflowsApi {
  /** The local clock (the durable clock on the local host); replaced by the emulator at start. */
  now: () => number = () => Date.now();
  /** Told when a resume changed a task, so the scheduler moves the user's workflow on. */
  onChange: () => void = () => {};

  constructor(
    readonly store: LcwStore,
    /** A user of the tenant as a subject, or null when there is none with that id. */
    private readonly users: (id: string) => SubjectDoc | null = () => null,
  ) {}

  handle(req: LcwRequest): EmulatorResponse {
    const [collection, id, ...rest] = req.segments;
    const { method } = req;
    if (collection === 'customTaskExtensions') {
      if (!this.may(req, method === 'GET' ? 'read' : 'write')) return forbidden();
      if (id === undefined && method === 'GET') return this.list(this.store.list('customTaskExtension'));
      if (id === undefined && method === 'POST') return this.createExtension(req);
      if (id !== undefined && rest.length === 0 && method === 'GET')
        return this.one(this.store.get('customTaskExtension', id), id, EXTENSION_TYPE);
      return methodNotAllowed();
    }
    if (collection !== 'workflows') return notFound(req.path);
    if (isResume(rest) && method === 'POST') return this.resume(req, id!, rest);
    if (!this.may(req, method === 'GET' ? 'read' : 'write')) return forbidden();
    if (id === undefined && method === 'GET') return this.list(this.store.list('workflow').map(workflowView));
    if (id === undefined && method === 'POST') return this.createWorkflow(req.body);
    const activate = rest.length === 1 && /^(microsoft\.graph\.identityGovernance\.)?activate$/.test(rest[0]!);
    if (activate && method === 'POST') return this.activate(id!, req.body);
    if (method !== 'GET') return methodNotAllowed();
    const workflow = this.store.get('workflow', id!);
    if (!workflow) return notFound(id!);
    return this.readWorkflowPart(workflow, rest);
  }

  /** GET .../workflows/{id}[/runs[/{id}[/userProcessingResults|/taskProcessingResults]]|/userProcessingResults...] */
  private readWorkflowPart(workflow: WorkflowDoc, rest: string[]): EmulatorResponse {
    const runs = this.store.list('run').filter((r) => r.workflowId === workflow.id);
    const users = this.store.list('userProcessingResult').filter((u) => u.workflowId === workflow.id);
    const tasks = this.store.list('taskProcessingResult').filter((t) => t.workflowId === workflow.id);
    const [part, partId, child] = rest;
    if (part === undefined) return ok(workflowView(workflow));
    if (part === 'runs') {
      if (partId === undefined) return this.list(runs.map((r) => runView(r, users, tasks)));
      const run = runs.find((r) => r.id === partId);
      if (!run) return notFound(partId);
      if (child === undefined) return ok(runView(run, users, tasks));
      if (child === 'userProcessingResults')
        return this.list(users.filter((u) => u.runId === run.id).map((u) => userResultView(u, tasks)));
      if (child === 'taskProcessingResults')
        return this.list(tasks.filter((t) => t.runId === run.id).map((t) => taskResultView(t, workflow)));
      return notFound(child);
    }
    if (part === 'userProcessingResults') {
      if (partId === undefined) return this.list(users.map((u) => userResultView(u, tasks)));
      const user = users.find((u) => u.id === partId);
      if (!user) return notFound(partId);
      if (child === undefined) return ok(userResultView(user, tasks));
      if (child === 'taskProcessingResults')
        return this.list(
          tasks.filter((t) => t.userProcessingResultId === user.id).map((t) => taskResultView(t, workflow)),
        );
      return notFound(child);
    }
    if (part === 'tasks' && partId === undefined) return this.list(workflow.tasks);
    return notFound(part);
  }

  /**
   * Who may call what. Reads: LifecycleWorkflows.Read.All or ReadWrite.All; writes: ReadWrite.All, as an application
   * role or a delegated scope
   * (https://learn.microsoft.com/graph/api/identitygovernance-lifecycleworkflowscontainer-post-workflows).
   * Custom task extensions are created with delegated permission only ("Application: Not supported",
   * https://learn.microsoft.com/graph/api/identitygovernance-lifecycleworkflowscontainer-post-customtaskextensions).
   */
  private may(req: LcwRequest, access: 'read' | 'write'): boolean {
    if (req.roles === undefined) return true;
    const delegatedOnly = req.segments[0] === 'customTaskExtensions' && access === 'write';
    const granted = delegatedOnly ? (req.scopes ?? []) : [...req.roles, ...(req.scopes ?? [])];
    return granted.includes(READ_WRITE) || (access === 'read' && granted.includes(READ));
  }

  private list(items: unknown[]): EmulatorResponse {
    return ok({ value: items });
  }

  private one(doc: unknown, id: string, _type: string): EmulatorResponse {
    return doc ? ok(doc) : notFound(id);
  }

  private createExtension(req: LcwRequest): EmulatorResponse {
    const parsed = CustomTaskExtensionInput.safeParse(req.body ?? {});
    if (!parsed.success) return badRequest(describeProblem(parsed.error, EXTENSION_TYPE));
    if (this.store.list('customTaskExtension').length >= MAX_EXTENSIONS)
      return badRequest(`A tenant can have at most ${MAX_EXTENSIONS} custom task extensions.`);
    const doc = extensionDoc(randomUUID(), parsed.data, new Date(this.now()).toISOString());
    this.store.put('customTaskExtension', doc);
    return ok(doc, 201);
  }

  private createWorkflow(body: unknown): EmulatorResponse {
    const parsed = WorkflowInput.safeParse(body ?? {});
    if (!parsed.success) return badRequest(describeProblem(parsed.error, WORKFLOW_TYPE));
    const input = parsed.data;
    if (this.store.list('workflow').length >= MAX_WORKFLOWS)
      return badRequest(`A tenant can have at most ${MAX_WORKFLOWS} workflows.`);
    if (this.store.list('workflow').some((w) => w.displayName === input.displayName))
      // "displayName: A unique string that identifies the workflow" (post-workflows page).
      return odataError(409, 'Conflict', `A workflow with displayName '${input.displayName}' already exists.`);
    for (const task of input.tasks) {
      if (task.taskDefinitionId !== RUN_CUSTOM_TASK_EXTENSION) continue;
      const extensionId = task.arguments.find((a) => a.name === 'customTaskExtensionID')?.value;
      if (!extensionId)
        return badRequest(`Task '${task.displayName}': the argument 'customTaskExtensionID' is required.`);
      if (!this.store.get('customTaskExtension', extensionId))
        return badRequest(`Task '${task.displayName}': custom task extension '${extensionId}' does not exist.`);
    }
    const doc = workflowDoc(randomUUID(), input, new Date(this.now()).toISOString(), () => randomUUID());
    this.store.put('workflow', doc);
    return ok(
      {
        '@odata.context':
          'https://graph.microsoft.com/v1.0/$metadata#identityGovernance/lifecycleWorkflows/workflows/$entity',
        ...workflowView(doc),
      },
      201,
    );
  }

  /**
   * POST .../workflows/{id}/activate {"subjects":[{"id":...}]}: an on-demand run for at most 10 users, whatever the
   * scope and trigger say; 204 (https://learn.microsoft.com/graph/api/identitygovernance-workflow-activate,
   * https://learn.microsoft.com/entra/id-governance/governance-service-limits). The scheduler's next pass (started at
   * once) carries out the tasks. Graph does not say whether a disabled workflow may run on demand; the emulator
   * lets it.
   */
  private activate(workflowId: string, body: unknown): EmulatorResponse {
    const workflow = this.store.get('workflow', workflowId);
    if (!workflow) return notFound(workflowId);
    const parsed = ActivateInput.safeParse(body ?? {});
    if (!parsed.success)
      return badRequest(describeProblem(parsed.error, 'microsoft.graph.identityGovernance.workflow.activate'));
    const subjects = parsed.data.subjects.map((subject) => ({ ...subject, user: this.users(subject.id) }));
    const unknown = subjects.find((subject) => !subject.user);
    if (unknown) return notFound(unknown.id);
    const at = new Date(this.now()).toISOString();
    const runId = randomUUID();
    this.store.put('run', {
      id: runId,
      workflowId,
      workflowVersion: workflow.version,
      workflowExecutionType: 'onDemand',
      scheduledDateTime: at,
      startedDateTime: at,
      completedDateTime: null,
    });
    for (const { user } of subjects)
      this.store.put('userProcessingResult', {
        id: randomUUID(),
        runId,
        workflowId,
        workflowVersion: workflow.version,
        workflowExecutionType: 'onDemand',
        subject: user!,
        processingStatus: 'queued',
        scheduledDateTime: at,
        startedDateTime: at,
        completedDateTime: null,
      });
    this.onChange();
    return { status: 204, headers: { 'request-id': randomUUID() } };
  }

  /**
   * POST .../workflows/{wid}/tasks/{tid}/taskProcessingResults/{id}/resume (and the same action under
   * userProcessingResults and runs),
   * https://learn.microsoft.com/graph/api/identitygovernance-taskprocessingresult-resume:
   * 204. Allowed: LifecycleWorkflows.ReadWrite.All, an app in the extension's callbackConfiguration.authorizedApps, or
   * the app in its azureAdTokenAuthentication.resourceId ("without an application permission or role assignment").
   * A result that is no longer in progress (completed, failed, or timed out on the callback timeout) cannot be
   * resumed; Graph documents no answer for that, the emulator answers 400.
   */
  private resume(req: LcwRequest, workflowId: string, rest: string[]): EmulatorResponse {
    const resultId = rest.at(-2)!;
    const answer = (response: EmulatorResponse, result: TaskProcessingResultDoc | null) => {
      this.store.put('resume', {
        id: randomUUID(),
        path: req.path,
        taskProcessingResultId: result?.id ?? null,
        callerAppId: req.appId ?? null,
        receivedDateTime: new Date(this.now()).toISOString(),
        status: response.status,
        body: req.body ?? null,
      });
      return response;
    };
    const found = this.store.get('taskProcessingResult', resultId);
    const result = found && found.workflowId === workflowId && pathMatches(found, rest) ? found : null;
    const hasPermission = req.roles === undefined || [...req.roles, ...(req.scopes ?? [])].includes(READ_WRITE);
    if (!result) return answer(hasPermission ? notFound(resultId) : forbidden(), null);
    if (!hasPermission && !this.isAuthorizedApp(result, req.appId)) return answer(forbidden(), result);
    const parsed = ResumeInput.safeParse(req.body ?? {});
    if (!parsed.success)
      return answer(
        badRequest(describeProblem(parsed.error, 'microsoft.graph.customExtensionCalloutResponse')),
        result,
      );
    const now = this.now();
    const current = failTimedOut(this.store, result, now);
    if (current.processingStatus !== 'inProgress')
      return answer(
        badRequest(
          `The taskProcessingResult '${result.id}' is ${current.processingStatus}` +
            (current.failureReason ? ` (${current.failureReason})` : '') +
            ' and can no longer be resumed.',
        ),
        result,
      );
    const completed = parsed.data.data.operationStatus === 'completed';
    this.store.put('taskProcessingResult', {
      ...current,
      processingStatus: completed ? 'completed' : 'failed',
      completedDateTime: new Date(now).toISOString(),
      failureReason: completed ? null : 'The custom task extension resumed the task with operationStatus failed.',
    });
    this.onChange();
    return answer({ status: 204, headers: { 'request-id': randomUUID() } }, result);
  }

  private isAuthorizedApp(result: TaskProcessingResultDoc, appId: string | undefined): boolean {
    if (!appId || !result.customTaskExtensionId) return false;
    const extension = this.store.get('customTaskExtension', result.customTaskExtensionId);
    if (!extension) return false;
    if (extension.authenticationConfiguration.resourceId === appId) return true;
    return authorizedAppIds(extension).includes(appId.toLowerCase());
  }
}

/** The appIds in callbackConfiguration.authorizedApps (strings or {appId} / {id} objects). */
function authorizedAppIds(extension: CustomTaskExtensionDoc): string[] {
  return (extension.callbackConfiguration?.authorizedApps ?? [])
    .map((app) =>
      typeof app === 'string' ? app : ((app as { appId?: string; id?: string }).appId ?? (app as { id?: string }).id),
    )
    .filter((id): id is string => typeof id === 'string')
    .map((id) => id.toLowerCase());
}

/** .../taskProcessingResults/{id}/resume, the action also being addressable by its qualified name. */
function isResume(rest: string[]): boolean {
  const last = rest.at(-1);
  return (
    rest.length >= 4 &&
    rest.at(-3) === 'taskProcessingResults' &&
    (last === 'resume' || last === 'microsoft.graph.identityGovernance.resume')
  );
}

/**
 * tasks/{tid}/…, userProcessingResults/{uid}/…, runs/{rid}/userProcessingResults/{uid}/…: each must name the
 * result's own.
 */
function pathMatches(result: TaskProcessingResultDoc, rest: string[]): boolean {
  const parents = rest.slice(0, -3);
  for (let i = 0; i + 1 < parents.length; i += 2) {
    const [kind, id] = [parents[i], parents[i + 1]];
    if (kind === 'tasks' && id !== result.taskId) return false;
    if (kind === 'userProcessingResults' && id !== result.userProcessingResultId) return false;
    if (kind === 'runs' && id !== result.runId) return false;
    if (!['tasks', 'userProcessingResults', 'runs'].includes(kind!)) return false;
  }
  return parents.length > 0;
}

function methodNotAllowed(): EmulatorResponse {
  return odataError(405, 'Request_BadRequest', 'The HTTP method is not allowed on this resource.');
}
