import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { dayFromToday, jmlClient, type DirUser } from '../support/jml-client';

/**
 * Issue 24: a Graph outage longer than a step's durable retries must not fail the person's lifecycle. On the local
 * host, Graph is made unavailable (503 + Retry-After, the emulator's `unavailable` fault, optionally only after a
 * first write succeeded: a partial effect) until a step has used up its retries; the lifecycle must still be
 * Running with the failed step visible and audited. Then Graph comes back, the durable clock is moved past the
 * retry, and the person must end where the policy says, with no duplicate account and no double removal.
 * The durable clock is moved forward in steps so the retry timers fire; nothing waits on the wall clock for them.
 */
const repoRoot = path.resolve(__dirname, '../..');
const SECRET = 'step-retry-secret';

interface PersonView {
  runtimeStatus: string;
  phase: string;
  lastEvents: string[];
  problems: string[];
  nextDue: { which: string; at: string } | null;
  pendingStep?: { step: string; remaining: string[]; attempt: number; reason: string; nextRetryAt: string };
}

interface AuditRow {
  action: string;
  outcome: string;
  reason: string | null;
  after: unknown;
}

describe('a failed step stays pending and is retried, on the local host (issue 24)', () => {
  let host: HostProcess;
  let jml: ReturnType<typeof jmlClient>;

  beforeAll(async () => {
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir: mkdtempSync(path.join(tmpdir(), 'jml-step-retry-')),
      env: {
        HR_EVENTS_QUEUE: 'hr-events',
        HR_WEBHOOK_SECRETS: SECRET,
        ENTRA_JML_POLICY_FILE: path.join(repoRoot, 'policy/policy.yaml'),
      },
    });
    jml = jmlClient(host.baseUrl, SECRET);
  });
  afterAll(async () => host?.stop());

  const faults = async (change: Record<string, unknown>) =>
    expect((await jml.postJson('/_local/graph/_admin/faults', change)).status).toBe(200);
  const person = (employeeId: string) => jml.getJson<PersonView>(`/api/persons/${employeeId}`);
  const audit = async (employeeId: string) =>
    (await jml.getJson<{ value: AuditRow[] }>(`/api/ops/audit?employeeId=${employeeId}&limit=1000`)).value;
  const accounts = async (employeeId: string): Promise<{ active: DirUser[]; deleted: DirUser[] }> => {
    const state = await jml.directory();
    return {
      active: state.users.filter((u) => u.employeeId === employeeId),
      deleted: (state.deletedUsers ?? []).filter((u) => u.employeeId === employeeId),
    };
  };
  const event = (type: string, eventId: string, employeeId: string, extra: object = {}, worker: object = {}) => ({
    eventId,
    type,
    occurredAt: new Date().toISOString(),
    ...extra,
    worker: {
      employeeId,
      legalGivenName: 'Step',
      legalFamilyName: `Retry${employeeId}`,
      hireDate: dayFromToday(0),
      country: 'FR',
      department: 'Engineering',
      ...worker,
    },
  });

  /** Moves the durable clock a little at a time (each retry timer fires in turn) until `check` holds. */
  const advanceUntil = async <T>(what: string, check: () => Promise<T | null | undefined | false>): Promise<T> => {
    for (let round = 0; round < 120; round++) {
      const value = await check();
      if (value) return value;
      await jml.advance('PT2M');
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`never reached: ${what}`);
  };
  const pendingStep = (employeeId: string, step: string) =>
    advanceUntil(`${step} pending for ${employeeId}`, async () => {
      const view = await person(employeeId);
      // Before issue 24's fix the lifecycle itself failed here.
      if (view.runtimeStatus === 'Failed') throw new Error(`the lifecycle of ${employeeId} failed`);
      return view.pendingStep?.step === step ? view : null;
    });
  const graphBack = async () => {
    await faults({ unavailable: false, unavailableAfter: '', throttleRetryAfterSeconds: 1 });
  };
  // Each case starts with Graph up, whatever the previous one left.
  afterEach(graphBack);
  const hired = async (employeeId: string): Promise<DirUser> => {
    await jml.post(event('hire', `h-${employeeId}`, employeeId));
    return jml.until(`${employeeId} hired with access`, async () => {
      const user = await jml.user(employeeId);
      const view = await person(employeeId);
      return user && user.groups.length >= 2 && view.lastEvents.includes(`h-${employeeId}`) ? user : null;
    });
  };

  it('joiner: Graph down right after the account was created; retried later, one account, access applied', async () => {
    const createsBefore = await jml.graphWrites('POST /users');
    await faults({ unavailableAfter: 'POST /users', throttleRetryAfterSeconds: 0 });
    await jml.post(event('hire', 'h-J1', 'J1'));

    const failed = await pendingStep('J1', 'joiner');
    expect(failed.runtimeStatus).toBe('Running');
    expect(failed.pendingStep!.attempt).toBeGreaterThanOrEqual(1);
    expect(failed.pendingStep!.reason).not.toBe('');
    expect(failed.problems).toContainEqual(expect.stringContaining('step joiner failed'));
    expect(failed.nextDue).toEqual({ which: 'stepRetryAt', at: failed.pendingStep!.nextRetryAt });
    expect(await audit('J1')).toContainEqual(expect.objectContaining({ action: 'step.failed', outcome: 'failure' }));
    // The partial effect: the account exists, its access was never applied.
    const partial = await accounts('J1');
    expect(partial.active).toHaveLength(1);
    expect(partial.active[0]!.groups).toEqual([]);

    await graphBack();
    await jml.advance('PT31M');
    const done = await jml.until('J1 retried to the end', async () => {
      const view = await person('J1');
      const user = await jml.user('J1');
      return !view.pendingStep && user && user.groups.length >= 2 ? { view, user } : null;
    });
    expect(done.view.runtimeStatus).toBe('Running');
    expect(done.view.problems.filter((p) => p.startsWith('step '))).toEqual([]);
    expect(done.user.accountEnabled).toBe(true);
    expect(done.user.groups).toEqual(expect.arrayContaining(['All Employees', 'Engineering']));
    expect(await accounts('J1')).toEqual({ active: [done.user], deleted: [] });
    expect((await jml.graphWrites('POST /users')) - createsBefore).toBe(1);
  }, 240_000);

  it('an update that arrives while the joiner is pending waits in the inbox and is applied after it', async () => {
    await faults({ unavailable: true, throttleRetryAfterSeconds: 0 });
    await jml.post(event('hire', 'h-O1', 'O1'));
    await pendingStep('O1', 'joiner');
    await jml.post(event('update', 'u-O1', 'O1', {}, { department: 'Sales' }));
    // Its wake-up runs the joiner again at once; Graph is still down, so it fails a second time.
    const again = await advanceUntil('O1 joiner failed twice', async () => {
      const view = await person('O1');
      if (view.runtimeStatus === 'Failed') throw new Error('the lifecycle of O1 failed');
      return (view.pendingStep?.attempt ?? 0) >= 2 ? view : null;
    });
    expect(again.pendingStep!.step).toBe('joiner');
    expect(again.lastEvents).not.toContain('u-O1');
    expect((await accounts('O1')).active).toEqual([]);

    await graphBack();
    await jml.advance('PT31M');
    const done = await jml.until('O1 hired, then moved', async () => {
      const view = await person('O1');
      const user = await jml.user('O1');
      return !view.pendingStep && view.lastEvents.includes('u-O1') && user?.department === 'Sales' ? user : null;
    });
    expect(done.accountEnabled).toBe(true);
    expect((await accounts('O1')).active).toHaveLength(1);
  }, 240_000);

  it('leaver: Graph down after the first group removal; retried later, every group removed once', async () => {
    const before = await hired('L1');
    const removalKind = 'DELETE /groups/{id}/members/{id}/$ref';
    const removalsBefore = await jml.graphWrites(removalKind);
    await faults({ unavailableAfter: removalKind, throttleRetryAfterSeconds: 0 });
    await jml.post(event('terminate', 't-L1', 'L1', { immediate: true }));

    const failed = await pendingStep('L1', 'leaver');
    expect(failed.runtimeStatus).toBe('Running');
    expect(failed.problems).toContainEqual(expect.stringContaining('step leaver failed'));
    expect(await audit('L1')).toContainEqual(expect.objectContaining({ action: 'step.failed', outcome: 'failure' }));
    const partial = (await jml.user('L1'))!;
    expect(partial.accountEnabled).toBe(false);
    expect(partial.groups).toHaveLength(before.groups.length - 1);

    await graphBack();
    await jml.advance('PT31M');
    const done = await jml.until('L1 retried to the end', async () => {
      const view = await person('L1');
      const user = await jml.user('L1');
      return !view.pendingStep && user && user.groups.length === 0 ? { view, user } : null;
    });
    expect(done.view.runtimeStatus).toBe('Running');
    expect(done.view.phase).toBe('left');
    expect(done.user.accountEnabled).toBe(false);
    // Each membership removed exactly once: the retry only removed what the first try had not.
    expect((await jml.graphWrites(removalKind)) - removalsBefore).toBe(before.groups.length);
  }, 240_000);

  it('disable (leave of absence): past its stepRetry it stays pending; reevaluate retries it at once', async () => {
    await hired('D1');
    await faults({ unavailable: true, throttleRetryAfterSeconds: 0 });
    await jml.post(event('leave-of-absence-start', 'loa-D1', 'D1'));

    const failed = await pendingStep('D1', 'disable');
    expect(failed.runtimeStatus).toBe('Running');
    expect(failed.phase).toBe('on-leave');
    expect((await jml.user('D1'))!.accountEnabled).toBe(true);
    const rows = (await audit('D1')).filter((r) => r.action === 'step.failed');
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows[0]!.after).toMatchObject({ step: 'disable', nextRetryAt: expect.any(String) });

    await graphBack();
    const retryAt = (await person('D1')).pendingStep!.nextRetryAt;
    // No clock move: the operator's re-evaluation wakes the lifecycle, which runs the pending step at once.
    expect((await jml.postJson('/api/ops/reevaluate', { employeeIds: ['D1'], reason: 'Graph is back' })).status).toBe(
      202,
    );
    await jml.until('D1 disabled', async () => (await jml.user('D1'))?.accountEnabled === false);
    const clock = await jml.getJson<{ now: string }>('/_local/clock');
    expect(Date.parse(clock.now)).toBeLessThan(Date.parse(retryAt));
    await jml.until('D1 nothing pending', async () => !(await person('D1')).pendingStep);
  }, 240_000);

  it('a rescind supersedes a pending pre-hire joiner: its partial account is deleted, none created again', async () => {
    const createsBefore = await jml.graphWrites('POST /users');
    await faults({ unavailableAfter: 'POST /users', throttleRetryAfterSeconds: 0 });
    await jml.post(event('hire', 'h-R1', 'R1', {}, { hireDate: dayFromToday(3) }));
    const failed = await pendingStep('R1', 'joiner');
    expect(failed.phase).toBe('pre-hire');
    expect((await accounts('R1')).active).toHaveLength(1);

    // Graph still down: the rescind is decided at once, and its own step waits for Graph.
    await jml.post(event('rescind', 'x-R1', 'R1', {}, { hireDate: dayFromToday(3) }));
    const rescinding = await pendingStep('R1', 'rescind');
    expect(rescinding.phase).toBe('rescinded');
    expect(rescinding.lastEvents).toContain('x-R1');
    expect(await audit('R1')).toContainEqual(expect.objectContaining({ action: 'step.dropped', outcome: 'skipped' }));

    await graphBack();
    await jml.advance('PT31M');
    await jml.until('R1 rescinded to the end', async () => {
      const view = await person('R1');
      return !view.pendingStep && (await accounts('R1')).active.length === 0;
    });
    expect((await accounts('R1')).deleted).toHaveLength(1);
    expect((await jml.graphWrites('POST /users')) - createsBefore).toBe(1);
    expect((await person('R1')).runtimeStatus).toBe('Running');
  }, 240_000);
});
