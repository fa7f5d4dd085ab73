import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../support/host-process';

const repoRoot = path.resolve(__dirname, '../..');

describe('accidental-deletion threshold', () => {
  let host: HostProcess;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jml-guard-'));
    const policyFile = path.join(dir, 'policy.yaml');
    writeFileSync(
      policyFile,
      readFileSync(path.join(repoRoot, 'policy/policy.yaml'), 'utf8').replace(/maxPerHour: \d+/, 'maxPerHour: 1'),
    );
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir: path.join(dir, 'data'),
      env: { HR_EVENTS_QUEUE: 'hr-events', ENTRA_JML_POLICY_FILE: policyFile },
    });
  });
  afterAll(async () => host?.stop());

  const post = async (event: object) => {
    const body = JSON.stringify(event);
    const ts = Math.floor(Date.now() / 1000);
    const sig = `v1=${createHmac('sha256', 'local-dev-webhook-secret').update(`${ts}.`).update(body).digest('hex')}`;
    const res = await fetch(`${host.baseUrl}/api/hr/events`, {
      method: 'POST',
      headers: { 'x-entra-jml-timestamp': String(ts), 'x-entra-jml-signature': sig },
      body,
    });
    expect(res.status).toBe(202);
  };
  const today = new Date().toISOString().slice(0, 10);
  const w = (id: string) => ({
    employeeId: id,
    legalGivenName: 'Guard',
    legalFamilyName: `Person${id}`,
    country: 'FR',
    hireDate: today,
  });
  const enabled = async (id: string) =>
    (
      (await (await fetch(`${host.baseUrl}/_local/graph/_admin/state`)).json()) as {
        users: { employeeId: string; accountEnabled: boolean }[];
      }
    ).users.find((u) => u.employeeId === id)?.accountEnabled;
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 200; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('condition not reached');
  };

  const cli = async (...args: string[]) =>
    (
      await promisify(execFile)(process.execPath, [
        path.join(repoRoot, 'dist/local/cli/entra-jml.js'),
        ...args,
        '--url',
        host.baseUrl,
      ])
    ).stdout;

  it('holds leavers beyond the hourly threshold until an admin approves (with the CLI)', async () => {
    for (const id of ['G1', 'G2'])
      await post({ eventId: `h-${id}`, type: 'hire', occurredAt: new Date().toISOString(), worker: w(id) });
    await until(async () => (await enabled('G1')) === true && (await enabled('G2')) === true);
    await post({
      eventId: 't-G1',
      type: 'terminate',
      immediate: true,
      occurredAt: new Date().toISOString(),
      worker: w('G1'),
    });
    await until(async () => (await enabled('G1')) === false);
    await post({
      eventId: 't-G2',
      type: 'terminate',
      immediate: true,
      occurredAt: new Date().toISOString(),
      worker: w('G2'),
    });
    let holds: { holdId: string; employeeId: string }[] = [];
    await until(async () => {
      holds = ((await (await fetch(`${host.baseUrl}/api/ops/holds?status=held`)).json()) as { value: typeof holds })
        .value;
      return holds.length === 1;
    });
    expect(holds[0]!.employeeId).toBe('G2');
    expect(await enabled('G2')).toBe(true);
    expect(await cli('holds', '--status', 'held')).toMatch(
      new RegExp(`^${holds[0]!.holdId}\\s+held\\s+disable\\s+G2`, 'm'),
    );
    expect(await cli('holds', 'approve', holds[0]!.holdId)).toContain(`hold ${holds[0]!.holdId} (G2): approved`);
    await until(async () => (await enabled('G2')) === false);
    expect((await fetch(`${host.baseUrl}/api/ops/holds/${holds[0]!.holdId}/approve`, { method: 'POST' })).status).toBe(
      404,
    );
  });

  it('the retention delete goes through the same threshold: held beyond it, deleted once approved', async () => {
    // Both leavers above reach the end of retention (30 days).
    const clock = await fetch(`${host.baseUrl}/_local/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advance: 'P31D' }),
    });
    expect(clock.ok).toBe(true);
    const exists = async (id: string) =>
      (
        (await (await fetch(`${host.baseUrl}/_local/graph/_admin/state`)).json()) as {
          users: { employeeId: string }[];
        }
      ).users.some((u) => u.employeeId === id);
    // The two disables above already used this hour's budget (maxPerHour 1): both deletes wait for an admin.
    let holds: { holdId: string; employeeId: string; action: string }[] = [];
    await until(async () => {
      holds = (
        (await (await fetch(`${host.baseUrl}/api/ops/holds?status=held`)).json()) as { value: typeof holds }
      ).value.filter((h) => h.action === 'delete');
      return holds.length === 2;
    });
    expect(holds.map((h) => h.employeeId).sort()).toEqual(['G1', 'G2']);
    expect((await exists('G1')) && (await exists('G2'))).toBe(true);
    for (const hold of holds) expect(await cli('holds', 'approve', hold.holdId)).toContain('approved');
    await until(async () => !(await exists('G1')) && !(await exists('G2')));
  });
});
