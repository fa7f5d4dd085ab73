import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DurableStore } from '../../local/durable/durable-store';
import { DurableEngine } from '../../local/durable/engine';
import { ActionType, EventType } from '../../local/durable/history-events';
import type { RegisteredFunction, RpcTypedData } from '../../local/host/function-registry';

/**
 * Scripted orchestrators (no durable-functions replay): "sender" calls the activity "step", then continues as new
 * with n + 1 (up to `rounds` executions), as the SCIM senders do; "waiter" waits for an external event. One
 * orchestrator at a time, so the order the engine picks episodes in is observable.
 */
const fn = (name: string, type: string) => ({ metadata: { name }, trigger: { type } }) as unknown as RegisteredFunction;
const functions = [
  fn('sender', 'orchestrationTrigger'),
  fn('waiter', 'orchestrationTrigger'),
  fn('step', 'activityTrigger'),
];

interface Payload {
  instanceId: string;
  history: { EventType: number; Input?: string }[];
}

function scriptedEngine(options: { rounds: number; onContinue?: () => void }) {
  const store = new DurableStore(path.join(mkdtempSync(path.join(tmpdir(), 'jml-can-')), 'durable.sqlite'));
  const episodes: string[] = [];
  let settle: () => void = () => {};
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const reply = (state: object) => ({
    invocationId: 'i',
    outputData: [],
    returnValue: { json: JSON.stringify(state) },
  });
  const engine = new DurableEngine({
    store,
    functions: () => functions,
    maxConcurrentOrchestrations: 1,
    invoke: async (target, trigger: RpcTypedData) => {
      await new Promise((resolve) => setImmediate(resolve));
      if (target.metadata.name === 'step') return { invocationId: 'i', outputData: [], returnValue: { json: '1' } };
      const payload = JSON.parse(trigger.string!) as Payload;
      const started = payload.history.find((e) => e.EventType === EventType.ExecutionStarted);
      if (target.metadata.name === 'waiter') {
        const done = payload.history.some((e) => e.EventType === EventType.EventRaised);
        if (done) episodes.push(`${payload.instanceId} done`);
        const wait = [{ actionType: ActionType.WaitForExternalEvent, externalEventName: 'go' }];
        return reply({ isDone: done, output: done ? 1 : undefined, actions: [wait] });
      }
      const n = (JSON.parse(started?.Input ?? '{}') as { n?: number }).n ?? 0;
      const stepDone = payload.history.some((e) => e.EventType === EventType.TaskCompleted);
      episodes.push(`sender ${n}${stepDone ? ' step done' : ''}`);
      const actions: object[][] = [[{ actionType: ActionType.CallActivity, functionName: 'step', input: n }]];
      if (stepDone && n + 1 < options.rounds) {
        options.onContinue?.();
        actions.push([{ actionType: ActionType.ContinueAsNew, input: { n: n + 1 } }]);
      }
      const isDone = stepDone && n + 1 >= options.rounds;
      if (isDone) setImmediate(settle);
      return reply({ isDone, output: isDone ? n : undefined, actions });
    },
  });
  return { engine, store, episodes, settled };
}

describe('local durable engine: continue as new', () => {
  it("starts the new execution in the instance's slot, before events that arrived while the old one ran", async () => {
    let raise: () => void = () => {};
    const { engine, store, episodes, settled } = scriptedEngine({ rounds: 3, onContinue: () => raise() });
    // Ten orchestrations waiting for an event; each time the sender continues as new, all ten get theirs.
    for (let i = 0; i < 10; i++) engine.startNew('waiter', `waiter-${i}`, null);
    engine.startNew('sender', 'sender', { n: 0 });
    let raised = false;
    raise = () => {
      if (raised) return;
      raised = true;
      for (let i = 0; i < 10; i++) expect(engine.raiseEvent(`waiter-${i}`, 'go', null)).toBe('accepted');
    };
    await settled;
    await engine.stop();
    const sender = episodes.filter((e) => e.startsWith('sender'));
    expect(sender).toEqual([
      'sender 0',
      'sender 0 step done',
      'sender 1',
      'sender 1 step done',
      'sender 2',
      'sender 2 step done',
    ]);
    // "sender 1" came straight after the episode that continued as new, not after the ten waiters woken meanwhile.
    const continued = episodes.indexOf('sender 0 step done');
    expect(episodes[continued + 1]).toBe('sender 1');
    expect(episodes.filter((e) => e.endsWith(' done') && e.startsWith('waiter'))).toHaveLength(10);
    expect(episodes.indexOf('waiter-0 done')).toBeGreaterThan(continued + 1);
    expect(store.getInstance('sender')?.status).toBe('Completed');
    store.close();
  });
});
