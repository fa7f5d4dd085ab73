import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { dayFromToday, jmlClient } from '../support/jml-client';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '../..');
const CLI = path.join(repoRoot, 'dist/local/cli/entra-jml.js');

describe('entra-jml CLI admin commands against the local host', () => {
  let host: HostProcess;
  let cli: (...args: string[]) => Promise<{ stdout: string; stderr: string; code: number }>;
  beforeAll(async () => {
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir: mkdtempSync(path.join(tmpdir(), 'jml-cli-')),
      env: { HR_EVENTS_QUEUE: 'hr-events', ENTRA_JML_POLICY_FILE: path.join(repoRoot, 'policy/policy.yaml') },
    });
    cli = async (...args) => {
      try {
        const { stdout, stderr } = await run(process.execPath, [CLI, ...args, '--url', host.baseUrl], {
          cwd: repoRoot,
        });
        return { stdout, stderr, code: 0 };
      } catch (error) {
        const e = error as { stdout: string; stderr: string; code: number };
        return { stdout: e.stdout, stderr: e.stderr, code: e.code };
      }
    };
    const jml = jmlClient(host.baseUrl);
    await jml.post({
      eventId: 'cli-h1',
      type: 'hire',
      occurredAt: new Date().toISOString(),
      worker: {
        employeeId: 'C1',
        legalGivenName: 'Chloé',
        legalFamilyName: 'Dupont',
        hireDate: dayFromToday(0),
        country: 'FR',
        department: 'Sales',
      },
    });
    await jml.until('C1 active', async () => (await jml.user('C1'))?.groups.includes('Sales'));
  });
  afterAll(async () => host?.stop());

  it('plans a whole CSV without writing anything', async () => {
    const before = (await jmlClient(host.baseUrl).directory()).users.length;
    const out = await cli('plan', '--csv', 'examples/hr-extract.csv', '--mapping', 'examples/hr-extract.mapping.yaml');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/joiner plan for \S+ \(policy 2026\.11-1\)/);
    expect(out.stderr).toMatch(/dry run: \d+ event\(s\) planned; nothing was written \(\d+ createUser/);
    expect((await jmlClient(host.baseUrl).directory()).users.length).toBe(before);
  });

  it('explains a person from their last HR record, and says when there is none', async () => {
    const out = await cli('explain', 'C1');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('C1: ');
    expect(out.stdout).toMatch(/Sales/);
    expect(out.stdout).toMatch(/missing 0, not granted by policy 0/);
    const none = await cli('explain', 'NOBODY');
    expect(none.code).toBe(3); // not found (exit codes: local/cli/ops-client.ts)
    expect(none.stderr).toContain('no HR record known for employee NOBODY');
  });

  it('re-evaluates named people and reports unknown ones', async () => {
    const out = await cli('reevaluate', 'C1', 'GHOST', '--reason', 'test');
    expect(out.stdout).toMatch(/re-evaluation reevaluate-\S+ sent to 1 person\(s\); no lifecycle for person-GHOST/);
    expect(out.code).toBe(1);
  });

  it('names the Graph requests behind each change in the audit trail', async () => {
    const rows = (
      (await (await fetch(`${host.baseUrl}/api/ops/audit?employeeId=C1`)).json()) as {
        value: { action: string; correlation: { graphRequestId?: string; eventId?: string } }[];
      }
    ).value;
    const uuid = /^[0-9a-f-]{36}( [0-9a-f-]{36})*$/;
    for (const action of ['joiner.createUser', 'access.apply']) {
      const row = rows.find((r) => r.action === action);
      expect(row?.correlation.graphRequestId, action).toMatch(uuid);
      expect(row?.correlation.eventId).toBe('cli-h1');
    }
  });

  it('prints the audit trail for one person, also as CSV', async () => {
    const out = await cli('audit', '--employee', 'C1');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('joiner.createUser');
    const csv = await cli('audit', '--employee', 'C1', '--csv');
    expect(csv.stdout.split('\n')[0]).toMatch(/^at,/);
  });

  it('audit accepts a date for --from and --to, and reads every page', async () => {
    const out = await cli('audit', '--employee', 'C1', '--from', '2026-01-01', '--to', '2999-12-31');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('joiner.createUser');
    const all = (
      (await (await fetch(`${host.baseUrl}/api/ops/audit?employeeId=C1&limit=10000`)).json()) as { value: unknown[] }
    ).value;
    const csv = await cli('audit', '--employee', 'C1', '--csv');
    expect(csv.stdout.trimEnd().split('\r\n')).toHaveLength(all.length + 1);
    expect(csv.stderr).toContain(`${all.length} audit record(s)`);
  });

  it('re-evaluating everyone must be said with --all', async () => {
    const out = await cli('reevaluate', '--all', '--reason', 'test');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/sent to \d+ person\(s\)/);
  });
});
