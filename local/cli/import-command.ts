import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { csvToEvents, decodeCsv, formatCsvProblem, parseMapping } from '../../shared/intake/csv-import';
import { sign } from '../../shared/intake/webhook-signature';
import { EXIT, fetchOrExplain, usage } from './ops-client';

/** Events per signed webhook request. */
const BATCH = 100;

/**
 * `import FILE.csv --mapping MAP.yaml [--url BASE] [--secret KEY] [--dry-run] [--json]` (also `import-csv`):
 * validates every row first (problems listed with line numbers, nothing sent), then sends the events to the signed
 * webhook in batches of 100, with a progress bar on stderr when it is a terminal.
 */
export async function importCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      mapping: { type: 'string' },
      url: { type: 'string', default: process.env.ENTRA_JML_URL ?? 'http://localhost:7071' },
      secret: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const file = positionals[0];
  if (!file || !values.mapping || positionals.length > 1)
    return usage('import FILE.csv --mapping MAP.yaml [--secret KEY] [--dry-run]');
  const mapping = parseMapping(readFileSync(values.mapping, 'utf8'));
  const text = decodeCsv(readFileSync(file));
  if (!text.ok) {
    console.error(`${file}: ${formatCsvProblem(text.problem)}; nothing was sent`);
    return EXIT.failed;
  }
  const result = csvToEvents(text.text, mapping, path.basename(file));
  if (result.problems.length) {
    if (values.json) console.log(JSON.stringify({ sent: 0, problems: result.problems }, null, 2));
    console.error(`${result.problems.length} problem(s) in ${file}; nothing was sent:`);
    for (const p of result.problems) console.error(`  ${formatCsvProblem(p)}`);
    return EXIT.failed;
  }
  for (const n of result.notices) console.error(`  note: ${formatCsvProblem(n)}`);
  if (values['dry-run']) {
    for (const e of result.events) console.log(JSON.stringify(e));
    console.error(`dry run: ${result.events.length} valid event(s), nothing sent`);
    return EXIT.ok;
  }
  const secret = values.secret ?? process.env.HR_WEBHOOK_SECRETS?.split(',')[0] ?? 'local-dev-webhook-secret';
  // cli-progress draws only on a terminal (noTTYOutput off): a pipe or a CI log gets the summary line alone.
  const bar = new SingleBar({ format: 'import [{bar}] {value}/{total} events', stream: process.stderr });
  bar.start(result.events.length, 0);
  let sent = 0;
  try {
    for (let i = 0; i < result.events.length; i += BATCH) {
      const batch = result.events.slice(i, i + BATCH);
      const body = JSON.stringify({ events: batch });
      const ts = Math.floor(Date.now() / 1000);
      const res = await fetchOrExplain(`${values.url.replace(/\/$/, '')}/api/hr/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-entra-jml-timestamp': String(ts),
          'x-entra-jml-signature': sign(secret, ts, body),
        },
        body,
      });
      if (res.status !== 202) {
        bar.stop();
        console.error(
          `the webhook answered ${res.status}: ${await res.text()} (${sent} event(s) were accepted before)`,
        );
        return EXIT.failed;
      }
      sent += batch.length;
      bar.update(sent);
    }
  } finally {
    bar.stop();
  }
  if (values.json) console.log(JSON.stringify({ sent, events: result.events.length }));
  else console.log(`${sent} event(s) accepted`);
  return EXIT.ok;
}
