#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { auditCommand, explainCommand, holdsCommand, planCommand, reevaluateCommand } from './admin-commands';
import { deadLettersCommand } from './dead-letter-commands';
import { importCommand } from './import-command';
import { EXIT, EXIT_CODES_HELP } from './ops-client';
import { peopleCommand, personCommand } from './people-commands';
import { provisionCommand } from './provision-command';
import { runsCommand } from './runs-commands';
import { licencesCommand } from './licences-command';

/**
 * The app's CLI (`npm run -s jml -- COMMAND ...` from a clone). Admin commands call the operations API of a running
 * entra-jml (local host or Azure); `import` sends a CSV extract to the signed webhook.
 */
const USAGE = [
  'usage: entra-jml import-csv FILE.csv --mapping MAP.yaml [--secret KEY] [--dry-run]   (or: import) progress bar',
  '       entra-jml people [QUERY] [--limit N]                  find people by employee id, name or UPN',
  '       entra-jml person EMPLOYEE_ID [--limit N]              state, account, groups (explain) and timeline',
  '       entra-jml runs [--status running|pending|failed|completed|terminated] [--limit N]',
  '       entra-jml runs retry INSTANCE_ID [--reason TEXT]      start a failed or terminated run again',
  '       entra-jml runs terminate INSTANCE_ID --reason TEXT',
  '       entra-jml dead-letters | dead-letters replay SEQ | dead-letters discard SEQ --reason TEXT',
  '       entra-jml holds [--status held|approved|rejected] | holds approve|reject HOLD_ID',
  '       entra-jml plan EVENTS.json | plan --csv FILE --mapping MAP.yaml   dry run: the exact operations',
  '       entra-jml explain EMPLOYEE_ID                         which rule grants each group',
  '       entra-jml provision EMPLOYEE_ID RECORD.json           joiner now, timers skipped, each step printed',
  '       entra-jml reevaluate EMPLOYEE_ID... | --all [--yes] [--reason TEXT]   apply the current policy again',
  '       entra-jml audit [--employee ID] [--target APP] [--from DATE|ISO] [--to DATE|ISO] [--csv]',
  '       entra-jml licences [--format json|csv|html] [--out FILE]         the licence compliance report',
  '       entra-jml licences remediate [--apply] [--approve DIGEST]       licence remediation (dry run by default)',
  '       entra-jml bulk-status REQUEST_ID|STATUS_URL [--token T]   one result per bulkId',
  '',
  'from a clone: npm run -s jml -- COMMAND ...; every command: --url URL (or ENTRA_JML_URL, default',
  'http://localhost:7071) and --json for scripts; admin commands: --key ADMIN_KEY (or ENTRA_JML_ADMIN_KEY), or',
  '--token TOKEN (or ENTRA_JML_TOKEN) behind App Service Authentication',
  EXIT_CODES_HELP,
].join('\n');

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
    return res.status === 404 ? EXIT.notFound : EXIT.failed;
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
  const run = COMMANDS[command ?? ''];
  if (!run) {
    console.error(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
    return EXIT.usage;
  }
  try {
    return await run(rest);
  } catch (error) {
    // node:util parseArgs refuses unknown options and missing values: a usage error, not a failure.
    const code = (error as { code?: string }).code;
    if (code?.startsWith('ERR_PARSE_ARGS_')) {
      console.error(`${(error as Error).message}\n${USAGE}`);
      return EXIT.usage;
    }
    throw error;
  }
}

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  people: peopleCommand,
  person: personCommand,
  runs: runsCommand,
  'dead-letters': deadLettersCommand,
  holds: holdsCommand,
  import: importCommand,
  'import-csv': importCommand,
  plan: planCommand,
  explain: explainCommand,
  provision: provisionCommand,
  reevaluate: reevaluateCommand,
  audit: auditCommand,
  'bulk-status': bulkStatus,
  licences: licencesCommand,
};

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
