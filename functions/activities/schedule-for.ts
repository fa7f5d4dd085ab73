import { registerActivity } from './register';
import { WorkerRecord } from '../../shared/domain/hr-event';
import { accountCreationInstant, hireInstant, leaveInstant } from '../../shared/domain/schedule';
import type { Schedule } from '../../shared/orchestration/person-state';
import { services } from '../../shared/services';
import { parseInput } from './activity-input';

/** The worker's dates as instants under the current policy (orchestrators must not read the policy file). */
export function scheduleFor(input: unknown): Schedule {
  const record = parseInput(WorkerRecord, input);
  const policy = services().policy;
  return {
    createAccountAt: accountCreationInstant(record, policy).toISOString(),
    hireAt: hireInstant(record).toISOString(),
    leaveAt: leaveInstant(record)?.toISOString() ?? null,
    retentionDays: policy.leaver.retentionDays,
    activation: policy.activation.enabled && !!record.personalEmail,
  };
}

registerActivity('scheduleFor', scheduleFor);
