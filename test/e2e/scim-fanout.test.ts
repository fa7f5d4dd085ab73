import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { dayFromToday, jmlClient } from '../support/jml-client';

/**
 * Issue 19 end to end on the local host: the policy sends people to both SCIM demo targets (acme-crm, compliant;
 * globex-wiki, quirky), and each joiner, mover and leaver reaches them through the person lifecycle, the
 * scimFanout orchestration and the scimSync activity, including while one target throttles with Retry-After.
 */
const repoRoot = path.resolve(__dirname, '../..');

interface ScimUser {
  id: string;
  userName: string;
  externalId?: string;
  active: boolean | string;
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'?: { department?: string };
}
interface TargetState {
  users: ScimUser[];
  groups: { displayName: string; members: { value: string }[] }[];
  requests: { method: string; status: number }[];
}

describe('SCIM fan-out to the demo targets', () => {
  let host: HostProcess;
  let jml: ReturnType<typeof jmlClient>;
  const state = async (target: string): Promise<TargetState> =>
    (await (await fetch(`${host.baseUrl}/_local/scim/_admin/${target}/state`)).json()) as TargetState;
  const scimUser = async (target: string, employeeId: string) =>
    (await state(target)).users.find((u) => u.externalId === employeeId);
  const active = (u: ScimUser | undefined) => u !== undefined && String(u.active).toLowerCase() === 'true';
  const department = (u: ScimUser | undefined) =>
    u?.['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']?.department;

  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'jml-scim-e2e-'));
    const policyFile = path.join(dataDir, 'policy.yaml');
    const base = readFileSync(path.join(repoRoot, 'policy/policy.yaml'), 'utf8').replace(/^scimTargets: \[\]\n/m, '');
    const targets = readFileSync(path.join(repoRoot, 'policy/examples/scim-demo-targets.yaml'), 'utf8');
    writeFileSync(policyFile, `${base}\n${targets}`);
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir,
      env: { HR_EVENTS_QUEUE: 'hr-events', ENTRA_JML_POLICY_FILE: policyFile },
    });
    jml = jmlClient(host.baseUrl);
  }, 60_000);
  afterAll(async () => host?.stop());

  const worker = (employeeId: string, department: string) => ({
    employeeId,
    legalGivenName: 'Ada',
    legalFamilyName: `Lovelace ${employeeId}`,
    hireDate: dayFromToday(0),
    country: 'FR',
    department,
  });

  it('a joiner reaches both targets, a mover is patched, a leaver is deactivated, each once', async () => {
    const at = () => new Date().toISOString();
    await jml.post({ eventId: 'scim-h1', type: 'hire', occurredAt: at(), worker: worker('SC1', 'Engineering') });
    await jml.processed('SC1', 'scim-h1');
    const acme = await jml.until('SC1 in acme-crm', async () => scimUser('acme-crm', 'SC1'), 60_000);
    const globex = await jml.until('SC1 in globex-wiki', async () => scimUser('globex-wiki', 'SC1'), 60_000);
    expect(active(acme)).toBe(true);
    expect(active(globex)).toBe(true);
    expect(department(acme)).toBe('Engineering');
    const upn = (await jml.user('SC1'))!.userPrincipalName;
    expect(acme!.userName.toLowerCase()).toBe(upn.toLowerCase());
    // acme-crm gets the person's pushed groups (policy `groups: [Engineering, Sales]`).
    // The groups are pushed after the user's POST, in the same sync.
    const engineering = await jml.until('SC1 in acme-crm Engineering', async () =>
      (await state('acme-crm')).groups.find(
        (g) => g.displayName === 'Engineering' && g.members.some((m) => m.value === acme!.id),
      ),
    );
    expect(engineering.members.map((m) => m.value)).toContain(acme!.id);

    await jml.post({ eventId: 'scim-m1', type: 'update', occurredAt: at(), worker: worker('SC1', 'Sales') });
    await jml.processed('SC1', 'scim-m1');
    await jml.until('SC1 moved in acme-crm', async () => department(await scimUser('acme-crm', 'SC1')) === 'Sales');
    await jml.until('SC1 moved in globex', async () => department(await scimUser('globex-wiki', 'SC1')) === 'Sales');

    await jml.post({
      eventId: 'scim-t1',
      type: 'terminate',
      immediate: true,
      occurredAt: at(),
      worker: { ...worker('SC1', 'Sales'), leaveDate: dayFromToday(0) },
    });
    await jml.processed('SC1', 'scim-t1');
    for (const target of ['acme-crm', 'globex-wiki'])
      await jml.until(`SC1 deactivated in ${target}`, async () => !active(await scimUser(target, 'SC1')), 60_000);
    // One resource per person and target: no duplicate creates.
    for (const target of ['acme-crm', 'globex-wiki']) {
      const s = await state(target);
      expect(s.users.filter((u) => u.externalId === 'SC1')).toHaveLength(1);
      expect(s.requests.filter((r) => r.method === 'POST' && r.status < 300).length).toBeGreaterThanOrEqual(1);
    }
  }, 180_000);

  it('a target that throttles (429 + Retry-After) still gets the person, once', async () => {
    const faults = await fetch(`${host.baseUrl}/_local/scim/_admin/globex-wiki/faults`, {
      method: 'POST',
      body: JSON.stringify({ mode: 'throttle', retryAfterSeconds: 1, rate: 1 }),
    });
    expect(faults.status).toBe(200);
    const at = new Date().toISOString();
    await jml.post({ eventId: 'scim-h2', type: 'hire', occurredAt: at, worker: worker('SC2', 'Finance') });
    // The person's fan-out waits out the throttling on a durable timer (the lifecycle goes on after it).
    await jml.until('globex-wiki throttling SC2', async () =>
      (await state('globex-wiki')).requests.some((r) => r.status === 429),
    );
    expect(await scimUser('globex-wiki', 'SC2')).toBeUndefined();
    await fetch(`${host.baseUrl}/_local/scim/_admin/globex-wiki/faults`, {
      method: 'POST',
      body: JSON.stringify({ mode: 'none' }),
    });
    // The durable retry waits the Retry-After (and its backoff) on a timer: moving the local clock fires it.
    await jml.advance('PT15M');
    const user = await jml.until('SC2 in globex-wiki', async () => scimUser('globex-wiki', 'SC2'), 60_000);
    await jml.processed('SC2', 'scim-h2');
    expect(active(await scimUser('acme-crm', 'SC2'))).toBe(true);
    expect(active(user)).toBe(true);
    expect((await state('globex-wiki')).users.filter((u) => u.externalId === 'SC2')).toHaveLength(1);
  }, 180_000);
});
