import { parseArgs } from 'node:util';
import { client, common, EXIT, failed, print, usage } from './ops-client';

/** `people QUERY [--limit N]` and `person EMPLOYEE_ID [--limit N]`: find people, then read one's state and timeline. */
interface PersonSummary {
  employeeId: string;
  displayName: string | null;
  userPrincipalName: string | null;
  phase: string;
  nextDue: { which: string; at: string } | null;
  problems: string[];
}

export async function peopleCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...common, limit: { type: 'string', default: '25' } },
  });
  if (positionals.length > 1) return usage('people [QUERY] [--limit N]   (quote a name with spaces)');
  const query = new URLSearchParams({ query: positionals[0] ?? '', limit: values.limit });
  const res = await client(values)('GET', `ops/people?${query}`);
  if (res.status !== 200) return failed(res);
  const { people } = res.json as { people: PersonSummary[] };
  print(values, res.json, () => {
    for (const p of people)
      console.log(
        `${p.employeeId.padEnd(10)}  ${(p.displayName ?? '-').padEnd(24)}  ` +
          `${(p.userPrincipalName ?? '-').padEnd(32)}  ` +
          `${p.phase.padEnd(10)}  ${p.nextDue ? `${p.nextDue.which} ${p.nextDue.at}` : '-'}` +
          `${p.problems.length ? `  problems: ${p.problems.join('; ')}` : ''}`,
      );
    console.error(`${people.length} person(s)`);
  });
  return people.length ? EXIT.ok : EXIT.notFound;
}

interface PersonDetail {
  employeeId: string;
  runtimeStatus: string;
  phase: string;
  nextDue: { which: string; at: string } | null;
  problems: string[];
  account: { userPrincipalName: string; accountEnabled: boolean } | null;
  activation: { runtimeStatus: string; status: { status?: string } | null } | null;
  groups: { text: string; directory: { missing: string[]; notGrantedByPolicy: string[] } } | null;
  holds: { holdId: string; action: string }[];
  unconfirmedWrites: { since: string; action: string; instanceId: string | null }[];
}

interface TimelineEntry {
  at: string;
  kind: string;
  action: string;
  outcome: string;
  actor: string;
  reason: string | null;
}

/** Exit 4 while a hold waits for approval: the person's removal needs an operator. */
export async function personCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...common, limit: { type: 'string', default: '20' } },
  });
  const employeeId = positionals[0];
  if (!employeeId || positionals.length > 1) return usage('person EMPLOYEE_ID [--limit N]');
  const call = client(values);
  const id = encodeURIComponent(employeeId);
  const res = await call('GET', `ops/people/${id}`);
  if (res.status !== 200) return failed(res, employeeId);
  const timeline = await call('GET', `ops/people/${id}/timeline?limit=${encodeURIComponent(values.limit)}`);
  if (timeline.status !== 200) return failed(timeline, `${employeeId} timeline`);
  const person = res.json as PersonDetail;
  const { entries } = timeline.json as { entries: TimelineEntry[] };
  print(values, { ...person, timeline: timeline.json }, () => {
    const account = person.account
      ? `${person.account.userPrincipalName} (${person.account.accountEnabled ? 'enabled' : 'disabled'})`
      : 'no account';
    console.log(`${person.employeeId}: ${person.phase}, ${account}, lifecycle ${person.runtimeStatus}`);
    console.log(`next: ${person.nextDue ? `${person.nextDue.which} at ${person.nextDue.at}` : 'nothing scheduled'}`);
    if (person.activation)
      console.log(`activation: ${person.activation.status?.status ?? person.activation.runtimeStatus}`);
    for (const problem of person.problems) console.log(`problem: ${problem}`);
    for (const hold of person.holds) console.log(`held: ${hold.action} waits for approval (hold ${hold.holdId})`);
    for (const write of person.unconfirmedWrites)
      console.log(
        `unconfirmed: ${write.action} announced at ${write.since} has no audit row yet (run ${write.instanceId}; ` +
          'running, or stopped: see `entra-jml runs`)',
      );
    if (person.groups) {
      console.log(person.groups.text);
      const { missing, notGrantedByPolicy } = person.groups.directory;
      console.log(`groups: missing ${missing.length}, not granted by policy ${notGrantedByPolicy.length}`);
    }
    console.log('timeline (newest first):');
    for (const e of entries)
      console.log(
        `  ${e.at}  ${e.kind.padEnd(9)}  ${e.outcome.padEnd(7)}  ${e.action}` +
          `${e.reason ? ` (${e.reason})` : ''}  by ${e.actor}`,
      );
  });
  return person.holds.length ? EXIT.needsApproval : EXIT.ok;
}
