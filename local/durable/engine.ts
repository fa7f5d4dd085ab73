import { randomUUID } from 'node:crypto';
import type { RegisteredFunction, RpcTypedData } from '../host/function-registry';
import type { InvocationResult } from '../host/invoke';
import { DurableStore, type HistoryEvent, type InstanceRow, type RuntimeStatus, type WorkItem } from './durable-store';
import { ActionType, EventType, event, jsonText } from './history-events';
import type { ForegroundGate } from '../host/foreground-gate';
import { LoopTurns } from '../host/loop-turns';

/**
 * The local Durable Task backend. durable-functions' own replay engine decides what an orchestrator
 * does; this engine feeds it history one new event per episode (so the hidden ids that
 * callActivityWithRetry allocates during replay stay in step, docs/local-host.md §2), executes the
 * actions it returns, and persists everything in DurableStore.
 */
export interface OrchestratorAction {
  actionType: number;
  functionName?: string;
  input?: unknown;
  instanceId?: string;
  fireAt?: string;
  isCanceled?: boolean;
  externalEventName?: string;
  retryOptions?: RetryOptions;
  compoundActions?: OrchestratorAction[];
}

interface RetryOptions {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
}

interface OrchestratorState {
  isDone: boolean;
  actions: OrchestratorAction[][] | OrchestratorAction[];
  output?: unknown;
  customStatus?: unknown;
  error?: string;
}

interface RetryRecord {
  kind: 'activity' | 'sub';
  name: string;
  input: unknown;
  options: RetryOptions;
  attempt: number;
  /** Task id whose result the engine waits for next. */
  resultId: number;
  /** Task id of the retry timer the engine waits for, when waiting. */
  timerId: number | null;
  childInstanceId?: string;
}

interface EngineState {
  nextSeq: number;
  leaves: { type: number; name: string; seq: number | null }[];
  retries: RetryRecord[];
}

const EMPTY_STATE: EngineState = { nextSeq: 0, leaves: [], retries: [] };

export interface EngineOptions {
  store: DurableStore;
  invoke(fn: RegisteredFunction, trigger: RpcTypedData): Promise<InvocationResult>;
  functions(): RegisteredFunction[];
  maxConcurrentActivities?: number;
  maxConcurrentOrchestrations?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  now?: () => number;
  /** The host's gate: episodes and activities start at a reserved share while app routes are under a burst. */
  gate?: ForegroundGate;
}

class NonDeterminismError extends Error {}

/**
 * The local-only priority hint: a raised event whose data is an object with `priority` ("urgent", or a number
 * 1-9) makes the engine run that instance, its running sub-orchestrations and their activities before normal
 * work, until the instance is idle again (waiting for an event or a timer with nothing of its own running).
 * Azure's Durable Task backends have no such hint and ignore the field; the app sets it on events it wants
 * handled first (an immediate termination, a rescind) so a bulk backlog on the local host does not delay them.
 */
function eventPriority(data: unknown): number {
  if (!data || typeof data !== 'object') return 0;
  const value = (data as { priority?: unknown }).priority;
  if (value === 'urgent') return 1;
  if (typeof value === 'number' && Number.isInteger(value)) return Math.min(9, Math.max(0, value));
  return 0;
}

function flatten(actions: OrchestratorState['actions']): OrchestratorAction[] {
  const out: OrchestratorAction[] = [];
  const walk = (list: OrchestratorAction[]) => {
    for (const action of list) {
      if (Array.isArray(action)) walk(action as OrchestratorAction[]);
      else if (action.actionType === ActionType.WhenAll || action.actionType === ActionType.WhenAny)
        walk(action.compoundActions ?? []);
      else out.push(action);
    }
  };
  walk(actions as OrchestratorAction[]);
  return out;
}

function actionName(action: OrchestratorAction): string {
  return action.functionName ?? action.externalEventName ?? '';
}

function toTypedData(input: unknown): RpcTypedData {
  // Strings are already JSON-quoted by durable-functions' processInput; tryJsonParse undoes it.
  return typeof input === 'string' ? { string: input } : { json: jsonText(input ?? null) };
}

function resultText(returnValue: RpcTypedData | undefined): string {
  if (!returnValue) return 'null';
  if (typeof returnValue.json === 'string') return returnValue.json;
  if (typeof returnValue.string === 'string') return JSON.stringify(returnValue.string);
  if (returnValue.int !== undefined && returnValue.int !== null) return String(returnValue.int);
  if (returnValue.double !== undefined && returnValue.double !== null) return String(returnValue.double);
  return 'null';
}

function retryDelay(options: RetryOptions, failedAttempt: number): number {
  const base = options.firstRetryIntervalInMilliseconds * Math.pow(options.backoffCoefficient ?? 1, failedAttempt - 1);
  return Math.min(base, options.maxRetryIntervalInMilliseconds ?? Number.MAX_SAFE_INTEGER);
}

/** New executions an instance may start in its slot after continuing as new (see runEpisode), then it yields. */
const CONTINUED_RUNS_PER_SLOT = 5;

export class DurableEngine {
  private readonly store: DurableStore;
  private readonly busy = new Set<string>();
  private readonly runningWork = new Set<number>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private pumping = false;
  private repump = false;
  private readonly now: () => number;
  /**
   * One work item per turn of the event loop: the host's HTTP listener is served between items. Wake-ups while
   * items still wait for their turn are coalesced into one pump once they have all started (as a burst of
   * completions was before), so yielding does not multiply the pump's queries.
   */
  private readonly turns: LoopTurns;

  constructor(private readonly options: EngineOptions) {
    this.store = options.store;
    this.now = options.now ?? Date.now;
    this.turns = new LoopTurns(() => this.wakeIfAsked(), options.gate);
  }

  private fn(name: string, triggerType: string): RegisteredFunction | undefined {
    return this.options
      .functions()
      .find(
        (f) =>
          f.metadata.name.toLowerCase() === name.toLowerCase() &&
          String(f.trigger.type).toLowerCase() === triggerType.toLowerCase(),
      );
  }

  private log(level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void {
    this.options.log?.(level, message, fields);
  }

  start(): void {
    this.stopped = false;
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Starts an orchestration; refuses an id that is already Pending/Running (as DTFx does by default). */
  startNew(
    name: string,
    instanceId: string | undefined,
    input: unknown,
    parent?: { id: string; taskId: number },
  ): string {
    const id = instanceId ?? randomUUID().replace(/-/g, '');
    if (!this.fn(name, 'orchestrationTrigger'))
      throw new UnknownOrchestrationError(
        `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`,
      );
    this.store.tx(() => {
      const existing = this.store.getInstance(id);
      if (existing && ['Pending', 'Running', 'Suspended'].includes(existing.status))
        throw new InstanceExistsError(`An instance with ID '${id}' already exists.`);
      if (existing) this.store.purge(id);
      this.store.saveInstance(pendingInstance(id, name, input, new Date(this.now()), parent));
    });
    this.wake();
    return id;
  }

  raiseEvent(instanceId: string, name: string, data: unknown): 'accepted' | 'not-found' | 'gone' {
    const instance = this.store.getInstance(instanceId);
    if (!instance) return 'not-found';
    if (!['Pending', 'Running', 'Suspended'].includes(instance.status)) return 'gone';
    const priority = eventPriority(data);
    this.store.tx(() => {
      if (priority > 0) this.store.raisePriority(instanceId, priority);
      this.store.enqueue(
        instanceId,
        event(EventType.EventRaised, { Name: name, Input: jsonText(data) }, new Date(this.now())),
        priority,
      );
    });
    this.wake(priority > 0);
    return 'accepted';
  }

  terminate(instanceId: string, reason: string): 'accepted' | 'not-found' | 'gone' {
    return this.store.tx(() => {
      const instance = this.store.getInstance(instanceId);
      if (!instance) return 'not-found';
      if (!['Pending', 'Running', 'Suspended'].includes(instance.status)) return 'gone';
      this.store.deleteTimersOf(instanceId);
      this.store.db.prepare(`DELETE FROM inbox WHERE instance_id = ?`).run(instanceId);
      this.store.db.prepare(`DELETE FROM work WHERE instance_id = ?`).run(instanceId);
      this.finish(instance, 'Terminated', reason, null);
      return 'accepted';
    });
  }

  setSuspended(instanceId: string, suspended: boolean): 'accepted' | 'not-found' | 'gone' {
    const instance = this.store.getInstance(instanceId);
    if (!instance) return 'not-found';
    if (suspended ? instance.status !== 'Running' : instance.status !== 'Suspended') return 'gone';
    this.store.saveInstance({
      ...instance,
      status: suspended ? 'Suspended' : 'Running',
      updated_at: new Date(this.now()).toISOString(),
    });
    this.wake();
    return 'accepted';
  }

  /**
   * Schedules a pump; coalesces bursts of wake-ups. `urgent` (urgent work just arrived or finished a step): pump
   * now, not once every paced item has had its turn, which during a burst of callers takes seconds.
   */
  wake(urgent = false): void {
    if (this.stopped) return;
    if (this.pumping || (this.turns.pending > 0 && !urgent)) {
      this.repump = true;
      return;
    }
    this.pumping = true;
    setImmediate(() => {
      try {
        this.pump();
      } catch (error) {
        // The store failed (SQLITE_BUSY: another writer held the file past the busy timeout): pump again in a
        // second instead of dying of an uncaught exception (found by the chaos run's locked-SQLite fault).
        this.log('error', 'durable pump failed; retrying', { err: String(error) });
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.wake(), 1000);
      } finally {
        this.pumping = false;
        if (this.repump) {
          this.repump = false;
          this.wake();
        }
      }
    });
  }

  private wakeIfAsked(): void {
    if (!this.repump || this.pumping) return;
    this.repump = false;
    this.wake();
  }

  /**
   * New events for one episode. Completions are batched (a 1,000-wide fan-out replays ~log n times, not
   * 1,000 times), except events that make durable-functions allocate hidden retry ids: those go alone so
   * the host's sequence numbers stay in step with the engine's (docs/local-host.md §2).
   */
  private takeBatch(id: string, state: EngineState): { seq: number; event: HistoryEvent }[] {
    const touchesRetry = (e: HistoryEvent) =>
      state.retries.some(
        (r) =>
          (r.timerId !== null && e.EventType === EventType.TimerFired && e.TimerId === r.timerId) ||
          (r.timerId === null && e.TaskScheduledId === r.resultId),
      );
    const batch: { seq: number; event: HistoryEvent }[] = [];
    for (const item of this.store.inboxOf(id, 500)) {
      if (touchesRetry(item.event)) {
        if (batch.length === 0) batch.push(item);
        break;
      }
      batch.push(item);
    }
    return batch;
  }

  private pump(): void {
    if (this.stopped) return;
    const now = this.now();
    // Due timers become inbox events.
    for (const timer of this.store.dueTimers(now)) {
      this.store.tx(() => {
        this.store.enqueue(timer.instance_id, JSON.parse(timer.event) as HistoryEvent);
        this.store.deleteTimer(timer.id);
      });
    }
    const maxOrch = this.options.maxConcurrentOrchestrations ?? 8;
    const pending = this.store.pendingInstances(maxOrch);
    // Urgent work (see eventPriority) is not held to the concurrency limits: while callers burst, bulk episodes
    // waiting for their paced turns hold every slot, and an urgent leaver would wait for them. At most as many
    // urgent items again as the limit run beside them.
    const urgent = new Set([
      ...pending.filter((p) => p.priority > 0).map((p) => p.id),
      ...this.store.instancesWithInbox(maxOrch, this.busy, { urgentOnly: true }),
    ]);
    const candidates = [
      // Urgent first, then the oldest waiting event (FIFO): work in flight finishes before new work piles up.
      ...urgent,
      ...this.store.instancesWithInbox(maxOrch * 4, this.busy),
      ...pending.filter((p) => p.priority === 0).map((p) => p.id),
    ];
    for (const id of candidates) {
      const isUrgent = urgent.has(id);
      if (this.busy.size >= maxOrch && !isUrgent) break;
      if (this.busy.has(id)) continue;
      this.busy.add(id);
      this.track(
        this.runEpisode(id, isUrgent)
          .catch((error: unknown) =>
            this.log('error', 'orchestrator episode failed', { instanceId: id, err: String(error) }),
          )
          .finally(() => {
            this.busy.delete(id);
            this.wake(isUrgent);
          }),
      );
    }
    const maxAct = this.options.maxConcurrentActivities ?? 16;
    const work = [
      ...this.store.allWork(maxAct, this.runningWork, { urgentOnly: true }),
      ...this.store.allWork(Math.max(0, maxAct - this.runningWork.size), this.runningWork),
    ];
    for (const item of work) {
      const isUrgent = item.priority > 0;
      if (this.runningWork.size >= maxAct && !isUrgent) break;
      if (this.runningWork.has(item.id)) continue;
      this.runningWork.add(item.id);
      this.track(
        this.runActivity(item).finally(() => {
          this.runningWork.delete(item.id);
          this.wake(isUrgent);
        }),
      );
    }
    clearTimeout(this.timer);
    const next = this.store.nextTimerAt();
    const delay = next === null ? 1000 : Math.max(5, Math.min(1000, next - this.now()));
    this.timer = setTimeout(() => this.wake(), delay);
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    // An activity whose completion could not be stored (store busy) keeps its work item and runs again.
    void work
      .catch((error: unknown) => this.log('error', 'durable work failed', { err: String(error) }))
      .finally(() => this.inFlight.delete(work));
  }

  private async runActivity(item: WorkItem): Promise<void> {
    await this.turns.next(item.priority > 0);
    if (this.stopped) return; // not started: the work item stays and runs after restart
    const fn = this.fn(item.name, 'activityTrigger');
    let completion: HistoryEvent;
    if (!fn) {
      completion = event(EventType.TaskFailed, {
        TaskScheduledId: item.task_id,
        Reason: `The function '${item.name}' doesn't exist, is disabled, or is not an activity function.`,
        Details: '',
      });
    } else {
      try {
        const result = await this.options.invoke(fn, toTypedData(JSON.parse(item.input)));
        completion = event(
          EventType.TaskCompleted,
          { TaskScheduledId: item.task_id, Result: resultText(result.returnValue) },
          new Date(this.now()),
        );
      } catch (error) {
        const err = error instanceof Error ? error : new Error(String(error));
        completion = event(
          EventType.TaskFailed,
          { TaskScheduledId: item.task_id, Reason: err.message, Details: err.stack ?? '' },
          new Date(this.now()),
        );
      }
    }
    if (this.stopped) return; // the work item stays: it runs again after restart (at least once)
    this.store.tx(() => {
      if (this.store.deleteWork(item.id)) this.store.enqueue(item.instance_id, completion, item.priority);
    });
  }

  /**
   * One episode, and the first episode of each new execution it continues as new into, in the same slot (at most
   * `CONTINUED_RUNS_PER_SLOT`). A continued execution used to wait as a Pending instance, after every instance with
   * an event waiting: under a burst of hires the SCIM senders (eternal, continuing as new after each round) stood
   * still for ten seconds while a thousand person orchestrations went first (bench scim-fanout). In Azure the new
   * execution's ExecutionStarted message goes on the instance's own control queue, in order with its other messages
   * (https://learn.microsoft.com/azure/azure-functions/durable/durable-functions-eternal-orchestrations).
   */
  private async runEpisode(id: string, urgent: boolean): Promise<void> {
    for (let run = 0; run < CONTINUED_RUNS_PER_SLOT; run++) {
      if (!(await this.runOneEpisode(id, urgent))) return;
    }
  }

  /** Runs one episode; true when it continued as new (its next execution is ready to start). */
  private async runOneEpisode(id: string, urgent: boolean): Promise<boolean> {
    await this.turns.next(urgent);
    if (this.stopped) return false; // not started: its inbox stays and the episode runs after restart
    const instance = this.store.getInstance(id);
    if (!instance || instance.status === 'Suspended') return false;
    const now = new Date(this.now());
    let state = JSON.parse(instance.engine) as EngineState;
    let newEvents: HistoryEvent[];
    let inboxSeqs: number[] = [];
    if (instance.status === 'Pending') {
      state = { ...EMPTY_STATE, leaves: [], retries: [] };
      newEvents = [
        event(EventType.OrchestratorStarted, {}, now),
        event(EventType.ExecutionStarted, { Name: instance.name, Input: instance.input, Version: '' }, now),
      ];
    } else if (instance.status === 'Running') {
      const batch = this.takeBatch(id, state);
      if (!batch.length) return false;
      inboxSeqs = batch.map((b) => b.seq);
      newEvents = [event(EventType.OrchestratorStarted, {}, now), ...batch.map((b) => b.event)];
    } else {
      // Completed/Failed/Terminated: late events are dropped, as DTFx discards them.
      const next = this.store.firstInbox(id);
      if (next) this.store.deleteInbox(next.seq);
      return false;
    }

    const retryWrites = newEvents
      .slice(1)
      .flatMap((incoming) => this.prepareRetryBookkeeping(id, state, incoming, now));
    const fn = this.fn(instance.name, 'orchestrationTrigger');
    const history = [...this.store.history(id).map((e) => ({ ...e, IsPlayed: true })), ...newEvents];
    let orchestratorState: OrchestratorState;
    if (!fn) {
      orchestratorState = {
        isDone: false,
        actions: [],
        error: `Orchestrator function '${instance.name}' is not registered.`,
      };
    } else {
      orchestratorState = await this.invokeOrchestrator(fn, instance, history);
    }

    const scheduled: (() => void)[] = [];
    let continueAsNew: OrchestratorAction | undefined;
    let failure: string | undefined = orchestratorState.error;
    if (!failure) {
      try {
        const leaves = flatten(orchestratorState.actions ?? []);
        leaves.forEach((action, index) => {
          const recorded = state.leaves[index];
          if (recorded) {
            if (recorded.type !== action.actionType || recorded.name !== actionName(action)) {
              throw new NonDeterminismError(
                `Non-deterministic workflow detected: action ${index} was ` +
                  `'${describe(recorded.type, recorded.name)}' in history but replay produced ` +
                  `'${describe(action.actionType, actionName(action))}'.`,
              );
            }
            if (action.actionType === ActionType.CreateTimer && action.isCanceled && recorded.seq !== null) {
              const seq = recorded.seq;
              scheduled.push(() => this.store.deleteTimersOf(id, seq));
            }
            return;
          }
          const seq =
            action.actionType === ActionType.WaitForExternalEvent || action.actionType === ActionType.ContinueAsNew
              ? null
              : state.nextSeq++;
          state.leaves.push({ type: action.actionType, name: actionName(action), seq });
          if (action.actionType === ActionType.ContinueAsNew) {
            continueAsNew = action;
            return;
          }
          // External events need no work: raised events arrive through the inbox.
          if (action.actionType === ActionType.WaitForExternalEvent) return;
          scheduled.push(this.schedule(id, action, seq!, state, now));
        });
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
    }

    return this.store.tx(() => {
      const current = this.store.getInstance(id);
      if (!current || current.status === 'Terminated') return false;
      for (const seq of inboxSeqs) this.store.deleteInbox(seq);
      const updated_at = new Date(this.now()).toISOString();
      const customStatus =
        orchestratorState.customStatus === undefined ? current.custom_status : jsonText(orchestratorState.customStatus);
      if (failure) {
        this.store.appendHistory(id, newEvents);
        this.finish(
          { ...current, custom_status: customStatus, engine: JSON.stringify(state) },
          'Failed',
          failure,
          null,
        );
        return false;
      }
      if (continueAsNew) {
        // Raised events this execution did not consume (buffered in its history or in this episode's batch)
        // are discarded, as in Azure: durable-functions for Node has no preserveUnprocessedEvents and the
        // extension calls ContinueAsNew(input), whose default is false ("any unprocessed external events will be
        // discarded"): https://learn.microsoft.com/dotnet/api/microsoft.azure.webjobs.extensions.durabletask
        // .idurableorchestrationcontext.continueasnew and
        // https://learn.microsoft.com/azure/azure-functions/durable/durable-functions-eternal-orchestrations.
        // Events still waiting in the inbox (raised after this episode's batch was taken) reach the next one.
        this.store.clearHistory(id);
        this.store.deleteTimersOf(id);
        this.store.db.prepare(`DELETE FROM work WHERE instance_id = ?`).run(id);
        this.store.saveInstance({
          ...current,
          status: 'Pending',
          input: jsonText(continueAsNew.input),
          custom_status: customStatus,
          updated_at,
          engine: JSON.stringify(EMPTY_STATE),
        });
        return true;
      }
      this.store.appendHistory(id, newEvents);
      retryWrites.forEach((apply) => apply());
      scheduled.forEach((apply) => apply());
      if (orchestratorState.isDone) {
        this.finish(
          { ...current, custom_status: customStatus, engine: JSON.stringify(state) },
          'Completed',
          null,
          orchestratorState.output,
        );
      } else {
        this.store.saveInstance({
          ...current,
          status: 'Running',
          custom_status: customStatus,
          updated_at,
          engine: JSON.stringify(state),
        });
        this.store.resetPriorityIfIdle(id);
      }
      return false;
    });
  }

  /**
   * Mirrors RetryableTask (durable-functions lib/src/task/RetryableTask.js): a failed attempt makes the
   * engine allocate a timer id; the fired timer makes it allocate the next attempt's id, or fail the task
   * once attemptNumber > maxNumberOfAttempts. Returns the writes to commit with the episode.
   */
  private prepareRetryBookkeeping(id: string, state: EngineState, incoming: HistoryEvent, now: Date): (() => void)[] {
    const writes: (() => void)[] = [];
    const failed =
      incoming.EventType === EventType.TaskFailed || incoming.EventType === EventType.SubOrchestrationInstanceFailed;
    if (failed) {
      const retry = state.retries.find((r) => r.resultId === incoming.TaskScheduledId && r.timerId === null);
      if (retry) {
        const timerId = (retry.timerId = state.nextSeq++);
        const fireAt = this.now() + retryDelay(retry.options, retry.attempt);
        retry.attempt++;
        writes.push(() =>
          this.store.addTimer(
            id,
            fireAt,
            event(EventType.TimerFired, { TimerId: timerId, FireAt: new Date(fireAt).toISOString() }),
          ),
        );
      }
    }
    if (incoming.EventType === EventType.TimerFired) {
      const retry = state.retries.find((r) => r.timerId === incoming.TimerId);
      if (retry) {
        retry.timerId = null;
        if (retry.attempt > retry.options.maxNumberOfAttempts) {
          state.retries = state.retries.filter((r) => r !== retry);
        } else {
          const resultId = (retry.resultId = state.nextSeq++);
          const { kind, name, input, childInstanceId } = retry;
          writes.push(() =>
            kind === 'activity'
              ? this.store.addWork({
                  instance_id: id,
                  task_id: resultId,
                  kind: 'activity',
                  name,
                  input: jsonText(input ?? null),
                })
              : this.createChild(id, resultId, name, childInstanceId ?? `${id}:${resultId}`, input, now),
          );
        }
      }
    }
    const succeeded =
      incoming.EventType === EventType.TaskCompleted ||
      incoming.EventType === EventType.SubOrchestrationInstanceCompleted;
    if (succeeded) state.retries = state.retries.filter((r) => r.resultId !== incoming.TaskScheduledId);
    return writes;
  }

  private schedule(id: string, action: OrchestratorAction, seq: number, state: EngineState, now: Date): () => void {
    switch (action.actionType) {
      case ActionType.CallActivity:
      case ActionType.CallActivityWithRetry: {
        if (action.actionType === ActionType.CallActivityWithRetry && action.retryOptions) {
          state.retries.push({
            kind: 'activity',
            name: action.functionName!,
            input: action.input,
            options: action.retryOptions,
            attempt: 1,
            resultId: seq,
            timerId: null,
          });
        }
        return () =>
          this.store.addWork({
            instance_id: id,
            task_id: seq,
            kind: 'activity',
            name: action.functionName!,
            input: jsonText(action.input ?? null),
          });
      }
      case ActionType.CallSubOrchestrator:
      case ActionType.CallSubOrchestratorWithRetry: {
        const childId = action.instanceId || `${id}:${seq}`;
        if (action.actionType === ActionType.CallSubOrchestratorWithRetry && action.retryOptions) {
          state.retries.push({
            kind: 'sub',
            name: action.functionName!,
            input: action.input,
            options: action.retryOptions,
            attempt: 1,
            resultId: seq,
            timerId: null,
            childInstanceId: childId,
          });
        }
        return () => this.createChild(id, seq, action.functionName!, childId, action.input, now);
      }
      case ActionType.CreateTimer: {
        const fireAt = Date.parse(action.fireAt!);
        if (action.isCanceled) return () => {};
        return () =>
          this.store.addTimer(id, fireAt, event(EventType.TimerFired, { TimerId: seq, FireAt: action.fireAt }));
      }
      default:
        throw new Error(
          `The local host does not support orchestrator action type ${action.actionType} ` +
            '(entities and callHttp are not implemented).',
        );
    }
  }

  private createChild(
    parentId: string,
    taskId: number,
    name: string,
    childId: string,
    input: unknown,
    now: Date,
  ): void {
    if (!this.fn(name, 'orchestrationTrigger')) {
      this.store.enqueue(
        parentId,
        event(EventType.SubOrchestrationInstanceFailed, {
          TaskScheduledId: taskId,
          Reason: `Orchestrator '${name}' is not registered.`,
          Details: '',
        }),
      );
      return;
    }
    const existing = this.store.getInstance(childId);
    if (existing) this.store.purge(childId);
    this.store.saveInstance(pendingInstance(childId, name, input, now, { id: parentId, taskId }));
    const priority = this.store.priorityOf(parentId);
    if (priority > 0) this.store.raisePriority(childId, priority);
  }

  private finish(instance: InstanceRow, status: RuntimeStatus, error: string | null, output: unknown): void {
    const updated_at = new Date(this.now()).toISOString();
    this.store.deleteTimersOf(instance.id);
    this.store.saveInstance({
      ...instance,
      status,
      output: status === 'Completed' ? jsonText(output) : jsonText(error),
      updated_at,
    });
    if (instance.parent_id && instance.parent_task_id !== null) {
      this.store.enqueue(
        instance.parent_id,
        status === 'Completed'
          ? event(EventType.SubOrchestrationInstanceCompleted, {
              TaskScheduledId: instance.parent_task_id,
              Result: jsonText(output),
            })
          : event(EventType.SubOrchestrationInstanceFailed, {
              TaskScheduledId: instance.parent_task_id,
              Reason: error ?? status,
              Details: '',
            }),
      );
    }
  }

  private async invokeOrchestrator(
    fn: RegisteredFunction,
    instance: InstanceRow,
    history: HistoryEvent[],
  ): Promise<OrchestratorState> {
    const payload = {
      history,
      instanceId: instance.id,
      isReplaying: false,
      upperSchemaVersion: 2,
      upperSchemaVersionNew: 3,
      input: JSON.parse(instance.input) as unknown,
      parentInstanceId: instance.parent_id ?? undefined,
      // Long timers: one host timer however far away (the host re-arms it), so no LongTimerTask splitting.
      maximumShortTimerDuration: '36500.00:00:00',
      longRunningTimerIntervalDuration: '3650.00:00:00',
      defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
    };
    try {
      const result = await this.options.invoke(fn, { string: JSON.stringify(payload) });
      const raw = result.returnValue;
      const text = typeof raw?.json === 'string' ? raw.json : typeof raw?.string === 'string' ? raw.string : 'null';
      return JSON.parse(text) as OrchestratorState;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const marker = message.indexOf('$OutOfProcData$:');
      if (marker >= 0) {
        const state = JSON.parse(message.slice(marker + '$OutOfProcData$:'.length)) as OrchestratorState;
        return { ...state, error: state.error ?? message.slice(0, marker).trim() };
      }
      return { isDone: false, actions: [], error: message };
    }
  }
}

function describe(type: number, name: string): string {
  const names = Object.entries(ActionType).find(([, v]) => v === type)?.[0] ?? String(type);
  return name ? `${names}:${name}` : names;
}

export class InstanceExistsError extends Error {}
export class UnknownOrchestrationError extends Error {}

/** A new instance row, Pending with no history: a started orchestration or a sub-orchestration (with its parent). */
function pendingInstance(
  id: string,
  name: string,
  input: unknown,
  now: Date,
  parent?: { id: string; taskId: number },
): InstanceRow {
  const at = now.toISOString();
  return {
    id,
    name,
    status: 'Pending',
    input: jsonText(input),
    output: 'null',
    custom_status: 'null',
    created_at: at,
    updated_at: at,
    parent_id: parent?.id ?? null,
    parent_task_id: parent?.taskId ?? null,
    engine: JSON.stringify(EMPTY_STATE),
  };
}
