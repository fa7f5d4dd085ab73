import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { csvToEvents, parseMapping } from '../../shared/intake/csv-import';

/**
 * CLI commands that call the admin API of a running entra-jml (local host or Azure): plan (dry run of an
 * event file or a whole CSV), explain, reevaluate, audit. `--url` (default http://localhost:7071) and
 * `--key` (the host master key, or ENTRA_JML_ADMIN_KEY) choose the target.
 */
const common = {
  url: { type: 'string', default: process.env.ENTRA_JML_URL ?? 'http://localhost:7071' },
  key: { type: 'string' },
} as const;

function client(values: { url: string; key?: string }) {
  const key = values.key ?? process.env.ENTRA_JML_ADMIN_KEY;
  const base = values.url.replace(/\/$/, '');
  return async (
    method: 'GET' | 'POST',
    route: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown; text: string }> => {
    const res = await fetch(`${base}/api/${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...(key ? { 'x-functions-key': key } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON: CSV or an error page */
    }
    return { status: res.status, json, text };
  };
}

function problems(json: unknown): string {
  const list = (json as { problems?: { path: string; reason: string }[] } | null)?.problems;
  return list?.length ? list.map((p) => `${p.path}: ${p.reason}`).join('; ') : JSON.stringify(json);
}

/** `plan EVENTS.json` (one event, an array, or {events:[...]}) or `plan --csv FILE --mapping MAP.yaml`. */
export async function planCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...common,
      csv: { type: 'string' },
      mapping: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  let events: unknown[];
  if (values.csv) {
    if (!values.mapping) return usage('plan --csv FILE needs --mapping MAP.yaml');
    const result = csvToEvents(
      readFileSync(values.csv, 'utf8'),
      parseMapping(readFileSync(values.mapping, 'utf8')),
      path.basename(values.csv),
    );
    if (result.problems.length) {
      console.error(`${result.problems.length} problem(s) in ${values.csv}:`);
      for (const p of result.problems) console.error(`  line ${p.line}: ${p.path}: ${p.reason}`);
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
    `dry run: ${events.length - failed} event(s) planned${failed ? `, ${failed} refused` : ''}; nothing was written${summary ? ` (${summary})` : ''}`,
  );
  return failed ? 1 : 0;
}

/** `explain EMPLOYEE_ID`: which rule (and policy version) grants each group, against the directory. */
export async function explainCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...common, json: { type: 'boolean', default: false } },
  });
  if (!positionals[0]) return usage('explain EMPLOYEE_ID');
  const res = await client(values)('GET', `ops/persons/${encodeURIComponent(positionals[0])}/explain`);
  if (res.status !== 200) {
    console.error(`${res.status}: ${problems(res.json)}`);
    return 1;
  }
  const body = res.json as {
    text: string;
    directory: { userId: string | null; missing: string[]; notGrantedByPolicy: string[] };
  };
  if (values.json) console.log(JSON.stringify(body, null, 2));
  else {
    console.log(body.text);
    console.log(
      `directory: ${body.directory.userId ?? 'no account'}; missing ${body.directory.missing.length}, not granted by policy ${body.directory.notGrantedByPolicy.length}`,
    );
  }
  return 0;
}

/** `reevaluate [EMPLOYEE_ID...] [--reason TEXT]`: apply the current policy again. */
export async function reevaluateCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...common, reason: { type: 'string' } },
  });
  const res = await client(values)('POST', 'ops/reevaluate', {
    ...(positionals.length ? { employeeIds: positionals } : {}),
    reason: values.reason,
  });
  if (res.status !== 202) {
    console.error(`${res.status}: ${problems(res.json)}`);
    return 1;
  }
  const body = res.json as { requestId: string; policyVersion: string; persons: number; notFound: string[] };
  console.log(
    `policy ${body.policyVersion}: re-evaluation ${body.requestId} sent to ${body.persons} person(s)${body.notFound.length ? `; no lifecycle for ${body.notFound.join(', ')}` : ''}`,
  );
  return body.notFound.length ? 1 : 0;
}

/** `audit [--employee ID] [--target APP] [--from ISO] [--to ISO] [--csv]`: the audit trail. */
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
  const res = await client(values)('GET', `ops/audit?${query}`);
  if (res.status !== 200) {
    console.error(`${res.status}: ${problems(res.json)}`);
    return 1;
  }
  if (values.csv) process.stdout.write(res.text);
  else
    for (const row of (
      res.json as {
        value: { at: string; action: string; employeeId: string | null; outcome: string; target: string }[];
      }
    ).value)
      console.log(
        `${row.at}  ${row.outcome.padEnd(7)}  ${row.target.padEnd(10)}  ${(row.employeeId ?? '-').padEnd(10)}  ${row.action}`,
      );
  return 0;
}

/** `holds [--status held|approved|rejected]`, `holds approve|reject HOLD_ID`: leavers held by the deletion threshold. */
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
    const res = await call('POST', `ops/holds/${encodeURIComponent(holdId)}/${decision}`);
    if (res.status !== 202) {
      console.error(`${res.status}: ${problems(res.json)}`);
      return 1;
    }
    const hold = res.json as { employeeId: string; status: string };
    console.log(`hold ${holdId} (${hold.employeeId}): ${hold.status}`);
    return 0;
  }
  if (decision) return usage('holds [--status held|approved|rejected] | holds approve|reject HOLD_ID');
  const res = await call('GET', `ops/holds${values.status ? `?status=${encodeURIComponent(values.status)}` : ''}`);
  if (res.status !== 200) {
    console.error(`${res.status}: ${problems(res.json)}`);
    return 1;
  }
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
  for (const h of holds)
    console.log(
      `${h.holdId}  ${h.status.padEnd(8)}  ${h.action.padEnd(7)}  ${h.employeeId.padEnd(10)}  ${h.createdAt}${h.decidedBy ? `  by ${h.decidedBy}` : ''}`,
    );
  console.error(`${holds.length} hold(s)`);
  return 0;
}

function usage(line: string): number {
  console.error(`usage: entra-jml ${line} [--url URL] [--key ADMIN_KEY]`);
  return 2;
}
