// npm run bench -- durable: the local durable backend running durable-functions' replay engine.
// (1) 20-activity sequence (the first run, cold, then the median of five more) and a 1,000-wide fan-out: wall time
//     and host overhead per activity vs calling the same activity function directly (baseline); (2) N concurrent
//     orchestrations of 5 activities.
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchReport, trackPeakRss } from './lib/report.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const { LocalHost } = require('../dist/local/host/host.js');
const { createDurableExtension } = require('../dist/local/durable/durable-extension.js');
const concurrent = Number(process.argv[2] ?? 200);

const durable = createDurableExtension();
const appRoot = path.join(here, 'apps/durable-bench');
const host = new LocalHost({
  appRoot,
  port: 0,
  dataDir: mkdtempSync(path.join(tmpdir(), 'jml-durable-bench-')),
  extensions: () => [durable],
});
await host.start();
const engine = durable.engine();
const stopRss = trackPeakRss();

async function run(name, input, id) {
  const instanceId = engine.startNew(name, id, input);
  for (;;) {
    const status = durable.getInstance(instanceId);
    if (status && ['Completed', 'Failed', 'Terminated'].includes(status.runtimeStatus)) {
      if (status.runtimeStatus !== 'Completed')
        throw new Error(`${name} ${status.runtimeStatus}: ${JSON.stringify(status.output)}`);
      return status.output;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
}

const { work } = require(path.join(appRoot, 'index.js'));
let t = performance.now();
for (let i = 0; i < 1000; i++) work(i);
const directPerCall = (performance.now() - t) / 1000;

// The first run also pays for the JIT and the first SQLite statements (the `startup` bench measures a cold host):
// it is reported on its own, and the per-activity overhead is the median of the runs after it.
const sequenceRuns = [];
for (let i = 0; i < 6; i++) {
  t = performance.now();
  await run('sequence', 20, `seq${i}`);
  sequenceRuns.push(performance.now() - t);
}
const [firstSequenceMs, ...warmRuns] = sequenceRuns;
const sequenceMs = warmRuns.sort((a, b) => a - b)[Math.floor(warmRuns.length / 2)];

t = performance.now();
await run('fanOut', 1000);
const fanoutMs = performance.now() - t;

t = performance.now();
await Promise.all(Array.from({ length: concurrent }, (_, i) => run('sequence', 5, `c${i}`)));
const concurrentMs = performance.now() - t;

const report = new BenchReport('durable');
report.add('first_sequence_20_ms', firstSequenceMs, 'ms');
report.add('sequence_20_ms', sequenceMs, 'ms');
report.add('overhead_ms_per_activity', sequenceMs / 20 - directPerCall, 'ms', {
  metric: 'direct_call_ms',
  value: directPerCall,
});
report.add('fanout_1000_ms', fanoutMs, 'ms', { metric: 'direct_1000_calls_ms', value: directPerCall * 1000 });
report.add('instances_per_s', concurrent / (concurrentMs / 1000), 'instances/s');
report.add('peak_rss_mb', stopRss(), 'MB');
report.print();
await host.stop();
