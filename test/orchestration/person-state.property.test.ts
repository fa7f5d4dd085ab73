import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HrEvent, WorkerRecord } from '../../shared/domain/hr-event';
import {
  decide,
  initialState,
  nextDue,
  type PersonState,
  type Schedule,
  type Step,
} from '../../shared/orchestration/person-state';

/**
 * Property tests of the person state machine: for any sequence of HR events for one person (duplicates and
 * out-of-order ones included) interleaved with the passing of time, the state stays valid, a terminated person
 * always ends disabled, and a rescinded hire never ends with an account enabled. The directory is simulated the
 * way functions/orchestrations/person.ts runs each step.
 */
const DAY = 86_400_000;
const START = Date.parse('2026-11-01T00:00:00.000Z');
const PHASES = ['none', 'pre-hire', 'active', 'on-leave', 'leaving', 'left', 'deleted', 'rescinded'];

interface Account {
  exists: boolean;
  enabled: boolean;
}

interface World {
  state: PersonState;
  account: Account;
  now: number;
}

type Action =
  | {
      kind: 'event';
      type: HrEvent['type'];
      id: number;
      hireInDays: number;
      leaveInDays: number | null;
      immediate: boolean;
      /** When HR issued it (default: when it is delivered). */
      issuedAt?: number;
    }
  | { kind: 'advance'; days: number }
  | { kind: 'reevaluate'; id: number };

const worker = (hireAt: number, leaveAt: number | null, dept: string): WorkerRecord => ({
  employeeId: 'P1',
  legalGivenName: 'Ada',
  legalFamilyName: 'Lovelace',
  employmentType: 'employee',
  hireDate: new Date(hireAt).toISOString().slice(0, 10),
  ...(leaveAt !== null ? { leaveDate: new Date(leaveAt).toISOString().slice(0, 10) } : {}),
  timeZone: 'UTC',
  extensions: {},
  department: dept,
});

/** What the orchestration does with each step (person.ts runStep), on a one-account directory. */
function runStep(world: World, step: Step): World {
  const { state, account } = world;
  switch (step.run) {
    case 'joiner':
    case 'rehire':
      return {
        ...world,
        state: { ...state, userId: 'u1', appliedRecord: step.record, removedGroupIds: [] },
        account: { exists: true, enabled: step.enable ?? false },
      };
    case 'activate':
      // Self-activation starts; the account stays disabled until the new starter proves who they are.
      return world;
    case 'mover':
    case 'refreshAccess':
      return { ...world, state: { ...state, appliedRecord: step.record } };
    case 'leaver':
      return { ...world, account: { ...account, enabled: false } };
    case 'enable':
    case 'disable':
      if (!state.userId) return world;
      return { ...world, account: { ...account, enabled: step.run === 'enable' } };
    case 'delete':
    case 'rescind':
      if (!state.userId) return world;
      return {
        ...world,
        state: step.run === 'rescind' ? { ...state, userId: null } : state,
        account: { exists: false, enabled: false },
      };
  }
}

function apply(world: World, decision: ReturnType<typeof decide>): World {
  let next: World = { ...world, state: decision.state };
  for (const step of decision.steps) next = runStep(next, step);
  return next;
}

/** Fires every due date up to `until`, in order, as the orchestration's timers would. */
function advanceTo(world: World, until: number, schedule: Schedule | null): World {
  let next = { ...world };
  for (let guard = 0; guard < 100; guard++) {
    const due = nextDue(next.state);
    if (!due || Date.parse(due.at) > until) break;
    const at = Math.max(next.now, Date.parse(due.at));
    next = apply({ ...next, now: at }, decide(next.state, { kind: 'due', which: due.which, schedule }, iso(at)));
  }
  return { ...next, now: Math.max(next.now, until) };
}

const iso = (ms: number) => new Date(ms).toISOString();

const eventTypes: HrEvent['type'][] = [
  'hire',
  'rehire',
  'update',
  'terminate',
  'rescind',
  'leave-of-absence-start',
  'leave-of-absence-end',
];

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('event' as const),
      type: fc.constantFrom(...eventTypes),
      // A small id space makes duplicates (the same event delivered again) common.
      id: fc.integer({ min: 1, max: 8 }),
      hireInDays: fc.integer({ min: -20, max: 20 }),
      leaveInDays: fc.option(fc.integer({ min: -5, max: 40 }), { nil: null }),
      immediate: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 0, max: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reevaluate' as const), id: fc.integer({ min: 1, max: 3 }) }) },
);

interface Run {
  world: World;
  lastSchedule: Schedule | null;
  /** The last event that changed the state machine's phase or record (not a duplicate). */
  lastEffective: HrEvent['type'] | null;
}

function play(actions: Action[]): Run {
  let world: World = { state: initialState('P1'), account: { exists: false, enabled: false }, now: START };
  let lastSchedule: Schedule | null = null;
  let lastEffective: HrEvent['type'] | null = null;
  const sent = new Map<number, HrEvent & { schedule: Schedule }>();
  for (const a of actions) {
    if (a.kind === 'advance') {
      world = advanceTo(world, world.now + a.days * DAY, lastSchedule);
    } else if (a.kind === 'reevaluate') {
      world = apply(world, decide(world.state, { kind: 'reevaluate', requestId: `r${a.id}` }, iso(world.now)));
    } else {
      // The same id delivered again carries the same content, as a replayed HR event does.
      const earlier = sent.get(a.id);
      const hireAt = world.now + a.hireInDays * DAY;
      const leaveAt = a.leaveInDays === null ? null : Math.max(hireAt, world.now + a.leaveInDays * DAY);
      const event =
        earlier ??
        ({
          eventId: `e${a.id}`,
          type: a.type === 'terminate' && leaveAt === null ? 'terminate' : a.type,
          occurredAt: iso(a.issuedAt ?? world.now),
          source: 'webhook',
          immediate: a.type === 'terminate' && (a.immediate || leaveAt === null),
          worker: worker(hireAt, leaveAt, `D${a.id}`),
          schedule: {
            createAccountAt: iso(hireAt - 7 * DAY),
            hireAt: iso(hireAt),
            leaveAt: leaveAt === null ? null : iso(leaveAt),
            retentionDays: 30,
          },
        } satisfies HrEvent & { schedule: Schedule });
      sent.set(a.id, event);
      const before = world.state;
      const decision = decide(world.state, { kind: 'event', event, schedule: event.schedule }, iso(world.now));
      world = apply(world, decision);
      lastSchedule = event.schedule;
      if (decision.state.phase !== before.phase || decision.steps.length) lastEffective = event.type;
    }
    assertValid(world);
  }
  // Let all time pass: every timer fires.
  world = advanceTo(world, world.now + 400 * DAY, lastSchedule);
  assertValid(world);
  return { world, lastSchedule, lastEffective };
}

function assertValid({ state, account }: World): void {
  expect(PHASES).toContain(state.phase);
  for (const at of Object.values(state.due) as (string | undefined)[])
    if (at !== undefined) expect(Number.isNaN(Date.parse(at))).toBe(false);
  expect(state.processedEventIds.length).toBeLessThanOrEqual(50);
  if (state.phase === 'none' || state.phase === 'rescinded') expect(account.enabled).toBe(false);
  if (state.phase === 'left' || state.phase === 'deleted') expect(account.enabled).toBe(false);
  if (account.enabled) expect(account.exists).toBe(true);
}

describe('person state machine, for any sequence of HR events', () => {
  it('never reaches an invalid state (phase, due dates, enabled only while employed)', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 25 }), (actions) => {
        play(actions);
      }),
      { numRuns: 500 },
    );
  });

  it('a terminated person always ends disabled', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 25 }), (actions) => {
        const { world, lastEffective } = play(actions);
        if (lastEffective === 'terminate') expect(world.account.enabled).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('a rescinded hire never ends with an account enabled', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 25 }), (actions) => {
        const { world } = play(actions);
        if (world.state.phase === 'rescinded') {
          expect(world.account.enabled).toBe(false);
          expect(world.account.exists).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a hire then an immediate terminate issued after it, in any order with duplicates, ends disabled', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 }), (order) => {
        const script: Action[] = [
          { kind: 'event', type: 'hire', id: 1, hireInDays: -1, leaveInDays: null, immediate: false, issuedAt: START },
          {
            kind: 'event',
            type: 'terminate',
            id: 2,
            hireInDays: -1,
            leaveInDays: null,
            immediate: true,
            issuedAt: START + 1,
          },
          { kind: 'event', type: 'hire', id: 1, hireInDays: -1, leaveInDays: null, immediate: false, issuedAt: START },
          { kind: 'advance', days: 1 },
        ];
        const { world } = play(order.map((i) => script[i]!));
        expect(world.account.enabled).toBe(false);
      }),
    );
  });
});
