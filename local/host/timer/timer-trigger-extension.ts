import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { HostExtension, HostServices } from '../extension';
import type { RegisteredFunction } from '../function-registry';
import { parseSchedule, type Schedule } from './schedule';

/**
 * Runs timerTrigger functions: schedule, runOnStartup, useMonitor (schedule status persisted under the
 * data folder so a missed occurrence is reported as isPastDue), and retry options, which Azure honours
 * for timer triggers (https://learn.microsoft.com/azure/azure-functions/functions-bindings-error-pages#retries).
 * The handler receives the Timer object of @azure/functions types/timer.d.ts.
 */
interface ScheduleStatus {
  last: string;
  next: string;
  lastUpdated: string;
}

interface TimerState {
  fn: RegisteredFunction;
  schedule: Schedule;
  handle?: NodeJS.Timeout;
  status?: ScheduleStatus;
}

const MAX_TIMEOUT_MS = 2_147_483_647;

export function createTimerTriggerExtension(): HostExtension {
  let services: HostServices;
  let statusFile = '';
  let stopped = false;
  const timers: TimerState[] = [];
  const inFlight = new Set<Promise<void>>();

  function readStatuses(): Record<string, ScheduleStatus> {
    if (!existsSync(statusFile)) return {};
    try {
      return JSON.parse(readFileSync(statusFile, 'utf8')) as Record<string, ScheduleStatus>;
    } catch {
      return {};
    }
  }

  function saveStatuses(): void {
    const all = Object.fromEntries(timers.filter((t) => t.status).map((t) => [t.fn.metadata.name, t.status!]));
    writeFileSync(statusFile, JSON.stringify(all, null, 2));
  }

  function arm(timer: TimerState, at: Date): void {
    if (stopped) return;
    const delay = Math.max(0, at.getTime() - Date.now());
    timer.handle = setTimeout(
      () => {
        if (delay > MAX_TIMEOUT_MS) return arm(timer, at);
        fire(timer, at, false);
      },
      Math.min(delay, MAX_TIMEOUT_MS),
    );
  }

  function fire(timer: TimerState, scheduled: Date, isPastDue: boolean): void {
    const next = timer.schedule.next(new Date(Math.max(Date.now(), scheduled.getTime())));
    const run = invokeWithRetries(timer, scheduled, next, isPastDue).finally(() => inFlight.delete(run));
    inFlight.add(run);
    arm(timer, next);
  }

  async function invokeWithRetries(timer: TimerState, scheduled: Date, next: Date, isPastDue: boolean): Promise<void> {
    const status: ScheduleStatus = {
      last: timer.status?.last ?? new Date(0).toISOString(),
      next: next.toISOString(),
      lastUpdated: new Date().toISOString(),
    };
    const timerInput = { schedule: { adjustForDST: true }, scheduleStatus: status, isPastDue };
    const retry = timer.fn.metadata.retryOptions;
    const maxRetries = retry?.maxRetryCount ?? 0;
    for (let attempt = 0; ; attempt++) {
      try {
        await services.invoke(
          timer.fn,
          { json: JSON.stringify(timerInput) },
          {
            retryContext: { retryCount: attempt, maxRetryCount: maxRetries },
          },
        );
        break;
      } catch (error) {
        services.logger.error({ function: timer.fn.metadata.name, attempt, err: error }, 'timer function failed');
        if (attempt >= maxRetries || maxRetries === 0 || stopped) break;
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs(retry, attempt)));
      }
    }
    timer.status = { last: scheduled.toISOString(), next: next.toISOString(), lastUpdated: new Date().toISOString() };
    saveStatuses();
  }

  return {
    name: 'timer',
    triggerTypes: ['timerTrigger'],
    async start(hostServices) {
      services = hostServices;
      mkdirSync(hostServices.dataDir, { recursive: true });
      statusFile = path.join(hostServices.dataDir, 'timer-status.json');
      const saved = readStatuses();
      for (const fn of hostServices
        .functions()
        .filter((f) => String(f.trigger.type).toLowerCase() === 'timertrigger')) {
        const schedule = parseSchedule(String(fn.trigger.schedule ?? ''));
        const timer: TimerState = { fn, schedule, status: saved[fn.metadata.name] };
        timers.push(timer);
        const now = new Date();
        const useMonitor = fn.trigger.useMonitor !== false;
        // A recorded next occurrence that has passed means the host was down when it was due.
        const missed = useMonitor && timer.status && new Date(timer.status.next) < now;
        if (fn.trigger.runOnStartup === true || missed) {
          fire(timer, missed ? new Date(timer.status!.next) : now, !!missed);
        } else {
          arm(timer, schedule.next(now));
        }
      }
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer.handle);
      await Promise.allSettled([...inFlight]);
    },
  };
}

function retryDelayMs(retry: RegisteredFunction['metadata']['retryOptions'], attempt: number): number {
  const toMs = (d?: { seconds?: number; nanos?: number }) =>
    Number(d?.seconds ?? 0) * 1000 + Number(d?.nanos ?? 0) / 1e6;
  if (retry?.retryStrategy === 'exponentialBackoff') {
    const min = toMs(retry.minimumInterval);
    const max = toMs(retry.maximumInterval) || Number.MAX_SAFE_INTEGER;
    return Math.min(max, min * 2 ** attempt);
  }
  return toMs(retry?.delayInterval);
}
