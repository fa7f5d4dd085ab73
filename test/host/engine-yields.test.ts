import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DurableStore } from '../../local/durable/durable-store';
import { DurableEngine } from '../../local/durable/engine';
import type { ForegroundGate } from '../../local/host/foreground-gate';
import type { RegisteredFunction } from '../../local/host/function-registry';

/**
 * The durable engine shares the host's event loop with the HTTP listener: work items must start in turns of the
 * loop, not all inside one, or /api/health waits behind a whole pump of orchestrator replays (issue 16 item 2).
 * A "loop turn" is observed with a setImmediate chain: each link runs once per turn, after I/O polling.
 */
const orchestrator: RegisteredFunction = {
  metadata: { name: 'orch', bindings: { t: { type: 'orchestrationTrigger', direction: 'in' } } },
  callback: () => undefined,
  triggerName: 't',
  trigger: { type: 'orchestrationTrigger', direction: 'in' },
};

let engine: DurableEngine | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

function startEngine(episodes: number[], gate?: ForegroundGate, ran: string[] = []): DurableEngine {
  const store = new DurableStore(path.join(mkdtempSync(path.join(tmpdir(), 'jml-yield-')), 'durable.sqlite'));
  return new DurableEngine({
    store,
    functions: () => [orchestrator],
    maxConcurrentOrchestrations: 8,
    gate,
    invoke: async (_fn, data) => {
      episodes.push(1);
      ran.push((JSON.parse(String(data.string)) as { instanceId: string }).instanceId);
      return {
        invocationId: 'i',
        outputData: [],
        returnValue: { json: JSON.stringify({ isDone: true, actions: [], output: null }) },
      };
    },
  });
}

/** Counts finished episodes at each turn of the loop until `done` or `maxTurns`. */
async function episodesPerTurn(episodes: number[], done: () => boolean, maxTurns = 200): Promise<number[]> {
  const perTurn: number[] = [];
  let seen = 0;
  for (let turn = 0; turn < maxTurns && !done(); turn++) {
    await new Promise((resolve) => setImmediate(resolve));
    perTurn.push(episodes.length - seen);
    seen = episodes.length;
  }
  return perTurn;
}

describe('durable engine: yields to the event loop between work items', () => {
  it('runs at most one orchestrator episode per turn of the loop, so I/O is served in between', async () => {
    const episodes: number[] = [];
    engine = startEngine(episodes);
    for (let i = 0; i < 8; i++) engine.startNew('orch', `o${i}`, null);
    engine.start();
    const perTurn = await episodesPerTurn(episodes, () => episodes.length >= 8);
    expect(episodes.length).toBe(8);
    // Before the fix one pump ran all eight episodes inside a single turn (perTurn contained an 8).
    expect(Math.max(...perTurn)).toBeLessThanOrEqual(1);
  });

  it('leaves a work item that has not started yet in the store when the engine stops', async () => {
    const episodes: number[] = [];
    engine = startEngine(episodes);
    for (let i = 0; i < 8; i++) engine.startNew('orch', `o${i}`, null);
    engine.start();
    await episodesPerTurn(episodes, () => episodes.length >= 1);
    await engine.stop();
    // Items still waiting for their turn did not start after stop (they run after a restart).
    expect(episodes.length).toBeLessThan(8);
  });

  it("takes each episode's turn from the host's gate: paced while callers burst", async () => {
    const episodes: number[] = [];
    let claims = 0;
    const gate = { claimBackgroundSlot: () => (claims++, 20) } as unknown as ForegroundGate;
    engine = startEngine(episodes, gate);
    for (let i = 0; i < 3; i++) engine.startNew('orch', `o${i}`, null);
    engine.start();
    // Three loop turns would have run all three episodes without the gate; paced, none has started yet.
    await episodesPerTurn(episodes, () => false, 3);
    expect(episodes.length).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(episodes.length).toBe(3);
    expect(claims).toBeGreaterThanOrEqual(3);
  });

  it('runs urgent work at once while callers burst: not paced, and not held to the slots bulk work fills', async () => {
    const episodes: number[] = [];
    const ran: string[] = [];
    let bursting = true;
    const gate = { claimBackgroundSlot: () => (bursting ? 400 : 0) } as unknown as ForegroundGate;
    engine = startEngine(episodes, gate, ran);
    // Ten bulk instances: eight fill maxConcurrentOrchestrations and wait for their paced turns.
    for (let i = 0; i < 10; i++) engine.startNew('orch', `bulk${i}`, null);
    engine.start();
    await episodesPerTurn(episodes, () => false, 3);
    engine.startNew('orch', 'leaver', null);
    // The local priority hint an immediate termination carries (DurableEngine.raiseEvent).
    expect(engine.raiseEvent('leaver', 'terminate', { priority: 'urgent' })).toBe('accepted');
    for (let waited = 0; !ran.includes('leaver') && waited < 300; waited += 10)
      await new Promise((resolve) => setTimeout(resolve, 10));
    // Before the fix it waited behind the bulk episodes' paced turns: 400 ms each, after all eight.
    expect(ran).toContain('leaver');
    expect(ran.filter((id) => id.startsWith('bulk'))).toEqual([]);
    bursting = false;
  });
});
