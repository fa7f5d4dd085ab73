import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { client, common, EXIT, failed, print, usage } from './ops-client';

interface Provisioned {
  instanceId: string;
  runtimeStatus: string;
  steps: { at: string; action: string; outcome: string }[];
}

/**
 * `provision EMPLOYEE_ID RECORD.json`: runs the joiner for one person now (timers skipped) and prints each step.
 * Exit 4 when a step was held for approval, 1 when the run failed.
 */
export async function provisionCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { ...common } });
  const [employeeId, file] = positionals;
  if (!employeeId || !file || positionals.length > 2) return usage('provision EMPLOYEE_ID RECORD.json');
  let record: unknown;
  try {
    record = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.usage;
  }
  // A whole HR event is accepted too: its worker is the record.
  const worker = (record as { worker?: unknown }).worker ?? record;
  const res = await client(values)('POST', `ops/persons/${encodeURIComponent(employeeId)}/provision-now`, worker);
  if (res.status === 202) {
    console.error(`${employeeId}: still running after 30 s; follow it with \`runs\` or \`person ${employeeId}\``);
    print(values, res.json, () => undefined);
    return EXIT.ok;
  }
  if (res.status !== 200) return failed(res, employeeId);
  const body = res.json as Provisioned;
  print(values, body, () => {
    console.log(`${employeeId}: ${body.runtimeStatus} (${body.instanceId})`);
    for (const s of body.steps) console.log(`  ${s.at}  ${s.outcome.padEnd(7)}  ${s.action}`);
  });
  if (body.steps.some((s) => s.outcome === 'held')) return EXIT.needsApproval;
  return body.runtimeStatus === 'Completed' ? EXIT.ok : EXIT.failed;
}
