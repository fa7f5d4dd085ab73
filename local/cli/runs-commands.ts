import { parseArgs } from 'node:util';
import { client, common, EXIT, failed, print, usage } from './ops-client';

interface Run {
  instanceId: string;
  name: string;
  status: string;
  lastUpdatedTime: string;
  waitingUntil: string | null;
  error: string | null;
}

/**
 * `runs [--status running|pending|failed|completed|terminated] [--limit N]`, `runs retry ID [--reason TEXT]`,
 * `runs terminate ID --reason TEXT`: orchestration runs.
 */
export async function runsCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...common,
      status: { type: 'string' },
      limit: { type: 'string', default: '100' },
      reason: { type: 'string' },
    },
  });
  const call = client(values);
  const [action, instanceId] = positionals;
  if (action === 'retry' || action === 'terminate') {
    if (!instanceId || positionals.length > 2) return usage(`runs ${action} INSTANCE_ID --reason TEXT`);
    if (action === 'terminate' && !values.reason?.trim()) return usage('runs terminate INSTANCE_ID --reason TEXT');
    const res = await call(
      'POST',
      `ops/runs/${encodeURIComponent(instanceId)}/${action}`,
      values.reason ? { reason: values.reason } : undefined,
    );
    if (res.status !== 202) return failed(res, instanceId);
    const body = res.json as { instanceId: string; previousStatus?: string };
    print(values, body, () =>
      console.log(
        action === 'retry'
          ? `${body.instanceId}: started again (was ${body.previousStatus})`
          : `${body.instanceId}: terminated`,
      ),
    );
    return EXIT.ok;
  }
  if (action) return usage('runs [--status S] [--limit N] | runs retry|terminate INSTANCE_ID [--reason TEXT]');
  const query = new URLSearchParams({ limit: values.limit });
  if (values.status) query.set('status', values.status);
  const res = await call('GET', `ops/runs?${query}`);
  if (res.status !== 200) return failed(res);
  const { runs } = res.json as { runs: Run[] };
  print(values, res.json, () => {
    for (const r of runs)
      console.log(
        `${r.instanceId.padEnd(36)}  ${r.name.padEnd(12)}  ${r.status.padEnd(10)}  ${r.lastUpdatedTime}` +
          `${r.waitingUntil ? `  waits until ${r.waitingUntil}` : ''}` +
          `${r.error ? `  error: ${r.error.split('\n')[0]}` : ''}`,
      );
    console.error(`${runs.length} run(s)`);
  });
  return EXIT.ok;
}
