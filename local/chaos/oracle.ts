import { HrEvent, type WorkerRecord } from '../../shared/domain/hr-event';
import { workerSchedule } from '../../shared/domain/jml-decisions';
import type { Policy } from '../../shared/domain/policy';
import { desiredGroupIds } from '../../shared/domain/rules';
import { decide, initialState, nextDue, type PersonState, type Step } from '../../shared/orchestration/person-state';
import type { PlannedPerson } from './workload';

/**
 * What each person's directory state must be once the stack is quiet, computed from the events the trial sent
 * (duplicates included) by the same pure code the orchestration runs (person-state.ts decide, the schedule and
 * birthright rules), with the directory simulated the way functions/orchestrations/person.ts runs each step.
 * Nothing here talks to the stack: a fault cannot change the oracle.
 */
export interface ExpectedPerson {
  employeeId: string;
  phase: PersonState['phase'];
  accountExists: boolean;
  enabled: boolean;
  record: WorkerRecord | null;
  /** Birthright and licence groups the account must hold (empty once access is removed). */
  groupIds: string[];
  /** Every distinct event the lifecycle must have handled, once. */
  eventIds: string[];
}

interface Account {
  exists: boolean;
  enabled: boolean;
  accessRemoved: boolean;
}

function runStep(state: PersonState, account: Account, step: Step): [PersonState, Account] {
  switch (step.run) {
    case 'joiner':
    case 'rehire':
      return [
        { ...state, userId: 'u', appliedRecord: step.record, removedGroupIds: [] },
        { exists: true, enabled: step.enable ?? false, accessRemoved: false },
      ];
    case 'activate':
      return [state, account];
    case 'mover':
    case 'refreshAccess':
      return [{ ...state, appliedRecord: step.record }, account];
    case 'leaver':
      return [state, { ...account, enabled: false, accessRemoved: true }];
    case 'enable':
    case 'disable':
      if (!state.userId) return [state, account];
      return [state, { ...account, enabled: step.run === 'enable' }];
    case 'delete':
    case 'rescind':
      if (!state.userId) return [state, account];
      return [
        step.run === 'rescind' ? { ...state, userId: null } : state,
        { exists: false, enabled: false, accessRemoved: true },
      ];
  }
}

export function expectedFinalState(
  person: PlannedPerson,
  policy: Policy,
  processedAtMs: number,
  quietAtMs: number,
): ExpectedPerson {
  let state = initialState(person.employeeId);
  let account: Account = { exists: false, enabled: false, accessRemoved: false };
  const apply = (decision: ReturnType<typeof decide>) => {
    state = decision.state;
    for (const step of decision.steps) [state, account] = runStep(state, account, step);
  };
  const iso = (ms: number) => new Date(ms).toISOString();
  const fireDue = (until: number) => {
    for (let guard = 0; guard < 100; guard++) {
      const due = nextDue(state);
      if (!due || Date.parse(due.at) > until) return;
      const schedule = state.record ? workerSchedule(state.record, policy) : null;
      apply(
        decide(state, { kind: 'due', which: due.which, schedule }, iso(Math.max(processedAtMs, Date.parse(due.at)))),
      );
    }
  };
  const eventIds: string[] = [];
  for (const planned of person.events) {
    const event = HrEvent.parse(planned.event);
    const deliveries = planned.duplicate ? 2 : 1;
    if (!eventIds.includes(event.eventId)) eventIds.push(event.eventId);
    for (let n = 0; n < deliveries; n++) {
      fireDue(processedAtMs);
      apply(
        decide(state, { kind: 'event', event, schedule: workerSchedule(event.worker, policy) }, iso(processedAtMs)),
      );
    }
  }
  fireDue(quietAtMs);
  const record = state.appliedRecord ?? state.record;
  return {
    employeeId: person.employeeId,
    phase: state.phase,
    accountExists: account.exists,
    enabled: account.exists && account.enabled,
    record,
    groupIds: account.exists && !account.accessRemoved && record ? desiredGroupIds(record, policy) : [],
    eventIds,
  };
}
