import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGraphEmulatorServer } from '../../local/emulators/graph/graph-emulator-extension';
import type { UserDoc } from '../../local/emulators/graph/store';
import { GraphMailer } from '../../shared/adapters/activation/graph-mailer';
import { SqliteAuditLog } from '../../shared/adapters/audit/sqlite-audit-log';
import { createDirectory, type GraphDirectory } from '../../shared/adapters/graph/graph-directory';
import { parseConfig } from '../../shared/config/config';
import type { Policy } from '../../shared/domain/policy';
import { LicenceNotifier } from '../../shared/licences/licence-notifier';
import { LicenceRemediation } from '../../shared/licences/remediation-service';
import type { AuditRecord } from '../../shared/ports/audit-log';
import { ACME_PRO, ACME_STD, E3, E3_GROUP, E5, policy } from './fixtures';
import { seedWithoutLicenceDemo } from './clean-emulator';

const NOW = new Date();
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000).toISOString();
const ALL_ON = { removeFromDeparted: true, moveDirectToGroup: true, endExpiredAccess: true, maxChanges: 20 };

/**
 * Licence remediation against the Graph emulator: for each action, a dry run changes nothing, an apply changes once
 * (one audit row per change, a notice to the person or manager), and a second apply finds nothing to do.
 */
describe('licence remediation', () => {
  let server: Awaited<ReturnType<typeof startGraphEmulatorServer>>;
  let directory: GraphDirectory;
  let audit: SqliteAuditLog;
  let current: Policy;
  let remediation: LicenceRemediation;
  const api = () => server.emulator.api;
  const rows = async () =>
    (await audit.query({ limit: 10_000 })).filter(
      (r) => r.action.startsWith('licence.') || r.action === 'notify.licence',
    );
  const outbox = () =>
    api()
      .store.outbox()
      .map((m) => m.message as { subject: string; toRecipients: { emailAddress: { address: string } }[] });
  const addUser = (n: number, extra: Partial<UserDoc> = {}): string => {
    const id = `e0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    api().store.saveUser({
      id,
      userPrincipalName: `rem${n}@contoso.com`,
      mailNickname: `rem${n}`,
      displayName: `Remediated ${n}`,
      mail: `rem${n}@contoso.com`,
      accountEnabled: true,
      createdDateTime: '2025-01-01T00:00:00Z',
      deletedDateTime: null,
      signInSessionsValidFromDateTime: null,
      assignedLicenses: [],
      usageLocation: 'FR',
      department: 'Engineering',
      ...extra,
    });
    return id;
  };
  const withRemediation = (remediationPolicy: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const base = policy();
    current = policy({
      licences: {
        ...base.licences,
        remediation: remediationPolicy,
        notifications: { person: true, manager: true },
        ...extra,
      },
    });
  };

  beforeAll(async () => {
    server = await startGraphEmulatorServer({ dataDir: mkdtempSync(path.join(tmpdir(), 'jml-remediate-')) });
    directory = createDirectory(parseConfig({ WEBSITE_HOSTNAME: server.baseUrl.replace('http://', '') }));
  });
  afterAll(async () => server?.close());
  beforeEach(() => {
    audit = new SqliteAuditLog(path.join(mkdtempSync(path.join(tmpdir(), 'jml-remediate-audit-')), 'audit.sqlite'));
    const notifier = new LicenceNotifier({
      directory,
      mailer: new GraphMailer(directory, 'hr-noreply@contoso.com'),
      policy: () => current,
      audit,
    });
    remediation = new LicenceRemediation({ directory, policy: () => current, audit, notifier });
    seedWithoutLicenceDemo(api());
    for (const [id, name] of [
      [ACME_PRO, 'Acme Pro'],
      [ACME_STD, 'Acme Standard'],
    ] as const)
      api().store.saveGroup({ id, displayName: name, groupTypes: [], mailNickname: name.replace(' ', '') });
    withRemediation(ALL_ON);
  });

  it('takes app seats, group licences and direct licences back from a disabled account, once', async () => {
    const manager = addUser(1);
    const gone = addUser(2, { accountEnabled: false, assignedLicenses: [{ skuId: E5, disabledPlans: [] }] });
    api().store.setManager(gone, manager);
    api().store.addMember(ACME_PRO, gone);
    api().store.addMember(E3_GROUP, gone);

    const dry = await remediation.run({ apply: false, actor: 'admin:test' });
    expect(dry.dryRun).toBe(true);
    expect(dry.actions.map((a) => [a.kind, a.outcome, a.groupId ?? a.skuId])).toEqual(
      expect.arrayContaining([
        ['remove-membership', 'planned', ACME_PRO],
        ['remove-membership', 'planned', E3_GROUP],
        ['remove-direct-licence', 'planned', E5],
      ]),
    );
    expect(dry.actions).toHaveLength(3);
    expect(api().store.groupIdsOf(gone).sort()).toEqual([ACME_PRO, E3_GROUP].sort());
    expect(api().store.getUser(gone)!.assignedLicenses).toHaveLength(1);
    expect(await rows()).toEqual([]);
    expect(outbox()).toEqual([]);

    const applied = await remediation.run({ apply: true, actor: 'admin:test' });
    expect(applied.totals).toMatchObject({ enabled: 3, done: 3, failed: 0 });
    expect(api().store.groupIdsOf(gone)).toEqual([]);
    expect(api().store.getUser(gone)!.assignedLicenses).toEqual([]);
    const changes = await rows();
    expect(
      changes
        .filter((r) => r.action.startsWith('licence.remediate.'))
        .map((r) => r.action)
        .sort(),
    ).toEqual([
      'licence.remediate.remove-direct-licence',
      'licence.remediate.remove-membership',
      'licence.remediate.remove-membership',
    ]);
    expect(changes.every((r: AuditRecord) => r.actor === 'admin:test')).toBe(true);
    // The account is disabled: only the manager is told, once per change.
    const mails = outbox();
    expect(mails).toHaveLength(3);
    expect(mails.every((m) => m.toRecipients[0]!.emailAddress.address === 'rem1@contoso.com')).toBe(true);
    expect(mails.map((m) => m.subject).join('\n')).toContain('removed from Remediated 2');

    const again = await remediation.run({ apply: true, actor: 'admin:test' });
    expect(again.actions).toEqual([]);
    expect(await rows()).toHaveLength(changes.length);
    expect(outbox()).toHaveLength(3);
  });

  it('moves a direct licence to the policy licence group: member first, then the direct assignment goes', async () => {
    const direct = addUser(3, { assignedLicenses: [{ skuId: E3, disabledPlans: [] }] });

    const dry = await remediation.run({ apply: false, actor: 'admin:test' });
    expect(dry.actions.map((a) => [a.kind, a.groupId, a.skuId])).toEqual([['move-to-group', E3_GROUP, E3]]);
    expect(api().store.groupIdsOf(direct)).toEqual([]);

    const applied = await remediation.run({ apply: true, actor: 'admin:test' });
    expect(applied.actions[0]!.outcome).toBe('done');
    expect(api().store.groupIdsOf(direct)).toEqual([E3_GROUP]);
    expect(api().store.getUser(direct)!.assignedLicenses).toEqual([]);
    const states = await directory.listLicenseStates(direct);
    expect(states).toEqual([{ skuId: E3, assignedByGroup: E3_GROUP, state: 'Active', error: 'None' }]);
    expect((await rows()).map((r) => r.action)).toEqual(['licence.remediate.move-to-group']);
    // Moved, not removed: the person keeps the licence and is not told anything.
    expect(outbox()).toEqual([]);

    expect((await remediation.run({ apply: true, actor: 'admin:test' })).actions).toEqual([]);
    expect(await rows()).toHaveLength(1);
  });

  it('ends time-limited access whose end date has passed, and leaves access that ends later', async () => {
    const ended = addUser(4);
    const later = addUser(5);
    for (const id of [ended, later]) api().store.addMember(ACME_PRO, id);
    api().pimGroups.add({ groupId: ACME_PRO, principalId: ended, endDateTime: days(-1) });
    api().pimGroups.add({ groupId: ACME_PRO, principalId: later, endDateTime: days(5) });

    const dry = await remediation.run({ apply: false, actor: 'admin:test' });
    expect(dry.actions.map((a) => [a.switch, a.userId])).toEqual([['endExpiredAccess', ended]]);
    expect(api().store.isMember(ACME_PRO, ended)).toBe(true);

    await remediation.run({ apply: true, actor: 'admin:test' });
    expect(api().store.isMember(ACME_PRO, ended)).toBe(false);
    expect(api().store.isMember(ACME_PRO, later)).toBe(true);
    const mails = outbox();
    // The person (account enabled) is told; they have no manager (audited as such).
    expect(mails.map((m) => m.toRecipients[0]!.emailAddress.address)).toEqual(['rem4@contoso.com']);
    expect(mails[0]!.subject).toBe('Licence removed: Acme Pro');
    expect((await rows()).map((r) => r.action).sort()).toEqual([
      'licence.remediate.remove-membership',
      'notify.licence',
    ]);

    expect((await remediation.run({ apply: true, actor: 'admin:test' })).actions).toEqual([]);
  });

  it('an action switched off is listed but never applied', async () => {
    withRemediation({ ...ALL_ON, removeFromDeparted: false });
    const gone = addUser(6, { accountEnabled: false });
    api().store.addMember(ACME_PRO, gone);
    const run = await remediation.run({ apply: true, actor: 'admin:test' });
    expect(run.actions.map((a) => [a.enabled, a.outcome])).toEqual([[false, 'disabled']]);
    expect(api().store.isMember(ACME_PRO, gone)).toBe(true);
    expect(await rows()).toEqual([]);
  });

  it('refuses a run over maxChanges until that exact plan is approved', async () => {
    withRemediation({ ...ALL_ON, maxChanges: 1 });
    const a = addUser(7, { accountEnabled: false });
    const b = addUser(8, { accountEnabled: false });
    for (const id of [a, b]) api().store.addMember(ACME_STD, id);

    const refused = await remediation.run({ apply: true, actor: 'admin:test' });
    expect(refused.refused).toContain('exceed remediation.maxChanges (1)');
    expect(refused.dryRun).toBe(true);
    expect(api().store.memberIdsOf(ACME_STD).sort()).toEqual([a, b].sort());
    expect((await rows()).map((r) => [r.action, r.outcome])).toEqual([['licence.remediate', 'held']]);

    const wrong = await remediation.run({ apply: true, approve: '0000000000000000', actor: 'admin:test' });
    expect(wrong.refused).not.toBeNull();
    const approved = await remediation.run({ apply: true, approve: refused.planDigest, actor: 'admin:boss' });
    expect(approved.refused).toBeNull();
    expect(approved.totals.done).toBe(2);
    expect(api().store.memberIdsOf(ACME_STD)).toEqual([]);
  });
});
