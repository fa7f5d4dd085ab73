import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fetchOrExplain } from './ops-client';

/**
 * `licences [--format json|csv|html] [--out FILE]`: the licence compliance report from a running entra-jml
 * (GET /api/ops/licences/report, admin key: --key or ENTRA_JML_ADMIN_KEY), to stdout or a file.
 */
export async function licencesCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      url: { type: 'string', default: process.env.ENTRA_JML_URL ?? 'http://localhost:7071' },
      key: { type: 'string' },
      format: { type: 'string', default: 'json' },
      out: { type: 'string' },
    },
  });
  if (!['json', 'csv', 'html'].includes(values.format)) {
    console.error('licences: --format is json, csv or html');
    return 2;
  }
  const key = values.key ?? process.env.ENTRA_JML_ADMIN_KEY;
  const url = `${values.url.replace(/\/$/, '')}/api/ops/licences/report?format=${values.format}`;
  const res = await fetchOrExplain(url, { headers: key ? { 'x-functions-key': key } : {} });
  const text = await res.text();
  if (!res.ok) {
    console.error(`${url} answered ${res.status}: ${text}`);
    return 1;
  }
  if (values.out) {
    writeFileSync(values.out, text);
    console.error(`licence report written to ${values.out}`);
  } else process.stdout.write(text);
  return 0;
}
