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

const { values } = parseArgs({ options: { people: { type: 'string', default: '10000' } }, allowPositionals: true });
const people = Number(values.people);
const { host, base, durable } = await startBenchHost('urgent');
const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const post = (events) => postEvents(base, events);
const worker = (employeeId, hireDate) => ({
  employeeId,
  legalGivenName: 'Urgent',
  legalFamilyName: `Bench${employeeId}`,
  department: 'Engineering',
  country: 'FR',
  hireDate,
});
const hire = (id, hireDate) => ({
  eventId: `hire-${id}`,
  type: 'hire',
  occurredAt: new Date().toISOString(),
  worker: worker(id, hireDate),
});
const phase = (id) => durable.getInstance(`person-${id}`)?.customStatus?.phase;
const userId = (id) => durable.getInstance(`person-${id}`)?.customStatus?.userId;
async function until(check) {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}

/** An active person L and a pre-hire person R (account created), then the two urgent events, timed. */
async function urgentPair(suffix) {
  const leaver = `L${suffix}`;
  const rescinded = `R${suffix}`;
  await post([hire(leaver, day(0)), hire(rescinded, day(3))]);
  await until(() => phase(leaver) === 'active' && phase(rescinded) === 'pre-hire' && userId(rescinded));
  return async () => {
    const sent = performance.now();
    await post([
      {
        eventId: `terminate-${leaver}`,
        type: 'terminate',
        immediate: true,
        occurredAt: new Date().toISOString(),
        worker: { ...worker(leaver, day(0)), leaveDate: day(0) },
      },
      {
        eventId: `rescind-${rescinded}`,
        type: 'rescind',
        occurredAt: new Date().toISOString(),
        worker: worker(rescinded, day(3)),
      },
    ]);
    const times = {};
    await until(() => {
      if (times.leaver === undefined && phase(leaver) === 'left') times.leaver = performance.now() - sent;
      if (times.rescind === undefined && phase(rescinded) === 'rescinded') times.rescind = performance.now() - sent;
      return times.leaver !== undefined && times.rescind !== undefined;
    });
    return times;
  };
}

const idle = await (await urgentPair('idle'))();
const sendDuringBulk = await urgentPair('bulk');
for (let i = 0; i < people; i += 500)
  await post(Array.from({ length: Math.min(500, people - i) }, (_, k) => hire(`J${i + k}`, day(0))));
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
