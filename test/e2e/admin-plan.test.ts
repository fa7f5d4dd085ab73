import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../support/host-process';

const repoRoot = path.resolve(__dirname, '../..');

describe('dry run and explain', () => {
  let host: HostProcess;
  beforeAll(async () => {
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir: mkdtempSync(path.join(tmpdir(), 'jml-plan-')),
      env: { HR_EVENTS_QUEUE: 'hr-events' },
    });
  });
  afterAll(async () => host?.stop());

  const worker = {
    employeeId: 'P1',
    legalGivenName: 'Zoë',
    legalFamilyName: 'Ødegård',
    department: 'Engineering',
    country: 'DE',
    hireDate: '2026-12-01',
  };
  const stats = async () =>
    (await (await fetch(`${host.baseUrl}/_local/graph/_admin/stats`)).json()) as { writes: number };

  it('plans a joiner without writing anything to the directory', async () => {
    const before = await stats();
    const res = await fetch(`${host.baseUrl}/api/ops/plan`, {
      method: 'POST',
      body: JSON.stringify({ eventId: 'plan-1', type: 'hire', occurredAt: '2026-11-25T08:00:00Z', worker }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      plan: { kind: string; operations: { op: string; detail: Record<string, unknown> }[] };
      text: string;
    };
    expect(body.plan.kind).toBe('joiner');
    expect(body.plan.operations.map((o) => o.op)).toContain('createUser');
    expect(body.text).toContain('zoe.odegard@contoso.com');
    expect(JSON.stringify(body)).not.toMatch(/password/i);
    expect((await stats()).writes).toBe(before.writes);
  });

  it('refuses an invalid event with the problems', async () => {
    const res = await fetch(`${host.baseUrl}/api/ops/plan`, {
      method: 'POST',
      body: JSON.stringify({ type: 'hire' }),
    });
    expect(res.status).toBe(400);
  });

  it('explains which rule grants each group', async () => {
    const res = await fetch(`${host.baseUrl}/api/ops/persons/P1/explain`, {
      method: 'POST',
      body: JSON.stringify(worker),
    });
    const body = (await res.json()) as {
      policyVersion: string;
      groups: { groupName: string; ruleIds: string[] }[];
      directory: { userId: string | null };
    };
    expect(body.policyVersion).toBeTruthy();
    expect(body.groups.map((g) => g.groupName)).toEqual(expect.arrayContaining(['Engineering', 'Location - Germany']));
    expect(body.directory.userId).toBeNull();
  });
});

describe('provision on demand', () => {
  let host: HostProcess;
  beforeAll(async () => {
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir: mkdtempSync(path.join(tmpdir(), 'jml-ondemand-')),
      env: { HR_EVENTS_QUEUE: 'hr-events' },
    });
  });
  afterAll(async () => host?.stop());

  it('runs the joiner now, skipping timers, and shows each step', async () => {
    const worker = {
      employeeId: 'OD1',
      legalGivenName: 'Grace',
      legalFamilyName: 'Hopper',
      department: 'Engineering',
      country: 'US',
      hireDate: '2027-03-01',
    };
    const res = await fetch(`${host.baseUrl}/api/ops/persons/OD1/provision-now`, {
      method: 'POST',
      body: JSON.stringify(worker),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      runtimeStatus: string;
      output: { userId: string };
      steps: { action: string }[];
    };
    expect(body.runtimeStatus).toBe('Completed');
    expect(body.steps.map((s) => s.action)).toEqual(['joiner.createUser', 'access.apply']);
    const state = (await (await fetch(`${host.baseUrl}/_local/graph/_admin/state`)).json()) as {
      users: { id: string; accountEnabled: boolean; groups: string[] }[];
    };
    const user = state.users.find((u) => u.id === body.output.userId)!;
    expect(user.accountEnabled).toBe(true);
    expect(user.groups).toContain('Engineering');
  });
});
