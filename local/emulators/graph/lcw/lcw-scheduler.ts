import { randomUUID } from 'node:crypto';
import { matches, parseFilter } from '../filter';
import type { GraphStore, UserDoc } from '../store';
import { calloutBody, type CalloutSubject } from './callout';
import type { LogicAppStandIn } from './logic-app-stand-in';
import { DONE, failTimedOut } from './lcw-progress';
import { durationMs, ODATA, RUN_CUSTOM_TASK_EXTENSION } from './lcw-schemas';
import type { LcwStore, TaskDoc, TaskProcessingResultDoc, UserProcessingResultDoc, WorkflowDoc } from './lcw-store';

/**
 * Lifecycle Workflows' scheduler on the emulator's users and the local clock. Each pass:
 * 1. fails waiting custom tasks whose callback timeout has passed on the local clock;
 * 2. starts one run per enabled, scheduled workflow for the users in scope whose trigger date (time-based attribute +
 *    offsetInDays, https://learn.microsoft.com/graph/api/resources/identitygovernance-timebasedattributetrigger) is
 *    reached, each user at most once per workflow version;
 * 3. moves every unfinished user on through the tasks in executionSequence: a "Run a custom task extension" task calls
 *    the Logic App stand-in and, with a callbackConfiguration (launch and wait), waits for resume; a failed task stops
 *    the user's remaining tasks unless continueOnError
 *    (https://learn.microsoft.com/entra/id-governance/lifecycle-workflow-extensibility).
 * Graph runs workflows every 1–24 hours (workflowScheduleIntervalInHours, default 3); the emulator every few seconds
 * and on demand. Which past dates a newly enabled workflow catches up on is not documented: the emulator takes the
 * users whose trigger date is on or after the UTC day the workflow was created, so enabling a workflow does not
 * replay every past hire of the tenant. Built-in tasks are not carried out: they are marked completed with a note.
 */
export interface PassSummary {
  timedOut: number;
  runsStarted: number;
  usersStarted: number;
  calloutsSent: number;
}

const DAY_MS = 86_400_000;

export class LifecycleScheduler {
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly lcw: LcwStore,
    private readonly graph: GraphStore,
    private readonly logicApp: LogicAppStandIn,
    private readonly now: () => number,
    private readonly log: (message: string, error?: unknown) => void = () => {},
  ) {}

  /** One pass; passes never overlap (a second caller waits for the first and then runs its own). */
  runOnce(): Promise<PassSummary> {
    const pass = this.queue.then(() => this.pass());
    this.queue = pass.catch(() => undefined);
    return pass;
  }

  /** A pass soon, e.g. after a resume, so the user's next task starts without waiting for the interval. */
  kick(): void {
    if (this.stopped) return;
    this.runOnce().catch((error: unknown) => this.log('lifecycle workflows pass failed', error));
  }

  start(intervalMs: number): void {
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a pass in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.queue;
  }

  private async pass(): Promise<PassSummary> {
    const summary: PassSummary = { timedOut: 0, runsStarted: 0, usersStarted: 0, calloutsSent: 0 };
    const now = this.now();
    for (const result of this.lcw.list('taskProcessingResult'))
      if (failTimedOut(this.lcw, result, now).processingStatus !== result.processingStatus) summary.timedOut++;
    for (const workflow of this.lcw.list('workflow')) {
      const started = this.startRun(workflow, now);
      if (started) {
        summary.runsStarted++;
        summary.usersStarted += started;
      }
    }
    for (const user of this.lcw.list('userProcessingResult'))
      if (!DONE.has(user.processingStatus)) summary.calloutsSent += await this.advance(user);
    return summary;
  }

  /** Users newly in scope with their trigger date reached: one run for all of them. Returns how many. */
  private startRun(workflow: WorkflowDoc, now: number): number {
    const conditions = workflow.executionConditions as {
      '@odata.type': string;
      scope?: { rule: string };
      trigger?: { timeBasedAttribute: string; offsetInDays: number };
    };
    if (!workflow.isEnabled || !workflow.isSchedulingEnabled) return 0;
    if (conditions['@odata.type'] !== ODATA.triggerAndScope || !conditions.trigger || !conditions.scope) return 0;
    const { timeBasedAttribute, offsetInDays } = conditions.trigger;
    const rule = parseFilter(conditions.scope.rule);
    const firstDay = Math.floor(Date.parse(workflow.createdDateTime) / DAY_MS) * DAY_MS;
    const due = this.graph.listUsers(false).filter((user) => {
      const base = Date.parse(String(user[timeBasedAttribute] ?? ''));
      if (Number.isNaN(base)) return false;
      const triggerAt = base + offsetInDays * DAY_MS;
      return triggerAt <= now && triggerAt >= firstDay && matches(rule, user);
    });
    const claimed = due.filter((user) => this.lcw.claimTrigger(workflow.id, workflow.version, user.id));
    if (!claimed.length) return 0;
    const at = new Date(now).toISOString();
    const runId = randomUUID();
    this.lcw.put('run', {
      id: runId,
      workflowId: workflow.id,
      workflowVersion: workflow.version,
      workflowExecutionType: 'scheduled',
      scheduledDateTime: at,
      startedDateTime: at,
      completedDateTime: null,
    });
    for (const user of claimed)
      this.lcw.put('userProcessingResult', {
        id: randomUUID(),
        runId,
        workflowId: workflow.id,
        workflowVersion: workflow.version,
        workflowExecutionType: 'scheduled',
        subject: { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName },
        processingStatus: 'queued',
        scheduledDateTime: at,
        startedDateTime: at,
        completedDateTime: null,
      });
    return claimed.length;
  }

  /** Runs the user's tasks in order until one waits or all are done. Returns the callouts sent. */
  private async advance(user: UserProcessingResultDoc): Promise<number> {
    const workflow = this.lcw.get('workflow', user.workflowId);
    if (!workflow) return 0;
    let callouts = 0;
    const results = () => this.lcw.list('taskProcessingResult').filter((t) => t.userProcessingResultId === user.id);
    for (const task of [...workflow.tasks].sort((a, b) => a.executionSequence - b.executionSequence)) {
      if (!task.isEnabled) continue;
      let result = results().find((t) => t.taskId === task.id);
      if (!result) {
        this.save({ ...user, processingStatus: 'inProgress' });
        const started = await this.startTask(workflow, task, user);
        callouts += started.callouts;
        result = started.result;
      }
      if (result.processingStatus === 'inProgress' || result.processingStatus === 'queued') return callouts;
      if (result.processingStatus === 'failed' && !task.continueOnError) break;
    }
    const done = results();
    const allCompleted = workflow.tasks
      .filter((t) => t.isEnabled)
      .every((t) => {
        const r = done.find((d) => d.taskId === t.id);
        return r?.processingStatus === 'completed';
      });
    const at = new Date(this.now()).toISOString();
    for (const task of workflow.tasks)
      if (task.isEnabled && !done.some((d) => d.taskId === task.id))
        this.lcw.put('taskProcessingResult', {
          ...this.newResult(workflow, task, user, at),
          processingStatus: 'canceled',
          completedDateTime: at,
          failureReason: 'An earlier task failed and continueOnError is false.',
        });
    this.save({ ...user, processingStatus: allCompleted ? 'completed' : 'completedWithErrors', completedDateTime: at });
    return callouts;
  }

  private save(user: UserProcessingResultDoc): void {
    // Keep whatever changed meanwhile on other fields; the status is this pass's.
    const current = this.lcw.get('userProcessingResult', user.id) ?? user;
    this.lcw.put('userProcessingResult', { ...current, ...user });
  }

  private newResult(
    workflow: WorkflowDoc,
    task: TaskDoc,
    user: UserProcessingResultDoc,
    at: string,
  ): TaskProcessingResultDoc {
    return {
      id: randomUUID(),
      runId: user.runId,
      userProcessingResultId: user.id,
      workflowId: workflow.id,
      taskId: task.id,
      subject: user.subject,
      processingStatus: 'inProgress',
      createdDateTime: at,
      startedDateTime: at,
      completedDateTime: null,
      failureReason: null,
    };
  }

  private async startTask(
    workflow: WorkflowDoc,
    task: TaskDoc,
    user: UserProcessingResultDoc,
  ): Promise<{ result: TaskProcessingResultDoc; callouts: number }> {
    const now = this.now();
    const at = new Date(now).toISOString();
    const result = this.newResult(workflow, task, user, at);
    if (task.taskDefinitionId !== RUN_CUSTOM_TASK_EXTENSION) {
      const done = {
        ...result,
        processingStatus: 'completed' as const,
        completedDateTime: at,
        emulatorNote: 'built-in task: not carried out by the emulator',
      };
      this.lcw.put('taskProcessingResult', done);
      return { result: done, callouts: 0 };
    }
    const extensionId = task.arguments.find((a) => a.name === 'customTaskExtensionID')?.value ?? '';
    const extension = this.lcw.get('customTaskExtension', extensionId);
    if (!extension) {
      const failed = {
        ...result,
        processingStatus: 'failed' as const,
        completedDateTime: at,
        failureReason: `The custom task extension '${extensionId}' does not exist.`,
      };
      this.lcw.put('taskProcessingResult', failed);
      return { result: failed, callouts: 0 };
    }
    const wait = extension.callbackConfiguration;
    const launched: TaskProcessingResultDoc = {
      ...result,
      customTaskExtensionId: extension.id,
      ...(wait ? { callbackDeadline: new Date(now + durationMs(wait.timeoutDuration)).toISOString() } : {}),
    };
    // Stored before the callout: the app may resume before the forward's answer comes back.
    this.lcw.put('taskProcessingResult', launched);
    const body = calloutBody(workflow, task, launched, this.subject(user.subject.id));
    const forwarded = await this.logicApp.forward(body, extension.clientConfiguration.maximumRetries, this.now);
    for (const attempt of forwarded.attempts)
      this.lcw.put('callout', { id: randomUUID(), taskProcessingResultId: launched.id, ...attempt, body });
    const current = this.lcw.get('taskProcessingResult', launched.id) ?? launched;
    if (current.processingStatus !== 'inProgress') return { result: current, callouts: forwarded.attempts.length };
    const finishedAt = new Date(this.now()).toISOString();
    let next = current;
    if (!forwarded.accepted) {
      const last = forwarded.attempts.at(-1);
      next = {
        ...current,
        processingStatus: 'failed',
        completedDateTime: finishedAt,
        failureReason: `The Logic App could not be triggered: ${last?.error ?? 'no answer'}.`,
      };
    } else if (!wait) {
      // Launch and continue: "the task is considered successful if the Logic App started".
      next = { ...current, processingStatus: 'completed', completedDateTime: finishedAt };
    }
    this.lcw.put('taskProcessingResult', next);
    return { result: next, callouts: forwarded.attempts.length };
  }

  /** The subject as the callout describes it: the user and their manager. */
  private subject(userId: string): CalloutSubject {
    const user = this.graph.getUser(userId, true);
    if (!user) return { id: userId };
    const managerId = this.graph.getManagerId(user.id);
    const manager = managerId ? this.graph.getUser(managerId) : null;
    return {
      ...describe(user),
      ...(manager ? { manager: { id: manager.id, displayName: manager.displayName, email: mailOf(manager) } } : {}),
    };
  }
}

function describe(user: UserDoc): CalloutSubject {
  return {
    id: user.id,
    displayName: user.displayName,
    email: mailOf(user),
    userPrincipalName: user.userPrincipalName,
  };
}

function mailOf(user: UserDoc): string | undefined {
  return typeof user.mail === 'string' ? user.mail : undefined;
}
