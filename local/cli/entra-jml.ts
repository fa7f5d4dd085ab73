#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sign } from '../../shared/intake/webhook-signature';
import { parseArgs } from 'node:util';
import { csvToEvents, decodeCsv, formatCsvProblem, parseMapping } from '../../shared/intake/csv-import';
import {
  auditCommand,
  explainCommand,
  fetchOrExplain,
  holdsCommand,
  planCommand,
  reevaluateCommand,
} from './admin-commands';
import { licencesCommand } from './licences-command';

/**
 * The app's CLI. `entra-jml import-csv FILE --mapping MAP.yaml [--url BASE] [--secret KEY] [--dry-run]`:
 * validates every row first (problems listed with line numbers, nothing sent), then sends the events to
 * the signed webhook in batches of 100 with a progress bar on stderr. Works against the local host or Azure.
 */
const USAGE = [
  'usage: entra-jml import-csv FILE --mapping MAP.yaml [--url http://localhost:7071] [--secret KEY] [--dry-run]',
  '       entra-jml plan EVENTS.json | plan --csv FILE --mapping MAP.yaml   ' +
    'dry run: the exact operations, nothing written',
  '       entra-jml explain EMPLOYEE_ID                                    which rule grants each group',
  '       entra-jml reevaluate EMPLOYEE_ID... | --all [--yes] [--reason TEXT]  apply the current policy again',
  '       entra-jml audit [--employee ID] [--target APP] [--from DATE|ISO] [--to DATE|ISO] [--csv]',
  '       entra-jml holds [--status held] | holds approve|reject HOLD_ID    leavers held by the deletion threshold',
  '       entra-jml bulk-status REQUEST_ID|STATUS_URL [--url BASE] [--token T] [--json]   one result per bulkId',
  '       entra-jml licences [--format json|csv|html] [--out FILE]         the licence compliance report',
  '       (admin commands take --url and --key, or ENTRA_JML_URL / ENTRA_JML_ADMIN_KEY)',
].join('\n');

async function importCsv(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      mapping: { type: 'string' },
      url: { type: 'string', default: 'http://localhost:7071' },
      secret: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const file = positionals[0];
  if (!file || !values.mapping) {
    console.error(USAGE);
    return 2;
  }
  const mapping = parseMapping(readFileSync(values.mapping, 'utf8'));
  const text = decodeCsv(readFileSync(file));
  if (!text.ok) {
    console.error(`${file}: ${formatCsvProblem(text.problem)}; nothing was sent`);
    return 1;
  }
  const result = csvToEvents(text.text, mapping, path.basename(file));
  if (result.problems.length) {
    console.error(`${result.problems.length} problem(s) in ${file}; nothing was sent:`);
    for (const p of result.problems) console.error(`  ${formatCsvProblem(p)}`);
    return 1;
  }
  for (const n of result.notices) console.error(`  note: ${formatCsvProblem(n)}`);
  if (values['dry-run']) {
    for (const e of result.events) console.log(JSON.stringify(e));
    console.error(`dry run: ${result.events.length} valid event(s), nothing sent`);
    return 0;
  }
  const secret = values.secret ?? process.env.HR_WEBHOOK_SECRETS?.split(',')[0] ?? 'local-dev-webhook-secret';
  let sent = 0;
  for (let i = 0; i < result.events.length; i += 100) {
    const body = JSON.stringify({ events: result.events.slice(i, i + 100) });
    const ts = Math.floor(Date.now() / 1000);
    const signature = sign(secret, ts, body);
    const res = await fetchOrExplain(`${values.url.replace(/\/$/, '')}/api/hr/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-entra-jml-timestamp': String(ts),
        'x-entra-jml-signature': signature,
      },
      body,
    });
    if (res.status !== 202) {
      console.error(
        `\nthe webhook answered ${res.status}: ${await res.text()} (${sent} event(s) were accepted before)`,
      );
      return 1;
    }
    sent += Math.min(100, result.events.length - i);
    const width = 30;
    const done = Math.round((sent / result.events.length) * width);
    process.stderr.write(`\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${sent}/${result.events.length}`);
  }
  process.stderr.write('\n');
  console.log(`${sent} event(s) accepted`);
  return 0;
}

/**
 * `bulk-status REQUEST_ID|STATUS_URL`: the outcome of every operation of a bulkUpload request. Read with the
 * uploader's token (--token or ENTRA_JML_BULK_TOKEN); against the local host one is minted by the emulator.
 */
async function bulkStatus(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      url: { type: 'string', default: process.env.ENTRA_JML_URL ?? 'http://localhost:7071' },
      token: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const target = positionals[0];
  if (!target) {
    console.error(USAGE);
    return 2;
  }
  const statusUrl = /^https?:/.test(target) ? target : `${values.url.replace(/\/$/, '')}/api/hr/bulkUpload/${target}`;
  let token = values.token ?? process.env.ENTRA_JML_BULK_TOKEN;
  const origin = new URL(statusUrl).origin;
  if (!token && /^(localhost|127\.0\.0\.1|\[::1\])$/.test(new URL(statusUrl).hostname)) {
    const minted = await fetch(`${origin}/_local/entra/_admin/token`, {
      method: 'POST',
      body: JSON.stringify({
        aud: 'api://entra-jml',
        roles: ['SynchronizationData-User.Upload'],
        appid: 'entra-jml-cli',
      }),
    });
    token = ((await minted.json()) as { access_token?: string }).access_token;
  }
  if (!token) {
    console.error("bulk-status needs the uploader's token: --token T or ENTRA_JML_BULK_TOKEN");
    return 2;
  }
  const res = await fetch(statusUrl, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (!res.ok) {
    console.error(`${statusUrl} answered ${res.status}: ${text}`);
    return 1;
  }
  if (values.json) {
    console.log(text);
    return 0;
  }
  const status = JSON.parse(text) as {
    requestId: string;
    status: string;
    counts: Record<string, number>;
    operations: {
      bulkId: string;
      employeeId: string | null;
      outcome: string;
      reason: string | null;
      warnings: string[];
    }[];
  };
  const counts = Object.entries(status.counts).map(([k, n]) => `${n} ${k}`);
  console.log(`request ${status.requestId}: ${status.status} (${counts.join(', ')})`);
  for (const o of status.operations) {
    console.log(`${o.bulkId}\t${o.outcome}\t${o.employeeId ?? '-'}\t${o.reason ?? ''}`);
    for (const w of o.warnings) console.log(`\t  warning: ${w}`);
  }
  return status.operations.some((o) => o.outcome === 'failed') ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (
    command === '--help' ||
    command === '-h' ||
    command === 'help' ||
    rest.includes('--help') ||
    rest.includes('-h')
  ) {
    console.log(USAGE);
    return 0;
  }
  if (command === 'import-csv') return importCsv(rest);
  if (command === 'plan') return planCommand(rest);
  if (command === 'explain') return explainCommand(rest);
  if (command === 'reevaluate') return reevaluateCommand(rest);
  if (command === 'audit') return auditCommand(rest);
  if (command === 'holds') return holdsCommand(rest);
  if (command === 'bulk-status') return bulkStatus(rest);
  if (command === 'licences') return licencesCommand(rest);
  console.error(USAGE);
  return 2;
}

/**
 * Exits once stdout and stderr have drained: process.exit() right after a large write to a pipe cut the
 * output at 64 KiB (`entra-jml audit --csv | wc -l`). A reader that went away (`| head`) is not an error.
 */
function exitAfterDrain(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.destroyed || !stream.writable) done();
    else stream.write('', done);
  }
}

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2)).then(exitAfterDrain, (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  exitAfterDrain(1);
});
