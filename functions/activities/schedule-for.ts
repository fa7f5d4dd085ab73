import { registerActivity } from './register';
import { WorkerRecord } from '../../shared/domain/hr-event';
import { workerSchedule } from '../../shared/domain/jml-decisions';
import type { Schedule } from '../../shared/orchestration/person-state';
import { services } from '../../shared/services';
import { parseInput } from './activity-input';

/** The worker's dates as instants under the current policy (orchestrators must not read the policy file). */
export function scheduleFor(input: unknown): Schedule {
  return workerSchedule(parseInput(WorkerRecord, input), services().policy);
}

registerActivity('scheduleFor', scheduleFor);
