import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteAuditLog } from '../../shared/adapters/audit/sqlite-audit-log';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { dayFromToday, jmlClient } from '../support/jml-client';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '../..');
const CLI = path.join(repoRoot, 'dist/local/cli/entra-jml.js');

/** The issue 20 commands, run as the README writes them (the built CLI), against a local host. */
describe('entra-jml CLI: people, runs, dead letters, provision, import', () => {
  let host: HostProcess;
  let work: string;
  let cli: (...args: string[]) => Promise<{ stdout: string; stderr: string; code: number }>;
  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'jml-cli-ops-'));
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir: path.join(work, 'data'),
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
      eventId: 'ops-h1',
      type: 'hire',
      occurredAt: new Date().toISOString(),
      worker: {
        employeeId: 'K1',
        legalGivenName: 'Kübra',
        legalFamilyName: 'Özdemir',
        hireDate: dayFromToday(0),
        country: 'FR',
        department: 'Sales',
      },
    });
    await jml.until('K1 active', async () => (await jml.user('K1'))?.groups.includes('Sales'));
  });
  afterAll(async () => host?.stop());

  it('people finds a person by name without accents, by employee id and by UPN', async () => {
    const byName = await cli('people', 'kubra', '--json');
    expect(byName.code).toBe(0);
    const [person] = (JSON.parse(byName.stdout) as { people: Record<string, unknown>[] }).people;
    expect(person).toMatchObject({ employeeId: 'K1', displayName: 'Kübra Özdemir', phase: 'active', problems: [] });
    expect(person!.userPrincipalName).toMatch(/@contoso\.com$/);
    const byUpn = await cli('people', String(person!.userPrincipalName), '--json');
    expect((JSON.parse(byUpn.stdout) as { people: { employeeId: string }[] }).people[0]?.employeeId).toBe('K1');
    expect((await cli('people', 'K1')).stdout).toMatch(/^K1\s+Kübra Özdemir/m);
    const none = await cli('people', 'nobody-by-that-name');
    expect(none.code).toBe(3);
  });

  it('person shows state, the rule behind each group and the timeline, newest first', async () => {
    const out = await cli('person', 'K1');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^K1: active, \S+@contoso\.com \(enabled\), lifecycle Running/m);
    expect(out.stdout).toMatch(/Sales: rule sales/);
    const timeline = out.stdout.slice(out.stdout.indexOf('timeline'));
    expect(timeline.indexOf('access.apply')).toBeLessThan(timeline.indexOf('hr-event.hire'));
    const json = JSON.parse((await cli('person', 'K1', '--json')).stdout) as {
      record: { employeeId: string };
      groups: { groups: { groupName: string }[] };
      timeline: { entries: { kind: string; action: string }[] };
    };
    expect(json.record.employeeId).toBe('K1');
    expect(json.groups.groups.map((g) => g.groupName)).toContain('Sales');
    expect(json.timeline.entries.find((e) => e.action === 'joiner.createUser')?.kind).toBe('directory');
    expect((await cli('person', 'GHOST')).code).toBe(3);
  });

  it('person names a step that announced directory writes and has no audit row yet (write-ahead intent)', async () => {
    expect(JSON.parse((await cli('person', 'K1', '--json')).stdout)).toMatchObject({ unconfirmedWrites: [] });
    // What a step leaves when the host dies between its Graph write and its row, written as the step would.
    const audit = new SqliteAuditLog(path.join(work, 'data', 'audit.sqlite'));
    const key = { key: 'person-K1|applyAccess|x|access.apply', employeeId: 'K1' };
    await audit.intend(key, {
      at: '2026-12-02T10:00:00.000Z',
      actor: 'orchestration',
      action: 'access.apply',
      employeeId: 'K1',
      target: 'entra',
      outcome: 'success',
      reason: null,
      before: { groups: [] },
      after: { add: ['g-vpn'] },
      correlation: { instanceId: 'joiner-K1-x', eventId: 'ops-h1' },
    });
    const out = await cli('person', 'K1');
    expect(out.stdout).toContain('unconfirmed: access.apply announced at 2026-12-02T10:00:00.000Z');
    expect(JSON.parse((await cli('person', 'K1', '--json')).stdout)).toMatchObject({
      unconfirmedWrites: [{ action: 'access.apply', intended: { add: ['g-vpn'] }, instanceId: 'joiner-K1-x' }],
    });
    await audit.append([], { closes: key });
    expect(JSON.parse((await cli('person', 'K1', '--json')).stdout)).toMatchObject({ unconfirmedWrites: [] });
  });

  it('the timeline pages newest first with a continuation token and loses nothing', async () => {
    const all = (
      (await (await fetch(`${host.baseUrl}/api/ops/people/K1/timeline?limit=1000`)).json()) as {
        entries: { at: string; action: string }[];
      }
    ).entries;
    expect(all.length).toBeGreaterThanOrEqual(3);
    const paged: { at: string; action: string }[] = [];
    let token: string | null = null;
    do {
      const url = `${host.baseUrl}/api/ops/people/K1/timeline?limit=1${token ? `&continuationToken=${token}` : ''}`;
      const page = (await (await fetch(url)).json()) as { entries: typeof paged; continuationToken: string | null };
      paged.push(...page.entries);
      token = page.continuationToken;
    } while (token && paged.length < 100);
    expect(paged).toEqual(all);
    expect([...all].sort((a, b) => b.at.localeCompare(a.at))).toEqual(all);
    const bad = await fetch(`${host.baseUrl}/api/ops/people/K1/timeline?continuationToken=nope`);
    expect(bad.status).toBe(400);
  });

  it('runs: lists, terminates with a reason, retries, and says when an id is unknown', async () => {
    const listed = JSON.parse((await cli('runs', '--status', 'running', '--json')).stdout) as {
      runs: { instanceId: string; status: string }[];
    };
    expect(listed.runs.map((r) => r.instanceId)).toContain('person-K1');
    expect(listed.runs.every((r) => r.status === 'Running')).toBe(true);
    expect((await cli('runs', 'terminate', 'person-K1')).code).toBe(2);
    const stopped = await cli('runs', 'terminate', 'person-K1', '--reason', 'cli test');
    expect(stopped.code).toBe(0);
    expect((await cli('runs', 'terminate', 'person-K1', '--reason', 'again')).code).toBe(1);
    const terminated = JSON.parse((await cli('runs', '--status', 'terminated', '--json')).stdout) as {
      runs: { instanceId: string }[];
    };
    expect(terminated.runs.map((r) => r.instanceId)).toContain('person-K1');
    const retried = await cli('runs', 'retry', 'person-K1', '--reason', 'resume');
    expect(retried.stdout).toContain('person-K1: started again (was Terminated)');
    const jml = jmlClient(host.baseUrl);
    await jml.until('K1 running again', async () => (await jml.person('K1'))?.phase === 'active');
    expect((await cli('runs', 'retry', 'person-K1')).code).toBe(1);
    expect((await cli('runs', 'retry', 'no-such-run')).code).toBe(3);
    const audit = (
      (await (await fetch(`${host.baseUrl}/api/ops/audit?employeeId=K1`)).json()) as {
        value: { action: string; actor: string; reason: string | null }[];
      }
    ).value;
    expect(audit).toContainEqual(
      expect.objectContaining({ action: 'run.terminate', actor: 'local-admin', reason: 'cli test' }),
    );
    expect(audit).toContainEqual(expect.objectContaining({ action: 'run.retry', reason: 'resume' }));
  }, 120_000);

  it('dead letters: a discard needs a reason and is audited', async () => {
    const send = await fetch(`${host.baseUrl}/_local/servicebus/queues/hr-events/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ messageId: 'poison-ops', sessionId: 'PX', body: { eventId: 'poison-ops' } }]),
    });
    expect(send.status).toBe(201);
    const jml = jmlClient(host.baseUrl);
    const letters = await jml.until('a dead letter', async () => {
      const out = await cli('dead-letters', '--json');
      const { value } = JSON.parse(out.stdout) as { value: { sequenceNumber: number; messageId: string }[] };
      return value.filter((d) => d.messageId === 'poison-ops').length ? value : null;
    });
    const seq = String(letters.find((d) => d.messageId === 'poison-ops')!.sequenceNumber);
    expect((await cli('dead-letters', 'discard', seq)).code).toBe(2);
    const noReason = await fetch(`${host.baseUrl}/api/ops/dead-letters/${seq}`, { method: 'DELETE' });
    expect(noReason.status).toBe(400);
    const out = await cli('dead-letters', 'discard', seq, '--reason', 'test event, never valid');
    expect(out.code).toBe(0);
    expect((await cli('dead-letters', 'discard', seq, '--reason', 'twice')).code).toBe(3);
    const audit = (
      (await (await fetch(`${host.baseUrl}/api/ops/audit?employeeId=PX`)).json()) as {
        value: { action: string; actor: string; reason: string | null }[];
      }
    ).value;
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'dead-letter.discard',
        actor: 'local-admin',
        reason: 'test event, never valid',
      }),
    );
  });

  it('provision runs the joiner now and prints each step', async () => {
    const record = path.join(work, 'k2.json');
    writeFileSync(
      record,
      JSON.stringify({
        employeeId: 'K2',
        legalGivenName: 'Ines',
        legalFamilyName: 'Marquez',
        country: 'ES',
        hireDate: dayFromToday(0),
      }),
    );
    const out = await cli('provision', 'K2', record, '--json');
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const body = JSON.parse(out.stdout) as { runtimeStatus: string; steps: { action: string }[] };
    expect(body.runtimeStatus).toBe('Completed');
    expect(body.steps.map((s) => s.action)).toContain('joiner.createUser');
    expect((await cli('provision', 'K2')).code).toBe(2);
  });

  it('import sends a CSV extract (progress on a terminal only) and answers --json', async () => {
    const out = await cli(
      'import',
      'examples/hr-extract.csv',
      '--mapping',
      'examples/hr-extract.mapping.yaml',
      '--json',
    );
    expect(out.code).toBe(0);
    const body = JSON.parse(out.stdout) as { sent: number; events: number };
    expect(body.sent).toBe(body.events);
    expect(body.sent).toBeGreaterThan(0);
    // stderr is a pipe here: no bar redrawn with carriage returns in a log.
    expect(out.stderr).not.toContain('\r');
  });

  it('audit --from --to --csv > file writes one CSV with every record of the range', async () => {
    const file = path.join(work, 'audit.csv');
    const out = await cli('audit', '--from', '2000-01-01', '--to', '2999-12-31', '--csv');
    writeFileSync(file, out.stdout);
    expect(out.code).toBe(0);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('at,actor,action,employeeId,target,outcome,reason,before,after,eventId,instanceId');
    expect(lines.filter((l) => l.startsWith('at,'))).toHaveLength(1);
    expect(out.stderr).toContain(`${lines.length - 1} audit record(s)`);
  });

  it('the actor is the key holder, never a request header (x-ms-client-principal-name)', async () => {
    const res = await fetch(`${host.baseUrl}/api/ops/reevaluate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ms-client-principal-name': 'mallory' },
      body: JSON.stringify({ employeeIds: ['K1'], reason: 'actor test' }),
    });
    expect(res.status).toBe(202);
    const audit = (
      (await (await fetch(`${host.baseUrl}/api/ops/audit?limit=10000`)).json()) as {
        value: { action: string; actor: string; reason: string | null }[];
      }
    ).value;
    const row = audit.find((r) => r.action === 'policy.reevaluate' && r.reason === 'actor test');
    expect(row?.actor).toBe('local-admin');
  });

  it('usage errors exit 2 and --help documents the exit codes', async () => {
    expect((await cli('runs', '--bogus')).code).toBe(2);
    expect((await cli('no-such-command')).code).toBe(2);
    const help = await cli('--help');
    expect(help.stdout).toContain('0 ok, 1 failed or refused, 2 usage error, 3 not found, 4 needs approval');
  });
});
