import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { csvToEvents, decodeCsv, formatCsvProblem, parseMapping } from '../../shared/intake/csv-import';
import { client, common, EXIT, failed, print, problems, usage } from './ops-client';

/**
 * CLI commands that call the admin API of a running entra-jml (local host or Azure): plan (dry run of an
 * event file or a whole CSV), explain, reevaluate, audit, holds. `--url` (default http://localhost:7071) and
 * `--key` (the host master key, or ENTRA_JML_ADMIN_KEY) or `--token` choose the target (local/cli/ops-client.ts).
 */
/** `plan EVENTS.json` (one event, an array, or {events:[...]}) or `plan --csv FILE --mapping MAP.yaml`. */
export async function planCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...common,
      csv: { type: 'string' },
      mapping: { type: 'string' },
    },
  });
  let events: unknown[];
  if (values.csv) {
    if (!values.mapping) return usage('plan --csv FILE needs --mapping MAP.yaml');
    const text = decodeCsv(readFileSync(values.csv));
    if (!text.ok) {
      console.error(`${values.csv}: ${formatCsvProblem(text.problem)}`);
      return 1;
    }
    const result = csvToEvents(
      text.text,
      parseMapping(readFileSync(values.mapping, 'utf8')),
      path.basename(values.csv),
    );
    if (result.problems.length) {
      console.error(`${result.problems.length} problem(s) in ${values.csv}:`);
      for (const p of result.problems) console.error(`  ${formatCsvProblem(p)}`);
      return 1;
    }
    events = result.events;
  } else if (positionals[0]) {
    const parsed = JSON.parse(readFileSync(positionals[0], 'utf8')) as unknown;
    events = Array.isArray(parsed)
      ? parsed
      : Array.isArray((parsed as { events?: unknown[] }).events)
        ? (parsed as { events: unknown[] }).events
        : [parsed];
  } else return usage('plan EVENTS.json | plan --csv FILE --mapping MAP.yaml');
  const call = client(values);
  const totals = new Map<string, number>();
  let failed = 0;
  for (const event of events) {
    const res = await call('POST', 'ops/plan', event);
    if (res.status !== 200) {
      failed++;
      console.error(`${(event as { eventId?: string }).eventId ?? '?'}: ${res.status} ${problems(res.json)}`);
      continue;
    }
    const { plan, text } = res.json as { plan: { operations: { op: string }[] }; text: string };
    for (const operation of plan.operations) totals.set(operation.op, (totals.get(operation.op) ?? 0) + 1);
    console.log(values.json ? JSON.stringify(plan) : `${text}\n`);
  }
  const summary = [...totals]
    .sort((a, b) => b[1] - a[1])
    .map(([op, n]) => `${n} ${op}`)
    .join(', ');
  console.error(
    `dry run: ${events.length - failed} event(s) planned${failed ? `, ${failed} refused` : ''}; ` +
      `nothing was written${summary ? ` (${summary})` : ''}`,
  );
  return failed ? 1 : 0;
}

/** `explain EMPLOYEE_ID`: which rule (and policy version) grants each group, against the directory. */
export async function explainCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...common },
  });
  if (!positionals[0]) return usage('explain EMPLOYEE_ID');
  const res = await client(values)('GET', `ops/persons/${encodeURIComponent(positionals[0])}/explain`);
  if (res.status !== 200) return failed(res);
  const body = res.json as {
    text: string;
    directory: { userId: string | null; missing: string[]; notGrantedByPolicy: string[] };
  };
  if (values.json) console.log(JSON.stringify(body, null, 2));
  else {
    console.log(body.text);
    console.log(
      `directory: ${body.directory.userId ?? 'no account'}; missing ${body.directory.missing.length}, ` +
        `not granted by policy ${body.directory.notGrantedByPolicy.length}`,
    );
  }
  return 0;
}

/** Re-evaluating more people than this asks for confirmation (or --yes). */
const CONFIRM_ABOVE = 100;

/** `reevaluate EMPLOYEE_ID... | --all [--yes] [--reason TEXT]`: apply the current policy again. */
export async function reevaluateCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...common,
      reason: { type: 'string' },
      all: { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0 && !values.all)
    return usage('reevaluate EMPLOYEE_ID... | reevaluate --all [--yes]   (everyone must be said: --all)');
  if (positionals.length > 0 && values.all) return usage('reevaluate: name people or give --all, not both');
  const call = client(values);
  const who = values.all ? { all: true as const } : { employeeIds: positionals };
  const count = values.all
    ? await call('POST', 'ops/reevaluate', { ...who, dryRun: true }).then((res) => {
        if (res.status !== 200) throw new Error(`${res.status}: ${problems(res.json)}`);
        return (res.json as { persons: number }).persons;
      })
    : positionals.length;
  if (count > CONFIRM_ABOVE && !values.yes && !(await confirm(`re-evaluate ${count} people?`))) {
    console.error(`not sent: ${count} people is more than ${CONFIRM_ABOVE}; confirm, or add --yes`);
    return 1;
  }
  const res = await call('POST', 'ops/reevaluate', { ...who, reason: values.reason });
  if (res.status !== 202) {
    console.error(`${res.status}: ${problems(res.json)}`);
    return 1;
  }
  const body = res.json as { requestId: string; policyVersion: string; persons: number; notFound: string[] };
  const notFound = body.notFound.length ? `; no lifecycle for ${body.notFound.join(', ')}` : '';
  print(values, body, () =>
    console.log(
      `policy ${body.policyVersion}: re-evaluation ${body.requestId} sent to ${body.persons} person(s)${notFound}`,
    ),
  );
  return body.notFound.length ? EXIT.failed : EXIT.ok;
}

/** Asks on the terminal; without one (a script, a pipe) the answer is no: scripts say --yes. */
async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const readline = await import('node:readline/promises');
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/**
 * `audit [--employee ID] [--target APP] [--from ISO] [--to ISO] [--csv | --json]`: the audit trail, every page.
 * `--csv > file` writes RFC 4180 CSV (one header); `--json` writes one record per line (JSON Lines).
 */
export async function auditCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...common,
      employee: { type: 'string' },
      target: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      csv: { type: 'boolean', default: false },
    },
  });
  const query = new URLSearchParams();
  if (values.employee) query.set('employeeId', values.employee);
  if (values.target) query.set('target', values.target);
  if (values.from) query.set('from', values.from);
  if (values.to) query.set('to', values.to);
  query.set('format', values.csv ? 'csv' : 'json');
  const call = client(values);
  // Every page, following the continuation token: the API answers 1,000 records at a time.
  let records = 0;
  for (let page = 0, token: string | null = null; page === 0 || token; page++) {
    if (token) query.set('continuationToken', token);
    const res = await call('GET', `ops/audit?${query}`);
    if (res.status !== 200) return failed(res);
    if (values.csv) {
      token = res.headers.get('x-ms-continuation');
      const lines = res.text.split('\r\n');
      const rows = page === 0 ? lines : lines.slice(1);
      records += Math.max(0, lines.length - 1);
      if (rows.length && rows.join('') !== '') process.stdout.write(`${rows.join('\r\n')}\r\n`);
      continue;
    }
    const body = res.json as {
      value: { at: string; action: string; employeeId: string | null; outcome: string; target: string }[];
      continuationToken?: string | null;
    };
    token = body.continuationToken ?? null;
    records += body.value.length;
    if (values.json) {
      for (const row of body.value) process.stdout.write(`${JSON.stringify(row)}\n`);
      continue;
    }
    for (const row of body.value) {
      const who = (row.employeeId ?? '-').padEnd(10);
      process.stdout.write(`${row.at}  ${row.outcome.padEnd(7)}  ${row.target.padEnd(10)}  ${who}  ${row.action}\n`);
    }
  }
  console.error(`${records} audit record(s)`);
  return EXIT.ok;
}

/**
 * `holds [--status held|approved|rejected]`, `holds approve|reject HOLD_ID`: leavers held by the deletion
 * threshold.
 */
export async function holdsCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...common, status: { type: 'string' } },
  });
  const call = client(values);
  const [decision, holdId] = positionals;
  if (decision === 'approve' || decision === 'reject') {
    if (!holdId) return usage('holds approve|reject HOLD_ID');
    // The route only matches a GUID: say so here instead of passing on a bare 404.
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(holdId)) {
      console.error(`"${holdId}" is not a hold id: hold ids are GUIDs, as listed by \`entra-jml holds\``);
      return EXIT.usage;
    }
    const res = await call('POST', `ops/holds/${encodeURIComponent(holdId)}/${decision}`);
    if (res.status !== 202) return failed(res, `hold ${holdId}`);
    const hold = res.json as { employeeId: string; status: string };
    print(values, hold, () => console.log(`hold ${holdId} (${hold.employeeId}): ${hold.status}`));
    return EXIT.ok;
  }
  if (decision) return usage('holds [--status held|approved|rejected] | holds approve|reject HOLD_ID');
  const res = await call('GET', `ops/holds${values.status ? `?status=${encodeURIComponent(values.status)}` : ''}`);
  if (res.status !== 200) return failed(res);
  const holds = (
    res.json as {
      value: {
        holdId: string;
        employeeId: string;
        action: string;
        status: string;
        createdAt: string;
        decidedBy: string | null;
      }[];
    }
  ).value;
  if (values.json) {
    console.log(JSON.stringify(holds, null, 2));
    return EXIT.ok;
  }
  for (const h of holds)
    console.log(
      `${h.holdId}  ${h.status.padEnd(8)}  ${h.action.padEnd(7)}  ${h.employeeId.padEnd(10)}  ` +
        `${h.createdAt}${h.decidedBy ? `  by ${h.decidedBy}` : ''}`,
    );
  console.error(`${holds.length} hold(s)`);
  return EXIT.ok;
}
