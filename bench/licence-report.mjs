// npm run bench -- licence-report [users=50000] [baselineUsers=5000]: the daily licence report (collect through
// the Graph adapter over HTTP, compute, render JSON/CSV/HTML) for a synthetic tenant of `users` users, 200 groups,
// 20 SKUs and 10 apps on the Graph emulator, with the same report at `baselineUsers` in the same run as the
// baseline (the scaling). The tenant is written straight into the emulator's store (one transaction), not through
// 50k HTTP calls. Figures: report_seconds_50k (goal ≤ 30 s), graph_requests_50k (users are paged at $top=999,
// which Graph caps at 120 when signInActivity is selected), the time of each phase and the peak RSS of the
// process (it holds the emulator too).
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BenchReport } from './lib/report.mjs';

const require = createRequire(import.meta.url);
const { startGraphEmulatorServer } = require('../dist/local/emulators/graph/graph-emulator-extension.js');
const { createDirectory } = require('../dist/shared/adapters/graph/graph-directory.js');
const { parseConfig } = require('../dist/shared/config/config.js');
const { Policy } = require('../dist/shared/domain/policy.js');
const { SqliteLicenceHistory } = require('../dist/shared/adapters/sqlite/licence-history.js');
const { chartJsSource } = require('../dist/shared/licences/chart-source.js');
const { collectLicenceSnapshot } = require('../dist/shared/licences/collect.js');
const { buildLicenceReport } = require('../dist/shared/licences/report.js');
const { LicenceReportService } = require('../dist/shared/licences/licence-report-service.js');

const USERS = Number(process.argv[2] ?? 50_000);
const BASELINE_USERS = Number(process.argv[3] ?? 5_000);
const SKUS = 20;
const APPS = 10;
const GROUPS = 200;
const NOW = new Date('2026-03-01T06:00:00Z');
const DEPARTMENTS = ['Engineering', 'Sales', 'Finance', 'HR', 'Legal', 'Support', 'Marketing', 'Operations'];
const COUNTRIES = ['FR', 'DE', 'GB', 'US', 'ES', 'IT', 'NL', 'BE'];

const hex = (prefix, n) => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;
const skuId = (i) => hex('5c000000', i);
const skuGroupId = (i) => hex('a1000000', i);
const tierGroupId = (app, tier) => hex('a2000000', app * 10 + tier);
const plainGroupId = (i) => hex('a3000000', i);
const userId = (n) => hex('e1000000', n);
const plan = (n) => ({ servicePlanId: hex('b0000000', n), servicePlanName: `PLAN_${n}` });
// Groups: one licence group per SKU, three per app (Pro, Standard, admins without a seat), the rest plain.
const PLAIN_GROUPS = GROUPS - SKUS - APPS * 3;

/** 20 SKUs (SKU 1 shares plans with SKU 0, as E5 with E3; SKU 2 is short of units), 200 groups, `users` users. */
function seedTenant(store, users) {
  const perSku = Math.ceil(users / SKUS);
  const write = store.db.transaction(() => {
    for (let i = 0; i < SKUS; i++)
      store.saveSku({
        skuId: skuId(i),
        skuPartNumber: `BENCH_SKU_${i}`,
        enabledUnits: i === 2 ? Math.floor(perSku * 0.9) : Math.ceil(perSku * 1.2),
        servicePlans: i === 1 ? [plan(0), plan(1), plan(100)] : [plan(i * 3), plan(i * 3 + 1), plan(i * 3 + 2)],
      });
    const group = (id, displayName, extra = {}) =>
      store.saveGroup({ id, displayName, mailNickname: displayName.replace(/\W/g, ''), groupTypes: [], ...extra });
    for (let i = 0; i < SKUS; i++) group(skuGroupId(i), `Licence SKU ${i}`, { assignedLicenses: [skuId(i)] });
    for (let a = 0; a < APPS; a++)
      ['Pro', 'Standard', 'Admins'].forEach((tier, t) => group(tierGroupId(a, t), `App ${a} ${tier}`));
    for (let i = 0; i < PLAIN_GROUPS; i++) group(plainGroupId(i), `Team ${i}`);
    for (let n = 0; n < users; n++) {
      const country = COUNTRIES[n % COUNTRIES.length];
      const signIn = n % 20 === 0 ? null : n % 10 === 1 ? '2025-06-01T00:00:00Z' : '2026-02-27T09:00:00Z';
      store.saveUser({
        id: userId(n),
        userPrincipalName: `bench.user${n}@contoso.com`,
        mailNickname: `bench.user${n}`,
        displayName: `Bench User ${n}`,
        accountEnabled: n % 50 !== 7,
        createdDateTime: '2025-01-01T00:00:00Z',
        deletedDateTime: null,
        signInSessionsValidFromDateTime: null,
        // 1 in 100 holds SKU 1 directly on top of a group licence (direct assignment, overlapping SKUs).
        assignedLicenses: n % 100 === 3 ? [{ skuId: skuId(1), disabledPlans: [] }] : [],
        usageLocation: n % 200 === 11 ? null : country,
        country,
        department: DEPARTMENTS[n % DEPARTMENTS.length],
        userType: n % 25 === 0 ? 'Guest' : 'Member',
        employeeType: 'Employee',
        employeeOrgData: { costCenter: `CC-${n % 40}`, division: null },
        employeeLeaveDateTime: n % 100 === 13 ? '2026-01-15T00:00:00Z' : null,
        ...(signIn ? { signInActivity: { lastSignInDateTime: signIn } } : {}),
      });
      store.addMember(skuGroupId(n % SKUS), userId(n));
      const app = n % APPS;
      if (n % 3 !== 2) store.addMember(tierGroupId(app, n % 3), userId(n));
      // 1 in 200 in both tiers of the app (duplicate tiers), 1 in 500 also in its admins group.
      if (n % 200 === 0) for (const tier of [0, 1]) store.addMember(tierGroupId(app, tier), userId(n));
      if (n % 500 === 1) store.addMember(tierGroupId(app, 2), userId(n));
      store.addMember(plainGroupId(n % PLAIN_GROUPS), userId(n));
    }
  });
  write();
}

function benchPolicy(users) {
  const seats = Math.ceil(users / APPS / 3);
  return Policy.parse({
    version: 'bench-1',
    tenant: { upnDomain: 'contoso.com' },
    upn: { pattern: '{given}.{family}' },
    licenceGroups: Array.from({ length: SKUS }, (_, i) => ({
      id: skuGroupId(i),
      name: `Licence SKU ${i}`,
      sku: `BENCH_SKU_${i}`,
    })),
    licences: {
      apps: Array.from({ length: APPS }, (_, a) => ({
        id: `app-${a}`,
        name: `App ${a}`,
        licenceGroups: [
          { groupId: tierGroupId(a, 0), tier: 'Pro', seats, unitPrice: 30, currency: 'EUR' },
          { groupId: tierGroupId(a, 1), tier: 'Standard', seats, unitPrice: 10, currency: 'EUR' },
        ],
        unlicensedGroups: [tierGroupId(a, 2)],
        when: { department: DEPARTMENTS.slice(0, 6) },
      })),
      owners: ['sam@contoso.com'],
      idleDays: 30,
      costs: Array.from({ length: SKUS }, (_, i) => ({
        skuPartNumber: `BENCH_SKU_${i}`,
        unitPrice: 10 + i,
        currency: 'EUR',
      })),
    },
  });
}

const seconds = (from) => (performance.now() - from) / 1000;
/** CPU seconds (user + system) of this process since `from`: the machine is shared, wall time is noisy. */
const cpuSeconds = (from) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
};

/** One tenant of `users` users: seed, then the report as the daily timer builds it, phase by phase. */
async function measure(users) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'jml-licence-bench-'));
  const server = await startGraphEmulatorServer({ dataDir });
  try {
    let started = performance.now();
    seedTenant(server.emulator.api.store, users);
    const seedSeconds = seconds(started);
    const directory = createDirectory(parseConfig({ WEBSITE_HOSTNAME: server.baseUrl.replace('http://', '') }));
    const policy = benchPolicy(users);
    const service = new LicenceReportService({
      directory,
      policy: () => policy,
      history: new SqliteLicenceHistory(path.join(dataDir, 'licence-history.sqlite')),
      store: { save: async () => [] },
      mailer: { send: async () => {} },
      usage: async () => [],
      chartJs: chartJsSource,
      now: () => NOW,
    });
    await directory.listSubscribedSkus(); // token and connection warm-up, not counted
    // CPU spent answering inside the emulator (Graph's side in Azure), told apart from the app's own.
    const api = server.emulator.api;
    const handle = api.handle.bind(api);
    let emulatorCpu = 0;
    api.handle = (req) => {
      const before = process.cpuUsage();
      try {
        return handle(req);
      } finally {
        emulatorCpu += cpuSeconds(before);
      }
    };
    const stats = api.stats;
    stats.httpRequests = 0;
    const cpu = process.cpuUsage();
    started = performance.now();
    const snapshot = await collectLicenceSnapshot(directory, policy, { now: NOW, usage: [] });
    const collectSeconds = seconds(started);
    const requests = stats.httpRequests;
    started = performance.now();
    const report = buildLicenceReport({ snapshot, policy, history: [], now: NOW });
    const computeSeconds = seconds(started);
    started = performance.now();
    const bytes = ['json', 'csv', 'html'].reduce((sum, f) => sum + service.render(report, f).body.length, 0);
    const renderSeconds = seconds(started);
    const reportCpuSeconds = cpuSeconds(cpu);
    if (report.totals.users < users) throw new Error(`report counted ${report.totals.users} users of ${users}`);
    return {
      seedSeconds,
      collectSeconds,
      computeSeconds,
      renderSeconds,
      totalSeconds: collectSeconds + computeSeconds + renderSeconds,
      reportCpuSeconds,
      emulatorCpuSeconds: emulatorCpu,
      requests,
      problems: report.totals.problems,
      people: report.totals.peopleWithProblems,
      megabytes: bytes / 1e6,
    };
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const baseline = await measure(BASELINE_USERS);
globalThis.gc?.();
const full = await measure(USERS);
const k = (n) => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));
const report = new BenchReport('licence-report');
const b = (metric, value) => ({ metric: `${metric}_${k(BASELINE_USERS)}`, value });
report.add(`report_seconds_${k(USERS)}`, full.totalSeconds, 's', b('report_seconds', baseline.totalSeconds));
report.add(
  `report_cpu_seconds_${k(USERS)}`,
  full.reportCpuSeconds,
  's',
  b('report_cpu_seconds', baseline.reportCpuSeconds),
);
report.add(`emulator_cpu_seconds_${k(USERS)}`, full.emulatorCpuSeconds, 's', {
  metric: `report_cpu_seconds_${k(USERS)}`,
  value: full.reportCpuSeconds,
});
report.add(`graph_requests_${k(USERS)}`, full.requests, 'requests', b('graph_requests', baseline.requests));
report.add(`collect_seconds_${k(USERS)}`, full.collectSeconds, 's', b('collect_seconds', baseline.collectSeconds));
report.add(`compute_seconds_${k(USERS)}`, full.computeSeconds, 's', b('compute_seconds', baseline.computeSeconds));
report.add(`render_seconds_${k(USERS)}`, full.renderSeconds, 's', b('render_seconds', baseline.renderSeconds));
report.add(`report_seconds_${k(BASELINE_USERS)}`, baseline.totalSeconds, 's');
report.add(`graph_requests_${k(BASELINE_USERS)}`, baseline.requests, 'requests');
report.add(`seed_seconds_${k(USERS)}`, full.seedSeconds, 's', b('seed_seconds', baseline.seedSeconds));
report.add(`problems_${k(USERS)}`, full.problems, 'problems', b('problems', baseline.problems));
report.add(`people_with_problems_${k(USERS)}`, full.people, 'people', b('people_with_problems', baseline.people));
report.add(`output_mb_${k(USERS)}`, full.megabytes, 'MB', b('output_mb', baseline.megabytes));
report.add('peak_rss_mb', process.resourceUsage().maxRSS / 1024, 'MB');
report.print();
