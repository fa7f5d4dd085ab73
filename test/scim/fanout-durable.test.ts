import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../support/host-process';

/*
 * The SCIM fan-out orchestrations (functions/orchestrations/scim-fanout.ts) and their health activities, as built,
 * on the local durable engine, around a fake scimSync scripted per target (test/fixtures/scim-fanout-app). Waits
 * (Retry-After, backoff, quarantine cool-downs) are durable timers: the test moves the durable clock forward
 * instead of sleeping, so nothing here depends on how fast the machine is.
 */
const appRoot = path.resolve(__dirname, '../fixtures/scim-fanout-app');

interface Call {
  targetId: string;
  employeeId: string;
  action: string;
  status: number;
}
interface SyncResult {
  targetId: string;
  action: string;
  result: string;
  attempts: number;
  detail: string;
}

describe('SCIM fan-out on the local durable engine', () => {
  let host: HostProcess;
  const url = (p: string) => `${host.baseUrl}${p}`;
  const post = (p: string, body: unknown) => fetch(url(p), { method: 'POST', body: JSON.stringify(body) });
  const getJson = async <T>(p: string): Promise<T> => (await (await fetch(url(p))).json()) as T;
  const calls = () => getJson<Call[]>('/api/test/calls');
  const health = (targetId: string) =>
    getJson<{ circuit: { state: string }; backlog: number; audit: { action: string; employeeId: string | null }[] }>(
      `/api/test/health/${targetId}`,
    );

  async function start(name: string, input: unknown, id: string): Promise<string> {
    const res = await post(`/api/test/orchestrators/${name}/${id}`, input);
    expect(res.status).toBe(202);
    return id;
  }

  /** Moves the durable clock a minute at a time until `done` holds (timers fire; nothing waits in real time). */
  async function until<T>(what: string, probe: () => Promise<T | null>, maxMinutes = 240): Promise<T> {
    for (let minute = 0; minute <= maxMinutes; minute++) {
      for (let look = 0; look < 20; look++) {
        const value = await probe();
        if (value !== null) return value;
        await new Promise((r) => setTimeout(r, 25));
      }
      await post('/_local/clock', { advance: 'PT1M' });
    }
    throw new Error(`${what}: not after ${maxMinutes} durable minutes`);
  }

  async function completed(id: string): Promise<{ results: SyncResult[]; problems: string[] }> {
    return until(`instance ${id}`, async () => {
      const status = await getJson<{ runtimeStatus: string; output: unknown }>(`/api/test/status/${id}`);
      if (status.runtimeStatus === 'Failed') throw new Error(`${id} failed: ${JSON.stringify(status.output)}`);
      return status.runtimeStatus === 'Completed'
        ? (status.output as { results: SyncResult[]; problems: string[] })
        : null;
    });
  }

  const fanout = (employeeId: string, actions: { targetId: string; action: string }[], seq = 1) => ({
    employeeId,
    userId: `u-${employeeId}`,
    actions,
    correlation: { eventId: `ev-${employeeId}-${seq}` },
    seq,
  });

  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'jml-scim-fanout-'));
    host = await startHostProcess({
      appRoot,
      dataDir,
      env: { ENTRA_JML_POLICY_FILE: path.join(appRoot, 'policy.yaml') },
    });
  });
  afterAll(async () => host?.stop());

  it('waits out 429 + Retry-After twice with durable timers, then the person arrives', async () => {
    await post('/api/test/targets/throttled', {
      queue: [
        { status: 429, retryAfterSeconds: 120 },
        { status: 429, retryAfterSeconds: 120 },
      ],
    });
    const id = await start('scimFanout', fanout('T1', [{ targetId: 'throttled', action: 'upsert' }]), 'fan-T1');
    const output = await completed(id);
    expect(output.results).toEqual([expect.objectContaining({ result: 'synced', attempts: 3, detail: 'created' })]);
    expect(output.problems).toEqual([]);
    expect((await calls()).filter((c) => c.targetId === 'throttled').map((c) => c.status)).toEqual([429, 429, 201]);
  });

  it('a refusal (400) is recorded and does not stop the other targets', async () => {
    await post('/api/test/targets/strict', { queue: [{ status: 400 }] });
    const id = await start(
      'scimFanout',
      fanout('R1', [
        { targetId: 'strict', action: 'upsert' },
        { targetId: 'lenient', action: 'upsert' },
      ]),
      'fan-R1',
    );
    const output = await completed(id);
    expect(output.results.map((r) => [r.targetId, r.result, r.attempts])).toEqual([
      ['strict', 'failed', 1],
      ['lenient', 'synced', 1],
    ]);
    expect(output.problems).toEqual(['SCIM strict: upsert failed: 400 scripted 400']);
    expect((await health('strict')).audit).toContainEqual({ action: 'scim.sync.failed', employeeId: 'R1' });
    expect((await calls()).filter((c) => c.employeeId === 'R1')).toHaveLength(2);
  });

  it('quarantines a target that keeps failing, parks its syncs, and catches up once when it is back', async () => {
    await post('/api/test/targets/flaky', { down: true });
    const people = Array.from({ length: 12 }, (_, i) => `Q${i + 1}`);
    for (const person of people)
      await start('scimFanout', fanout(person, [{ targetId: 'flaky', action: 'upsert' }]), `fan-${person}`);
    for (const person of people) {
      const { results } = await completed(`fan-${person}`);
      expect(results[0]!.result).toBe('parked');
    }
    const quarantined = await health('flaky');
    expect(quarantined.circuit.state).not.toBe('closed');
    expect(quarantined.backlog).toBe(12);
    expect(quarantined.audit.filter((a) => a.action === 'scim.target.quarantined')).toHaveLength(1);
    const { value: targets } = await getJson<{ value: { id: string; circuit: string; backlog: number }[] }>(
      '/api/ops/scim/targets',
    );
    expect(targets.find((t) => t.id === 'flaky')).toMatchObject({
      circuit: expect.stringMatching(/open/),
      backlog: 12,
    });

    // While quarantined, Q1 leaves: the newer change replaces the parked one (it is sent instead, not after).
    const leaver = await start(
      'scimFanout',
      fanout('Q1', [{ targetId: 'flaky', action: 'deactivate' }], 2),
      'fan-Q1-leaver',
    );
    expect((await completed(leaver)).results[0]!.result).toBe('parked');
    const callsWhileDown = (await calls()).filter((c) => c.targetId === 'flaky').length;

    // Still down for a while: the catch-up probes (one call per cool-down), it does not hammer the target.
    await until('two probes', async () =>
      (await calls()).filter((c) => c.targetId === 'flaky').length >= callsWhileDown + 2 ? true : null,
    );
    expect((await health('flaky')).backlog).toBe(12);

    await post('/api/test/targets/flaky', { down: false });
    const recovered = await until('backlog drained', async () => {
      const now = await health('flaky');
      return now.backlog === 0 ? now : null;
    });
    expect(recovered.circuit.state).toBe('closed');
    expect(recovered.audit.filter((a) => a.action === 'scim.target.recovered')).toHaveLength(1);

    const delivered = (await calls()).filter((c) => c.targetId === 'flaky' && c.status < 300);
    expect(delivered.map((c) => `${c.employeeId}:${c.action}`).sort()).toEqual(
      ['Q1:deactivate', ...people.slice(1).map((p) => `${p}:upsert`)].sort(),
    );
    // The probes while it was down were single calls, one per cool-down (60 s, then 120 s, ...).
    const failedWhileQuarantined = (await calls()).filter((c) => c.targetId === 'flaky' && c.status === 503);
    expect(failedWhileQuarantined.length).toBeLessThan(12 + 10);
  });

  it('ops API: unknown targets and people are 404; an initial sync with no lifecycle queues nobody', async () => {
    expect((await fetch(url('/api/ops/scim/targets/nope/sync'), { method: 'POST' })).status).toBe(404);
    expect((await fetch(url('/api/ops/scim/targets/lenient/provision/NOBODY'), { method: 'POST' })).status).toBe(404);
    const res = await fetch(url('/api/ops/scim/targets/lenient/sync'), { method: 'POST' });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const status = await until('initial sync', async () => {
      const s = await getJson<{ runtimeStatus: string; output: unknown }>(`/api/test/status/${id}`);
      return s.runtimeStatus === 'Completed' ? s : null;
    });
    expect(status.output).toEqual({ queued: 0, people: 0 });
  });
});
