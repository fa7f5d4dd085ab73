import { mkdtempSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { dayFromToday, jmlClient } from '../support/jml-client';

/**
 * `npm start` runs the Graph emulator and the SCIM demo targets in a worker thread behind the host's listener
 * (issue 16 item 2): the app and every caller keep the /_local/... URLs, the admin APIs and the data folder.
 */
const repoRoot = path.resolve(__dirname, '../..');
const env = {
  HR_EVENTS_QUEUE: 'hr-events',
  HR_WEBHOOK_SECRETS: 'local-dev-webhook-secret',
  ENTRA_JML_POLICY_FILE: path.join(repoRoot, 'policy/policy.yaml'),
};
const newDataDir = () => mkdtempSync(path.join(tmpdir(), 'jml-emulator-worker-'));

const hire = (employeeId: string, given: string) => ({
  eventId: `hire-${employeeId}`,
  type: 'hire',
  occurredAt: new Date().toISOString(),
  worker: {
    employeeId,
    legalGivenName: given,
    legalFamilyName: 'Worker',
    department: 'Engineering',
    country: 'FR',
    hireDate: dayFromToday(0),
  },
});

let hosts: HostProcess[] = [];
afterEach(async () => {
  await Promise.all(hosts.map((h) => h.stop()));
  hosts = [];
});
async function start(options: { dataDir: string; emulators?: 'worker' | 'in-process'; bindAddress?: string }) {
  const host = await startHostProcess({
    appRoot: repoRoot,
    // The machine may be busy (CI, other suites): start-up is not what these tests measure.
    timeoutMs: 90_000,
    ...options,
    env: { ...env, ...(options.bindAddress ? { ENTRA_JML_HOST_MASTER_KEY: 'm'.repeat(40) } : {}) },
  });
  hosts.push(host);
  return host;
}

describe('emulators in a worker thread (the default of npm start)', { timeout: 180_000 }, () => {
  it('runs a joiner end to end through the worker: account, groups, person active', async () => {
    const host = await start({ dataDir: newDataDir() });
    expect(host.output()).toMatch(/Graph emulator and SCIM targets worker thread \d+/);
    const jml = jmlClient(host.baseUrl);
    await jml.post(hire('W1', 'Wanda'));
    const status = await jml.until('W1 active', async () => {
      const s = await jml.person('W1');
      return s?.phase === 'active' ? s : null;
    });
    const user = await jml.user('W1');
    expect(user?.id).toBe(status.userId);
    expect(user?.accountEnabled).toBe(true);
    expect(user?.groups.length).toBeGreaterThan(0);
  });

  it('serves the emulators admin APIs, Entra tokens and the SCIM targets at their usual URLs', async () => {
    const host = await start({ dataDir: newDataDir() });
    const admin = (p: string, body?: object) =>
      fetch(`${host.baseUrl}${p}`, body ? { method: 'POST', body: JSON.stringify(body) } : undefined);
    const faults = await admin('/_local/graph/_admin/faults', { replicationLagMs: 7 });
    expect(faults.status).toBe(200);
    expect(
      ((await (await admin('/_local/graph/_admin/faults')).json()) as { replicationLagMs: number }).replicationLagMs,
    ).toBe(7);
    // A malformed admin body is still the caller's 400 (the proxy forwards bodies as they are).
    const malformed = await fetch(`${host.baseUrl}/_local/graph/_admin/faults`, { method: 'POST', body: '{' });
    expect(malformed.status).toBe(400);
    const token = await admin('/_local/entra/_admin/token', { aud: 'api://entra-jml' });
    expect(((await token.json()) as { access_token: string }).access_token).toMatch(/^ey/);
    const tenant = '11111111-1111-4111-8111-111111111111';
    const keys = await admin(`/_local/entra/${tenant}/discovery/v2.0/keys`);
    expect(((await keys.json()) as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
    // Graph itself still wants a bearer token, answered in Graph's error shape.
    const anonymous = await admin('/_local/graph/v1.0/users');
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('InvalidAuthenticationToken');
    const scim = await admin('/_local/scim/_admin/acme-crm/state');
    expect(scim.status).toBe(200);
    expect(((await scim.json()) as { target: string }).target).toBe('acme-crm');
    const relations = await admin('/_local/graph/_admin/relations');
    expect(((await relations.json()) as { value: unknown[] }).value.length).toBeGreaterThan(0);
  });

  it('keeps the directory across a restart (same data folder, new worker)', async () => {
    const dataDir = newDataDir();
    const first = await start({ dataDir });
    const jml = jmlClient(first.baseUrl);
    await jml.post(hire('W2', 'Walter'));
    const before = await jml.until('W2 in the directory', () => jml.user('W2'));
    expect(await first.stop()).toBe(0);
    const second = await start({ dataDir });
    const after = await jmlClient(second.baseUrl).user('W2');
    expect(after?.id).toBe(before.id);
    expect(after?.userPrincipalName).toBe(before.userPrincipalName);
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;
  it.skipIf(!external)('refuses the emulator admin APIs to a caller from the network, through the proxy', async () => {
    const host = await start({ dataDir: newDataDir(), bindAddress: '0.0.0.0' });
    const remote = `http://${external}:${host.port}`;
    expect((await fetch(`${remote}/_local/graph/_admin/state`)).status).toBe(403);
    expect((await fetch(`${remote}/_local/scim/_admin/acme-crm/state`)).status).toBe(403);
    // Sent by the caller itself, the forwarded-address header changes nothing: the proxy overwrites it.
    const spoofed = await fetch(`${remote}/_local/graph/_admin/state`, {
      headers: { 'x-entra-jml-client-address': '127.0.0.1' },
    });
    expect(spoofed.status).toBe(403);
    expect((await fetch(`${host.baseUrl}/_local/graph/_admin/stats`)).status).toBe(200);
  });

  it('keeps the in-process mode as an option (--emulators in-process)', async () => {
    const host = await start({ dataDir: newDataDir(), emulators: 'in-process' });
    expect(host.output()).toContain('Graph emulator and SCIM targets on the host thread');
    expect((await fetch(`${host.baseUrl}/_local/graph/_admin/stats`)).status).toBe(200);
    expect((await fetch(`${host.baseUrl}/_local/scim/_admin/acme-crm/state`)).status).toBe(200);
  });
});
