import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../support/host-process';

const repoRoot = path.resolve(__dirname, '../..');
const depts = ['Engineering', 'Sales', 'Finance', 'Support', 'Human Resources'];
const today = new Date().toISOString().slice(0, 10);
const worker = (i: number, dept = depts[i % depts.length]!) => ({
  employeeId: `S${i}`,
  legalGivenName: ['Ana', 'Björn', 'Chloé', 'Dmitri', 'Eva'][i % 5]!,
  legalFamilyName: ['Silva', 'Nørgaard', 'Dupont', 'Ivanov', 'Müller'][Math.floor(i / 5) % 5]!,
  department: dept,
  country: ['FR', 'US', 'DE'][i % 3]!,
  hireDate: today,
});

describe('a 50-person scenario: joiners, movers, leavers, rehires', () => {
  let host: HostProcess;
  beforeAll(async () => {
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir: mkdtempSync(path.join(tmpdir(), 'jml-scenario-')),
      env: { HR_EVENTS_QUEUE: 'hr-events' },
    });
  });
  afterAll(async () => host?.stop());

  const post = async (events: object[]) => {
    const body = JSON.stringify({ events });
    const ts = Math.floor(Date.now() / 1000);
    const sig = `v1=${createHmac('sha256', 'local-dev-webhook-secret').update(`${ts}.`).update(body).digest('hex')}`;
    const res = await fetch(`${host.baseUrl}/api/hr/events`, {
      method: 'POST',
      headers: { 'x-entra-jml-timestamp': String(ts), 'x-entra-jml-signature': sig },
      body,
    });
    expect(res.status).toBe(202);
  };
  const waitAll = async (pairs: [string, string][]) => {
    for (const [employeeId, eventId] of pairs) {
      let done = false;
      for (let i = 0; i < 400 && !done; i++) {
        const res = await fetch(`${host.baseUrl}/api/persons/${employeeId}`);
        if (res.ok) done = ((await res.json()) as { lastEvents?: string[] }).lastEvents?.includes(eventId) ?? false;
        if (!done) await new Promise((r) => setTimeout(r, 50));
      }
      expect(done, `${eventId} for ${employeeId}`).toBe(true);
    }
  };
  const at = () => new Date().toISOString();

  it('ends with the expected directory state and audit rows', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => i);
    await post(ids.map((i) => ({ eventId: `h${i}`, type: 'hire', occurredAt: at(), worker: worker(i) })));
    await waitAll(ids.map((i) => [`S${i}`, `h${i}`]));
    const movers = ids.slice(0, 10);
    await post(
      movers.map((i) => ({ eventId: `m${i}`, type: 'update', occurredAt: at(), worker: worker(i, 'Marketing') })),
    );
    const leavers = ids.slice(10, 20);
    await post(
      leavers.map((i) => ({
        eventId: `t${i}`,
        type: 'terminate',
        immediate: true,
        occurredAt: at(),
        worker: worker(i),
      })),
    );
    await waitAll([
      ...movers.map((i): [string, string] => [`S${i}`, `m${i}`]),
      ...leavers.map((i): [string, string] => [`S${i}`, `t${i}`]),
    ]);
    const rehires = leavers.slice(0, 5);
    await post(rehires.map((i) => ({ eventId: `r${i}`, type: 'rehire', occurredAt: at(), worker: worker(i) })));
    await waitAll(rehires.map((i) => [`S${i}`, `r${i}`]));

    const state = (await (await fetch(`${host.baseUrl}/_local/graph/_admin/state`)).json()) as {
      users: {
        employeeId: string | null;
        userPrincipalName: string;
        accountEnabled: boolean;
        department: string | null;
        groups: string[];
      }[];
    };
    const people = state.users.filter((u) => u.employeeId?.startsWith('S'));
    expect(people).toHaveLength(50); // rehires restored, never duplicated
    expect(new Set(people.map((u) => u.userPrincipalName)).size).toBe(50); // collisions got numbered UPNs
    const byId = new Map(people.map((u) => [u.employeeId!, u]));
    for (const i of movers) expect(byId.get(`S${i}`)).toMatchObject({ department: 'Marketing', accountEnabled: true });
    for (const i of leavers.slice(5)) expect(byId.get(`S${i}`)).toMatchObject({ accountEnabled: false, groups: [] });
    for (const i of rehires) {
      expect(byId.get(`S${i}`)!.accountEnabled).toBe(true);
      expect(byId.get(`S${i}`)!.groups).toContain('All Employees');
    }
    expect(people.filter((u) => u.accountEnabled)).toHaveLength(45);

    const audit = (await (await fetch(`${host.baseUrl}/api/ops/audit?limit=10000`)).json()) as {
      value: { action: string; employeeId: string }[];
    };
    const count = (action: string) =>
      audit.value.filter((r) => r.action === action && r.employeeId?.startsWith('S')).length;
    expect(count('joiner.createUser')).toBe(50);
    expect(count('mover.updateUser')).toBe(10);
    expect(count('leaver.removeAccess')).toBe(10);
    expect(count('hr-event.rehire')).toBe(5);
  }, 120_000);
});
