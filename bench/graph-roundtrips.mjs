// npm run bench -- graph-roundtrips: Graph round trips and wall time for one joiner (lookup of the person, the
// manager and 20 UPN candidates; user; manager + 10 groups incl. a licence group) through the adapter ($batch)
// vs one call per operation (baseline), against the strict emulator (≤ 15 expressions per $filter, as Graph).
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BenchReport } from './lib/report.mjs';

const require = createRequire(import.meta.url);
const { startGraphEmulatorServer } = require('../dist/local/emulators/graph/graph-emulator-extension.js');
const { createDirectory } = require('../dist/shared/adapters/graph/graph-directory.js');
const { parseConfig } = require('../dist/shared/config/config.js');

const people = Number(process.argv[2] ?? 50);
const UPN_CANDIDATES = 20;
const server = await startGraphEmulatorServer({ dataDir: mkdtempSync(path.join(tmpdir(), 'jml-graph-bench-')) });
const directory = createDirectory(parseConfig({ WEBSITE_HOSTNAME: server.baseUrl.replace('http://', '') }));
const stats = server.emulator.api.stats;
const groups = Array.from({ length: 10 }, (_, i) => `a0000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);
const manager = await directory.createUser({
  userPrincipalName: 'boss@contoso.com',
  mailNickname: 'boss',
  displayName: 'Boss',
  accountEnabled: true,
  password: 'x-Secret-123!',
  usageLocation: 'FR',
  employeeId: 'BOSS',
});
const newUser = (tag, i) => ({
  userPrincipalName: `${tag}${i}@contoso.com`,
  mailNickname: `${tag}${i}`,
  displayName: `${tag} ${i}`,
  accountEnabled: false,
  password: 'x-Secret-123!',
  usageLocation: 'FR',
  employeeId: `${tag}${i}`.slice(0, 16),
});

async function measure(tag, joiner) {
  stats.httpRequests = 0;
  const started = performance.now();
  for (let i = 0; i < people; i++) await joiner(tag, i);
  return { roundtrips: stats.httpRequests / people, ms: (performance.now() - started) / people };
}

// Adapter: one lookup (existing account, manager, 20 candidate names), create, one $batch for manager + groups.
const candidatesOf = (u) =>
  Array.from({ length: UPN_CANDIDATES }, (_, k) => {
    const nick = k ? `${u.mailNickname}.${k + 1}` : u.mailNickname;
    return { userPrincipalName: `${nick}@contoso.com`, mailNickname: nick };
  });
const adapter = await measure('a', async (tag, i) => {
  const u = newUser(tag, i);
  const candidates = candidatesOf(u);
  const found = await directory.lookupForJoiner(u.employeeId, candidates, 'BOSS');
  if (found.existing || !found.manager || candidates.some((c) => found.taken.has(c.userPrincipalName)))
    throw new Error(`unexpected lookup for ${u.employeeId}`);
  const created = await directory.createUser(u);
  await directory.applyRelations(created.id, { managerId: found.manager.id, addGroupIds: groups });
});

// Baseline: the same work one call per operation (UPN check, create, manager, 10 group adds).
const token = await (
  await fetch(`${server.baseUrl}/_local/entra/11111111-1111-4111-8111-111111111111/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: '22222222-2222-4222-8222-222222222222',
      client_secret: 'local-dev-secret',
      scope: 'https://graph.microsoft.com/.default',
    }),
  })
).json();
const call = (method, p, body) =>
  fetch(`${server.baseUrl}/_local/graph/v1.0${p}`, {
    method,
    headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
const baseline = await measure('b', async (tag, i) => {
  const u = newUser(tag, i);
  await call('GET', `/users?$filter=${encodeURIComponent(`userPrincipalName eq '${u.userPrincipalName}'`)}`);
  const { password, ...rest } = u;
  const created = await (await call('POST', '/users', { ...rest, passwordProfile: { password } })).json();
  await call('PUT', `/users/${created.id}/manager/$ref`, {
    '@odata.id': `https://graph.microsoft.com/v1.0/users/${manager.id}`,
  });
  for (const g of groups)
    await call('POST', `/groups/${g}/members/$ref`, {
      '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${created.id}`,
    });
});

const report = new BenchReport('graph-roundtrips');
report.add('upn_candidates', UPN_CANDIDATES, 'names');
report.add('groups_per_joiner', groups.length, 'groups');
report.add('roundtrips_per_joiner', adapter.roundtrips, 'requests', {
  metric: 'baseline_roundtrips_per_joiner',
  value: baseline.roundtrips,
});
report.add('baseline_roundtrips_per_joiner', baseline.roundtrips, 'requests');
report.add('ms_per_joiner', adapter.ms, 'ms', { metric: 'baseline_ms_per_joiner', value: baseline.ms });
report.add('baseline_ms_per_joiner', baseline.ms, 'ms');
report.print();
await server.close();
