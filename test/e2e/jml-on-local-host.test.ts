import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../support/host-process';

const repoRoot = path.resolve(__dirname, '../..');
const SECRET = 'e2e-secret';

interface DirUser {
  userPrincipalName: string;
  employeeId: string | null;
  department: string | null;
  accountEnabled: boolean;
  manager: string | null;
  id: string;
  groups: string[];
}

describe('joiner → mover → leaver through the webhook on the local host', () => {
  let host: HostProcess;
  const signed = (body: string, ts = Math.floor(Date.now() / 1000), key = SECRET) => ({
    'content-type': 'application/json',
    'x-entra-jml-timestamp': String(ts),
    'x-entra-jml-signature': `v1=${createHmac('sha256', key).update(`${ts}.`).update(body).digest('hex')}`,
  });
  const post = (event: unknown, opts: { ts?: number; key?: string } = {}) => {
    const body = JSON.stringify(event);
    return fetch(`${host.baseUrl}/api/hr/events`, { method: 'POST', headers: signed(body, opts.ts, opts.key), body });
  };
  const users = async (): Promise<DirUser[]> =>
    ((await (await fetch(`${host.baseUrl}/_local/graph/_admin/state`)).json()) as { users: DirUser[] }).users;
  const waitFor = async (employeeId: string, eventId: string) => {
    for (let i = 0; i < 200; i++) {
      const res = await fetch(`${host.baseUrl}/api/persons/${employeeId}`);
      if (res.ok) {
        const s = (await res.json()) as { phase: string; lastEvents: string[] };
        if (s.lastEvents?.includes(eventId)) return s;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${eventId} not processed`);
  };
  const today = new Date().toISOString().slice(0, 10);
  const worker = (id: string, given: string, family: string, extra: object = {}) => ({
    employeeId: id,
    legalGivenName: given,
    legalFamilyName: family,
    hireDate: today,
    country: 'FR',
    department: 'Engineering',
    ...extra,
  });

  beforeAll(async () => {
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir: mkdtempSync(path.join(tmpdir(), 'jml-e2e-')),
      env: {
        HR_EVENTS_QUEUE: 'hr-events',
        HR_WEBHOOK_SECRETS: `old-key,${SECRET}`,
        ENTRA_JML_POLICY_FILE: path.join(repoRoot, 'policy/policy.yaml'),
      },
    });
  });
  afterAll(async () => host?.stop());

  it('refuses bad signatures, stale timestamps, invalid bodies and huge bodies, queueing nothing', async () => {
    const event = {
      eventId: 'bad-1',
      type: 'hire',
      occurredAt: new Date().toISOString(),
      worker: worker('X1', 'Eve', 'Mallory'),
    };
    expect((await post(event, { key: 'wrong' })).status).toBe(401);
    expect((await post(event, { ts: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    const invalid = await post({ ...event, worker: { ...event.worker, hireDate: 'tomorrow', nickname: 'x' } });
    expect(invalid.status).toBe(400);
    const problems = ((await invalid.json()) as { problems: { path: string }[] }).problems.map((p) => p.path);
    expect(problems).toEqual(expect.arrayContaining(['worker.hireDate', 'worker']));
    const huge = JSON.stringify({ ...event, pad: 'x'.repeat(1_100_000) });
    expect(
      (await fetch(`${host.baseUrl}/api/hr/events`, { method: 'POST', headers: signed(huge), body: huge })).status,
    ).toBe(413);
    const deep = `{"eventId":"deep","x":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    expect(
      (await fetch(`${host.baseUrl}/api/hr/events`, { method: 'POST', headers: signed(deep), body: deep })).status,
    ).toBe(400);
    const queue = (await (await fetch(`${host.baseUrl}/_local/servicebus/queues/hr-events`)).json()) as {
      counts: Record<string, number>;
    };
    expect(queue.counts).toEqual({});
  });

  it('creates accounts with collision handling, manager and birthright groups', async () => {
    expect(
      (
        await post({
          eventId: 'h-M1',
          type: 'hire',
          occurredAt: new Date().toISOString(),
          worker: worker('M1', 'María', 'García', { country: 'US' }),
        })
      ).status,
    ).toBe(202);
    await waitFor('M1', 'h-M1');
    await post({
      eventId: 'h-A1',
      type: 'hire',
      occurredAt: new Date().toISOString(),
      worker: worker('A1', 'José', 'Núñez', { managerEmployeeId: 'M1' }),
    });
    await post({
      eventId: 'h-A2',
      type: 'hire',
      occurredAt: new Date().toISOString(),
      worker: worker('A2', 'Jose', 'Nunez', { department: 'Support' }),
    });
    await waitFor('A1', 'h-A1');
    await waitFor('A2', 'h-A2');
    const all = await users();
    const a1 = all.find((u) => u.employeeId === 'A1')!;
    const a2 = all.find((u) => u.employeeId === 'A2')!;
    const m1 = all.find((u) => u.employeeId === 'M1')!;
    // The two hires run concurrently: whichever account is created first gets the plain name, and the other the
    // next candidate (a conflict on create is retried with it), never the same one.
    expect([a1.userPrincipalName, a2.userPrincipalName].sort()).toEqual([
      'jose.nunez2@contoso.com',
      'jose.nunez@contoso.com',
    ]);
    expect(a1.accountEnabled).toBe(true);
    expect(a1.manager).toBe(m1.id);
    expect(a1.groups).toEqual(expect.arrayContaining(['All Employees', 'Engineering', 'Location - France']));
  });

  it('a licence that cannot be assigned (no usage location) is a reported problem, not a success', async () => {
    await post({
      eventId: 'h-L1',
      type: 'hire',
      occurredAt: new Date().toISOString(),
      worker: worker('L1', 'Lena', 'Nolocation', { country: undefined }),
    });
    const status = (await waitFor('L1', 'h-L1')) as unknown as { problems: string[] };
    expect(status.problems).toEqual([expect.stringContaining('UsageLocationNotAllowed')]);
    const audit = (await (await fetch(`${host.baseUrl}/api/ops/audit?employeeId=L1`)).json()) as {
      value: { action: string; outcome: string }[];
    };
    expect(audit.value).toContainEqual(expect.objectContaining({ action: 'licence.check', outcome: 'failure' }));
  });

  it('the same hire delivered twice creates one account', async () => {
    const event = {
      eventId: 'h-D1',
      type: 'hire',
      occurredAt: new Date().toISOString(),
      worker: worker('D1', 'Dup', 'Licate'),
    };
    await post(event);
    await post(event);
    await post({ ...event, eventId: 'h-D1-again' });
    await waitFor('D1', 'h-D1-again');
    expect((await users()).filter((u) => u.employeeId === 'D1')).toHaveLength(1);
  });

  it('a mover changes attributes, adds the new role now and keeps the old one for the grace period', async () => {
    await post({
      eventId: 'm-A1',
      type: 'update',
      occurredAt: new Date().toISOString(),
      worker: worker('A1', 'José', 'Núñez', { managerEmployeeId: 'M1', department: 'Sales' }),
    });
    const status = (await waitFor('A1', 'm-A1')) as unknown as { nextDue: { which: string; at: string } };
    const a1 = (await users()).find((u) => u.employeeId === 'A1')!;
    expect(a1.department).toBe('Sales');
    expect(a1.groups).toEqual(expect.arrayContaining(['Sales', 'Engineering']));
    // policy.yaml: mover.graceDays 7
    expect(status.nextDue.which).toBe('graceEndAt');
    // policy.yaml: mover.notifyManagers — the manager gets a mail (emulator outbox).
    const outbox = (await (await fetch(`${host.baseUrl}/_local/graph/_admin/outbox`)).json()) as {
      value: { message: { subject: string; toRecipients: { emailAddress: { address: string } }[] } }[];
    };
    expect(
      outbox.value.map((m) => [m.message.subject, m.message.toRecipients[0]!.emailAddress.address]),
    ).toContainEqual(['José Núñez is changing role', 'maria.garcia@contoso.com']);
    expect(Date.parse(status.nextDue.at) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
  });

  it('an office move alone is applied without mailing the managers (policy mover.notifyOn)', async () => {
    const audit = async () =>
      ((await (await fetch(`${host.baseUrl}/api/ops/audit?employeeId=A1`)).json()) as { value: { action: string }[] })
        .value;
    const outbox = async () =>
      ((await (await fetch(`${host.baseUrl}/_local/graph/_admin/outbox`)).json()) as { value: unknown[] }).value.length;
    const before = await outbox();
    const updates = async () => (await audit()).filter((r) => r.action === 'mover.updateUser').length;
    const updatesBefore = await updates();
    await post({
      eventId: 'm-A1-office',
      type: 'update',
      occurredAt: new Date().toISOString(),
      worker: worker('A1', 'José', 'Núñez', { managerEmployeeId: 'M1', department: 'Sales', officeLocation: 'Lyon' }),
    });
    await waitFor('A1', 'm-A1-office');
    for (let i = 0; i < 100 && (await updates()) === updatesBefore; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    expect((await users()).find((u) => u.employeeId === 'A1')).toMatchObject({ officeLocation: 'Lyon' });
    expect(await outbox()).toBe(before);
  });

  it('an immediate leaver is disabled with access removed, audited with the event id', async () => {
    await post({
      eventId: 't-A2',
      type: 'terminate',
      immediate: true,
      occurredAt: new Date().toISOString(),
      worker: worker('A2', 'Jose', 'Nunez', { department: 'Support' }),
    });
    const status = await waitFor('A2', 't-A2');
    expect(status.phase).toBe('left');
    const a2 = (await users()).find((u) => u.employeeId === 'A2')!;
    expect(a2.accountEnabled).toBe(false);
    expect(a2.groups).toEqual([]);
    // Sessions revoked (policy leaver.revokeSessions): refresh tokens issued before now stop working.
    expect(
      (a2 as unknown as { signInSessionsValidFromDateTime: string | null }).signInSessionsValidFromDateTime,
    ).toBeTruthy();
    // Written before access goes, for Entra Lifecycle Workflows' leaver triggers (issue 12 item 2).
    expect(Date.parse((a2 as unknown as { employeeLeaveDateTime: string }).employeeLeaveDateTime)).toBeLessThanOrEqual(
      Date.now(),
    );
    const audit = (await (await fetch(`${host.baseUrl}/api/ops/audit?employeeId=A2`)).json()) as {
      value: { action: string; after: unknown; correlation: { eventId?: string } }[];
    };
    // memberOf also lists the dynamic administrative unit "France" (country FR): kept, with the reason why.
    const removal = audit.value.find((r) => r.action === 'leaver.removeAccess')!.after as {
      kept: { displayName: string; kind: string; why: string }[];
    };
    expect(removal.kept).toContainEqual(
      expect.objectContaining({ displayName: 'France', kind: 'administrativeUnit', why: expect.any(String) }),
    );
    expect(audit.value.map((r) => r.action)).toEqual([
      'hr-event.hire',
      'joiner.createUser',
      'access.apply',
      'hr-event.terminate',
      'leaver.updateUser',
      'leaver.removeAccess',
      'notify.leaver',
    ]);
    expect(audit.value.at(-1)?.correlation.eventId).toBe('t-A2');
    const csv = await (await fetch(`${host.baseUrl}/api/ops/audit?employeeId=A2&format=csv`)).text();
    expect(csv.split('\r\n')[0]).toBe(
      'at,actor,action,employeeId,target,outcome,reason,before,after,eventId,instanceId',
    );
  });

  it('a poison message is dead-lettered with its reason and can be replayed', async () => {
    const send = await fetch(`${host.baseUrl}/_local/servicebus/queues/hr-events/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ messageId: 'poison-1', sessionId: 'P1', body: { eventId: 'poison-1', type: 'hire' } }]),
    });
    expect(send.status).toBe(201);
    let dead: {
      sequenceNumber: number;
      reason: string;
      failure: { reason: string } | null;
      body: { eventId: string };
    }[] = [];
    for (let i = 0; i < 100 && dead.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      dead = ((await (await fetch(`${host.baseUrl}/api/ops/dead-letters`)).json()) as { value: typeof dead }).value;
    }
    expect(dead[0]?.reason).toBe('MaxDeliveryCountExceeded');
    expect(dead[0]?.failure?.reason).toMatch(/invalid HR event: .*worker/);
    expect(dead[0]?.body.eventId).toBe('poison-1');
    const replay = await fetch(`${host.baseUrl}/api/ops/dead-letters/${dead[0]!.sequenceNumber}/replay`, {
      method: 'POST',
    });
    expect(replay.status).toBe(202);
    expect(
      (await fetch(`${host.baseUrl}/api/ops/dead-letters/${dead[0]!.sequenceNumber}/replay`, { method: 'POST' }))
        .status,
    ).toBe(404);
  });
});
