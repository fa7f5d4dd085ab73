import type { HrEvent, WorkerRecord } from '../domain/hr-event';

/**
 * The person's lifecycle as a pure state machine: given the current state and one input (an HR event or
 * a due date), it returns the next state and the steps to run. The person orchestration only waits,
 * calls `decide`, and runs the steps, so every tricky ordering rule lives here and is unit-tested.
 */
type Phase = 'none' | 'pre-hire' | 'active' | 'on-leave' | 'leaving' | 'left' | 'deleted' | 'rescinded';

export interface Due {
  createAccountAt?: string;
  enableAt?: string;
  leaveAt?: string;
  deleteAt?: string;
  /** The manager had no account yet when access was applied: look again at this instant. */
  managerCheckAt?: string;
  /** End of the mover grace period: the old role's groups are removed then. */
  graceEndAt?: string;
}

export interface PersonState {
  employeeId: string;
  record: WorkerRecord | null;
  /** Record of the last applied state in the directory (the mover diff's "before"). */
  appliedRecord: WorkerRecord | null;
  userId: string | null;
  phase: Phase;
  due: Due;
  /** Last event ids handled (bounded): the same event delivered twice is ignored. */
  processedEventIds: string[];
  /** Groups removed at leave, restored on rehire. */
  removedGroupIds: string[];
  /**
   * The groups a leaver removes, read before its first removal and kept until it is done, so a removal that a failed
   * attempt already made reaches removedGroupIds (a retry no longer sees it as a membership): leaver-groups.ts.
   */
  leavingGroupIds?: string[];
  notes: string[];
  /** Manager checks made since the manager was first found missing. */
  managerChecks?: number;
  /** What the last access change could not do (licence assignment errors read back), shown in the status. */
  problems?: string[];
  /**
   * A terminate that arrived before the person's hire (out-of-order delivery). Kept, and applied when a hire that
   * HR issued before it arrives; a hire issued after it (a later decision) wins.
   */
  pendingTerminate?: { eventId: string; occurredAt: string; leaveAt: string };
  /**
   * A rescind that arrived before the hire it rescinds: in Azure an urgent rescind travels on its own queue and can
   * overtake the hire (shared/intake/event-priority.ts). A hire HR issued before it is then dropped; one issued after
   * it (a new offer) goes ahead.
   */
  pendingRescind?: { eventId: string; occurredAt: string };
  /**
   * A rehire whose account is not back yet replaced the former employment's timers (its retention deletion):
   * kept so a rescind of that rehire puts them back, and the former account is still deleted after retention.
   */
  beforeRehire?: { phase: Phase; due: Due };
  /**
   * Steps of one decision that could not be done yet (a step failed after its own durable retries, e.g. a Graph
   * outage longer than them): retried on a timer before anything else is decided (pending-steps.ts).
   */
  pendingSteps?: PendingSteps;
  /**
   * A joiner or rehire that may have created (or restored) the account before it failed was dropped: the account
   * is looked up by employee id before the next step, so a rescind or leaver finds what the hire left behind.
   */
  accountUnresolved?: boolean;
}

/** A decision's steps not done yet, the failed one first (see pending-steps.ts for the retry rules). */
export interface PendingSteps {
  /** The failed step, then the rest of its decision, in order. */
  steps: Step[];
  /** The HR event or request the steps were decided for (none for a due date). */
  eventId?: string;
  /**
   * Child instance keys are `${keyBase}:${index}` (keyBase: the event id, or `due:<which>@<instant>` for a due date);
   * `firstIndex` is the failed step's index in its decision.
   */
  keyBase: string;
  firstIndex: number;
  /** How many times the steps were run (1 after the first failure); each retry's children get a fresh id. */
  attempt: number;
  nextRetryAt: string;
  /** Why the step failed, first line of the error. */
  reason: string;
  failedAt: string;
}

/** Instants computed from the worker and the policy by an activity (orchestrators must not read files). */
export interface Schedule {
  createAccountAt: string;
  hireAt: string;
  leaveAt: string | null;
  retentionDays: number;
  /** Day 1 starts email one-time-code self-activation instead of enabling the account (policy + personal email). */
  activation?: boolean;
}

export type Step =
  | { run: 'joiner'; record: WorkerRecord; enable?: boolean }
  | { run: 'mover'; previous: WorkerRecord; record: WorkerRecord }
  | { run: 'enable' }
  /** Day 1 with self-activation: the account stays disabled until the person proves who they are. */
  | { run: 'activate' }
  | { run: 'disable'; reason: string }
  | { run: 'leaver'; record: WorkerRecord }
  | { run: 'delete' }
  | { run: 'rehire'; record: WorkerRecord; enable?: boolean }
  | { run: 'rescind' }
  | { run: 'refreshAccess'; record: WorkerRecord };

export type DecisionInput =
  | { kind: 'event'; event: HrEvent; schedule: Schedule }
  | { kind: 'due'; which: keyof Due; schedule: Schedule | null }
  /** Apply the current policy again (after a policy change). */
  | { kind: 'reevaluate'; requestId: string };

export interface Decision {
  state: PersonState;
  steps: Step[];
  outcome: string;
}

const MAX_PROCESSED = 50;

export function initialState(employeeId: string): PersonState {
  return {
    employeeId,
    record: null,
    appliedRecord: null,
    userId: null,
    phase: 'none',
    due: {},
    processedEventIds: [],
    removedGroupIds: [],
    notes: [],
  };
}

/** The earliest pending due date, or null. */
export function nextDue(state: PersonState): { which: keyof Due; at: string } | null {
  const entries = (Object.entries(state.due) as [keyof Due, string | undefined][]).filter(
    (e): e is [keyof Due, string] => !!e[1],
  );
  if (!entries.length) return null;
  entries.sort((a, b) => Date.parse(a[1]) - Date.parse(b[1]));
  return { which: entries[0]![0], at: entries[0]![1] };
}

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString();
}

/** How long to wait before looking for a manager who has no account yet, and how many times. */
const MANAGER_CHECK_INTERVAL_HOURS = 1;
export const MANAGER_CHECK_MAX = 72;

/** After a step reported the manager as pending: schedule (or stop) the next check. */
export function afterManagerPending(
  state: PersonState,
  pendingManager: string | null,
  nowIso: string,
  checksSoFar: number,
): PersonState {
  const due = { ...state.due };
  delete due.managerCheckAt;
  if (pendingManager && checksSoFar < MANAGER_CHECK_MAX)
    due.managerCheckAt = new Date(Date.parse(nowIso) + MANAGER_CHECK_INTERVAL_HOURS * 3_600_000).toISOString();
  return { ...state, due };
}

function sameRecord(a: WorkerRecord | null, b: WorkerRecord | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function remember(state: PersonState, eventId: string): PersonState {
  return { ...state, processedEventIds: [...state.processedEventIds, eventId].slice(-MAX_PROCESSED) };
}

/** Joiner-side steps for a (re)hire: create now or at the creation date; enable now or on day 1. */
function hireSteps(
  state: PersonState,
  record: WorkerRecord,
  schedule: Schedule,
  now: number,
  run: 'joiner' | 'rehire',
): Decision {
  const due: Due = {};
  const steps: Step[] = [];
  let phase: Phase = 'pre-hire';
  if (Date.parse(schedule.createAccountAt) <= now) steps.push({ run, record });
  else due.createAccountAt = schedule.createAccountAt;
  if (Date.parse(schedule.hireAt) <= now) {
    if (steps.length && schedule.activation) {
      // Day 1 already came: created disabled, then the person activates it themselves.
      steps.push({ run: 'activate' });
      phase = 'active';
    } else if (steps.length) {
      // Day 1 already came (a late event): the account is created enabled, one write fewer.
      steps[0] = { run, record, enable: true };
      phase = 'active';
    } else due.enableAt = schedule.hireAt;
  } else due.enableAt = schedule.hireAt;
  if (schedule.leaveAt) due.leaveAt = schedule.leaveAt;
  const beforeRehire = run === 'rehire' && due.createAccountAt ? { phase: state.phase, due: state.due } : undefined;
  return {
    state: { ...state, record, phase, due, beforeRehire },
    steps,
    outcome: steps.length ? `${run} now` : `${run} scheduled for ${schedule.createAccountAt}`,
  };
}

export function decide(state: PersonState, input: DecisionInput, nowIso: string): Decision {
  const now = Date.parse(nowIso);
  if (input.kind === 'due') return decideDue(state, input.which, input.schedule, now);
  if (input.kind === 'reevaluate') return decideReevaluate(state, input.requestId);
  const { event, schedule } = input;
  if (state.processedEventIds.includes(event.eventId))
    return { state, steps: [], outcome: `duplicate event ${event.eventId} ignored` };
  const s = remember(state, event.eventId);
  const worker = event.worker;
  const hasAccount = ['pre-hire', 'active', 'on-leave', 'leaving'].includes(s.phase) && !s.due.createAccountAt;

  switch (event.type) {
    case 'hire': {
      if (s.phase === 'none' && s.pendingRescind) {
        const rescind = s.pendingRescind;
        const rest: PersonState = { ...s };
        delete rest.pendingRescind;
        if (Date.parse(rescind.occurredAt) >= Date.parse(event.occurredAt))
          return {
            state: { ...rest, phase: 'rescinded', record: worker, due: {} },
            steps: [],
            outcome: `hire rescinded before it arrived (rescind ${rescind.eventId} delivered first): no account`,
          };
        return withPendingTerminate(hireSteps(rest, worker, schedule, now, 'joiner'), event, schedule, now);
      }
      if (s.phase === 'none' || s.phase === 'rescinded')
        return withPendingTerminate(hireSteps(s, worker, schedule, now, 'joiner'), event, schedule, now);
      if (s.phase === 'left' || s.phase === 'deleted') return hireSteps(s, worker, schedule, now, 'rehire');
      // Already hired: the same content is a duplicate; different content is an update.
      if (sameRecord(s.record, worker))
        return { state: s, steps: [], outcome: 'hire for an already hired person with identical data: nothing to do' };
      return decideUpdate(s, worker, schedule, now, hasAccount);
    }
    case 'rehire': {
      if (s.phase === 'none' || s.phase === 'rescinded') return hireSteps(s, worker, schedule, now, 'joiner');
      if (s.phase === 'left' || s.phase === 'deleted') return hireSteps(s, worker, schedule, now, 'rehire');
      // Still employed: an update. During an open leave (phase leaving) it cancels the leave, as the rehire
      // carries no leave date (decideUpdate drops leaveAt and goes back to active); the account is still there.
      return decideUpdate(s, worker, schedule, now, hasAccount);
    }
    case 'update':
      if (s.phase === 'none')
        return {
          state: { ...s, record: worker },
          steps: [],
          outcome: 'update before hire: kept as the pending record',
        };
      if (s.phase === 'left' || s.phase === 'deleted' || s.phase === 'rescinded')
        return {
          state: s,
          steps: [],
          outcome: `update for a person in phase ${s.phase}: recorded, no directory change`,
        };
      return decideUpdate(s, worker, schedule, now, hasAccount);
    case 'terminate': {
      if (s.phase === 'none' || s.phase === 'rescinded') {
        const leaveAt = event.immediate ? nowIso : (schedule.leaveAt ?? nowIso);
        return {
          state: {
            ...s,
            pendingTerminate: { eventId: event.eventId, occurredAt: event.occurredAt, leaveAt },
            notes: [...s.notes, `terminate ${event.eventId} before any hire: kept for a hire issued before it`],
          },
          steps: [],
          outcome: 'terminate before the hire arrived: kept, applied if an earlier-issued hire arrives',
        };
      }
      if (s.phase === 'left' || s.phase === 'deleted') return { state: s, steps: [], outcome: 'already left' };
      const leaveAt = event.immediate ? nowIso : (schedule.leaveAt ?? nowIso);
      if (Date.parse(leaveAt) <= now)
        return decideDue({ ...s, record: worker, due: { ...s.due, leaveAt } }, 'leaveAt', schedule, now);
      // The leave date is written to the account now (employeeLeaveDateTime), so Entra Lifecycle Workflows'
      // leaver triggers see it, along with any other change the terminate carries.
      const steps: Step[] =
        hasAccount && s.appliedRecord && !sameRecord(s.appliedRecord, worker)
          ? [{ run: 'mover', previous: s.appliedRecord, record: worker }]
          : [];
      return {
        state: {
          ...s,
          record: worker,
          phase: s.phase === 'pre-hire' ? 'pre-hire' : 'leaving',
          due: { ...s.due, leaveAt },
        },
        steps,
        outcome: `leave scheduled for ${leaveAt}`,
      };
    }
    case 'rescind': {
      // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, beforeRehire is only set with
      // createAccountAt in phase pre-hire (hireSteps), and the creation timer or a leaver clears all three together.
      if (s.phase === 'pre-hire' && s.due.createAccountAt && s.beforeRehire)
        return {
          state: { ...s, phase: s.beforeRehire.phase, due: s.beforeRehire.due, beforeRehire: undefined },
          steps: [],
          outcome: `rehire rescinded before its account came back: the former employment's timers stand again`,
        };
      if (s.phase === 'pre-hire')
        return {
          state: { ...s, phase: 'rescinded', due: {} },
          steps: s.due.createAccountAt ? [] : [{ run: 'rescind' }],
          outcome: 'hire rescinded before day 1',
        };
      if (s.phase === 'none')
        return {
          state: { ...s, record: null, pendingRescind: { eventId: event.eventId, occurredAt: event.occurredAt } },
          steps: [],
          outcome: 'rescind before any hire: kept, an earlier-issued hire that arrives later is dropped',
        };
      return {
        state: { ...s, notes: [...s.notes, `rescind ${event.eventId} after day 1 ignored: send a terminate`] },
        steps: [],
        outcome: 'rescind after day 1 ignored (terminate instead)',
      };
    }
    case 'leave-of-absence-start':
      if (s.phase !== 'active')
        return { state: s, steps: [], outcome: `leave of absence in phase ${s.phase}: nothing to do` };
      return {
        state: { ...s, phase: 'on-leave', record: worker },
        steps: [{ run: 'disable', reason: 'leave of absence' }],
        outcome: 'account disabled for leave of absence',
      };
    case 'leave-of-absence-end':
      if (s.phase !== 'on-leave')
        return { state: s, steps: [], outcome: `leave of absence end in phase ${s.phase}: nothing to do` };
      return {
        state: { ...s, phase: 'active', record: worker },
        steps: [{ run: 'enable' }],
        outcome: 'account re-enabled after leave of absence',
      };
  }
}

/**
 * After a (first) hire: a terminate that HR issued after this hire but that was delivered before it still applies,
 * so the person does not stay employed because two messages crossed.
 */
function withPendingTerminate(decision: Decision, hire: HrEvent, schedule: Schedule, now: number): Decision {
  const pending = decision.state.pendingTerminate;
  if (!pending) return decision;
  const state: PersonState = { ...decision.state };
  delete state.pendingTerminate;
  if (Date.parse(pending.occurredAt) < Date.parse(hire.occurredAt)) {
    return { ...decision, state, outcome: `${decision.outcome}; earlier terminate ${pending.eventId} superseded` };
  }
  const hired = decision.steps.length > 0;
  const due = { ...state.due, leaveAt: pending.leaveAt };
  if (hired && Date.parse(pending.leaveAt) <= now) {
    const left = decideDue({ ...state, due }, 'leaveAt', schedule, now);
    return {
      ...left,
      steps: [...decision.steps, ...left.steps],
      outcome: `${decision.outcome}; terminate ${pending.eventId} (delivered first) applied`,
    };
  }
  return {
    ...decision,
    state: { ...state, due, phase: state.phase === 'active' ? 'leaving' : state.phase },
    outcome: `${decision.outcome}; leave from terminate ${pending.eventId} scheduled for ${pending.leaveAt}`,
  };
}

/** A person with an account gets access recomputed under the current policy; others have nothing to recompute. */
function decideReevaluate(state: PersonState, requestId: string): Decision {
  if (state.processedEventIds.includes(requestId))
    return { state, steps: [], outcome: `duplicate re-evaluation ${requestId} ignored` };
  const s = remember(state, requestId);
  const hasAccount =
    ['pre-hire', 'active', 'on-leave', 'leaving'].includes(s.phase) && !!s.userId && !s.due.createAccountAt;
  if (!hasAccount || !s.appliedRecord)
    return { state: s, steps: [], outcome: `re-evaluation in phase ${s.phase}: no account to recompute` };
  return {
    state: s,
    steps: [{ run: 'refreshAccess', record: s.appliedRecord }],
    outcome: 'policy re-evaluated: access recomputed',
  };
}

function decideUpdate(
  s: PersonState,
  worker: WorkerRecord,
  schedule: Schedule,
  now: number,
  hasAccount: boolean,
): Decision {
  const due: Due = { ...s.due };
  // Dates may have moved: re-plan creation / day 1 while not yet done, and the leave date.
  if (due.createAccountAt) due.createAccountAt = schedule.createAccountAt;
  if (due.enableAt) due.enableAt = schedule.hireAt;
  if (schedule.leaveAt) due.leaveAt = schedule.leaveAt;
  else delete due.leaveAt;
  const phase: Phase =
    s.phase === 'leaving' && !due.leaveAt ? 'active' : s.phase === 'active' && due.leaveAt ? 'leaving' : s.phase;
  const steps: Step[] = [];
  if (hasAccount && s.appliedRecord && !sameRecord(s.appliedRecord, worker))
    steps.push({ run: 'mover', previous: s.appliedRecord, record: worker });
  const next = { ...s, record: worker, due, phase };
  if (due.leaveAt && Date.parse(due.leaveAt) <= now && hasAccount) {
    const left = decideDue(next, 'leaveAt', schedule, now);
    return { ...left, steps: [...steps, ...left.steps] };
  }
  return {
    state: next,
    steps,
    outcome: steps.length ? 'mover: attributes/groups changed' : 'update with no directory change',
  };
}

function decideDue(s: PersonState, which: keyof Due, schedule: Schedule | null, now: number): Decision {
  const due = { ...s.due };
  delete due[which];
  const record = s.record;
  switch (which) {
    case 'createAccountAt':
      if (!record) return { state: { ...s, due }, steps: [], outcome: 'creation date reached without a record' };
      return {
        state: { ...s, due, phase: 'pre-hire', beforeRehire: undefined },
        steps: [{ run: s.removedGroupIds.length || s.userId ? 'rehire' : 'joiner', record }],
        outcome: 'pre-hire account creation',
      };
    case 'enableAt':
      if (schedule?.activation)
        return {
          state: { ...s, due, phase: 'active' },
          steps: [{ run: 'activate' }],
          outcome: 'day 1: self-activation started',
        };
      return { state: { ...s, due, phase: 'active' }, steps: [{ run: 'enable' }], outcome: 'day 1: account enabled' };
    case 'leaveAt': {
      if (!record) return { state: { ...s, due }, steps: [], outcome: 'leave date without a record' };
      // An immediate terminate carries no leave date: the instant of leaving is the one written to the account.
      const leaving = record.leaveDate ? record : { ...record, leaveDate: new Date(now).toISOString() };
      const retentionDays = schedule?.retentionDays ?? 30;
      const leftAt = new Date(now).toISOString();
      delete due.createAccountAt;
      delete due.enableAt;
      return {
        state: { ...s, record: leaving, due: { ...due, deleteAt: addDays(leftAt, retentionDays) }, phase: 'left' },
        steps: [{ run: 'leaver', record: leaving }],
        outcome: `leaver: access removed, deletion after ${retentionDays} days`,
      };
    }
    case 'deleteAt':
      return {
        state: { ...s, due, phase: 'deleted' },
        steps: [{ run: 'delete' }],
        outcome: 'retention over: account deleted (soft delete)',
      };
    case 'graceEndAt':
      if (!record || !s.userId || !['pre-hire', 'active', 'on-leave', 'leaving'].includes(s.phase))
        return { state: { ...s, due }, steps: [], outcome: 'grace period over; nothing to remove' };
      return {
        state: { ...s, due },
        steps: [{ run: 'refreshAccess', record }],
        outcome: 'mover grace period over: old-role access removed',
      };
    case 'managerCheckAt':
      if (!record || !s.userId || !['pre-hire', 'active', 'on-leave', 'leaving'].includes(s.phase))
        return { state: { ...s, due }, steps: [], outcome: 'manager check no longer needed' };
      return {
        state: { ...s, due },
        steps: [{ run: 'refreshAccess', record }],
        outcome: 'manager check: applying access again',
      };
  }
}
