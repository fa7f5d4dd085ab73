import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import type { HrEventInput } from '../../shared/domain/hr-event';
import { loadPolicy } from '../../shared/domain/policy';
import { csvToEvents, parseMapping } from '../../shared/intake/csv-import';
import { bulkHireEvents, bulkHireRequest } from './bulk-door';
import { auditMismatches } from './audit-trail';
import { checkTrial, type DirectoryState, type PersonStatus, type TrialCheck } from './checks';
import { readEffects } from './effect-log';
import { readAuditRows, readFailureRecords } from './failure-records';
import { FaultRunner } from './fault-runner';
import { chaosFigures, failures, formatFigures, type TrialOutcome } from './figures';
import { describePlan, FAULT_FAMILIES, planFaults, type FaultFamily } from './fault-plan';
import { expectedFinalState } from './oracle';
import { prng } from './prng';
import { freePort, Stack } from './stack';
import { invisibleFailures } from './visibility';
import { buildWorkload, type PlannedPerson } from './workload';

/**
 * npm run chaos -- [--trials N] [--seed S] [--persons P] [--kills K] [--graph-faults G] [--sqlite-locks L]
 *   [--slow-renewals R] [--graph-timeouts T] [--disk-fulls D] [--faults kill,graph,sqlite,servicebus,timeout,disk]
 *
 * Drives a mixed JML workload through the real doors of the local stack (webhook, CSV, bulkUpload) while a
 * fault plan drawn from the seed fires at workload milestones (fault-plan.ts): SIGKILLs between and inside
 * activities, inside a $batch, an inbox append and a continueAsNew; Graph 429 storms (also inside $batch), timed
 * 503 outages and 429 storms; Graph requests never answered; a locked SQLite file; a full disk; slow Service Bus
 * lock renewal. Then waits for quiet and checks every person against the oracle (oracle.ts), the directory for
 * duplicate effects, every failure for a visible record (visibility.ts) and the audit trail for one row per
 * effective change (audit-trail.ts). Prints the plan with its seed, one JSON line per figure like the benches, then
 * a table; exits 1 when an event was lost, an effect duplicated, a person diverged, a failure was invisible or the
 * audit trail did not match the changes, naming the seed that replays the trial.
 */
const USAGE =
  'usage: npm run chaos -- [--trials N] [--seed S] [--persons P] [--kills K] [--graph-faults G] [--sqlite-locks L]\n' +
  '  [--slow-renewals R] [--graph-timeouts T] [--disk-fulls D] [--quiet-timeout-s Q]\n' +
  `  [--faults ${FAULT_FAMILIES.join(',')}]`;

function parseOptions() {
  return parseArgs({
    options: {
      help: { type: 'boolean', default: false },
      trials: { type: 'string', default: '3' },
      seed: { type: 'string', default: '20261201' },
      persons: { type: 'string', default: '12' },
      kills: { type: 'string', default: '3' },
      'graph-faults': { type: 'string', default: '3' },
      'sqlite-locks': { type: 'string', default: '1' },
      'slow-renewals': { type: 'string', default: '1' },
      'graph-timeouts': { type: 'string', default: '1' },
      'disk-fulls': { type: 'string', default: '1' },
      'quiet-timeout-s': { type: 'string', default: '240' },
      faults: { type: 'string', default: FAULT_FAMILIES.join(',') },
    },
  });
}

let parsed: ReturnType<typeof parseOptions>;
try {
  parsed = parseOptions();
} catch (error) {
  // A mistyped option is a usage error (exit 2), not a stack trace.
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (parsed.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const { values } = parsed;
const badNumber = Object.entries(values).find(
  ([name, value]) => !['faults', 'help'].includes(name) && !(Number(value) >= 0),
);
if (badNumber) {
  console.error(`--${badNumber[0]} must be a number of 0 or more, not '${String(badNumber[1])}'\n${USAGE}`);
  process.exit(2);
}
const trials = Number(values.trials);
const baseSeed = Number(values.seed);
const personsPerTrial = Number(values.persons);
const quietTimeoutMs = Number(values['quiet-timeout-s']) * 1000;
const families = new Set(values.faults.split(',').map((f) => f.trim() as FaultFamily));
const unknownFamilies = [...families].filter((f) => !(FAULT_FAMILIES as readonly string[]).includes(f));
if (unknownFamilies.length) {
  console.error(
    `--faults: unknown fault famil${unknownFamilies.length > 1 ? 'ies' : 'y'} ${unknownFamilies.join(', ')}\n${USAGE}`,
  );
  process.exit(2);
}
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

async function runTrial(trial: number, seed: number): Promise<TrialOutcome> {
  const rng = prng(seed);
  const today = new Date().toISOString().slice(0, 10);
  const workload = buildWorkload(rng, trial, personsPerTrial, today);
  const events = workload.phases
    .flat()
    .reduce((n, p) => n + p.events.reduce((m, e) => m + (e.duplicate ? 2 : 1), 0), 0);
  const plan = planFaults(rng, {
    kills: Number(values.kills),
    graphFaults: Number(values['graph-faults']),
    sqliteLocks: Number(values['sqlite-locks']),
    slowRenewals: Number(values['slow-renewals']),
    graphTimeouts: Number(values['graph-timeouts']),
    diskFulls: Number(values['disk-fulls']),
    families,
    events,
  });
  process.stderr.write(
    `trial ${trial}: seed ${seed}, ${personsPerTrial} persons, ${events} deliveries; fault plan:\n` +
      describePlan(plan)
        .map((line) => `  ${line}\n`)
        .join(''),
  );
  const dataDir = mkdtempSync(path.join(tmpdir(), `jml-chaos-${trial}-`));
  const stack = new Stack(appRoot, dataDir, await freePort());
  await stack.start();
  const unwatch = stack.watch();
  const faults = new FaultRunner(stack, dataDir, plan, quietTimeoutMs);
  const running = faults.run();

  // The workload: phases in order, persons in parallel, each person's events in order.
  const byPerson = new Map<string, PlannedPerson>();
  for (const [index, persons] of workload.phases.entries()) {
    const viaCsv = index === 0 ? persons.filter((p) => p.events[0]!.door === 'csv') : [];
    const viaBulk = index === 0 ? persons.filter((p) => p.events[0]!.door === 'bulk') : [];
    if (viaCsv.length) {
      const { csv, events: csvEvents } = csvHires(viaCsv, trial);
      // The oracle follows the events the CSV door makes (its own event ids and record shape).
      viaCsv.forEach((p, i) => (p.events[0] = { ...p.events[0]!, event: csvEvents[i]! }));
      const body = { csv, mapping: CSV_MAPPING, fileName: `chaos-${trial}.csv` };
      const first = await stack.sendSigned('/api/hr/csv', body);
      if (first.status !== 202) throw new Error(`CSV door answered ${first.status}: ${JSON.stringify(first.json)}`);
      faults.accepted();
      if (viaCsv.some((p) => p.events[0]!.duplicate)) {
        await stack.sendSigned('/api/hr/csv', body);
        faults.accepted();
      }
    }
    if (viaBulk.length) {
      // Each accepted request queues its own events (ids from its request id): a second send is a second hire
      // event for the same person, which the lifecycle must treat as the same hire.
      const request = bulkHireRequest(viaBulk.map((p) => p.events[0]!.event));
      const sends = viaBulk.some((p) => p.events[0]!.duplicate) ? 2 : 1;
      const accepted: HrEventInput[][] = [];
      for (let n = 0; n < sends; n++) {
        const { requestId, receivedAt } = await stack.sendBulk(request);
        faults.accepted();
        accepted.push(await bulkHireEvents(request, requestId, receivedAt));
      }
      viaBulk.forEach((p, i) => {
        const [hire, ...more] = p.events;
        p.events = [...accepted.map((a) => ({ ...hire!, event: a[i]!, duplicate: false })), ...more];
      });
    }
    await Promise.all(
      persons
        .filter((p) => !viaCsv.includes(p) && !viaBulk.includes(p))
        .map(async (p) => {
          for (const planned of p.events) {
            const sent = await stack.sendSigned('/api/hr/events', planned.event);
            if (sent.status !== 202) throw new Error(`webhook refused ${planned.event.eventId}: ${sent.status}`);
            faults.accepted();
            if (planned.duplicate) {
              await stack.sendSigned('/api/hr/events', planned.event);
              faults.accepted();
            }
          }
        }),
    );
    for (const p of persons) {
      const known = byPerson.get(p.employeeId);
      byPerson.set(p.employeeId, known ? { ...known, events: [...known.events, ...p.events] } : p);
    }
  }
  faults.sendingDone();
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
        if (check.divergedPersons.length === 0 && check.lostEvents.length === 0 && faults.idle()) return check;
        if (process.env.CHAOS_DEBUG) process.stderr.write(`not quiet yet: ${JSON.stringify(check)}\n`);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    return check ?? { divergedPersons: ['(stack never answered)'], lostEvents: [], duplicateEffects: [] };
  };
  await waitQuiet(processedAt);
  // Dated leave dates pass: the local clock moves forward, the timers fire (and the faults go on meanwhile).
  while ((await stack.post('/_local/clock', { advance: `P${workload.advanceDays}D` })) !== 200)
    await new Promise((r) => setTimeout(r, 250));
  const quietAt = processedAt + workload.advanceDays * 86_400_000 + 60_000;
  await waitQuiet(quietAt);
  await faults.stop();
  await running;
  unwatch();
  // A last kill once everything looks done: a restart must not redo or undo anything.
  await stack.kill();
  const down = Date.now();
  await stack.start();
  const result = await waitQuiet(quietAt);
  const outcome = faults.outcome();
  outcome.recoveryMs.push(Date.now() - down);
  const statuses = new Map(
    await Promise.all(persons.map(async (p) => [p.employeeId, await personStatus(stack, p.employeeId)] as const)),
  );
  await stack.stop();
  // Read once the host is down: every change and every row it committed is in the files.
  const auditRows = readAuditRows(dataDir);
  const trialPerson = (employeeId: string) => byPerson.has(employeeId);
  const invisible = invisibleFailures(
    result,
    (id) => statuses.get(id) ?? null,
    readFailureRecords(dataDir, auditRows),
    [...byPerson.keys()],
  );
  const mismatches = auditMismatches(readEffects(dataDir), auditRows, trialPerson);
  if (!process.env.CHAOS_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
  else process.stderr.write(`trial ${trial}: data kept in ${dataDir}\n`);
  return {
    seed,
    ...outcome,
    ...result,
    invisibleFailures: invisible,
    auditMismatches: mismatches,
    hostCrashes: stack.crashes,
  };
}

async function personStatus(stack: Stack, employeeId: string): Promise<PersonStatus | null> {
  return stack.get<PersonStatus>(`/api/persons/${encodeURIComponent(employeeId)}`);
}

async function main(): Promise<void> {
  const outcomes: TrialOutcome[] = [];
  for (let trial = 0; trial < trials; trial++) {
    const seed = baseSeed + trial;
    const outcome = await runTrial(trial, seed);
    outcomes.push(outcome);
    process.stderr.write(
      `trial ${trial} (seed ${seed}): fired ${JSON.stringify(outcome.faultsFired)}` +
        (outcome.faultsUnreached.length ? `, not reached ${JSON.stringify(outcome.faultsUnreached)}` : '') +
        `, activities in flight at each kill ${JSON.stringify(outcome.killsInFlight)}\n`,
    );
  }
  const title =
    `chaos (${trials} trials from seed ${baseSeed}, ${personsPerTrial} persons each, ` + `faults ${values.faults})`;
  for (const line of formatFigures(chaosFigures(outcomes), title)) console.log(line);
  const failed = failures(outcomes);
  for (const line of failed) console.log(`  ${line}`);
  process.exitCode = failed.length ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});
