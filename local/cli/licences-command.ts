import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fetchOrExplain } from './ops-client';

/**
 * `licences [--format json|csv|html] [--out FILE]`: the licence compliance report from a running entra-jml
 * (GET /api/ops/licences/report, admin key: --key or ENTRA_JML_ADMIN_KEY), to stdout or a file.
 * `licences remediate [--apply] [--approve DIGEST]`: the remediation plan (a dry run), or applied.
 */
export async function licencesCommand(args: string[]): Promise<number> {
  if (args[0] === 'remediate') return remediateCommand(args.slice(1));
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

interface RemediationAnswer {
  dryRun: boolean;
  planDigest: string;
  refused: string | null;
  actions: {
    kind: string;
    enabled: boolean;
    outcome: string;
    userPrincipalName: string | null;
    userId: string;
    productName: string;
    reason: string;
    detail: string | null;
  }[];
  totals: { candidates: number; enabled: number; done: number; pending: number; failed: number };
}

/** POST /api/ops/licences/remediate: prints one line per action, then the totals (--json for the raw answer). */
async function remediateCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      url: { type: 'string', default: process.env.ENTRA_JML_URL ?? 'http://localhost:7071' },
      key: { type: 'string' },
      apply: { type: 'boolean', default: false },
      approve: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const key = values.key ?? process.env.ENTRA_JML_ADMIN_KEY;
  const url = `${values.url.replace(/\/$/, '')}/api/ops/licences/remediate`;
  const res = await fetchOrExplain(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'x-functions-key': key } : {}) },
    body: JSON.stringify({ apply: values.apply, ...(values.approve ? { approve: values.approve } : {}) }),
  });
  const text = await res.text();
  if (res.status !== 200 && res.status !== 409) {
    console.error(`${url} answered ${res.status}: ${text}`);
    return 1;
  }
  if (values.json) {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return res.status === 200 ? 0 : 1;
  }
  const answer = JSON.parse(text) as RemediationAnswer;
  for (const a of answer.actions)
    console.log(
      `${a.outcome.padEnd(8)} ${a.kind.padEnd(21)} ${a.userPrincipalName ?? a.userId}  ${a.productName}  ` +
        `(${a.reason}${a.detail ? `; ${a.detail}` : ''})`,
    );
  const t = answer.totals;
  console.log(
    `${answer.dryRun ? 'dry run' : 'applied'}: ${t.candidates} candidate(s), ${t.enabled} switched on in the policy, ` +
      `${t.done} done, ${t.pending} pending, ${t.failed} failed (plan ${answer.planDigest})`,
  );
  if (answer.refused) {
    console.error(`refused: ${answer.refused}`);
    return 1;
  }
  if (answer.dryRun && !values.apply) console.log('nothing changed: add --apply to apply the switched-on actions');
  return t.failed ? 1 : 0;
}
