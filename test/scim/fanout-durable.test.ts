import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../support/host-process';

/*
 * The SCIM fan-out as built (functions/activities/scim-sender.ts, the senders in functions/orchestrations/
 * scim-fanout.ts) on the local durable engine, around a fake ScimSync scripted per target
 * (test/fixtures/scim-fanout-app): syncs are queued as a person's step queues them, and each target's sender sends
 * them. Waits (Retry-After, pauses, quarantine cool-downs) are durable timers: the test moves the durable clock
 * forward instead of sleeping, so nothing here depends on how fast the machine is.
 */
const appRoot = path.resolve(__dirname, '../fixtures/scim-fanout-app');

interface Call {
  targetId: string;
  employeeId: string;
  action: string;
  status: number;
}
describe('SCIM fan-out on the local durable engine', () => {
  let host: HostProcess;
  const url = (p: string) => `${host.baseUrl}${p}`;
  const post = (p: string, body: unknown) => fetch(url(p), { method: 'POST', body: JSON.stringify(body) });
  const getJson = async <T>(p: string): Promise<T> => (await (await fetch(url(p))).json()) as T;
  const calls = () => getJson<Call[]>('/api/test/calls');
  const health = (targetId: string) =>
    getJson<{
      circuit: { state: string };
      backlog: number;
      sender: { idle: boolean };
      audit: { action: string; employeeId: string | null }[];
    }>(`/api/test/health/${targetId}`);
  const sent = async (targetId: string, employeeId: string) =>
    (await calls()).filter((c) => c.targetId === targetId && c.employeeId === employeeId);

  /** What a person's step does: its syncs queued (one per target), the senders woken when idle. */
  async function queue(employeeId: string, actions: { targetId: string; action: string }[], seq = 1): Promise<void> {
    const at = (await getJson<{ now: string }>('/_local/clock')).now;
    const syncs = actions.map((a) => ({
      ...a,
      employeeId,
      seq,
      userId: `u-${employeeId}`,
      correlation: { eventId: `ev-${employeeId}-${seq}` },
      parkedAt: at,
      reason: 'queued',
    }));
    expect((await post('/api/test/queue', syncs)).status).toBe(204);
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

  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'jml-scim-fanout-'));
    host = await startHostProcess({
      appRoot,
      dataDir,
      env: { ENTRA_JML_POLICY_FILE: path.join(appRoot, 'policy.yaml') },
    });
  });
  afterAll(async () => host?.stop());

  it('waits out 429 + Retry-After twice with durable timers, then the person arrives once', async () => {
    await post('/api/test/targets/throttled', {
      queue: [
        { status: 429, retryAfterSeconds: 120 },
        { status: 429, retryAfterSeconds: 120 },
      ],
    });
    await queue('T1', [{ targetId: 'throttled', action: 'upsert' }]);
    await until('T1 sent', async () => ((await health('throttled')).backlog === 0 ? true : null));
    expect((await sent('throttled', 'T1')).map((c) => c.status)).toEqual([429, 429, 201]);
  });

  it('a 429 holds back only its own sync: the rest goes on, and it waits out its Retry-After', async () => {
    // 45 people: more than one round (40 at the policy's default concurrency of 4); the first answer is a 429.
    await post('/api/test/targets/pacing', { queue: [{ status: 429, retryAfterSeconds: 600 }] });
    const people = Array.from({ length: 45 }, (_, i) => `P${String(i).padStart(2, '0')}`);
    // Queued together, as a bulk import's steps land: the sender's first round is a full one.
    const at = (await getJson<{ now: string }>('/_local/clock')).now;
    const syncs = people.map((employeeId) => ({
      targetId: 'pacing',
      action: 'upsert',
      employeeId,
      seq: 1,
      userId: `u-${employeeId}`,
      correlation: {},
      parkedAt: at,
      reason: 'queued',
    }));
    expect((await post('/api/test/queue', syncs)).status).toBe(204);
    // Without the durable clock moving: everyone but the throttled one arrives (the second round did not wait).
    for (let look = 0; look < 400 && (await health('pacing')).backlog > 1; look++)
      await new Promise((r) => setTimeout(r, 25));
    expect((await health('pacing')).backlog).toBe(1);
    const first = (await calls()).filter((c) => c.targetId === 'pacing');
    expect(first.filter((c) => c.status === 201)).toHaveLength(44);
    const throttled = first.find((c) => c.status === 429)!.employeeId;
    // Nine durable minutes later it is still held back (Retry-After: ten), with no second call.
    for (let minute = 0; minute < 9; minute++) await post('/_local/clock', { advance: 'PT1M' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await sent('pacing', throttled)).map((c) => c.status)).toEqual([429]);
    await until('held sync sent', async () => ((await health('pacing')).backlog === 0 ? true : null));
    expect((await sent('pacing', throttled)).map((c) => c.status)).toEqual([429, 201]);
  });

  it('an idle sender is woken by the next queued sync, without waiting for its idle timer', async () => {
    await until('throttled sender idle', async () => ((await health('throttled')).sender.idle ? true : null));
    const { value: targets } = await getJson<{ value: { id: string; sender: string; backlog: number }[] }>(
      '/api/ops/scim/targets',
    );
    expect(targets.find((t) => t.id === 'throttled')).toMatchObject({
      sender: 'idle',
      senderNextLookBy: null,
      backlog: 0,
    });
    await queue('T2', [{ targetId: 'throttled', action: 'upsert' }]);
    // No clock moves here: only the wake-up can get T2 sent (the idle timer is 10 durable minutes away).
    for (let look = 0; look < 400 && (await sent('throttled', 'T2')).length === 0; look++)
      await new Promise((r) => setTimeout(r, 50));
    expect((await sent('throttled', 'T2')).map((c) => c.status)).toEqual([201]);
  });

  it('a refusal (400) is recorded, leaves the backlog, and does not stop the other targets', async () => {
    await post('/api/test/targets/strict', { queue: [{ status: 400 }] });
    await queue('R1', [
      { targetId: 'strict', action: 'upsert' },
      { targetId: 'lenient', action: 'upsert' },
    ]);
    await until('R1 sent to both', async () => {
      const [strict, lenient] = [await health('strict'), await health('lenient')];
      return strict.backlog === 0 && lenient.backlog === 0 && (await sent('lenient', 'R1')).length ? true : null;
    });
    expect((await sent('strict', 'R1')).map((c) => c.status)).toEqual([400]);
    expect((await sent('lenient', 'R1')).map((c) => c.status)).toEqual([201]);
    expect((await health('strict')).audit).toContainEqual({ action: 'scim.sync.failed', employeeId: 'R1' });
    expect((await health('lenient')).audit).toContainEqual({ action: 'scim.created', employeeId: 'R1' });
  });

  it('quarantines a target that keeps failing, keeps its syncs, and catches up once when it is back', async () => {
    await post('/api/test/targets/flaky', { down: true });
    const people = Array.from({ length: 12 }, (_, i) => `Q${i + 1}`);
    for (const person of people) await queue(person, [{ targetId: 'flaky', action: 'upsert' }]);
    const quarantined = await until('flaky quarantined', async () => {
      const now = await health('flaky');
      return now.circuit.state !== 'closed' ? now : null;
    });
    expect(quarantined.backlog).toBe(12);
    expect(quarantined.audit.filter((a) => a.action === 'scim.target.quarantined')).toHaveLength(1);
    const { value: targets } = await getJson<{ value: { id: string; circuit: string; backlog: number }[] }>(
      '/api/ops/scim/targets',
    );
    expect(targets.find((t) => t.id === 'flaky')).toMatchObject({
      circuit: expect.stringMatching(/open/),
      backlog: 12,
      // Waiting for the probe time, not for a wake-up.
      sender: 'busy',
      senderNextLookBy: expect.any(String),
    });

    // While quarantined, Q1 leaves: the newer change replaces the queued one (it is sent instead, not after).
    await queue('Q1', [{ targetId: 'flaky', action: 'deactivate' }], 2);
    const callsWhileDown = (await calls()).filter((c) => c.targetId === 'flaky').length;

    // Still down for a while: the sender probes (one call per cool-down), it does not hammer the target.
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
