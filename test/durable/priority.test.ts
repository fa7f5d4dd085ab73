import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DurableStore } from '../../local/durable/durable-store';
import { DurableEngine } from '../../local/durable/engine';
import { ActionType, EventType } from '../../local/durable/history-events';
import type { RegisteredFunction, RpcTypedData } from '../../local/host/function-registry';

/**
 * A scripted orchestrator (no durable-functions replay needed): it calls the activity "step" once with its
 * instance id and completes when the result is in its history. One orchestrator and one activity at a time,
 * so the order the engine picks work in is observable and deterministic.
 */
const fn = (name: string, type: string) => ({ metadata: { name }, trigger: { type } }) as unknown as RegisteredFunction;
const functions = [fn('oneStep', 'orchestrationTrigger'), fn('step', 'activityTrigger')];

function scriptedEngine() {
  const store = new DurableStore(path.join(mkdtempSync(path.join(tmpdir(), 'jml-prio-')), 'durable.sqlite'));
  const order: string[] = [];
  let settle: () => void = () => {};
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const engine = new DurableEngine({
    store,
    functions: () => functions,
    maxConcurrentOrchestrations: 1,
    maxConcurrentActivities: 1,
    invoke: async (target, trigger: RpcTypedData) => {
      await new Promise((resolve) => setImmediate(resolve));
      if (target.metadata.name === 'step') {
        order.push(`step:${trigger.string ?? ''}`);
        return { invocationId: 'i', outputData: [], returnValue: { json: '1' } };
      }
      const payload = JSON.parse(trigger.string!) as { instanceId: string; history: { EventType: number }[] };
      const done = payload.history.some((e) => e.EventType === EventType.TaskCompleted);
      if (done) order.push(`done:${payload.instanceId}`);
      const state = {
        isDone: done,
        output: done ? 1 : undefined,
        actions: [[{ actionType: ActionType.CallActivity, functionName: 'step', input: payload.instanceId }]],
      };
      if (done && store.listInstances({ statuses: ['Pending', 'Running'] }).length <= 1) setImmediate(settle);
      return { invocationId: 'i', outputData: [], returnValue: { json: JSON.stringify(state) } };
    },
  });
  return { engine, store, order, settled };
}

describe('local durable engine: urgent work first', () => {
  it('runs an instance woken by an urgent event, and its activities, before a queued backlog', async () => {
    const { engine, store, order, settled } = scriptedEngine();
    await engine.stop(); // paused: the backlog is queued before anything runs
    for (let i = 0; i < 20; i++) engine.startNew('oneStep', `bulk-${i}`, null);
    engine.startNew('oneStep', 'urgent', null);
    // The backlog was woken first: its events are older than the urgent one.
    for (let i = 0; i < 20; i++) engine.raiseEvent(`bulk-${i}`, 'hr-event', { seq: 1 });
    expect(engine.raiseEvent('urgent', 'hr-event', { seq: 1, priority: 'urgent' })).toBe('accepted');
    engine.start();
    await settled;
    await engine.stop();
    // Its episode, its activity, its completion: the backlog had at most one episode in between (the slot that
    // was free while its activity ran).
    expect(order.indexOf('done:urgent')).toBeLessThan(order.indexOf('step:bulk-1'));
    expect(order[0]).toBe('step:urgent');
    expect(order.filter((o) => o.startsWith('done:'))).toHaveLength(21);
    // Idle (completed) again: nothing keeps a raised priority.
    expect(store.allWork()).toEqual([]);
    store.close();
  });
});
