// npm run bench -- joiners [--people N] [--graph-limits real] [--baseline-people M]: N joiners through the
// whole local stack (CSV upload → queue → person orchestration → Graph emulator): persons/s, CPU per person,
// Graph round trips and writes per joiner, p95 event → account ready, peak memory, and the real-tenant ceiling
// Graph's write budget sets. Baseline in the same run, under the same Graph limits: M joiners (default
// min(N, 200), N under --graph-limits real) written straight to the Graph adapter, one call per operation
// (no intake, queue or orchestration), i.e. the cost of the directory work alone.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { postEvents, postSigned, startBenchHost } from './lib/bench-host.mjs';
import { graphAdmin } from './lib/graph-admin.mjs';
import { measureHealth, startHealthProbe } from './lib/health-probe.mjs';
import { BenchReport, percentile, trackPeakRss } from './lib/report.mjs';
import { URGENT_WRITE_KINDS, urgentPair } from './lib/urgent-pair.mjs';

const require = createRequire(import.meta.url);
const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '10000' },
    'graph-limits': { type: 'string', default: 'none' },
    // Where the Graph emulator runs: a worker thread (as npm start) or on the host's loop (in-process).
    emulators: { type: 'string', default: 'worker' },
    'baseline-people': { type: 'string' },
  },
  allowPositionals: true,
});
const people = Number(values.people);
const realLimits = values['graph-limits'] === 'real';
// Graph's write budget per app and tenant: about 3,000 writes per 150 s, every $batch item counted
// (https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits), i.e. 20 writes/s.
const GRAPH_WRITES_PER_S = 3_000 / 150;
const { host, base, durable } = await startBenchHost('joiners', { emulators: values.emulators });
const graph = graphAdmin(base);
const stopRss = trackPeakRss();
const today = new Date().toISOString().slice(0, 10);
// Engineering and Sales in France: 5 birthright groups each (all employees, department, VPN, location, E3 licence).
const depts = ['Engineering', 'Sales'];
const managerId = 'BM';

const post = (events) => postEvents(base, events);

// Their manager exists first (joined outside the measured window), so each joiner also sets a manager.
await post([
  {
    eventId: 'hire-manager',
    type: 'hire',
    occurredAt: new Date().toISOString(),
    worker: {
      employeeId: managerId,
      legalGivenName: 'Manager',
      legalFamilyName: 'Bench',
      department: 'Engineering',
      country: 'FR',
      hireDate: today,
    },
  },
]);
while (durable.getInstance(`person-${managerId}`)?.customStatus?.phase !== 'active')
  await new Promise((r) => setTimeout(r, 20));
// An active person and a pre-hire one, for an immediate termination and a rescind sent once the bulk is queued
// (urgent_leaver_ms_during_bulk, issue 16 item 4): their hires happen here, outside the measured window.
const sendUrgent = await urgentPair(post, durable, 'joiners');
// Baseline, measured first in the same run (the tenant still small, the host idle): the same joiner's
// directory work alone through the adapter, one Graph operation per change.
const { createDirectory } = require('../dist/shared/adapters/graph/graph-directory.js');
const { parseConfig } = require('../dist/shared/config/config.js');
const directory = createDirectory(parseConfig({ WEBSITE_HOSTNAME: `localhost:${host.listeningPort}` }));
const groups = [
  'a0000000-0000-4000-8000-000000000001',
  'a0000000-0000-4000-8000-000000000003',
  'a0000000-0000-4000-8000-000000000008',
  'a0000000-0000-4000-8000-000000000011',
  'a0000000-0000-4000-8000-000000000015',
];
// The baseline runs under the same Graph limits as the joiners it is compared with; with real limits it does as
// many people as the run, so both pay the write budget the same way (a 200-person baseline fits in the budget's
// burst and would never be throttled).
await graph.setFaults({ realLimits });
const writesBefore = (await graph.stats()).writes;
const t = performance.now();
const baselineCount = Number(values['baseline-people'] ?? (realLimits ? people : Math.min(people, 200)));
const boss = await directory.findUserByEmployeeId(managerId);
for (let j = 0; j < baselineCount; j++) {
  const u = await directory.createUser({
    userPrincipalName: `base${j}@contoso.com`,
    mailNickname: `base${j}`,
    displayName: `Base ${j}`,
    accountEnabled: true,
    password: 'x-Secret-123!',
    usageLocation: 'FR',
    employeeId: `Z${j}`,
  });
  // One Graph operation per relation (manager PUT, POST members/$ref per group), in one $batch round trip.
  await directory.batch([
    {
      id: 'm',
      method: 'PUT',
      url: `/users/${u.id}/manager/$ref`,
      body: { '@odata.id': `https://graph.microsoft.com/v1.0/users/${boss.id}` },
    },
    ...groups.map((g, i) => ({
      id: `g${i}`,
      method: 'POST',
      url: `/groups/${g}/members/$ref`,
      body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${u.id}` },
    })),
  ]);
}
const baselinePerS = baselineCount / ((performance.now() - t) / 1000);
// Writes per joiner done one call per operation (create, manager, 5 group adds), measured.
const baselineWrites = ((await graph.stats()).writes - writesBefore) / baselineCount;
// The run starts with a fresh write budget, as the baseline did (the emulator's window of recent writes).
await graph.resetWriteBudget();
await graph.resetStats();
// /api/health while idle (baseline), then all through the run: the host must keep answering (issue 16 item 2).
const idleHealth = await measureHealth(base, 2_000);
const healthProbe = startHealthProbe(base);
const cpuBefore = process.cpuUsage();
const sentAt = new Map();
const started = performance.now();
// The HR extract as one CSV file (the README's example mapping), posted to POST /api/hr/csv.
const mapping = readFileSync(path.resolve('examples/hr-extract.mapping.yaml'), 'utf8');
const header = 'Employee ID,First Name,Last Name,Department,Title,Country,Manager ID,Start Date,Action';
const row = (j) => `B${j},Person${j},Bench,${depts[j % depts.length]},Engineer,FR,${managerId},${today},hire`;
// Extracts of at most 10,000 rows, one after the other (at 50,000 rows the host's 100-event sends to its loopback
// queue failed with ECONNRESET on the loaded machine: a 500, retried below).
const CSV_ROWS_PER_UPLOAD = 10_000;
const postedAt = performance.now();
for (let first = 0; first < people; first += CSV_ROWS_PER_UPLOAD) {
  const rows = [header];
  for (let j = first; j < Math.min(people, first + CSV_ROWS_PER_UPLOAD); j++) rows.push(row(j));
  // Signed like the webhook (the CSV door creates HR events; see README "Other doors").
  const csvPayload = { csv: rows.join('\n'), mapping, fileName: `bench-joiners-${first}.csv` };
  // A 5xx is retried as an HR client would: event ids are the same, so what was queued before is deduplicated.
  for (let attempt = 1; ; attempt++) {
    const upload = await postSigned(base, csvPayload, '/api/hr/csv');
    if (upload.status === 202) break;
    const text = await upload.text();
    if (upload.status < 500 || attempt === 3) throw new Error(`csv upload ${upload.status} ${text}`);
    console.error(`csv upload ${upload.status} (attempt ${attempt}), retrying`);
  }
}
for (let j = 0; j < people; j++) sentAt.set(`person-B${j}`, postedAt);
// Every hire is queued: the urgent pair's events now go in behind them (they must not wait for them), timed while
// the drain below goes on.
const urgentTimes = sendUrgent();
const latencies = [];
const pending = new Set(sentAt.keys());
// One indexed query per tick: the instances updated since the last tick (not all of them, which at 50,000 people
// would make the bench itself a growing cost on the host it measures).
let updatedSince = '';
// Progress on stderr every 10% of the people ready: how the drain proceeds on a long run. All hires are queued at
// once and worked on in parallel, so a stretch's figures are not the cost at that tenant size: compare runs.
const progressStep = Math.max(1, Math.floor(people / 10));
let progress = { ready: 0, at: performance.now(), cpu: process.cpuUsage() };
while (pending.size) {
  const now = performance.now();
  const ready = people - pending.size;
  if (ready - progress.ready >= progressStep) {
    const cpuNow = process.cpuUsage();
    const cpuMs = (cpuNow.user + cpuNow.system - progress.cpu.user - progress.cpu.system) / 1000;
    const stretch = ready - progress.ready;
    console.error(
      JSON.stringify({
        progress: ready,
        persons_per_s: Math.round((stretch / ((now - progress.at) / 1000)) * 1000) / 1000,
        cpu_ms_per_person: Math.round((cpuMs / stretch) * 1000) / 1000,
        rss_mb: Math.round(process.memoryUsage().rss / 1024 / 1024),
      }),
    );
    progress = { ready, at: now, cpu: cpuNow };
  }
  for (const s of durable.customStatuses('person-B', updatedSince)) {
    if (s.lastUpdatedTime > updatedSince) updatedSince = s.lastUpdatedTime;
    if (pending.has(s.instanceId) && s.customStatus?.phase === 'active') {
      latencies.push(now - sentAt.get(s.instanceId));
      pending.delete(s.instanceId);
    }
  }
  if (pending.size) await new Promise((r) => setTimeout(r, 250));
}
const elapsed = (performance.now() - started) / 1000;
const urgent = await urgentTimes;
const cpu = process.cpuUsage(cpuBefore);
const health = await healthProbe.stop();
const stats = await graph.stats();
const roundtrips = stats.httpRequests / people;
// The urgent pair's disable, removals and delete are not joiners' writes (a joiner makes none of those kinds).
const urgentWrites = Object.entries(stats.writesByKind)
  .filter(([kind]) => URGENT_WRITE_KINDS.test(kind))
  .reduce((n, [, count]) => n + count, 0);
const writes = (stats.writes - urgentWrites) / people;
const writesByKind = Object.entries(stats.writesByKind).sort((a, b) => b[1] - a[1]);
const rss = stopRss();
// What each joiner got, read back from the emulator: birthright groups and a manager.
const joinerDocs = (await graph.relations()).filter((u) => /^B\d+$/.test(u.employeeId ?? ''));
const groupsPerJoiner = joinerDocs.reduce((n, u) => n + u.groups.length, 0) / people;
const withManager = joinerDocs.filter((u) => u.manager).length;
if (joinerDocs.length !== people || withManager !== people)
  throw new Error(
    `expected ${people} joiners with a manager, found ${joinerDocs.length} (${withManager} with a manager)`,
  );

const report = new BenchReport('joiners');
report.add('persons_per_s', people / elapsed, 'persons/s', {
  metric: 'baseline_adapter_only_persons_per_s',
  value: baselinePerS,
});
report.add('baseline_adapter_only_persons_per_s', baselinePerS, 'persons/s');
// Host CPU (app, emulators, bench poll: one process) per person: flat in N when every operation is, and far less
// noisy than persons/s on a shared machine.
report.add('cpu_ms_per_person', (cpu.user + cpu.system) / 1000 / people, 'ms');
report.add('roundtrips_per_joiner', roundtrips, 'requests');
report.add('groups_per_joiner', groupsPerJoiner, 'groups');
report.add('writes_per_joiner', writes, 'writes', { metric: 'baseline_writes_per_joiner', value: baselineWrites });
report.add('baseline_writes_per_joiner', baselineWrites, 'writes');
// What Graph's write budget allows a real tenant, whatever the host's speed: 20 writes/s ÷ writes per joiner.
const ceiling = GRAPH_WRITES_PER_S / writes;
const baselineCeiling = GRAPH_WRITES_PER_S / baselineWrites;
report.add('real_tenant_ceiling_persons_per_s', ceiling, 'persons/s', {
  metric: 'baseline_real_tenant_ceiling_persons_per_s',
  value: baselineCeiling,
});
report.add('baseline_real_tenant_ceiling_persons_per_s', baselineCeiling, 'persons/s');
report.add('real_tenant_minutes_for_10000_hires', 10_000 / ceiling / 60, 'min', {
  metric: 'baseline_real_tenant_minutes_for_10000_hires',
  value: 10_000 / baselineCeiling / 60,
});
if (realLimits) report.add(`seconds_${people}_real_limits`, elapsed, 's');
report.add('p95_event_to_ready_ms', percentile(latencies, 95), 'ms');
report.add('peak_rss_mb', rss, 'MB');
report.add('health_p99_ms_under_load', health.p99, 'ms', { metric: 'health_p99_ms_idle', value: idleHealth.p99 });
report.add('health_failures_under_load', health.failures, 'requests');
report.add('urgent_leaver_ms_during_bulk', urgent.leaver, 'ms');
report.add('urgent_rescind_ms_during_bulk', urgent.rescind, 'ms');
report.print();
console.log('\nGraph writes by kind (joiners):');
for (const [kind, n] of writesByKind)
  console.log(`  ${String(n).padStart(7)}  ${(n / people).toFixed(3)}/joiner  ${kind}`);
await host.stop();
process.exit(0);
