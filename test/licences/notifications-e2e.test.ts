import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { dayFromToday, jmlClient } from '../support/jml-client';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '../..');
const CLI = path.join(repoRoot, 'dist/local/cli/entra-jml.js');

interface Mail {
  message: { subject: string; toRecipients: { emailAddress: { address: string } }[] };
}

/**
 * On the local host with the demo policy plus licences.notifications on: a joiner's licence group is told to the
 * person and the manager (once), a leaver's removal to the manager only; `jml licences remediate` is a dry run.
 */
describe('licence notices from JML steps, and remediation from the CLI', () => {
  let host: HostProcess;
  const jml = () => jmlClient(host.baseUrl);
  const outbox = async () =>
    ((await (await fetch(`${host.baseUrl}/_local/graph/_admin/outbox`)).json()) as { value: Mail[] }).value.map(
      (m) => [m.message.subject, m.message.toRecipients[0]!.emailAddress.address] as const,
    );
  const cli = async (...args: string[]) => {
    try {
      const { stdout } = await run(process.execPath, [CLI, ...args, '--url', host.baseUrl], { cwd: repoRoot });
      return { stdout, code: 0 };
    } catch (error) {
      const e = error as { stdout: string; code: number };
      return { stdout: e.stdout, code: e.code };
    }
  };

  beforeAll(async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'jml-licence-notices-'));
    const policyFile = path.join(work, 'policy.yaml');
    writeFileSync(
      policyFile,
      readFileSync(path.join(repoRoot, 'policy/policy.yaml'), 'utf8').replace(
        'notifications:\n    person: false\n    manager: false',
        'notifications:\n    person: true\n    manager: true',
      ),
    );
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir: path.join(work, 'data'),
      env: { HR_EVENTS_QUEUE: 'hr-events', ENTRA_JML_POLICY_FILE: policyFile },
    });
  }, 120_000);
  afterAll(async () => host?.stop());

  it('a joiner and their manager are told which licence the person got; a leaver only their manager', async () => {
    const hire = (employeeId: string, given: string, family: string, extra: Record<string, unknown> = {}) => ({
      eventId: `hire-${employeeId}`,
      type: 'hire',
      occurredAt: new Date().toISOString(),
      worker: {
        employeeId,
        legalGivenName: given,
        legalFamilyName: family,
        hireDate: dayFromToday(0),
        country: 'FR',
        department: 'Finance',
        ...extra,
      },
    });
    await jml().post(hire('N1', 'Odile', 'Marchand'));
    await jml().processed('N1', 'hire-N1');
    await jml().post(hire('N2', 'Basile', 'Perrin', { managerEmployeeId: 'N1' }));
    await jml().processed('N2', 'hire-N2');
    const e3 = 'Licence - Microsoft 365 E3 (SPE_E3)';
    await jml().until('licence notices for N2', async () => {
      const mails = await outbox();
      return mails.some(([, to]) => to === 'odile.marchand@contoso.com' && mails.length >= 3);
    });
    const mails = await outbox();
    expect(mails).toContainEqual([`Licence assigned: ${e3}`, 'basile.perrin@contoso.com']);
    expect(mails).toContainEqual([`Licence assigned to Basile Perrin: ${e3}`, 'odile.marchand@contoso.com']);
    expect(mails.filter(([subject]) => subject.includes('Basile Perrin'))).toHaveLength(1);

    await jml().post({
      eventId: 'leave-N2',
      type: 'terminate',
      occurredAt: new Date().toISOString(),
      immediate: true,
      worker: {
        employeeId: 'N2',
        legalGivenName: 'Basile',
        legalFamilyName: 'Perrin',
        hireDate: dayFromToday(0),
        leaveDate: dayFromToday(0),
      },
    });
    await jml().processed('N2', 'leave-N2');
    const removed = await jml().until('the leaver notice', async () =>
      (await outbox()).find(([subject]) => subject.startsWith('Licence removed from Basile Perrin')),
    );
    expect(removed).toEqual([`Licence removed from Basile Perrin: ${e3}`, 'odile.marchand@contoso.com']);
    expect((await outbox()).filter(([, to]) => to === 'basile.perrin@contoso.com')).toHaveLength(1);
  }, 120_000);

  it('jml licences remediate shows the demo tenant plan and changes nothing', async () => {
    const before = await jml().directory();
    const { stdout, code } = await cli('licences', 'remediate');
    expect(code).toBe(0);
    expect(stdout).toContain('disabled remove-membership');
    expect(stdout).toContain('owen.price@contoso.com');
    expect(stdout).toContain('dry run:');
    expect(stdout).toContain('0 switched on in the policy');
    expect(await jml().directory()).toEqual(before);
  }, 60_000);
});
