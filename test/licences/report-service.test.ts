import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraphEmulatorServer } from '../../local/emulators/graph/graph-emulator-extension';
import type { UserDoc } from '../../local/emulators/graph/store';
import { GraphMailer } from '../../shared/adapters/activation/graph-mailer';
import { SqliteLicenceHistory } from '../../shared/adapters/sqlite/licence-history';
import { createDirectory } from '../../shared/adapters/graph/graph-directory';
import { parseConfig } from '../../shared/config/config';
import { chartJsSource } from '../../shared/licences/chart-source';
import { LicenceReportService } from '../../shared/licences/licence-report-service';
import { LocalLicenceReportStore } from '../../shared/licences/local-report-store';
import { ACME_PRO, ACME_STD, E5, E3_GROUP, policy, uid } from './fixtures';
import { seedWithoutLicenceDemo } from './clean-emulator';

/**
 * The report end to end through the service: the Graph emulator's tenant read over HTTP by the Graph adapter,
 * the history in SQLite, the files in a data folder, the owners' mail in the emulator's outbox.
 */
describe('licence report service against the Graph emulator', () => {
  let server: Awaited<ReturnType<typeof startGraphEmulatorServer>>;
  let service: LicenceReportService;
  let folder: string;
  const now = new Date('2026-03-01T06:00:00Z');

  const addUser = (n: number, extra: Partial<UserDoc> = {}): UserDoc => {
    const user: UserDoc = {
      id: uid(n),
      userPrincipalName: `user${n}@contoso.com`,
      mailNickname: `user${n}`,
      displayName: `User ${n}`,
      accountEnabled: true,
      createdDateTime: '2025-01-01T00:00:00Z',
      deletedDateTime: null,
      signInSessionsValidFromDateTime: null,
      assignedLicenses: [],
      usageLocation: 'FR',
      department: 'Engineering',
      signInActivity: { lastSignInDateTime: '2026-02-28T08:00:00Z' },
      ...extra,
    };
    server.emulator.api.store.saveUser(user);
    return user;
  };

  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'jml-licence-report-'));
    server = await startGraphEmulatorServer({ dataDir: folder });
    const directory = createDirectory(parseConfig({ WEBSITE_HOSTNAME: server.baseUrl.replace('http://', '') }));
    seedWithoutLicenceDemo(server.emulator.api);
    const store = server.emulator.api.store;
    for (const group of [ACME_PRO, ACME_STD])
      store.saveGroup({ id: group, displayName: group === ACME_PRO ? 'Acme Pro' : 'Acme Standard' });
    // Seeded problems: a direct E5 on top of the group's E3 (overlap + direct), a disabled holder, an idle one,
    // someone out of the app's scope, someone in both Acme tiers.
    addUser(1, { assignedLicenses: [{ skuId: E5, disabledPlans: [] }] });
    addUser(2, { accountEnabled: false });
    addUser(3, { signInActivity: { lastSignInDateTime: '2025-06-01T00:00:00Z' } });
    addUser(4, { department: 'Sales' });
    for (const n of [1, 2, 3, 4]) store.addMember(E3_GROUP, uid(n));
    for (const n of [1, 4]) store.addMember(ACME_PRO, uid(n));
    for (const n of [1]) store.addMember(ACME_STD, uid(n));
    service = new LicenceReportService({
      directory,
      policy: () => policy(),
      history: new SqliteLicenceHistory(path.join(folder, 'licence-history.sqlite')),
      store: new LocalLicenceReportStore(path.join(folder, 'reports', 'licences')),
      mailer: new GraphMailer(directory, 'hr-noreply@contoso.com'),
      usage: async () => [],
      chartJs: chartJsSource,
      now: () => now,
    });
  });
  afterAll(async () => server?.close());

  it('finds the seeded problems in the tenant', async () => {
    const report = await service.build();
    const kinds = report.problems.map((p) => `${p.kind} ${p.products.join('+')}`).sort();
    expect(kinds).toEqual(
      [
        'departed-holder sku:SPE_E3',
        'direct-assignment sku:SPE_E5',
        'duplicate-app-tiers app:acme:Pro+app:acme:Standard',
        'idle-seat sku:SPE_E3',
        // The policy's admin group was never created in this tenant.
        'missing-group ',
        'out-of-scope app:acme:Pro',
        'overlapping-skus sku:SPE_E3+sku:SPE_E5',
      ].sort(),
    );
    const e3 = report.products.find((p) => p.key === 'sku:SPE_E3')!;
    expect(e3).toMatchObject({ purchased: 200, assigned: 4, consumed: 4 });
    expect(report.signInActivityAvailable).toBe(true);
    expect(report.segments.department.map((s) => s.value)).toEqual(['Engineering', 'Sales']);
  });

  it('runs the daily report: history recorded, files saved, owners mailed when a threshold is crossed', async () => {
    const { report, files, mailed } = await service.runDaily();
    expect(files.map((f) => path.basename(f)).sort()).toEqual(['2026-03-01.csv', '2026-03-01.html', '2026-03-01.json']);
    const json = JSON.parse(
      readFileSync(
        files.find((f) => f.endsWith('.json'))!,
        'utf8',
      ),
    ) as { date: string };
    expect(json.date).toBe('2026-03-01');
    const csv = readFileSync(
      files.find((f) => f.endsWith('.csv'))!,
      'utf8',
    );
    expect(csv.split('\r\n')[0]).toMatch(/^section,product,purchased/);
    expect(csv).toMatch(/\r\nproblem,SPE_E3,,,,,,33,EUR,departed-holder,.*,user2@contoso\.com,/);
    const html = readFileSync(
      files.find((f) => f.endsWith('.html'))!,
      'utf8',
    );
    expect(html).toContain('Chart.js v4');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(report.thresholds.length).toBeGreaterThan(0);
    expect(mailed).toEqual(['sam@contoso.com']);
    const outbox = server.emulator.api.store.outbox();
    expect(JSON.stringify(outbox.at(-1)!.message)).toContain('threshold(s) crossed');
    const history = await new SqliteLicenceHistory(path.join(folder, 'licence-history.sqlite')).since('2026-03-01');
    expect(history.find((d) => d.key === 'sku:SPE_E3')).toMatchObject({ assigned: 4, purchased: 200 });
  });

  it('escapes tenant text in the HTML report', async () => {
    addUser(9, { displayName: '<img src=x onerror=alert(1)>', accountEnabled: false });
    server.emulator.api.store.addMember(E3_GROUP, uid(9));
    const { body } = service.render(await service.build(), 'html');
    expect(body).not.toContain('<img src=x');
    expect(body).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
