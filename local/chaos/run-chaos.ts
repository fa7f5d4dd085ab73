import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import type { HrEventInput } from '../../shared/domain/hr-event';
import { loadPolicy } from '../../shared/domain/policy';
import { csvToEvents, parseMapping } from '../../shared/intake/csv-import';
import { checkTrial, type DirectoryState, type PersonStatus, type TrialCheck } from './checks';
import { expectedFinalState } from './oracle';
import { prng, type Prng } from './prng';
import { freePort, Stack } from './stack';
import { buildWorkload, type PlannedPerson } from './workload';

/**
 * npm run chaos -- [--trials N] [--seed S] [--persons P] [--kills K]
 *
 * Drives a mixed JML workload through the real doors of the local stack while killing the host (SIGKILL) and
 * throttling Graph (429 storms with a non-zero Retry-After, also inside $batch, and outages) at seeded random
 * moments, then waits for quiet and checks every person against the oracle (oracle.ts) and the directory for
 * duplicate effects. Prints one JSON line per figure, like the benches, then a table; exits 1 when an event was
 * lost, an effect duplicated or a person diverged, naming the seed that replays the trial.
 */
const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '3' },
    seed: { type: 'string', default: '20261201' },
    persons: { type: 'string', default: '12' },
    kills: { type: 'string', default: '3' },
    'graph-faults': { type: 'string', default: '4' },
    'quiet-timeout-s': { type: 'string', default: '240' },
    /** Which faults to inject: kill, graph (429 storms, 429s inside $batch, outages). */
    faults: { type: 'string', default: 'kill,graph' },
  },
});
const trials = Number(values.trials);
const baseSeed = Number(values.seed);
const personsPerTrial = Number(values.persons);
const killsPerTrial = Number(values.kills);
const graphFaultsPerTrial = Number(values['graph-faults']);
const quietTimeoutMs = Number(values['quiet-timeout-s']) * 1000;
const faultKinds = new Set(values.faults.split(',').map((f) => f.trim()));
const appRoot = path.resolve(__dirname, '../../..');
const policy = loadPolicy(path.join(appRoot, 'policy/policy.yaml'));
/** The emulator's state names groups; the oracle knows their ids. */
const groupNames = new Map<string, string>(
  [...policy.birthright.rules.flatMap((r) => r.groups), ...policy.licenceGroups].map((g) => [g.id, g.name]),
);

const CSV_MAPPING = stringify({
  type: { column: 'Action' },
  fields: {
    employeeId: 'Employee ID',
    legalGivenName: 'First Name',
    legalFamilyName: 'Last Name',
    department: 'Department',
    country: 'Country',
    managerEmployeeId: 'Manager ID',
    hireDate: 'Start Date',
    timeZone: { constant: 'UTC' },
  },
});

interface Fault {
  atMs: number;
  kind: 'kill' | 'graph-429-storm' | 'graph-429-in-batch' | 'graph-outage';
  during: 'sending' | 'processing';
}

/** A CSV of the hires that go through the CSV door, and the exact events the door makes of it (same code). */
function csvHires(persons: PlannedPerson[], trial: number): { csv: string; events: HrEventInput[] } {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = persons.map(({ events }) => {
    const w = events[0]!.event.worker;
    return [w.employeeId, w.legalGivenName, w.legalFamilyName, w.department ?? '', w.country ?? '']
      .concat([w.managerEmployeeId ?? '', w.hireDate, 'hire'])
      .map((v) => quote(String(v)))
      .join(',');
  });
  const csv = ['Employee ID,First Name,Last Name,Department,Country,Manager ID,Start Date,Action', ...rows].join('\n');
  const result = csvToEvents(csv, parseMapping(CSV_MAPPING), `chaos-${trial}.csv`);
  if (result.problems.length) throw new Error(`chaos CSV refused: ${JSON.stringify(result.problems)}`);
  return { csv, events: result.events };
}

async function injectGraphFault(stack: Stack, rng: Prng, kind: Fault['kind']): Promise<void> {
  const retryAfter = rng.int(1, 3);
  const faults =
    kind === 'graph-429-storm'
      ? { throttleNext: rng.int(5, 30), throttleRetryAfterSeconds: retryAfter }
      : kind === 'graph-429-in-batch'
        ? { throttleNextBatchItems: rng.int(5, 30), throttleRetryAfterSeconds: retryAfter }
        : // An outage: every request for a while. The emulator counts requests, not seconds, and a client that
          // honours Retry-After sends one every few seconds, so 20-40 requests is one to three minutes.
          { throttleNext: rng.int(20, 40), throttleRetryAfterSeconds: 2 };
  await stack.post('/_local/graph/_admin/faults', faults);
}

async function runTrial(trial: number, seed: number): Promise<TrialCheck & { faults: Fault[]; recoveryMs: number[] }> {
  const rng = prng(seed);
  const dataDir = mkdtempSync(path.join(tmpdir(), `jml-chaos-${trial}-`));
  const stack = new Stack(appRoot, dataDir, await freePort());
  await stack.start();
  const started = Date.now();
  const today = new Date().toISOString().slice(0, 10);
  const workload = buildWorkload(rng, trial, personsPerTrial, today);
  const faults: Fault[] = [];
  const recoveryMs: number[] = [];
  let phase: Fault['during'] = 'sending';
  let killsLeft = killsPerTrial;
  let graphFaultsLeft = graphFaultsPerTrial;
  let chaosOn = true;

  // The fault loop: at seeded random moments, a kill (then a restart on the same data) or a Graph fault.
  const chaos = (async () => {
    while (chaosOn) {
      await new Promise((r) => setTimeout(r, rng.int(700, 3500)));
      if (!chaosOn) break;
      const canKill = faultKinds.has('kill') && killsLeft > 0;
      const canThrottle = faultKinds.has('graph') && graphFaultsLeft > 0;
      if (!canKill && !canThrottle) break;
      const kill = canKill && (!canThrottle || rng.chance(0.5));
      if (!kill) graphFaultsLeft--;
      const kind: Fault['kind'] = kill
        ? 'kill'
        : rng.pick(['graph-429-storm', 'graph-429-in-batch', 'graph-outage'] as const);
      faults.push({ atMs: Date.now() - started, kind, during: phase });
      if (kind === 'kill') {
        killsLeft--;
        await stack.kill();
        const down = Date.now();
        await stack.start();
        recoveryMs.push(Date.now() - down);
      } else await injectGraphFault(stack, rng, kind);
    }
  })();

  // The workload: phases in order, persons in parallel, each person's events in order.
  const byPerson = new Map<string, PlannedPerson>();
  for (const [index, persons] of workload.phases.entries()) {
    const viaCsv = index === 0 ? persons.filter((p) => p.events[0]!.door === 'csv') : [];
    if (viaCsv.length) {
      const { csv, events } = csvHires(viaCsv, trial);
      // The oracle follows the events the CSV door makes (its own event ids and record shape).
      viaCsv.forEach((p, i) => (p.events[0] = { ...p.events[0]!, event: events[i]! }));
      const body = { csv, mapping: CSV_MAPPING, fileName: `chaos-${trial}.csv` };
      const first = await stack.sendSigned('/api/hr/csv', body);
      if (first.status !== 202) throw new Error(`CSV door answered ${first.status}: ${JSON.stringify(first.json)}`);
      if (viaCsv.some((p) => p.events[0]!.duplicate)) await stack.sendSigned('/api/hr/csv', body);
    }
    await Promise.all(
      persons
        .filter((p) => !viaCsv.includes(p))
        .map(async (p) => {
          for (const planned of p.events) {
            const sent = await stack.sendSigned('/api/hr/events', planned.event);
            if (sent.status !== 202) throw new Error(`webhook refused ${planned.event.eventId}: ${sent.status}`);
            if (planned.duplicate) await stack.sendSigned('/api/hr/events', planned.event);
          }
        }),
    );
    for (const p of persons) {
      const known = byPerson.get(p.employeeId);
      byPerson.set(p.employeeId, known ? { ...known, events: [...known.events, ...p.events] } : p);
    }
  }
  phase = 'processing';
  const processedAt = Date.now();
  const persons = [...byPerson.values()];
  const waitQuiet = async (quietAt: number) => {
    const expected = persons.map((p) => expectedFinalState(p, policy, processedAt, quietAt));
    const deadline = Date.now() + quietTimeoutMs;
    let check: TrialCheck | null = null;
    while (Date.now() < deadline) {
      const directory = await stack.get<DirectoryState>('/_local/graph/_admin/state');
      const statuses = directory ? await Promise.all(expected.map((e) => personStatus(stack, e.employeeId))) : null;
      if (directory && statuses) {
        check = checkTrial(expected, directory, statuses, (id) => groupNames.get(id) ?? id);
        if (check.divergedPersons.length === 0 && check.lostEvents.length === 0) return check;
        if (process.env.CHAOS_DEBUG) process.stderr.write(`not quiet yet: ${JSON.stringify(check)}\n`);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    return check ?? { divergedPersons: ['(stack never answered)'], lostEvents: [], duplicateEffects: [] };
  };
  await waitQuiet(processedAt);
  // Dated leave dates pass: the local clock moves forward, the timers fire (and the chaos goes on meanwhile).
  while ((await stack.post('/_local/clock', { advance: `P${workload.advanceDays}D` })) !== 200)
    await new Promise((r) => setTimeout(r, 250));
  const quietAt = processedAt + workload.advanceDays * 86_400_000 + 60_000;
  await waitQuiet(quietAt);
  chaosOn = false;
  await chaos;
  // A last kill once everything looks done: a restart must not redo or undo anything.
  await stack.kill();
  const down = Date.now();
  await stack.start();
  const result = await waitQuiet(quietAt);
  recoveryMs.push(Date.now() - down);
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
  return { ...result, faults, recoveryMs };
}

async function personStatus(stack: Stack, employeeId: string): Promise<PersonStatus | null> {
  return stack.get<PersonStatus>(`/api/persons/${encodeURIComponent(employeeId)}`);
}

function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const figures: { metric: string; value: number; unit: string }[] = [];
  let faults = 0;
  let kills = 0;
  let killsProcessing = 0;
  const lost: string[] = [];
  const duplicates: string[] = [];
  const diverged: string[] = [];
  const recovery: number[] = [];
  for (let trial = 0; trial < trials; trial++) {
    const seed = baseSeed + trial;
    const result = await runTrial(trial, seed);
    faults += result.faults.length;
    kills += result.faults.filter((f) => f.kind === 'kill').length;
    killsProcessing += result.faults.filter((f) => f.kind === 'kill' && f.during === 'processing').length;
    lost.push(...result.lostEvents.map((e) => `seed ${seed}: ${e}`));
    duplicates.push(...result.duplicateEffects.map((e) => `seed ${seed}: ${e}`));
    diverged.push(...result.divergedPersons.map((e) => `seed ${seed}: ${e}`));
    recovery.push(...result.recoveryMs);
    process.stderr.write(`trial ${trial} (seed ${seed}): ${JSON.stringify(result.faults.map((f) => f.kind))}\n`);
  }
  figures.push(
    { metric: 'trials', value: trials, unit: 'trials' },
    { metric: 'faults_injected', value: faults, unit: 'faults' },
    { metric: 'kills', value: kills, unit: 'kills' },
    { metric: 'kills_while_processing', value: killsProcessing, unit: 'kills' },
    { metric: 'lost_events', value: lost.length, unit: 'events' },
    { metric: 'duplicate_effects', value: duplicates.length, unit: 'effects' },
    { metric: 'diverged_persons', value: diverged.length, unit: 'persons' },
    { metric: 'recovery_p95_ms', value: percentile(recovery, 95), unit: 'ms' },
  );
  for (const f of figures) console.log(JSON.stringify({ bench: 'chaos', ...f }));
  console.log(`\nchaos (${trials} trials from seed ${baseSeed}, ${personsPerTrial} persons each)`);
  for (const f of figures) console.log(`${f.metric.padEnd(24)} ${String(f.value).padStart(8)} ${f.unit}`);
  for (const line of [...lost, ...duplicates, ...diverged]) console.log(`  ${line}`);
  process.exitCode = lost.length || duplicates.length || diverged.length ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});
