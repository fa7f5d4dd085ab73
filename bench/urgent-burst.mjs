// npm run bench -- urgent-burst [SECONDS] (default 15): urgent HR events while callers burst (issue 16 item 4).
// The host (in a process of its own) first hires two people, L (active) and R (pre-hire account created), and
// measures an immediate terminate of L and a rescind of R on the idle host: the baseline. Then a second pair is
// made ready, 16 connections post signed single hires for SECONDS, and 3 s into that burst the pair's urgent events
// are sent. Measured: send → L's lifecycle shows "left" and R's "rescinded". The host answers callers first and
// paces bulk background work while they burst (foreground-gate.ts); urgent work must not wait for the burst to end
// (it did: 13 s into a 15 s burst). `urgent_done_before_burst_end` is 1 when both finished while hires still came.
import autocannon from 'autocannon';
import { postEvents, signedHire, spawnBenchHost } from './lib/bench-host.mjs';
import { BenchReport } from './lib/report.mjs';
import { day, urgentPair } from './lib/urgent-pair.mjs';

const seconds = Number(process.argv[2] ?? 15);
const SEND_AFTER_MS = 3_000;
const { host, base } = await spawnBenchHost('urgent-burst');
const post = (events) => postEvents(base, events);
const durable = {
  async getInstance(id) {
    const res = await fetch(`${base}/runtime/webhooks/durabletask/instances/${id}`);
    return res.ok ? res.json() : undefined;
  },
};

const idle = await (await urgentPair(post, durable, 'idle'))();
const sendDuringBurst = await urgentPair(post, durable, 'burst');
// Hires 60 days ahead: each starts an orchestration that waits for pre-hire (queue and durable work, no Graph).
const hireDate = day(60);
let n = 0;
const burstStart = performance.now();
const burst = new Promise((resolve, reject) =>
  autocannon(
    {
      url: `${base}/api/hr/events`,
      method: 'POST',
      duration: seconds,
      connections: 16,
      requests: [{ setupRequest: (req) => ({ ...req, ...signedHire(n++, hireDate) }) }],
    },
    (err, res) => (err ? reject(err) : resolve(res)),
  ),
);
await new Promise((r) => setTimeout(r, SEND_AFTER_MS));
const during = await sendDuringBurst();
const doneAt = performance.now() - burstStart;
const events = await burst;

const report = new BenchReport('urgent-burst');
report.add('urgent_leaver_ms_during_burst', during.leaver, 'ms', {
  metric: 'urgent_leaver_ms_idle',
  value: idle.leaver,
});
report.add('urgent_rescind_ms_during_burst', during.rescind, 'ms', {
  metric: 'urgent_rescind_ms_idle',
  value: idle.rescind,
});
report.add('urgent_done_before_burst_end', doneAt < seconds * 1000 ? 1 : 0, 'yes/no');
report.add('burst_events_per_s', events['2xx'] / events.duration, 'events/s');
report.add('burst_non_2xx_answers', events.non2xx, 'answers');
report.print();
host.kill('SIGKILL');
process.exit(0);
