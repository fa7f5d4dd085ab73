import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DurableStore } from '../../local/durable/durable-store';
import { DurableEngine } from '../../local/durable/engine';
import { ActionType, EventType } from '../../local/durable/history-events';
import type { RegisteredFunction, RpcTypedData } from '../../local/host/function-registry';

/**
 * Issue 24: another connection holding the durable store's SQLite file (BEGIN EXCLUSIVE, as local/chaos/sqlite-lock.ts
 * does from another process) past the busy timeout made the pump throw SQLITE_BUSY inside a setImmediate, and the
 * host died of the uncaught exception. The pump must log, wait and go on: once the lock is released the due timer
 * fires and the orchestration completes. A scripted orchestrator (no durable-functions replay) sleeps on a timer;
 * the engine's clock is moved past it while the file is locked, so the pump's first write (the due timer into the
 * inbox) meets the lock. The busy timeout is 20 ms; every wait is for an outcome, with a generous deadline.
 */
const fn = (name: string, type: string) => ({ metadata: { name }, trigger: { type } }) as unknown as RegisteredFunction;
const FIRE_AT = Date.now() + 86_400_000;

const crashes: unknown[] = [];
const onCrash = (reason: unknown) => void crashes.push(reason);
beforeEach(() => {
  crashes.length = 0;
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
});
afterEach(() => {
  process.off('unhandledRejection', onCrash);
  process.off('uncaughtException', onCrash);
});

async function until(what: string, check: () => boolean): Promise<void> {
  const end = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`never reached: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('durable pump with its SQLite file locked by another connection (issue 24)', () => {
  it(
    'does not crash while the file is locked, and runs the due work once it is released',
    { timeout: 60_000 },
    async () => {
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'jml-durable-busy-')), 'durable.sqlite');
      const store = new DurableStore(file, { busyTimeoutMs: 20 });
      let clock = Date.now();
      const logged: string[] = [];
      const engine = new DurableEngine({
        store,
        now: () => clock,
        functions: () => [fn('sleeper', 'orchestrationTrigger')],
        log: (_level, message) => void logged.push(message),
        invoke: (_target, trigger: RpcTypedData) => {
          const { history } = JSON.parse(trigger.string!) as { history: { EventType: number }[] };
          const woke = history.some((e) => e.EventType === EventType.TimerFired);
          const state = {
            isDone: woke,
            output: woke ? 'woke' : undefined,
            actions: [
              [{ actionType: ActionType.CreateTimer, fireAt: new Date(FIRE_AT).toISOString(), isCanceled: false }],
            ],
          };
          return Promise.resolve({ invocationId: 'i', outputData: [], returnValue: { json: JSON.stringify(state) } });
        },
      });
      const blocker = new Database(file);
      try {
        engine.startNew('sleeper', 'sleeper-1', null);
        await until('the timer is stored', () => store.nextTimerAt() === FIRE_AT);

        blocker.exec('BEGIN EXCLUSIVE');
        clock = FIRE_AT + 1;
        engine.wake();
        await until(
          'the pump meets the lock',
          () => logged.includes('durable pump failed; retrying') || crashes.length > 0,
        );
        // Before the fix: SQLITE_BUSY escaped the pump's setImmediate, an uncaught exception that ended the host.
        expect(crashes).toEqual([]);
        expect(store.getInstance('sleeper-1')?.status).toBe('Running');

        blocker.exec('COMMIT');
        await until('the orchestration completes', () => store.getInstance('sleeper-1')?.status === 'Completed');
        expect(store.getInstance('sleeper-1')?.output).toBe(JSON.stringify('woke'));
        expect(store.history('sleeper-1').filter((e) => e.EventType === EventType.TimerFired)).toHaveLength(1);
        expect(crashes).toEqual([]);
      } finally {
        if (blocker.inTransaction) blocker.exec('COMMIT');
        blocker.close();
        await engine.stop();
        store.close();
      }
    },
  );

  it(
    'an activity whose completion meets the lock keeps its work item, runs again and is recorded once',
    { timeout: 60_000 },
    async () => {
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'jml-durable-busy-')), 'durable.sqlite');
      const store = new DurableStore(file, { busyTimeoutMs: 20 });
      const logged: string[] = [];
      let invocations = 0;
      let finishFirst: () => void = () => undefined;
      const first = new Promise<void>((resolve) => (finishFirst = resolve));
      const engine = new DurableEngine({
        store,
        functions: () => [fn('caller', 'orchestrationTrigger'), fn('step', 'activityTrigger')],
        log: (_level, message) => void logged.push(message),
        invoke: async (target, trigger: RpcTypedData) => {
          const done = { invocationId: 'i', outputData: [] };
          if (target.metadata.name === 'step') {
            // The first run finishes while the file is locked: its completion cannot be stored.
            if (++invocations === 1) await first;
            return { ...done, returnValue: { json: '42' } };
          }
          const { history } = JSON.parse(trigger.string!) as { history: { EventType: number; Result?: string }[] };
          const completed = history.find((e) => e.EventType === EventType.TaskCompleted);
          const state = {
            isDone: !!completed,
            output: completed ? JSON.parse(completed.Result!) : undefined,
            actions: [[{ actionType: ActionType.CallActivity, functionName: 'step', input: null }]],
          };
          return { ...done, returnValue: { json: JSON.stringify(state) } };
        },
      });
      const blocker = new Database(file);
      try {
        engine.startNew('caller', 'caller-1', null);
        await until('the activity runs', () => invocations === 1);

        blocker.exec('BEGIN EXCLUSIVE');
        finishFirst();
        await until(
          'its completion meets the lock',
          () => logged.includes('durable work failed') || crashes.length > 0,
        );
        expect(crashes).toEqual([]);
        expect(store.getInstance('caller-1')?.status).toBe('Running');

        blocker.exec('COMMIT');
        await until('the orchestration completes', () => store.getInstance('caller-1')?.status === 'Completed');
        expect(store.getInstance('caller-1')?.output).toBe('42');
        // At least once: the activity may have run again while the file was locked; its result is in history once.
        expect(invocations).toBeGreaterThanOrEqual(2);
        expect(store.history('caller-1').filter((e) => e.EventType === EventType.TaskCompleted)).toHaveLength(1);
        expect(store.allWork()).toEqual([]);
        expect(crashes).toEqual([]);
      } finally {
        if (blocker.inTransaction) blocker.exec('COMMIT');
        blocker.close();
        await engine.stop();
        store.close();
      }
    },
  );
});
