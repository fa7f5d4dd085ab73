import { z } from 'zod';
import type { Prng } from './prng';

/**
 * The faults of one chaos trial, drawn up front from the trial's seed and fired at workload milestones, not on
 * wall-clock delays: "the k-th HR event accepted", "the n-th Graph write", "item m of the n-th $batch", "the n-th
 * inbox append", "the n-th continueAsNew". Each milestone counts from the moment the previous fault fired, so the
 * plan printed with the seed names exactly where each fault lands and replays it (the interleaving of concurrent
 * persons between two milestones is the scheduler's, not the seed's).
 */

/** Where a fault fires. `accepted` is counted by the harness; the others by the traps inside the host (traps.ts). */
const Milestone = z.discriminatedUnion('on', [
  z.object({ on: z.literal('accepted'), nth: z.number().int().min(1) }),
  z.object({ on: z.literal('graph-write'), nth: z.number().int().min(1) }),
  /** Fires after `afterItems` items of the n-th $batch ran (or its last), before the $batch is answered. */
  z.object({ on: z.literal('graph-batch'), nth: z.number().int().min(1), afterItems: z.number().int().min(1) }),
  /** Fires inside the inbox append's transaction, after its reads and before its insert. */
  z.object({ on: z.literal('inbox-append'), nth: z.number().int().min(1) }),
  /** Fires inside the continueAsNew commit (durable engine), after the inbox rows are taken, before it commits. */
  z.object({ on: z.literal('continue-as-new'), nth: z.number().int().min(1) }),
]);
type Milestone = z.infer<typeof Milestone>;
export type TrapMilestone = Exclude<Milestone, { on: 'accepted' }>;

/** Graph emulator faults (GraphApi.faults); `outageSeconds` becomes unavailableUntil when the fault fires. */
export const GraphFaults = z.object({
  throttleNext: z.number().int().min(0).optional(),
  throttleNextBatchItems: z.number().int().min(0).optional(),
  throttleRetryAfterSeconds: z.number().int().min(1).optional(),
  outageSeconds: z.number().int().min(1).optional(),
  unavailableStatus: z.union([z.literal(429), z.literal(503)]).optional(),
  unavailableInBatchItems: z.boolean().optional(),
  /** Graph timeout: the next N requests are accepted and never answered (local/emulators/graph/hang-fault.ts). */
  hangNext: z.number().int().min(0).optional(),
  /** The hung requests are applied (only the answer is lost) rather than dropped. */
  hangApplied: z.boolean().optional(),
});
export type GraphFaults = z.infer<typeof GraphFaults>;

export const SQLITE_FILES = ['durable', 'servicebus', 'person-inbox', 'audit'] as const;

const FaultAction = z.discriminatedUnion('kind', [
  /** SIGKILL of the host; with a trap milestone the host is frozen at the milestone until the kill lands. */
  z.object({ kind: z.literal('kill') }),
  z.object({ kind: z.literal('graph'), label: z.string(), faults: GraphFaults }),
  /** The harness holds BEGIN EXCLUSIVE on one of the data folder's SQLite files for `ms`. */
  z.object({ kind: z.literal('sqlite-lock'), file: z.enum(SQLITE_FILES), ms: z.number().int().min(1) }),
  /**
   * Service Bus lock renewal too slow for `seconds`: message and session locks taken meanwhile last `lockMs` and
   * the renewal (every half lock duration) comes after they expired, so the message is delivered again while the
   * first delivery still runs
   * (https://learn.microsoft.com/azure/service-bus-messaging/message-transfers-locks-settlement).
   */
  z.object({ kind: z.literal('slow-renewal'), lockMs: z.number().int().min(1), seconds: z.number().int().min(1) }),
  /** A full disk for `seconds`: every write of the app's SQLite stores fails with SQLITE_FULL (traps.ts). */
  z.object({ kind: z.literal('disk-full'), seconds: z.number().int().min(1) }),
]);

/** One fault of a trial's plan: printed with the seed, so a failing trial can be replayed and read. */
const PlannedFault = z.object({
  /** Position in the trial's plan (faults fire in this order). */
  index: z.number().int(),
  name: z.string(),
  milestone: Milestone,
  action: FaultAction,
});
export type PlannedFault = z.infer<typeof PlannedFault>;

/** What a trap inside the host is armed with (sent over IPC), and what it reports when it fires. */
export const ArmedTrap = z.object({
  index: z.number().int(),
  milestone: Milestone,
  /** freeze: hold the host still at the milestone (the harness kills it); the others act in the host itself. */
  effect: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('freeze'), maxMs: z.number().int().min(1) }),
    z.object({ kind: z.literal('notify') }),
    z.object({ kind: z.literal('graph'), faults: GraphFaults }),
    z.object({ kind: z.literal('slow-renewal'), lockMs: z.number().int(), seconds: z.number().int() }),
    z.object({ kind: z.literal('disk-full'), seconds: z.number().int() }),
  ]),
});
export type ArmedTrap = z.infer<typeof ArmedTrap>;

export const TrapFired = z.object({
  index: z.number().int(),
  on: z.string(),
  /** Epoch ms at which a timed Graph outage the trap started ends (the harness restores it after a restart). */
  outageUntil: z.number().optional(),
});
export type TrapFired = z.infer<typeof TrapFired>;
export const TRAP_LINE_PREFIX = 'CHAOS-TRAP ';

export const FAULT_FAMILIES = ['kill', 'graph', 'sqlite', 'servicebus', 'timeout', 'disk'] as const;
export type FaultFamily = (typeof FAULT_FAMILIES)[number];

export interface PlanOptions {
  kills: number;
  graphFaults: number;
  sqliteLocks: number;
  slowRenewals: number;
  /** Graph timeouts (family `timeout`) and full-disk windows (family `disk`); 0 when not given. */
  graphTimeouts?: number;
  diskFulls?: number;
  families: ReadonlySet<FaultFamily>;
  /** HR events the trial sends (bounds the `accepted` and inbox milestones so most of them are reached). */
  events: number;
}

const KILL_POINTS = ['between', 'graph-write', 'graph-batch', 'inbox-append', 'continue-as-new'] as const;

function killMilestone(rng: Prng, point: (typeof KILL_POINTS)[number], events: number): Milestone {
  const perEvent = Math.max(2, Math.ceil(events / 4));
  switch (point) {
    case 'between':
      return { on: 'accepted', nth: rng.int(1, perEvent) };
    case 'graph-write':
      return { on: 'graph-write', nth: rng.int(1, 8) };
    case 'graph-batch':
      return { on: 'graph-batch', nth: rng.int(1, 4), afterItems: rng.int(1, 3) };
    case 'inbox-append':
      return { on: 'inbox-append', nth: rng.int(1, perEvent) };
    case 'continue-as-new':
      return { on: 'continue-as-new', nth: rng.int(1, perEvent) };
  }
}

function graphFault(rng: Prng): { label: string; faults: GraphFaults } {
  const retryAfter = rng.int(1, 3);
  switch (rng.int(0, 3)) {
    case 0:
      return {
        label: 'graph-429-storm',
        faults: { throttleNext: rng.int(5, 30), throttleRetryAfterSeconds: retryAfter },
      };
    case 1:
      return {
        label: 'graph-429-in-batch',
        faults: { throttleNextBatchItems: rng.int(5, 30), throttleRetryAfterSeconds: retryAfter },
      };
    case 2:
      // Longer than an activity's durable retries (about 30 s) in some trials: the known defect's trigger.
      return {
        label: 'graph-outage-503',
        faults: { outageSeconds: rng.int(10, 90), unavailableStatus: 503, throttleRetryAfterSeconds: retryAfter },
      };
    default:
      return {
        label: 'graph-429-storm-timed',
        faults: {
          outageSeconds: rng.int(5, 40),
          unavailableStatus: 429,
          unavailableInBatchItems: rng.chance(0.5),
          throttleRetryAfterSeconds: retryAfter,
        },
      };
  }
}

/** Milestones for the faults that do not freeze the host: an accepted event or a Graph write. */
function softMilestone(rng: Prng, events: number): Milestone {
  return rng.chance(0.5)
    ? { on: 'accepted', nth: rng.int(1, Math.max(2, Math.ceil(events / 4))) }
    : { on: 'graph-write', nth: rng.int(1, 8) };
}

/** The trial's fault plan: a pure function of the seed's generator and the options. */
export function planFaults(rng: Prng, options: PlanOptions): PlannedFault[] {
  const drafts: Omit<PlannedFault, 'index'>[] = [];
  const { families, events } = options;
  if (families.has('kill'))
    for (let i = 0; i < options.kills; i++) {
      const point = rng.pick(KILL_POINTS);
      drafts.push({ name: `kill-${point}`, milestone: killMilestone(rng, point, events), action: { kind: 'kill' } });
    }
  if (families.has('graph'))
    for (let i = 0; i < options.graphFaults; i++) {
      const fault = graphFault(rng);
      drafts.push({
        name: fault.label,
        milestone: softMilestone(rng, events),
        action: { kind: 'graph', ...fault },
      });
    }
  if (families.has('sqlite'))
    for (let i = 0; i < options.sqliteLocks; i++) {
      const file = rng.pick(SQLITE_FILES);
      // Up to 8 s: past better-sqlite3's 5 s busy timeout, so the app meets SQLITE_BUSY, not only a wait.
      drafts.push({
        name: `sqlite-lock-${file}`,
        milestone: softMilestone(rng, events),
        action: { kind: 'sqlite-lock', file, ms: rng.int(1000, 8000) },
      });
    }
  if (families.has('servicebus'))
    for (let i = 0; i < options.slowRenewals; i++)
      drafts.push({
        name: 'servicebus-slow-renewal',
        milestone: { on: 'inbox-append', nth: rng.int(1, 3) },
        action: { kind: 'slow-renewal', lockMs: rng.int(300, 1500), seconds: rng.int(5, 20) },
      });
  if (families.has('timeout'))
    for (let i = 0; i < (options.graphTimeouts ?? 0); i++) {
      const hangApplied = rng.chance(0.5);
      drafts.push({
        name: hangApplied ? 'graph-timeout-applied' : 'graph-timeout',
        milestone: softMilestone(rng, events),
        action: { kind: 'graph', label: 'graph-timeout', faults: { hangNext: rng.int(1, 3), hangApplied } },
      });
    }
  if (families.has('disk'))
    for (let i = 0; i < (options.diskFulls ?? 0); i++)
      // Inside the host (traps.ts): at an inbox append (that very insert fails) or at a Graph write (the step's
      // audit row or completion that follows fails).
      drafts.push({
        name: 'disk-full',
        milestone: rng.chance(0.5)
          ? { on: 'inbox-append', nth: rng.int(1, Math.max(2, Math.ceil(events / 4))) }
          : { on: 'graph-write', nth: rng.int(1, 8) },
        action: { kind: 'disk-full', seconds: rng.int(3, 15) },
      });
  // Fisher-Yates with the same generator: the order is part of the plan.
  for (let i = drafts.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [drafts[i], drafts[j]] = [drafts[j]!, drafts[i]!];
  }
  // Faults at an accepted event first: that milestone is only reached while HR events are still being sent.
  const ordered = [
    ...drafts.filter((d) => d.milestone.on === 'accepted'),
    ...drafts.filter((d) => d.milestone.on !== 'accepted'),
  ];
  // Checked against its schema: a plan is what gets printed and replayed, so a malformed draft fails here, loudly.
  return PlannedFault.array().parse(ordered.map((d, index) => ({ index, ...d })));
}

/** One line per fault, printed with the seed so a failing trial can be read and replayed. */
export function describePlan(plan: readonly PlannedFault[]): string[] {
  return plan.map((f) => {
    const m = f.milestone;
    const at =
      m.on === 'accepted'
        ? `after HR event #${m.nth} accepted`
        : m.on === 'graph-batch'
          ? `inside $batch #${m.nth} after ${m.afterItems} item(s)`
          : `at ${m.on} #${m.nth}`;
    const what =
      f.action.kind === 'graph'
        ? `${f.name} ${JSON.stringify(f.action.faults)}`
        : f.action.kind === 'sqlite-lock'
          ? `${f.name} for ${f.action.ms} ms`
          : f.action.kind === 'slow-renewal'
            ? `${f.name}: locks of ${f.action.lockMs} ms for ${f.action.seconds} s`
            : f.action.kind === 'disk-full'
              ? `${f.name} for ${f.action.seconds} s`
              : f.name;
    return `#${f.index} ${what}, ${at} (counted from the previous fault)`;
  });
}
