// npm run bench -- latency [--seconds 60] [--rates 5,20,50] [--emulators worker|in-process] [--ready-timeout 120]
// Latency as users feel it (issue 16 item 3): hires sent open loop (on a schedule, never waiting for answers) at
// each rate for --seconds, each event timed from its scheduled send to its account being ready (the person's
// orchestration reports phase "active": account created, enabled, groups and manager set). Prints p50/p95 per
// rate and how many never became ready (must be 0). Baseline in the same run: the same hire sent one at a time
// on the idle host. The sender runs in a worker thread, so its schedule does not wait for the host's loop.
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { postSigned, startBenchHost } from './lib/bench-host.mjs';
import { startHealthProbe } from './lib/health-probe.mjs';
import { BenchReport, percentile } from './lib/report.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    rates: { type: 'string', default: '5,20,50' },
    emulators: { type: 'string', default: 'worker' },
    'ready-timeout': { type: 'string', default: '120' },
    baseline: { type: 'string', default: '10' },
  },
  allowPositionals: true,
});
const seconds = Number(values.seconds);
const rates = values.rates.split(',').map(Number);
const readyTimeoutMs = Number(values['ready-timeout']) * 1000;
console.log(
  `machine: ${availableParallelism()} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);

const { host, base, durable } = await startBenchHost('latency', { emulators: values.emulators });
const today = new Date().toISOString().slice(0, 10);
/** Wall-clock ms comparable across threads (each thread's performance.now() has its own origin). */
const now = () => performance.timeOrigin + performance.now();

const hire = (employeeId) => ({
  eventId: `hire-${employeeId}`,
  type: 'hire',
  occurredAt: new Date().toISOString(),
  worker: {
    employeeId,
    legalGivenName: `Person${employeeId.replace(/\W/g, '')}`,
    legalFamilyName: 'Latency',
    department: 'Engineering',
    country: 'FR',
    hireDate: today,
  },
});

/** Signed like the webhook (README "Webhook contract"); answers the status. */
async function post(event) {
  const res = await postSigned(base, event);
  await res.arrayBuffer();
  return res.status;
}

/**
 * Polls the person orchestrations under `prefix` every 100 ms (one indexed query, not one read per person) and
 * resolves with when each id became active, once all are or `deadline()` passes.
 */
async function readyTimes(prefix, ids, deadline) {
  const readyAt = new Map();
  while (readyAt.size < ids.length && now() < deadline()) {
    const seen = now();
    for (const s of durable.customStatuses(prefix))
      if (!readyAt.has(s.instanceId) && s.customStatus?.phase === 'active') readyAt.set(s.instanceId, seen);
    await new Promise((r) => setTimeout(r, 100));
  }
  return readyAt;
}

// Baseline: one hire at a time on the idle host, each waiting for the previous to be ready.
const baseline = [];
for (let i = 0; i < Number(values.baseline); i++) {
  const id = `LB-${i}`;
  const sent = now();
  if ((await post(hire(id))) !== 202) throw new Error('baseline hire refused');
  const ready = await readyTimes(`person-${id}`, [`person-${id}`], () => sent + readyTimeoutMs);
  if (!ready.size) throw new Error(`baseline hire ${id} never became ready`);
  baseline.push(ready.get(`person-${id}`) - sent);
}

const SENDER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHmac } = require('node:crypto');
const { url, events, periodMs, start } = workerData;
const now = () => performance.timeOrigin + performance.now();
const results = new Array(events.length);
const requests = [];
(async () => {
  for (let i = 0; i < events.length; i++) {
    const due = start + i * periodMs;
    if (now() < due) await new Promise((r) => setTimeout(r, due - now()));
    const body = JSON.stringify(events[i]);
    const ts = Math.floor(Date.now() / 1000);
    const sig = 'v1=' + createHmac('sha256', 'bench').update(ts + '.').update(body).digest('hex');
    // Open loop: the time is the scheduled one, and nothing waits for the answer before the next send.
    requests.push(
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-entra-jml-timestamp': String(ts),
        'x-entra-jml-signature': sig }, body })
        .then(async (res) => { await res.arrayBuffer(); results[i] = { sentAt: due, status: res.status }; })
        .catch(() => { results[i] = { sentAt: due, status: 0 }; }),
    );
  }
  await Promise.all(requests);
  parentPort.postMessage(results);
})();
`;

function sendOpenLoop(events, rate) {
  const worker = new Worker(SENDER, {
    eval: true,
    workerData: { url: `${base}/api/hr/events`, events, periodMs: 1000 / rate, start: now() + 50 },
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (results) => {
      void worker.terminate();
      resolve(results);
    });
    worker.once('error', reject);
  });
}

const report = new BenchReport('latency');
const baselineP95 = percentile(baseline, 95);
report.add('baseline_p50_event_to_ready_ms_one_at_a_time', percentile(baseline, 50), 'ms');
report.add('baseline_p95_event_to_ready_ms_one_at_a_time', baselineP95, 'ms');
for (const rate of rates) {
  const prefix = `person-L${rate}-`;
  const events = Array.from({ length: Math.round(rate * seconds) }, (_, i) => hire(`L${rate}-${i}`));
  const ids = events.map((e) => `person-${e.worker.employeeId}`);
  const health = startHealthProbe(base);
  let sendsDone = Infinity;
  const sending = sendOpenLoop(events, rate).then((results) => {
    sendsDone = now();
    return results;
  });
  // Ready times are gathered while sending; after the last send, each phase waits at most --ready-timeout.
  const readyAt = await readyTimes(prefix, ids, () => sendsDone + readyTimeoutMs);
  const results = await sending;
  const { p99: healthP99 } = await health.stop();
  const latencies = [];
  let neverReady = 0;
  results.forEach((r, i) => {
    const at = readyAt.get(ids[i]);
    if (r.status === 202 && at !== undefined) latencies.push(Math.max(0, at - r.sentAt));
    else neverReady++;
  });
  const refused = results.filter((r) => r.status !== 202).length;
  report.add(`p95_event_to_ready_ms_at_${rate}`, percentile(latencies, 95), 'ms', {
    metric: 'baseline_p95_event_to_ready_ms_one_at_a_time',
    value: baselineP95,
  });
  report.add(`p50_event_to_ready_ms_at_${rate}`, percentile(latencies, 50), 'ms');
  report.add(`never_ready_at_${rate}`, neverReady, 'events');
  if (refused) report.add(`refused_at_${rate}`, refused, 'events');
  report.add(`health_p99_ms_at_${rate}`, healthP99, 'ms');
}
report.print();
console.log(
  `\n${values.emulators} emulators; ${seconds} s per rate; ready = person phase "active", polled every 100 ms ` +
    `(adds up to 100 ms); load average now ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
);
await host.stop();
process.exit(0);
