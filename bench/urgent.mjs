// npm run bench -- urgent [--people N] (default 10,000): urgent HR events during a bulk backlog (issue 16 item 4).
// Two people exist first: L (active) and R (hired, pre-hire account created). Then N joiners are queued, and
// while they are still queued an immediate terminate for L and a rescind for R are sent. Measured: send →
// L's lifecycle shows phase "left" (account disabled, access removed) and send → R's shows "rescinded"
// (pre-hire account deleted), with how many joiners were still not done at that moment (proof it was during
// the bulk). Baseline in the same run: the same two kinds of event on an idle host, before the backlog.
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { postEvents, startBenchHost } from './lib/bench-host.mjs';
import { BenchReport } from './lib/report.mjs';
import { day, hireEvent, urgentPair } from './lib/urgent-pair.mjs';

const { values } = parseArgs({ options: { people: { type: 'string', default: '10000' } }, allowPositionals: true });
const people = Number(values.people);
const { host, base, durable } = await startBenchHost('urgent');

const post = (events) => postEvents(base, events);

const idle = await (await urgentPair(post, durable, 'idle'))();
const sendDuringBulk = await urgentPair(post, durable, 'bulk');
for (let i = 0; i < people; i += 500)
  await post(Array.from({ length: Math.min(500, people - i) }, (_, k) => hireEvent(`J${i + k}`, day(0))));
const notDone = () =>
  durable.customStatuses('person-J').filter((s) => s.customStatus?.phase !== 'active').length +
  (people - durable.customStatuses('person-J').length);
const backlogAtSend = notDone();
const during = await sendDuringBulk();
const backlogAtEnd = notDone();

const report = new BenchReport('urgent');
report.add('cores', cpus().length, 'cores');
report.add('urgent_leaver_ms_during_bulk', during.leaver, 'ms', {
  metric: 'urgent_leaver_ms_idle',
  value: idle.leaver,
});
report.add('urgent_rescind_ms_during_bulk', during.rescind, 'ms', {
  metric: 'urgent_rescind_ms_idle',
  value: idle.rescind,
});
report.add('joiners_not_done_at_send', backlogAtSend, 'people');
report.add('joiners_not_done_when_both_done', backlogAtEnd, 'people');
report.print();
await host.stop();
process.exit(0);
