import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraphEmulatorServer } from '../../local/emulators/graph/graph-emulator-extension';
import { createDirectory, type GraphDirectory } from '../../shared/adapters/graph/graph-directory';
import { parseConfig } from '../../shared/config/config';
import { loadPolicy } from '../../shared/domain/policy';
import { collectLicenceSnapshot } from '../../shared/licences/collect';
import { ReportContext } from '../../shared/licences/context';
import { planRemediation } from '../../shared/licences/remediation-plan';
import { buildLicenceReport } from '../../shared/licences/report';

const repoRoot = path.resolve(__dirname, '../..');
const KINDS = [
  'licensing-error',
  'direct-assignment',
  'overlapping-skus',
  'duplicate-app-tiers',
  'departed-holder',
  'unknown-holder',
  'out-of-scope',
  'idle-seat',
  'expiring-membership',
  'expired-membership',
  'missing-group',
];

/** A fresh emulator with the shipped demo tenant and policy: the licence report shows every problem kind. */
describe('the demo tenant carries every licence problem', () => {
  let server: Awaited<ReturnType<typeof startGraphEmulatorServer>>;
  let directory: GraphDirectory;
  beforeAll(async () => {
    server = await startGraphEmulatorServer({ dataDir: mkdtempSync(path.join(tmpdir(), 'jml-demo-licences-')) });
    directory = createDirectory(parseConfig({ WEBSITE_HOSTNAME: server.baseUrl.replace('http://', '') }));
  });
  afterAll(async () => server?.close());

  it('policy/policy.yaml on the demo tenant reports one problem of each kind, naming the seeded people', async () => {
    const policy = loadPolicy(path.join(repoRoot, 'policy/policy.yaml'));
    const now = new Date();
    const snapshot = await collectLicenceSnapshot(directory, policy, { now });
    const report = buildLicenceReport({ snapshot, policy, history: [], now });
    const kinds = new Set(report.problems.map((p) => p.kind));
    expect([...kinds].sort()).toEqual([...KINDS].sort());
    const people = (kind: string) =>
      report.problems.filter((p) => p.kind === kind).flatMap((p) => p.people.map((x) => x.userPrincipalName));
    expect(people('licensing-error')).toContain('tariq.haddad@contoso.com');
    expect(people('direct-assignment')).toContain('ines.moreau@contoso.com');
    expect(people('overlapping-skus')).toEqual(['marek.novak@contoso.com']);
    expect(people('duplicate-app-tiers')).toEqual(['lea.fischer@contoso.com']);
    expect(people('departed-holder')).toContain('owen.price@contoso.com');
    expect(people('out-of-scope')).toEqual(['priya.raman@contoso.com']);
    expect(people('idle-seat')).toContain('sam.okoro@contoso.com');
    expect(people('expiring-membership')).toEqual(['julia.santos@contoso.com']);
    expect(people('expired-membership')).toEqual(['daniel.weber@contoso.com']);
  });

  it('remediation of the demo tenant is planned but switched off in the shipped policy', async () => {
    const policy = loadPolicy(path.join(repoRoot, 'policy/policy.yaml'));
    const now = new Date();
    const snapshot = await collectLicenceSnapshot(directory, policy, { now });
    const plan = planRemediation(new ReportContext(snapshot, policy, now));
    expect(new Set(plan.actions.map((a) => a.switch))).toEqual(
      new Set(['removeFromDeparted', 'moveDirectToGroup', 'endExpiredAccess']),
    );
    expect(plan.actions.every((a) => !a.enabled)).toBe(true);
  });
});
