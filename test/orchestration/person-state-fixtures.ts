import type { HrEvent, WorkerRecord } from '../../shared/domain/hr-event';
import {
  decide,
  initialState,
  type Decision,
  type Due,
  type PersonState,
  type Schedule,
} from '../../shared/orchestration/person-state';

/**
 * Shared inputs for the person state machine tests: one person, a fixed "now", and the states the orchestration
 * reaches on the way (each built by feeding `decide` the events that lead there, then applying what the steps do).
 */
export const NOW = '2026-11-25T10:00:00.000Z';
export const LATER = '2027-01-01T00:00:00.000Z';

export const worker = (extra: Partial<WorkerRecord> = {}): WorkerRecord => ({
  employeeId: 'E1',
  legalGivenName: 'Ada',
  legalFamilyName: 'Lovelace',
  employmentType: 'employee',
  hireDate: '2026-11-20',
  timeZone: 'UTC',
  extensions: {},
  department: 'Engineering',
  ...extra,
});

export const ev = (
  type: HrEvent['type'],
  eventId: string,
  extra: Partial<HrEvent> = {},
  w: Partial<WorkerRecord> = {},
): HrEvent => ({
  eventId,
  type,
  occurredAt: NOW,
  source: 'webhook',
  immediate: false,
  worker: worker(w),
  ...extra,
});

/** Creation and day 1 both passed. */
export const past: Schedule = {
  createAccountAt: '2026-11-13T00:00:00.000Z',
  hireAt: '2026-11-20T00:00:00.000Z',
  leaveAt: null,
  retentionDays: 30,
};

/** Creation and day 1 both ahead. */
export const future: Schedule = {
  createAccountAt: '2026-12-08T00:00:00.000Z',
  hireAt: '2026-12-15T00:00:00.000Z',
  leaveAt: null,
  retentionDays: 30,
};

export function run(state: PersonState, event: HrEvent, schedule: Schedule = past, at = NOW): Decision {
  return decide(state, { kind: 'event', event, schedule }, at);
}

export function fire(state: PersonState, which: keyof Due, at = NOW, schedule: Schedule | null = past): Decision {
  return decide(state, { kind: 'due', which, schedule }, at);
}

/** What a joiner/rehire step leaves behind in the state (the orchestration records the account). */
const withAccount = (state: PersonState): PersonState => ({ ...state, userId: 'u1', appliedRecord: state.record });

/** Hired in the past: account created enabled. */
export const active = (): PersonState => withAccount(run(initialState('E1'), ev('hire', 'h1')).state);

/** Account created (pre-hire creation date passed), day 1 still ahead. */
export const preHireWithAccount = (): PersonState =>
  withAccount(run(initialState('E1'), ev('hire', 'h1'), { ...past, hireAt: '2026-12-01T00:00:00.000Z' }).state);

/** Hired for a future date: no account yet, creation and day 1 timers pending. */
export const waiting = (): PersonState => run(initialState('E1'), ev('hire', 'h1'), future).state;

/** Terminated immediately: access removed, deletion after retention pending. */
export const left = (): PersonState => run(active(), ev('terminate', 't1', { immediate: true })).state;

/** Rehired for a future date after leaving: the former account waits, disabled, for the new creation date. */
export const rehireWaiting = (): PersonState => run(left(), ev('rehire', 'r1'), future).state;

/** Terminated with a leave date ahead. */
export const leaving = (): PersonState =>
  run(active(), ev('terminate', 't1', {}, { leaveDate: '2026-12-31' }), { ...past, leaveAt: LATER }).state;

/** On a leave of absence. */
export const onLeave = (): PersonState => run(active(), ev('leave-of-absence-start', 'l1')).state;

/** A hire rescinded before its account existed. */
export const rescinded = (): PersonState => run(waiting(), ev('rescind', 'x1'), future).state;
