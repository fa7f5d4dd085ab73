// npm run bench -- scim-fanout [--people N] (default 1,000): N joiners fanned out over SCIM to the local host's three
// demo targets (acme-crm, globex-wiki, initech-hr), through the whole stack (webhook → queue → person lifecycle →
// scimFanout → scimTargetAttempts → SCIM server). Twice: clean, then with 10 % of each target's requests answered
// 429 with Retry-After (the durable retry waits them out on timers). Prints ops_per_s, seconds_1000x3,
// seconds_1000x3_with_429, lost_operations and duplicate_operations (both must be 0). Baseline in the same run: the
// same users created straight on the targets, one POST each (the SCIM servers' own cost).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchDataDir, benchSettings, postEvents } from './lib/bench-host.mjs';
import { HOST_HEAP } from './lib/host-heap.mjs';
import { BenchReport } from './lib/report.mjs';

const require = createRequire(import.meta.url);
const { values } = parseArgs({
  options: { people: { type: 'string', default: '1000' }, case: { type: 'string' } },
  allowPositionals: true,
});
const people = Number(values.people);
const TARGETS = ['acme-crm', 'globex-wiki', 'initech-hr'];
const TOKENS = {
  'acme-crm': 'local-acme-crm-token',
  'globex-wiki': 'local-globex-wiki-token',
  'initech-hr': 'local-initech-hr-token',
};
const RATE_PER_SECOND = 250;
const CONCURRENCY = 8;
const { startHost } = require('../dist/local/host/start-host.js');
const { applyScimDemoTargetSettings } = require('../dist/local/emulators/scim/scim-demo-targets-extension.js');

function policyWithThreeTargets(dataDir) {
  const base = readFileSync(path.resolve('policy/policy.yaml'), 'utf8').replace(/^scimTargets: \[\]\n/m, '');
  const targets = TARGETS.map((id) =>
    [
      `  - id: ${id}`,
      `    name: ${id}`,
      `    baseUrl: http://localhost:7071/_local/scim/${id}/v2`,
      `    auth: { type: bearer, tokenSetting: SCIM_DEMO_TOKEN_${id.toUpperCase().replace(/-/g, '_')} }`,
      // The demo targets take 500+ requests a second (baseline below); the policy defaults (10/s, 4 at once) are
      // for real SaaS targets and would make this a measure of the pacing, not of the fan-out.
      `    ratePerSecond: ${RATE_PER_SECOND}`,
      `    concurrency: ${CONCURRENCY}`,
    ].join('\n'),
  );
  const file = path.join(dataDir, 'policy.yaml');
  writeFileSync(file, `${base}\nscimTargets:\n${targets.join('\n')}\n`);
  return file;
}

async function run(label, throttleRate) {
  const dataDir = benchDataDir(`scim-bench-${label}`);
  Object.assign(process.env, benchSettings(dataDir, policyWithThreeTargets(dataDir)));
  for (const id of TARGETS) delete process.env[`SCIM_BASE_URL_${id.toUpperCase().replace(/-/g, '_')}`];
  applyScimDemoTargetSettings();
  const host = await startHost({ appRoot: process.cwd(), port: 0, dataDir });
  const base = `http://localhost:${host.listeningPort}`;
  const admin = (target, action, body) =>
    fetch(`${base}/_local/scim/_admin/${target}/${action}`, body ? { method: 'POST', body: JSON.stringify(body) } : {});
  if (throttleRate > 0)
    for (const id of TARGETS) await admin(id, 'faults', { mode: 'throttle', rate: throttleRate, retryAfterSeconds: 1 });
  const today = new Date().toISOString().slice(0, 10);
  const started = performance.now();
  for (let i = 0; i < people; i += 100) {
    const events = [];
    for (let k = i; k < Math.min(people, i + 100); k++)
      events.push({
        eventId: `scim-bench-${label}-${k}`,
        type: 'hire',
        occurredAt: new Date().toISOString(),
        worker: {
          employeeId: `SB${k}`,
          legalGivenName: 'Bench',
          legalFamilyName: `Person${k}`,
          department: k % 2 ? 'Engineering' : 'Sales',
          country: 'FR',
          hireDate: today,
        },
      });
    await postEvents(base, events);
  }
  // Done when every target holds every person, or after 10 minutes (whatever is missing then is lost).
  const deadline = Date.now() + 600_000;
  let states = [];
  let nextAdvance = Date.now() + 5_000;
  for (;;) {
    // Polled in the host's own process: the cheap counts, not the whole state (which grows with every user).
    const counts = await Promise.all(TARGETS.map(async (id) => (await admin(id, 'counts')).json()));
    const have = counts.reduce((n, c) => n + c.userExternalIds, 0);
    if (have >= people * TARGETS.length || Date.now() > deadline) break;
    // Throttled syncs wait on durable timers (Retry-After and backoff): move the local clock as time passes.
    if (throttleRate > 0 && Date.now() > nextAdvance) {
      await fetch(`${base}/_local/clock`, { method: 'POST', body: JSON.stringify({ advance: 'PT1M' }) });
      nextAdvance = Date.now() + 5_000;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  states = await Promise.all(TARGETS.map(async (id) => (await admin(id, 'state')).json()));
  const seconds = (performance.now() - started) / 1000;
  let lost = 0;
  let duplicates = 0;
  for (const s of states) {
    const byExternalId = new Map();
    for (const u of s.users) byExternalId.set(u.externalId, (byExternalId.get(u.externalId) ?? 0) + 1);
    lost += people - byExternalId.size;
    for (const n of byExternalId.values()) duplicates += n - 1;
  }
  const throttled = states.reduce((n, s) => n + s.requests.filter((r) => r.status === 429).length, 0);
  await host.stop();
  const cpu = process.cpuUsage();
  return { seconds, lost, duplicates, throttled, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** The targets' own cost: the same users POSTed straight to each target, 16 at a time. */
async function baseline() {
  const dataDir = benchDataDir('scim-bench-baseline');
  const { ScimDemoTargets } = require('../dist/local/emulators/scim/scim-demo-targets.js');
  const { createServer } = await import('node:http');
  const targets = ScimDemoTargets.open({ dataDir, origin: () => base });
  const server = createServer((req, res) => {
    void targets.handle(req, res, new URL(req.url, 'http://x').pathname).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const started = performance.now();
  for (const id of TARGETS) {
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < people) {
          const k = next++;
          const res = await fetch(`${base}/_local/scim/${id}/v2/Users`, {
            method: 'POST',
            headers: { authorization: `Bearer ${TOKENS[id]}`, 'content-type': 'application/scim+json' },
            body: JSON.stringify({
              schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
              userName: `base${k}@contoso.com`,
              externalId: `B${k}`,
              active: true,
            }),
          });
          await res.arrayBuffer();
        }
      }),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  server.close();
  targets.close();
  return seconds;
}

// The app loads once per process: each measured case runs in its own child process and answers one JSON line.
if (values.case) {
  const result = await run(values.case, values.case === 'throttled' ? 0.1 : 0);
  console.log(JSON.stringify(result));
  process.exit(0);
}
function runCase(name) {
  const child = spawnSync(
    process.execPath,
    [HOST_HEAP, fileURLToPath(import.meta.url), '--people', String(people), '--case', name],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const line = child.stdout.trim().split('\n').pop();
  if (child.status !== 0 || !line) throw new Error(`case ${name} failed: ${child.stderr.slice(-2000)}`);
  return JSON.parse(line);
}

const report = new BenchReport('scim-fanout');
const direct = await baseline();
const clean = runCase('clean');
const with429 = runCase('throttled');
const ops = people * TARGETS.length;
report.add('ops_per_s', ops / clean.seconds, 'ops/s', { metric: 'baseline_direct_posts_per_s', value: ops / direct });
report.add('baseline_direct_posts_per_s', ops / direct, 'ops/s');
report.add(`seconds_${people}x3`, clean.seconds, 's');
report.add(`seconds_${people}x3_with_429`, with429.seconds, 's', {
  metric: `seconds_${people}x3`,
  value: clean.seconds,
});
report.add('responses_429', with429.throttled, 'responses');
// CPU of the whole app process (host, durable engine, Graph and SCIM emulators): steadier than wall time on a
// loaded machine.
report.add('cpu_seconds_clean', clean.cpuSeconds, 's');
report.add('cpu_seconds_with_429', with429.cpuSeconds, 's');
report.add('lost_operations', clean.lost + with429.lost, 'operations');
report.add('duplicate_operations', clean.duplicates + with429.duplicates, 'operations');
report.print();
process.exit(0);
