import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { dayFromToday, jmlClient } from '../support/jml-client';

/**
 * The person orchestration's tricky paths, run by durable-functions' own replay engine on the local host
 * over persisted history, with the local durable clock moved forward instead of waiting days.
 */
const repoRoot = path.resolve(__dirname, '../..');
const at = () => new Date().toISOString();
const worker = (employeeId: string, extra: object = {}) => ({
  employeeId,
  legalGivenName: 'Zoë',
  legalFamilyName: `Ångström ${employeeId}`,
  hireDate: dayFromToday(0),
  country: 'FR',
  department: 'Engineering',
  ...extra,
});
const settle = () => new Promise((r) => setTimeout(r, 1500));

describe('person orchestration paths by replay on the local host', () => {
  let host: HostProcess | undefined;
  let dataDir: string;
  const start = async (policyFile = path.join(repoRoot, 'policy/policy.yaml')) => {
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir,
      env: { HR_EVENTS_QUEUE: 'hr-events', ENTRA_JML_POLICY_FILE: policyFile },
    });
    return jmlClient(host.baseUrl);
  };
  const fresh = async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'jml-replay-'));
    return start();
  };
  afterEach(async () => {
    await host?.stop();
    host = undefined;
  });

  it('a hire rescinded before day 1 deletes the pre-hire account, and day 1 then does nothing', async () => {
    const jml = await fresh();
    await jml.post({
      eventId: 'h1',
      type: 'hire',
      occurredAt: at(),
      worker: worker('R1', { hireDate: dayFromToday(10) }),
    });
    expect((await jml.processed('R1', 'h1')).nextDue?.which).toBe('createAccountAt');
    expect(await jml.user('R1')).toBeUndefined();
    await jml.advance('P4D'); // past the pre-hire creation date (prehireDays: 7)
    const created = await jml.until('pre-hire account', () => jml.user('R1'));
    expect(created.accountEnabled).toBe(false);
    await jml.post({
      eventId: 'x1',
      type: 'rescind',
      occurredAt: at(),
      worker: worker('R1', { hireDate: dayFromToday(10) }),
    });
    await jml.processed('R1', 'x1');
    await jml.until('account deleted', async () => !(await jml.user('R1')));
    expect((await jml.directory()).deletedUsers.map((u) => u.id)).toContain(created.id);
    await jml.advance('P10D'); // past the hire date: no account comes back, nothing is enabled
    await settle();
    expect(await jml.user('R1')).toBeUndefined();
    expect(await jml.person('R1')).toMatchObject({ phase: 'rescinded', nextDue: null });
  }, 60_000);

  it('a leave date moved later then earlier fires only at the final date, across a host restart', async () => {
    const jml = await fresh();
    await jml.post({ eventId: 'h2', type: 'hire', occurredAt: at(), worker: worker('L1') });
    await jml.until('active account', async () => (await jml.user('L1'))?.accountEnabled);
    await jml.post({
      eventId: 't2',
      type: 'terminate',
      occurredAt: at(),
      worker: worker('L1', { leaveDate: dayFromToday(20) }),
    });
    expect((await jml.processed('L1', 't2')).nextDue).toMatchObject({
      which: 'leaveAt',
      at: `${dayFromToday(21)}T00:00:00.000Z`,
    });
    await jml.post({
      eventId: 'u2',
      type: 'update',
      occurredAt: at(),
      worker: worker('L1', { leaveDate: dayFromToday(40) }),
    });
    expect((await jml.processed('L1', 'u2')).nextDue).toMatchObject({
      which: 'leaveAt',
      at: `${dayFromToday(41)}T00:00:00.000Z`,
    });

    // The open timer survives a restart: history is replayed from the store.
    await host!.stop();
    const again = await start();
    await again.advance('P25D'); // past the first leave date, before the second
    await settle();
    expect((await again.user('L1'))?.accountEnabled).toBe(true);
    await again.post({
      eventId: 'u3',
      type: 'update',
      occurredAt: at(),
      worker: worker('L1', { leaveDate: dayFromToday(26) }),
    });
    expect((await again.processed('L1', 'u3')).nextDue).toMatchObject({
      which: 'leaveAt',
      at: `${dayFromToday(27)}T00:00:00.000Z`,
    });
    await again.advance('P2D');
    const left = await again.until('leaver done', async () => {
      const u = await again.user('L1');
      return u && !u.accountEnabled && u.groups.length === 0 ? u : null;
    });
    expect(left.manager).toBeNull();
    const status = await again.until('person left', async () =>
      (await again.person('L1'))?.phase === 'left' ? again.person('L1') : null,
    );
    expect(status).toMatchObject({ phase: 'left', nextDue: { which: 'deleteAt' } });
  }, 60_000);

  it('a rehire after deletion restores the same object with its access instead of creating a duplicate', async () => {
    const jml = await fresh();
    await jml.post({ eventId: 'h3', type: 'hire', occurredAt: at(), worker: worker('X1') });
    const hired = await jml.until('active account', async () =>
      (await jml.user('X1'))?.accountEnabled ? jml.user('X1') : null,
    );
    await jml.post({ eventId: 't3', type: 'terminate', immediate: true, occurredAt: at(), worker: worker('X1') });
    await jml.until('disabled', async () => (await jml.user('X1'))?.accountEnabled === false);
    await jml.advance('P31D'); // retention (30 days) over: soft-deleted
    await jml.until('soft delete', async () => (await jml.directory()).deletedUsers.some((u) => u.id === hired.id));
    await jml.post({
      eventId: 'r3',
      type: 'rehire',
      occurredAt: at(),
      worker: worker('X1', { hireDate: dayFromToday(31) }),
    });
    const back = await jml.until('restored, enabled, access back', async () => {
      const u = await jml.user('X1');
      return u?.accountEnabled && u.groups.length ? u : null;
    });
    expect(back.id).toBe(hired.id);
    expect(back.groups).toEqual(expect.arrayContaining(['All Employees', 'Engineering']));
    expect((await jml.directory()).users.filter((u) => u.employeeId === 'X1')).toHaveLength(1);
  }, 60_000);

  it('a manager hired after the report is set on the next manager check', async () => {
    const jml = await fresh();
    await jml.post({
      eventId: 'h4',
      type: 'hire',
      occurredAt: at(),
      worker: worker('E1', { managerEmployeeId: 'M1' }),
    });
    await jml.until('report account', () => jml.user('E1'));
    expect(
      (
        await jml.until('manager check scheduled', async () =>
          (await jml.person('E1'))?.nextDue?.which === 'managerCheckAt' ? jml.person('E1') : null,
        )
      ).phase,
    ).toBe('active');
    expect((await jml.user('E1'))!.manager).toBeNull();
    await jml.post({ eventId: 'h5', type: 'hire', occurredAt: at(), worker: worker('M1', { legalGivenName: 'Mia' }) });
    const manager = await jml.until('manager account', () => jml.user('M1'));
    await jml.advance('PT2H');
    await jml.until('manager set', async () => (await jml.user('E1'))?.manager === manager.id);
    await jml.until('no more manager checks', async () => (await jml.person('E1'))?.nextDue === null);
  }, 60_000);

  it('mover in a leaver timer: access changes now, leave date kept, duplicate terminate changes nothing', async () => {
    const jml = await fresh();
    await jml.post({ eventId: 'h6', type: 'hire', occurredAt: at(), worker: worker('V1') });
    await jml.until('active account', async () => (await jml.user('V1'))?.accountEnabled);
    const terminate = {
      eventId: 't6',
      type: 'terminate',
      occurredAt: at(),
      worker: worker('V1', { leaveDate: dayFromToday(20) }),
    };
    await jml.post(terminate);
    await jml.processed('V1', 't6');
    await jml.post({
      eventId: 'm6',
      type: 'update',
      occurredAt: at(),
      worker: worker('V1', { department: 'Sales', leaveDate: dayFromToday(20) }),
    });
    await jml.processed('V1', 'm6');
    const moved = await jml.until('new role granted', async () => {
      const u = await jml.user('V1');
      return u?.groups.includes('Sales') ? u : null;
    });
    expect(moved).toMatchObject({ department: 'Sales', accountEnabled: true });
    expect(moved.groups).toContain('Engineering'); // old role kept for the grace period (7 days)
    await jml.post(terminate); // the same event again
    await jml.advance('P8D');
    await jml.until('old role removed after the grace period', async () => {
      const u = await jml.user('V1');
      return u && !u.groups.includes('Engineering') && u.groups.includes('Sales');
    });
    expect((await jml.user('V1'))!.accountEnabled).toBe(true);
    await jml.until('only the leave date ahead', async () => {
      const next = (await jml.person('V1'))?.nextDue;
      return next?.which === 'leaveAt' && next.at === `${dayFromToday(21)}T00:00:00.000Z`;
    });
    await jml.advance('P13D');
    await jml.until('left at the leave date', async () => (await jml.user('V1'))?.accountEnabled === false);
    const leaverRows = async () =>
      (
        (await (await fetch(`${host!.baseUrl}/api/ops/audit?employeeId=V1&limit=1000`)).json()) as {
          value: { action: string }[];
        }
      ).value.filter((r) => r.action === 'leaver.removeAccess');
    await jml.until('leaver audited', async () => (await leaverRows()).length > 0);
    await settle();
    expect(await leaverRows()).toHaveLength(1);
  }, 60_000);

  it('a group removed from the policy is taken away on re-evaluation, other access untouched', async () => {
    const jml = await fresh();
    await jml.post({ eventId: 'h7', type: 'hire', occurredAt: at(), worker: worker('G1') });
    const before = await jml.until('active with VPN', async () => {
      const u = await jml.user('G1');
      return u?.groups.includes('VPN Users') ? u : null;
    });
    // New policy version: VPN Users no longer granted by any rule, and listed as retired.
    const vpn = '        - { id: a0000000-0000-4000-8000-000000000015, name: VPN Users }\n';
    const original = readFileSync(path.join(repoRoot, 'policy/policy.yaml'), 'utf8');
    expect(original).toContain(vpn);
    const changed = original
      .replaceAll(vpn, '')
      .replace(/^version: .*$/m, 'version: "vpn-retired"')
      .replace(
        'retiredGroups: []',
        'retiredGroups:\n  - { id: a0000000-0000-4000-8000-000000000015, name: VPN Users }',
      );
    const policyFile = path.join(dataDir, 'policy-vpn-retired.yaml');
    writeFileSync(policyFile, changed);
    await host!.stop();
    const again = await start(policyFile);
    const res = await fetch(`${host!.baseUrl}/api/ops/reevaluate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ all: true, reason: 'VPN retired' }),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ policyVersion: 'vpn-retired', persons: 1, notFound: [] });
    const after = await again.until('VPN removed', async () => {
      const u = await again.user('G1');
      return u && !u.groups.includes('VPN Users') ? u : null;
    });
    expect(after.groups.sort()).toEqual(before.groups.filter((g) => g !== 'VPN Users').sort());
    expect(after.accountEnabled).toBe(true);
  }, 60_000);

  it('a lifecycle restarted after termination resumes from its last state, never replaying older events', async () => {
    const jml = await fresh();
    await jml.post({ eventId: 'h8', type: 'hire', occurredAt: at(), worker: worker('T1') });
    await jml.until('active account', async () => (await jml.user('T1'))?.accountEnabled);
    await jml.processed('T1', 'h8');
    const terminate = await fetch(
      `${host!.baseUrl}/runtime/webhooks/durabletask/instances/person-T1/terminate?reason=test`,
      { method: 'POST' },
    );
    expect(terminate.status).toBe(202);
    await jml.post({ eventId: 'u8', type: 'update', occurredAt: at(), worker: worker('T1', { jobTitle: 'Lead' }) });
    const status = await jml.processed('T1', 'u8');
    expect(status.lastEvents).toEqual(['h8', 'u8']);
    expect(status.phase).toBe('active');
    await jml.until('the update applied as a mover', async () => (await jml.user('T1'))?.jobTitle === 'Lead');
    const rows = (
      (await (await fetch(`${host!.baseUrl}/api/ops/audit?employeeId=T1&limit=1000`)).json()) as {
        value: { action: string; outcome: string; reason: string | null }[];
      }
    ).value;
    expect(rows.filter((r) => r.action === 'joiner.createUser')).toHaveLength(1);
    expect(rows.find((r) => r.action === 'lifecycle.restart')).toMatchObject({
      outcome: 'success',
      reason: 'the lifecycle was Terminated',
    });
  }, 60_000);
});
